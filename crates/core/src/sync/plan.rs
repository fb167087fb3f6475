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
//! - an entry without a mapping is parked, never dropped and never guessed.

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
        .collect();
    actions.sort_by(|a, b| a.key().cmp(b.key()).then(a.rank().cmp(&b.rank())));
    actions
}

#[cfg(test)]
mod edit_tests;
#[cfg(test)]
mod prop_gen;
#[cfg(test)]
mod prop_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod unknown_base_tests;
