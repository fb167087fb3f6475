//! Open conflicts and parked entries whose cause went away.
//!
//! The executor settles an entry's conflict, parked row and resolution when it carries out an
//! action about that entry. But the cause can also go away with nothing to do: both sides of a
//! conflict went back to the synced state, or a synced entry that lost its mapping got it back
//! (in step again, no action), or a parked correction was changed so it nets completely. The
//! planner then says nothing about the entry, and without this step the user would be shown a
//! conflict or a parked entry that no longer exists.
//!
//! Only entries read completely this run count: an unread side decides nothing, ignored
//! entries are left as the user put them.

use std::collections::BTreeSet;

use crate::sync::plan::{Action, KimaiSide, PlanInput, Resolution, SourceKey, SourceSide};
use crate::{Store, StoreError};

/// The entries read completely on both sides for which the plan has no action.
fn quiet_keys<'a>(input: &'a PlanInput, actions: &[Action]) -> Vec<&'a SourceKey> {
    let acted: BTreeSet<&SourceKey> = actions.iter().map(Action::key).collect();
    input
        .source
        .iter()
        .filter(|(key, side)| {
            **side != SourceSide::Unread
                && !acted.contains(key)
                && !input.ignored.contains(*key)
                && input.resolutions.get(*key) != Some(&Resolution::Ignore)
        })
        .filter(|(key, _)| {
            let timesheet = input.links.get(*key).and_then(|l| l.timesheet_id);
            timesheet.is_none_or(|id| {
                input
                    .kimai
                    .get(&id)
                    .is_some_and(|side| *side != KimaiSide::Unread)
            })
        })
        .map(|(key, _)| key)
        .collect()
}

/// Closes the conflicts, parked rows and resolutions of entries the plan leaves alone although
/// both their sides were read. Returns how many rows went.
pub(super) fn settle_quiet(
    store: &Store,
    input: &PlanInput,
    actions: &[Action],
) -> Result<usize, StoreError> {
    let keys = quiet_keys(input, actions);
    if keys.is_empty() {
        return Ok(0);
    }
    store.write(|w| {
        let mut cleared = 0;
        for key in &keys {
            cleared += usize::from(w.clear_conflict(key)?);
            cleared += usize::from(w.clear_parked(key)?);
            cleared += usize::from(w.clear_resolution(key)?);
        }
        Ok(cleared)
    })
}
