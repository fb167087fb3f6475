//! The three-way planner: for every Zammad entry and every link, compare the last synced
//! state (the *base*) with what Zammad wants now and what Kimai holds now, and decide.
//!
//! It is a pure function — state in, sorted actions out — so the decision table is tested
//! row by row without servers, and "preview" is the same planner with writes off. The
//! executor only carries actions out.
//!
//! Ground rules the table encodes (docs/sync-model.md has the table itself):
//! - a side that was not read completely this run is never acted on: no delete, no update,
//!   nothing, on the strength of an incomplete or failed read;
//! - a Kimai record that is exported or lies in a closed (billed) month is never written: any
//!   change at the source becomes a conflict;
//! - the user's edits in Kimai win over nothing: they are kept and reported, and only a
//!   change on *both* sides that differs is a conflict;
//! - an entry without a mapping is parked, never dropped and never guessed;
//! - a write Kimai refused is not sent again unchanged: the entry stays parked with Kimai's
//!   answer until the entry, its mapping or the project changes, the user retries, or a day
//!   has passed (`sync::refusal`).

mod decide;
mod model;

pub use model::{
    Action, ConflictKind, Desired, KimaiRecord, KimaiSide, Link, ParkReason, PlanInput, Resolution,
    SourceKey, SourceSide, TimesheetFields,
};

/// Plans one sync: one decision per key, sorted by key, then by action.
pub fn plan(input: &PlanInput) -> Vec<Action> {
    let mut actions: Vec<Action> = decide::keys(input)
        .into_iter()
        .filter_map(|key| decide::decide(input, &key))
        .map(|action| hold_refused(input, action))
        .collect();
    actions.sort_by(|a, b| a.key().cmp(b.key()).then(a.rank().cmp(&b.rank())));
    actions
}

/// A write Kimai refused exactly so before is not sent again: the entry stays parked with the
/// refusal (a changed entry or mapping makes a different write, which goes out).
fn hold_refused(input: &PlanInput, action: Action) -> Action {
    let write = match &action {
        Action::Create { desired, .. } => &desired.fields,
        Action::Update { to, .. } => &to.fields,
        _ => return action,
    };
    match input.refused.get(action.key()) {
        Some(refusal) if refusal.write == *write => Action::Park {
            key: action.key().clone(),
            reason: ParkReason::Refused {
                refusal: Box::new(refusal.clone()),
            },
        },
        _ => action,
    }
}

#[cfg(test)]
mod prop_gen;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_edit;
#[cfg(test)]
mod tests_prop;
#[cfg(test)]
mod tests_unknown_base;
