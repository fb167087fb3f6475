//! Generators for the planner's property tests, and a model of what the executor does to the
//! links and to Kimai when it carries an action out (`engine/apply.rs`, `engine/stale.rs`).
//!
//! The generated worlds are small on purpose: a few keys over two instances, and a pool of six
//! field sets (two equal up to tag order, two in a second month) so that "equal", "changed",
//! "changed to the same" and "closed month" all happen often.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

/// A pool of field sets; 0 and 1 differ only in tag order (equal for the planner).
pub(super) fn pool(i: usize) -> TimesheetFields {
    let at = |m, d| {
        NaiveDate::from_ymd_opt(2026, m, d)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("valid date")
    };
    let (begin, minutes, desc, tags) = match i {
        0 => (at(3, 2), 30, "#1 a [tb:acme:1]", vec!["x", "y"]),
        1 => (at(3, 2), 30, "#1 a [tb:acme:1]", vec!["y", "x"]),
        2 => (at(3, 2), 45, "#1 a [tb:acme:1]", vec!["x", "y"]),
        3 => (at(3, 2), 30, "user's words [tb:acme:1]", vec!["x"]),
        4 => (at(2, 10), 30, "#1 a [tb:acme:1]", vec!["x", "y"]),
        _ => (at(2, 10), 60, "#2 b [tb:acme:1]", vec![]),
    };
    TimesheetFields {
        begin,
        end: begin + chrono::Duration::minutes(minutes),
        project: 7,
        activity: 3,
        description: desc.into(),
        tags: tags.into_iter().map(String::from).collect(),
    }
}

/// The months the pool spans, some of which a world closes.
pub(super) const MONTHS: [&str; 2] = ["2026-02", "2026-03"];

pub(super) fn wanted(f: TimesheetFields) -> SourceSide {
    SourceSide::Wanted(Desired {
        month: f.month(),
        edited_from: None,
        fields: f,
    })
}

fn fields() -> impl Strategy<Value = TimesheetFields> {
    (0usize..6).prop_map(pool)
}

/// A base: usually from the pool, sometimes unknown (a link rebuilt from Kimai).
fn base() -> impl Strategy<Value = TimesheetFields> {
    prop_oneof![5 => fields(), 1 => Just(TimesheetFields::unknown())]
}

/// The Zammad side; `None` = not in the map at all (also unread).
fn source() -> impl Strategy<Value = Option<SourceSide>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(SourceSide::Unread)),
        2 => Just(Some(SourceSide::Gone)),
        1 => Just(Some(SourceSide::Parked(ParkReason::AmbiguousMarker))),
        6 => fields().prop_map(|f| Some(wanted(f))),
    ]
}

/// The Kimai side of a live link; `None` = not in the map (unread).
fn kimai() -> impl Strategy<Value = Option<KimaiSide>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(KimaiSide::Unread)),
        2 => Just(Some(KimaiSide::Gone)),
        6 => (fields(), prop::bool::weighted(0.25))
            .prop_map(|(fields, exported)| Some(KimaiSide::Present(KimaiRecord { fields, exported }))),
    ]
}

#[derive(Clone, Debug)]
enum LinkSpec {
    None,
    Tombstone(TimesheetFields),
    Live(TimesheetFields, TimesheetFields, Option<KimaiSide>),
}

fn link() -> impl Strategy<Value = LinkSpec> {
    prop_oneof![
        3 => Just(LinkSpec::None),
        1 => base().prop_map(LinkSpec::Tombstone),
        6 => (base(), base(), kimai()).prop_map(|(s, k, side)| LinkSpec::Live(s, k, side)),
    ]
}

fn resolution() -> impl Strategy<Value = Option<Resolution>> {
    prop_oneof![
        6 => Just(None),
        1 => Just(Some(Resolution::TakeZammad)),
        1 => Just(Some(Resolution::KeepKimai)),
        1 => Just(Some(Resolution::Recreate)),
        1 => Just(Some(Resolution::AcceptDeletion)),
        1 => Just(Some(Resolution::Ignore)),
    ]
}

