//! Which linked timesheets a run looks up one by one (`GET timesheets/{id}`) because the
//! listing did not hold them.
//!
//! A full run looks up every linked timesheet of an entry it read that the horizon listing
//! misses (moved out of the horizon by the user, or deleted). An incremental run's Kimai
//! listing holds only what was modified since the cursor; a linked timesheet missing from it
//! was not edited since then, or was deleted. When its entry did not change in Zammad either
//! (it was read only because its ticket moved — another entry, the cursor's overlap), the
//! planner could at most learn of a deletion, and an incremental run leaves deletions to the
//! next full reconcile anyway (see `scope`): its Kimai side stays *unread*, so nothing is
//! decided about it, and the lookup is not made (measured: 325 of the 1 %-change run's
//! requests, 25 of a no-change run's). An entry with an open conflict or a decision waiting is
//! always looked up, so the user's view of it stays current. The same holds in a full run for
//! an unchanged entry of a settled month (before `read_from`, which the listing does not cover;
//! see `engine::settled`): its deletion in Kimai waits for the next deep run.

use std::collections::{BTreeMap, BTreeSet};

use timebridge_kimai::Timesheet;

use crate::sync::plan::{PlanInput, SourceKey, SourceSide};

/// The linked timesheets whose Kimai side this run needs, of entries read this run.
/// `incremental`: the Kimai listing is `modified_after` a cursor; `read_from`: where a full
/// listing begins (wall-clock); `open`: keys with an open conflict.
pub(super) fn linked_to_read(
    input: &PlanInput,
    listing: &BTreeMap<i64, Timesheet>,
    incremental: bool,
    read_from: chrono::NaiveDateTime,
    open: &BTreeSet<SourceKey>,
) -> BTreeSet<i64> {
    input
        .links
        .iter()
        .filter_map(|(key, link)| {
            let id = link.timesheet_id?;
            let unchanged = match input.source.get(key)? {
                SourceSide::Unread => return None,
                SourceSide::Wanted(desired) => {
                    desired.fields.clone().normalized() == link.base_source.clone().normalized()
                }
                _ => false,
            };
            let defer = (incremental || link.base_source.begin < read_from)
                && unchanged
                && !listing.contains_key(&id)
                && !input.resolutions.contains_key(key)
                && !open.contains(key);
            (!defer).then_some(id)
        })
        .collect()
}
