//! Refused writes between runs: which refusals still hold this run (the planner parks their
//! entries again instead of writing), and what is recorded when Kimai refuses a write.
//!
//! A refusal's project is compared with Kimai's project list once per run that has any
//! refusal (one request), so a project whose dates were extended lets its entries go out at
//! the next run without waiting a day.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use timebridge_kimai::{KimaiError, ProjectQuery, Visibility};

use super::shared::Engine;
use crate::store::StoreError;
use crate::sync::plan::{ParkReason, SourceKey, TimesheetFields};
use crate::sync::refusal::{classify, KimaiAnswer, ProjectState, Refusal};

/// Kimai's answer to a definite refusal (the request reached Kimai and was turned down);
/// `None` for anything that may not have reached it or may pass when repeated.
pub(super) fn answer_of(err: &KimaiError) -> Option<KimaiAnswer> {
    let (status, fields, messages) = match err {
        KimaiError::Validation { global, fields } => (
            400,
            fields.iter().map(|f| f.path.clone()).collect(),
            global
                .iter()
                .cloned()
                .chain(fields.iter().flat_map(|f| f.messages.iter().cloned()))
                .collect(),
        ),
        KimaiError::BadRequest { message } => (400, Vec::new(), vec![message.clone()]),
        KimaiError::Forbidden { message } => (403, Vec::new(), vec![message.clone()]),
        KimaiError::Locked => (403, Vec::new(), Vec::new()),
        KimaiError::NotFound => (404, Vec::new(), Vec::new()),
        _ => return None,
    };
    Some(KimaiAnswer {
        status,
        fields,
        messages,
    })
}

/// Every project as Kimai lists it to this user, hidden ones and those outside their dates
/// included.
async fn projects(engine: &Engine<'_>) -> Result<BTreeMap<i64, ProjectState>, KimaiError> {
    let query = ProjectQuery {
        visible: Some(Visibility::Both),
        ignore_dates: true,
        ..ProjectQuery::default()
    };
    Ok(engine
        .kimai
        .projects(&query)
        .await?
        .into_iter()
        .map(|p| {
            let state = ProjectState {
                start: p.start,
                end: p.end,
                visible: p.visible,
                global_activities: p.global_activities,
            };
            (p.id, state)
        })
        .collect())
}

/// Kimai's project list for the refusals of one run: read once, at the first refused write
/// (a run with many refusals asks once, not once per write).
#[derive(Debug, Default)]
pub(super) struct ProjectCache(tokio::sync::OnceCell<Option<BTreeMap<i64, ProjectState>>>);

impl ProjectCache {
    /// The project of a refused write as Kimai lists it (`None` when it cannot be read: the
    /// refusal is then classified by the answer alone).
    pub(super) async fn state(&self, engine: &Engine<'_>, project: i64) -> Option<ProjectState> {
        let all = self
            .0
            .get_or_init(|| async {
                projects(engine)
                    .await
                    .map_err(|e| {
                        tracing::debug!(error = %e, "could not read Kimai's projects for a refusal");
                    })
                    .ok()
            })
            .await;
        all.as_ref()?.get(&project).cloned()
    }
}

/// The refusals that still hold at `now`: those younger than a day whose project (read once
/// for all of them) is as it was. A project list that cannot be read changes nothing.
pub(super) async fn holding(
    engine: &Engine<'_>,
    now: DateTime<Utc>,
) -> Result<BTreeMap<SourceKey, Refusal>, StoreError> {
    let refused: Vec<(SourceKey, Refusal)> = engine
        .store
        .parked()?
        .into_iter()
        .filter_map(|p| match p.reason {
            ParkReason::Refused { refusal } => Some((p.key, *refusal)),
            _ => None,
        })
        .collect();
    if refused.is_empty() {
        return Ok(BTreeMap::new());
    }
    let now_projects = projects(engine).await.ok();
    Ok(refused
        .into_iter()
        .filter(|(_, r)| {
            // A project missing from the list is gone or hidden from this user: a change.
            let project = now_projects.as_ref().map(|all| {
                all.get(&r.write.project).cloned().unwrap_or(ProjectState {
                    start: None,
                    end: None,
                    visible: false,
                    global_activities: false,
                })
            });
            r.holds(&r.write, project.as_ref(), now)
        })
        .collect())
}

/// The refusal of `write` (a create, or an update when `change`) as Kimai answered it.
pub(super) fn refusal(
    engine: &Engine<'_>,
    answer: KimaiAnswer,
    write: &TimesheetFields,
    change: bool,
    project: Option<ProjectState>,
    now: DateTime<Utc>,
) -> Refusal {
    let today = now.with_timezone(&engine.tz).date_naive();
    let code = classify(&answer, change, write.begin.date(), project.as_ref(), today);
    Refusal {
        code,
        answer,
        write: write.clone(),
        project,
        refused_at: now,
    }
}

/// "Retry": lets the refused write of `key` go out at the next full sync (manual syncs are
/// always full). Returns whether `key` was refused.
pub fn retry(store: &crate::Store, key: &SourceKey) -> Result<bool, StoreError> {
    let refused = store
        .parked()?
        .into_iter()
        .any(|p| p.key == *key && matches!(p.reason, ParkReason::Refused { .. }));
    if refused {
        store.write(|w| w.clear_parked(key))?;
    }
    Ok(refused)
}