fn key(n: usize) -> SourceKey {
    SourceKey {
        instance: if n.is_multiple_of(2) { "acme" } else { "beta" }.into(),
        time_accounting_id: i64::try_from(n / 2).expect("small") + 1,
    }
}

/// Any planner input: up to 10 keys, each with its own link, sides, resolution and ignore
/// flag, timesheet ids unique per link (the store enforces it), some months closed.
pub(super) fn plan_input() -> impl Strategy<Value = PlanInput> {
    let entry = (source(), link(), resolution(), prop::bool::weighted(0.1));
    (
        prop::collection::vec(entry, 0..10),
        prop::collection::btree_set(prop::sample::select(MONTHS.to_vec()), 0..3),
        prop::collection::vec(fields(), 0..3),
    )
        .prop_map(|(entries, closed, strays)| {
            let mut input = PlanInput {
                closed_months: closed.into_iter().map(|m| m.parse().unwrap()).collect(),
                ..PlanInput::default()
            };
            for (n, (source, link, resolution, ignored)) in entries.into_iter().enumerate() {
                let k = key(n);
                let timesheet_id = 100 + i64::try_from(n).expect("small");
                if let Some(side) = source {
                    input.source.insert(k.clone(), side);
                }
                match link {
                    LinkSpec::None => {}
                    LinkSpec::Tombstone(base) => {
                        input.links.insert(
                            k.clone(),
                            Link {
                                timesheet_id: None,
                                base_source: base.clone(),
                                base_kimai: base,
                            },
                        );
                    }
                    LinkSpec::Live(base_source, base_kimai, side) => {
                        input.links.insert(
                            k.clone(),
                            Link {
                                timesheet_id: Some(timesheet_id),
                                base_source,
                                base_kimai,
                            },
                        );
                        if let Some(side) = side {
                            input.kimai.insert(timesheet_id, side);
                        }
                    }
                }
                if let Some(r) = resolution {
                    input.resolutions.insert(k.clone(), r);
                }
                if ignored {
                    input.ignored.insert(k);
                }
            }
            // Timesheets nobody links (another tool's, or the user's own): never touched.
            for (i, fields) in strays.into_iter().enumerate() {
                let id = 900 + i64::try_from(i).expect("small");
                input.kimai.insert(
                    id,
                    KimaiSide::Present(KimaiRecord {
                        fields,
                        exported: false,
                    }),
                );
            }
            input
        })
}

/// A world where every key is in step: linked entries whose both sides equal their base (up
/// to tag order, exported or not, months closed or not), tombstones, ignored entries, and
/// entries gone or unread in Zammad without a link.
pub(super) fn converged_input() -> impl Strategy<Value = PlanInput> {
    let entry = (
        0usize..5,
        0usize..6,
        any::<bool>(),
        prop::bool::weighted(0.1),
    );
    (
        prop::collection::vec(entry, 0..10),
        prop::collection::btree_set(prop::sample::select(MONTHS.to_vec()), 0..3),
    )
        .prop_map(|(entries, closed)| {
            let mut input = PlanInput {
                closed_months: closed.into_iter().map(|m| m.parse().unwrap()).collect(),
                ..PlanInput::default()
            };
            for (n, (shape, f, exported, ignored)) in entries.into_iter().enumerate() {
                let k = key(n);
                let id = 100 + i64::try_from(n).expect("small");
                let base = pool(f);
                // The same fields with the tags in the other order: not a change.
                let mut shuffled = base.clone();
                shuffled.tags.reverse();
                match shape {
                    0 | 1 => {
                        input.source.insert(
                            k.clone(),
                            wanted(if shape == 0 {
                                base.clone()
                            } else {
                                shuffled.clone()
                            }),
                        );
                        input.links.insert(
                            k.clone(),
                            Link {
                                timesheet_id: Some(id),
                                base_source: base.clone(),
                                base_kimai: base,
                            },
                        );
                        input.kimai.insert(
                            id,
                            KimaiSide::Present(KimaiRecord {
                                fields: shuffled,
                                exported,
                            }),
                        );
                    }
                    2 => {
                        input.source.insert(k.clone(), wanted(base.clone()));
                        input.links.insert(
                            k.clone(),
                            Link {
                                timesheet_id: None,
                                base_source: base.clone(),
                                base_kimai: base,
                            },
                        );
                    }
                    3 => {
                        input.source.insert(k.clone(), SourceSide::Gone);
                    }
                    _ => {
                        input.source.insert(k.clone(), SourceSide::Unread);
                    }
                }
                if ignored {
                    input.ignored.insert(k);
                }
            }
            input
        })
}

