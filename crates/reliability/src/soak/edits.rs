//! The soak's "human": edits in Zammad (add, change, delete entries — also while a sync runs)
//! and in Kimai (edit or delete a synced timesheet, book one by hand), applied alike to the
//! faulty and the clean world.
//!
//! Why Kimai edits are picky: the engine cannot tell a user's edit from its own write whose
//! answer was lost, so an edit made while the faulty world still has a write outstanding, or
//! before it caught up with Zammad, rightly ends differently (a conflict instead of a kept
//! edit). A Kimai edit is therefore made only to an entry that is *settled* in both worlds —
//! linked to the same-looking timesheet, no outbox row open — and such an entry is never
//! edited in Zammad afterwards. Zammad-only edits converge whatever the interleaving.

use std::collections::BTreeSet;

use chrono::Duration;
use rand::{rngs::StdRng, seq::IndexedRandom, Rng, SeedableRng};
use rust_decimal::Decimal;
use timebridge_simulators::kimai::SimTimesheet;

use super::world::SoakWorld;
use crate::dataset::{at, month_start, KIMAI_USER, OWN, TZ};
use crate::HarnessError;

/// One human edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Book time in Zammad now.
    ZAdd {
        /// Ticket.
        ticket: i64,
        /// Minutes.
        minutes: i64,
        /// Accounting type.
        type_id: i64,
    },
    /// Change an entry's minutes.
    ZUpdate {
        /// Entry.
        entry: i64,
        /// New minutes.
        minutes: i64,
    },
    /// Delete an entry.
    ZDelete {
        /// Entry.
        entry: i64,
    },
    /// Edit the entry's timesheet in Kimai: text before the marker, maybe 15 minutes longer.
    KEdit {
        /// Entry.
        entry: i64,
        /// Also make it longer.
        longer: bool,
    },
    /// Delete the entry's timesheet in Kimai.
    KDelete {
        /// Entry.
        entry: i64,
    },
    /// Book a timesheet by hand in Kimai (no marker), ending an hour ago.
    KAdd {
        /// Minutes.
        minutes: i64,
    },
}

/// The human's memory and dice.
pub struct Human {
    rng: StdRng,
    kimai_touched: BTreeSet<i64>,
    /// Entries whose timesheet was deleted in Kimai (open conflicts at the end).
    pub kimai_deleted: Vec<i64>,
    /// Edits made so far.
    pub edits: usize,
}

