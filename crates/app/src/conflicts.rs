//! Conflict review: the three sides with the differing fields, the reason in plain words, the
//! decisions each kind allows (the decision table of docs/sync-model.md, kept in
//! `ops::decisions`), and storing a decision through the workspace — at once, offline too;
//! the next sync applies it. The CLI's `conflicts resolve` stores its decisions the same way,
//! so both refuse the same things. "Edit, then apply" is checked in [`edit`] first.

mod edit;
#[cfg(test)]
mod tests_edit_app;

use timebridge_types::conflicts::{
    ConflictView, Decision, DecisionKind, NotResolved, ResolveRequest, ResolveResult,
};
use timebridge_types::{ApiError, EntryKey, ErrorCode};

use super::views::{differing, fields_view, key_view, rfc3339, source_key};
use super::{api_error, App};
use timebridge_core::ops::decisions::{choices, edit_applies, reason, DecideError};
use timebridge_core::sync::plan::Resolution;

fn kind_of(r: &Resolution) -> DecisionKind {
    match r {
        Resolution::TakeZammad => DecisionKind::TakeZammad,
        Resolution::KeepKimai => DecisionKind::KeepKimai,
        Resolution::Recreate => DecisionKind::Recreate,
        Resolution::AcceptDeletion => DecisionKind::AcceptDeletion,
        Resolution::Ignore => DecisionKind::Ignore,
        Resolution::Edit(_) => DecisionKind::Edit,
    }
}

fn decision_of(r: &Resolution) -> Decision {
    match r {
        Resolution::TakeZammad => Decision::TakeZammad,
        Resolution::KeepKimai => Decision::KeepKimai,
        Resolution::Recreate => Decision::Recreate,
        Resolution::AcceptDeletion => Decision::AcceptDeletion,
        Resolution::Ignore => Decision::Ignore,
        Resolution::Edit(f) => Decision::Edit {
            begin: f.begin.format("%Y-%m-%dT%H:%M:%S").to_string(),
            end: f.end.format("%Y-%m-%dT%H:%M:%S").to_string(),
            project: f.project,
            activity: f.activity,
            description: f.description.clone(),
        },
    }
}

impl App {
    /// Every open conflict, side by side.
    pub fn list_conflicts(&self) -> Result<Vec<ConflictView>, ApiError> {
        let open = self.workspace().open_decisions().map_err(api_error)?;
        let names = self.names();
        Ok(open
            .conflicts
            .into_iter()
            .map(|open| {
                let c = open.conflict;
                let r = c.record;
                let differ = match (&r.source, &r.kimai) {
                    (Some(s), Some(k)) => differing(s, k),
                    _ => Vec::new(),
                };
                ConflictView {
                    key: key_view(&r.key),
                    kind: super::views::name_of(&r.kind),
                    reason: reason(r.kind).to_string(),
                    timesheet_id: r.timesheet_id,
                    zammad: r.source.as_ref().map(|f| fields_view(f, &names)),
                    kimai: r.kimai.as_ref().map(|f| fields_view(f, &names)),
                    base: r.base.as_ref().map(|f| fields_view(f, &names)),
                    differing: differ,
                    detected_at: rfc3339(c.detected_at),
                    decided: open.decided.as_ref().map(decision_of),
                    choices: choices(r.kind)
                        .iter()
                        .map(kind_of)
                        .chain(
                            (edit_applies(r.kind) && r.source.is_some())
                                .then_some(DecisionKind::Edit),
                        )
                        .collect(),
                }
            })
            .collect())
    }

    /// Stores one decision for each conflict in `req` (bulk); what does not fit is reported
    /// per entry, the rest is stored. Works offline.
    pub fn resolve_conflicts(&self, req: &ResolveRequest) -> Result<ResolveResult, ApiError> {
        let resolution = match req.decision {
            Decision::TakeZammad => Resolution::TakeZammad,
            Decision::KeepKimai => Resolution::KeepKimai,
            Decision::Recreate => Resolution::Recreate,
            Decision::AcceptDeletion => Resolution::AcceptDeletion,
            Decision::Ignore => Resolution::Ignore,
            Decision::Edit { .. } => return self.resolve_edit(req),
        };
        let mut result = ResolveResult {
            stored: Vec::new(),
            refused: Vec::new(),
        };
        for key in &req.keys {
            match self
                .workspace()
                .decide(&source_key(key), resolution.clone())
            {
                Ok(_) => result.stored.push(key.clone()),
                Err(DecideError::Store(e)) => return Err(api_error(e)),
                Err(e @ (DecideError::NoConflict { .. } | DecideError::BadEdit(_))) => {
                    result.refused.push(NotResolved {
                        key: key.clone(),
                        reason: e.to_string(),
                    })
                }
                Err(DecideError::NotApplicable { kind }) => result.refused.push(NotResolved {
                    key: key.clone(),
                    reason: format!("this decision does not apply: {}", reason(kind)),
                }),
            }
        }
        Ok(result)
    }
}

impl App {
    /// "Edit, then apply" for one conflict: the fields are checked (see [`edit`]) and stored
    /// with the decision; the next sync writes them and keeps them.
    fn resolve_edit(&self, req: &ResolveRequest) -> Result<ResolveResult, ApiError> {
        let Decision::Edit {
            begin,
            end,
            project,
            activity,
            description,
        } = &req.decision
        else {
            return Err(ApiError::new(ErrorCode::Validation, "not an edit"));
        };
        let [key] = req.keys.as_slice() else {
            return Err(ApiError::new(
                ErrorCode::Validation,
                "an edit applies to one conflict at a time",
            ));
        };
        let sk = source_key(key);
        let Some(record) = self
            .workspace()
            .open_decisions()
            .map_err(api_error)?
            .conflicts
            .into_iter()
            .map(|open| open.conflict.record)
            .find(|r| r.key == sk)
        else {
            return Ok(refused(key, DecideError::NoConflict { parked: false }));
        };
        let Some(zammad) = record.source.as_ref().filter(|_| edit_applies(record.kind)) else {
            return Ok(refused(
                key,
                DecideError::NotApplicable { kind: record.kind },
            ));
        };
        let closed = self.store().closed_months().map_err(api_error)?;
        let input = edit::EditInput {
            begin,
            end,
            project: *project,
            activity: *activity,
            description,
        };
        let is_closed = |m| closed.contains(&m);
        let fields = edit::fields(&sk, record.kind, zammad, &input, is_closed, &self.names())
            .map_err(|why| ApiError::new(ErrorCode::Validation, why))?;
        match self.workspace().decide(&sk, Resolution::Edit(fields)) {
            Ok(_) => Ok(ResolveResult {
                stored: vec![key.clone()],
                refused: Vec::new(),
            }),
            Err(DecideError::Store(e)) => Err(api_error(e)),
            Err(e) => Ok(refused(key, e)),
        }
    }
}

fn refused(key: &EntryKey, e: DecideError) -> ResolveResult {
    let reason = match e {
        DecideError::NotApplicable { kind } => {
            format!("this decision does not apply: {}", reason(kind))
        }
        e => e.to_string(),
    };
    ResolveResult {
        stored: Vec::new(),
        refused: vec![NotResolved {
            key: key.clone(),
            reason,
        }],
    }
}