/// Carries `actions` out as the executor does, on the planner's own inputs: remote writes
/// change Kimai and the link in one step, base moves change the link, parks and conflicts
/// change nothing. Decisions (resolutions) are cleared for every carried-out action and for
/// every entry read on both sides that the plan left alone (`engine/stale.rs`); a conflict
/// keeps its resolution. Zammad is not changed by a sync.
pub(super) fn execute(input: &mut PlanInput, actions: &[Action], next_id: &mut i64) {
    let acted: BTreeSet<SourceKey> = actions.iter().map(|a| a.key().clone()).collect();
    let quiet: Vec<SourceKey> = input
        .source
        .iter()
        .filter(|(k, side)| **side != SourceSide::Unread && !acted.contains(*k))
        .filter(|(k, _)| {
            !input.ignored.contains(*k) && input.resolutions.get(*k) != Some(&Resolution::Ignore)
        })
        .filter(|(k, _)| {
            let ts = input.links.get(*k).and_then(|l| l.timesheet_id);
            ts.is_none_or(|id| {
                input
                    .kimai
                    .get(&id)
                    .is_some_and(|s| *s != KimaiSide::Unread)
            })
        })
        .map(|(k, _)| k.clone())
        .collect();
    for action in actions {
        let key = action.key().clone();
        match action.clone() {
            Action::Create { desired, .. } => {
                *next_id += 1;
                input.kimai.insert(
                    *next_id,
                    KimaiSide::Present(KimaiRecord {
                        fields: desired.fields.clone(),
                        exported: false,
                    }),
                );
                input.links.insert(
                    key.clone(),
                    Link {
                        timesheet_id: Some(*next_id),
                        base_source: desired.fields.clone(),
                        base_kimai: desired.fields,
                    },
                );
            }
            Action::Update {
                timesheet_id, to, ..
            } => {
                input.kimai.insert(
                    timesheet_id,
                    KimaiSide::Present(KimaiRecord {
                        fields: to.fields.clone(),
                        exported: false,
                    }),
                );
                let link = input.links.get_mut(&key).expect("an update has a link");
                link.base_source = to.fields.clone();
                link.base_kimai = to.fields;
            }
            Action::Delete { timesheet_id, .. } => {
                input.kimai.insert(timesheet_id, KimaiSide::Gone);
                input.links.remove(&key);
            }
            Action::KeepUserEdit { kimai, source, .. } | Action::Rebase { kimai, source, .. } => {
                let link = input.links.get_mut(&key).expect("a base move has a link");
                link.base_kimai = kimai;
                link.base_source = source;
            }
            Action::ForgetLink {
                tombstone: true, ..
            } => {
                input
                    .links
                    .get_mut(&key)
                    .expect("a tombstone has a link")
                    .timesheet_id = None;
            }
            Action::ForgetLink {
                tombstone: false, ..
            } => {
                input.links.remove(&key);
            }
            Action::Park { .. } | Action::Conflict { .. } => continue,
        }
        input.resolutions.remove(&key);
    }
    for key in quiet {
        input.resolutions.remove(&key);
    }
}
