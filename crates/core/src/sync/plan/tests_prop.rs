//! Property tests of the planner over generated worlds (`prop_gen.rs`): a converged world
//! needs nothing; carrying a plan out and planning again needs nothing more (only what waits
//! for the user stays, unchanged); and the safety rules hold for every input — nothing is
//! deleted or forgotten on the strength of an unread side, nothing billed is written, nothing
//! ignored or tombstoned is touched.
//!
//! Cases per property: 256 by default; `PROPTEST_CASES=100000` runs long (docs/reliability.md).

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::prop_gen::{converged_input, execute, plan_input};
use super::*;

/// The live timesheet of `key`'s link, if read completely and present.
fn record<'a>(input: &'a PlanInput, key: &SourceKey, id: i64) -> Option<&'a KimaiRecord> {
    let linked = input.links.get(key).and_then(|l| l.timesheet_id) == Some(id);
    match input.kimai.get(&id) {
        Some(KimaiSide::Present(r)) if linked => Some(r),
        _ => None,
    }
}

fn waits_for_user(a: &Action) -> bool {
    matches!(a, Action::Park { .. } | Action::Conflict { .. })
}

/// Every safety rule the planner promises, checked on one input and its plan.
fn check_safety(input: &PlanInput, actions: &[Action]) -> Result<(), TestCaseError> {
    let keys: Vec<&SourceKey> = actions.iter().map(Action::key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    prop_assert_eq!(&keys, &sorted, "one decision per key, sorted by key");
    for action in actions {
        let key = action.key();
        let source = input.source.get(key).unwrap_or(&SourceSide::Unread);
        let resolution = input.resolutions.get(key);
        prop_assert!(
            !input.ignored.contains(key) && resolution != Some(&Resolution::Ignore),
            "ignored entry touched: {action:?}"
        );
        let link = input.links.get(key);
        prop_assert!(
            link.is_none_or(|l| l.timesheet_id.is_some()),
            "tombstone touched: {action:?}"
        );
        prop_assert!(
            *source != SourceSide::Unread,
            "decided from an unread Zammad side: {action:?}"
        );
        if let Some(id) = link.and_then(|l| l.timesheet_id) {
            let side = input.kimai.get(&id).unwrap_or(&KimaiSide::Unread);
            prop_assert!(
                *side != KimaiSide::Unread,
                "decided from an unread Kimai side: {action:?}"
            );
        }
        match action {
            Action::Delete { timesheet_id, .. } => {
                prop_assert_eq!(
                    source,
                    &SourceSide::Gone,
                    "a delete needs the entry read and gone: {:?}",
                    action
                );
                let r = record(input, key, *timesheet_id);
                prop_assert!(
                    r.is_some_and(
                        |r| !r.exported && !input.closed_months.contains(&r.fields.month())
                    ),
                    "deleted a billed or absent timesheet: {action:?}"
                );
            }
            Action::ForgetLink { .. } => {
                let id = link.and_then(|l| l.timesheet_id).expect("live link");
                let live = matches!(input.kimai.get(&id), Some(KimaiSide::Present(_)));
                prop_assert!(
                    !live || *source == SourceSide::Gone,
                    "forgot a live timesheet of an entry not gone: {action:?}"
                );
                prop_assert!(
                    *source == SourceSide::Gone || resolution == Some(&Resolution::AcceptDeletion),
                    "{action:?}"
                );
            }
            Action::Update {
                timesheet_id,
                from,
                to,
                ..
            } => {
                prop_assert_eq!(source, &SourceSide::Wanted(to.clone()));
                let r = record(input, key, *timesheet_id);
                prop_assert!(
                    r.is_some_and(|r| r.fields == *from && !r.exported),
                    "{action:?}"
                );
                prop_assert!(
                    !input.closed_months.contains(&from.month())
                        && !input.closed_months.contains(&to.month),
                    "wrote into a closed month: {action:?}"
                );
            }
            Action::Create { desired, .. } => {
                prop_assert_eq!(source, &SourceSide::Wanted(desired.clone()));
                match link {
                    None => prop_assert!(
                        !input.closed_months.contains(&desired.month)
                            || resolution == Some(&Resolution::TakeZammad),
                        "{action:?}"
                    ),
                    Some(l) => {
                        let id = l.timesheet_id.expect("live link");
                        prop_assert_eq!(
                            input.kimai.get(&id),
                            Some(&KimaiSide::Gone),
                            "re-created a timesheet not read as gone"
                        );
                        prop_assert_eq!(resolution, Some(&Resolution::Recreate));
                    }
                }
            }
            Action::KeepUserEdit {
                timesheet_id,
                kimai,
                ..
            }
            | Action::Rebase {
                timesheet_id,
                kimai,
                ..
            } => {
                prop_assert!(
                    record(input, key, *timesheet_id).is_some_and(|r| r.fields == *kimai),
                    "{action:?}"
                );
            }
            Action::Park { .. } | Action::Conflict { .. } => {}
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn a_converged_world_needs_nothing(input in converged_input()) {
        let actions = plan(&input);
        prop_assert!(actions.is_empty(), "{actions:#?}");
    }

    #[test]
    fn every_plan_keeps_the_safety_rules(input in plan_input()) {
        check_safety(&input, &plan(&input))?;
    }

    #[test]
    fn carrying_a_plan_out_and_planning_again_needs_nothing_more(input in plan_input()) {
        let first = plan(&input);
        let mut world = input.clone();
        let mut next_id = 10_000;
        execute(&mut world, &first, &mut next_id);
        let second = plan(&world);
        check_safety(&world, &second)?;
        let waiting: Vec<&Action> = first.iter().filter(|a| waits_for_user(a)).collect();
        prop_assert_eq!(second.iter().collect::<Vec<_>>(), waiting, "only what waits for the user is left, unchanged");
        // And carrying that out changes nothing: the world is a fixed point.
        let before = world.clone();
        execute(&mut world, &second, &mut next_id);
        prop_assert_eq!(&world.links, &before.links);
        prop_assert_eq!(&world.kimai, &before.kimai);
        prop_assert_eq!(plan(&world), second);
    }

    #[test]
    fn nothing_is_written_when_a_side_was_not_read(input in plan_input()) {
        // The same world with every Zammad side unread: nothing at all may be decided.
        let mut unread = input.clone();
        for side in unread.source.values_mut() {
            *side = SourceSide::Unread;
        }
        prop_assert_eq!(plan(&unread), vec![]);
        // Every Kimai side unread: only unlinked entries (creates, parks, new-entry conflicts).
        let mut blind = input;
        blind.kimai.clear();
        let linked: BTreeSet<&SourceKey> = blind.links.iter().filter(|(_, l)| l.timesheet_id.is_some()).map(|(k, _)| k).collect();
        for action in plan(&blind) {
            prop_assert!(!linked.contains(action.key()), "{action:?}");
        }
    }
}