impl Human {
    /// A human acting on `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
            kimai_touched: BTreeSet::new(),
            kimai_deleted: Vec::new(),
            edits: 0,
        }
    }

    /// Draws from the human's dice (trigger choice, delays).
    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }

    /// Own entries of the horizon that Zammad edits may touch.
    fn zammad_candidates(&self, w: &SoakWorld) -> Vec<i64> {
        let since = at(month_start(w.clock.now(), 1), 0, 0);
        let mut ids: Vec<i64> = w
            .zammad
            .time_accountings()
            .into_iter()
            .filter(|e| e.created_by_id == OWN && e.created_at >= since)
            .map(|e| e.id)
            .filter(|id| !self.kimai_touched.contains(id))
            .collect();
        ids.sort_unstable();
        ids
    }

    /// A Zammad edit (add or change; a delete only between runs when `deletes`).
    fn zammad_edit(&mut self, clean: &SoakWorld, deletes: bool) -> Option<Edit> {
        let roll = self.rng.random_range(0..100);
        let minutes = self.rng.random_range(5..=180);
        if roll < 45 {
            let ticket = self.rng.random_range(1..=12);
            let type_id = self.rng.random_range(1..=2);
            return Some(Edit::ZAdd {
                ticket,
                minutes,
                type_id,
            });
        }
        let entry = *self.zammad_candidates(clean).choose(&mut self.rng)?;
        Some(if deletes && roll >= 85 {
            Edit::ZDelete { entry }
        } else {
            Edit::ZUpdate { entry, minutes }
        })
    }

    /// Whether `entry` is settled in both worlds (see the module docs).
    fn settled(entry: i64, faulty: &SoakWorld, clean: &SoakWorld) -> Result<bool, HarnessError> {
        if !faulty.store.pending_outbox()?.is_empty() {
            return Ok(false);
        }
        let mut views = Vec::new();
        for w in [faulty, clean] {
            let snap = w.snapshot();
            let Some(sheet) = snap.sheet_of(entry) else {
                return Ok(false);
            };
            if w.linked(entry)? != Some(sheet as i64) {
                return Ok(false);
            }
            views.push(snap.marked[&entry][0].1.clone());
        }
        Ok(views[0] == views[1])
    }

    /// The edits to make between two runs (0–3).
    pub fn between(
        &mut self,
        faulty: &SoakWorld,
        clean: &SoakWorld,
    ) -> Result<Vec<Edit>, HarnessError> {
        let mut out = Vec::new();
        for _ in 0..self.rng.random_range(0..=3) {
            let roll = self.rng.random_range(0..100);
            let edit = if roll < 60 {
                self.zammad_edit(clean, true)
            } else if roll < 80 {
                let minutes = self.rng.random_range(15..=90);
                Some(Edit::KAdd { minutes })
            } else {
                let candidates = self.zammad_candidates(clean);
                let entry = candidates.choose(&mut self.rng).copied();
                match entry {
                    Some(entry) if Self::settled(entry, faulty, clean)? => {
                        self.kimai_touched.insert(entry);
                        Some(if roll < 95 {
                            let longer = self.rng.random_bool(0.5);
                            Edit::KEdit { entry, longer }
                        } else {
                            self.kimai_deleted.push(entry);
                            Edit::KDelete { entry }
                        })
                    }
                    _ => None,
                }
            };
            out.extend(edit);
        }
        self.edits += out.len();
        Ok(out)
    }

    /// A Zammad edit to make while a run is going on, sometimes.
    pub fn during(&mut self, clean: &SoakWorld) -> Option<Edit> {
        let edit = self
            .rng
            .random_bool(0.3)
            .then(|| self.zammad_edit(clean, false))??;
        self.edits += 1;
        Some(edit)
    }
}

/// Makes `edit` in `w`.
pub fn apply(edit: &Edit, w: &SoakWorld) {
    let (z, k) = (&w.zammad, &w.kimai);
    let sheet = |entry: i64| w.snapshot().sheet_of(entry);
    match *edit {
        Edit::ZAdd {
            ticket,
            minutes,
            type_id,
        } => {
            z.add_time_accounting_as("consultant", ticket, Decimal::from(minutes), Some(type_id));
        }
        Edit::ZUpdate { entry, minutes } => {
            z.update_time_accounting_as_admin(entry, Some(Decimal::from(minutes)), None);
        }
        Edit::ZDelete { entry } => {
            z.delete_time_accounting_as_admin(entry);
        }
        Edit::KEdit { entry, longer } => {
            if let Some(id) = sheet(entry) {
                k.edit_timesheet_as_human(id, |t| {
                    let text = t.description.take().unwrap_or_default();
                    t.description = Some(format!("Checked: {text}"));
                    if longer {
                        t.end = t.end.map(|e| e + Duration::minutes(15));
                    }
                });
            }
        }
        Edit::KDelete { entry } => {
            if let Some(id) = sheet(entry) {
                k.delete_timesheet_as_human(id);
            }
        }
        Edit::KAdd { minutes } => {
            let end = w.clock.now() - Duration::hours(1);
            k.add_timesheet_as_human(SimTimesheet {
                id: 0,
                user: KIMAI_USER,
                project: 1,
                activity: 1,
                begin: end - Duration::minutes(minutes),
                end: Some(end),
                timezone: TZ.name().into(),
                description: Some(format!("by hand, {minutes} min")),
                tags: Vec::new(),
                exported: false,
                billable: true,
                fixed_rate: None,
                hourly_rate: None,
                meta: Default::default(),
                modified_at: None,
            });
        }
    }
}
