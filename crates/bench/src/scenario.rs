//! The sync scenarios: how each is set up (unmeasured, at zero latency),
//! what is measured, and which requests are *necessary* — the lower bound's numerator.
//!
//! Setup chain, on the simulators' manual clock (T = [`data::now`]):
//! - (a) first sync: a manual run (full) at T on an empty database and an empty Kimai;
//! - (b) no-change incremental: (a) at T, a settling scheduled run at T+15 min (the first
//!   incremental run after (a) re-lists the timesheets (a) wrote: the Kimai cursor is the
//!   previous run's start minus 10 min), then the measured scheduled run at T+30 min;
//! - (c) 1 % changed or added: as (b) up to the settling run, then at T+40 min half of the
//!   1 % edited in Zammad and half added, and the measured scheduled run at T+45 min;
//! - (e) rebuild links: (a) at T, then a fresh database and the engine's link rebuild (no
//!   `--since`);
//! - (f) preview of (a): a manual preview at T on an empty database.
//! - (d) billing: (a) at T, then at T+5 min the billing apply of the previous month
//!   (October 2026) for all customers (`billing`).

use chrono::Duration;
use serde::{Deserialize, Serialize};
use timebridge_core::engine::{Mode, RunReport};
use timebridge_core::sync::plan::Action;
use timebridge_core::{RunOutcome, RunTrigger};

use crate::data::{self, DataSpec};
use crate::world::World;
use crate::BenchError;

pub mod billing;

/// One benchmark scenario.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// First sync of the whole data set (manual run: full read).
    A,
    /// No-change incremental sync on top of (a) (scheduled run).
    B,
    /// Incremental sync with 1 % of the entries changed or added (scheduled run).
    C,
    /// Billing run for one month: after (a), the core's billing apply of October 2026 (~5,200
    /// timesheets) for all customers (see `billing`).
    D,
    /// Rebuild links from Kimai into a fresh database.
    E,
    /// Preview of (a) on a fresh database.
    F,
}

impl Scenario {
    /// All scenarios, in order.
    pub const ALL: [Scenario; 6] = [Self::A, Self::B, Self::C, Self::D, Self::E, Self::F];

    /// Its letter.
    pub fn letter(self) -> char {
        match self {
            Self::A => 'a',
            Self::B => 'b',
            Self::C => 'c',
            Self::D => 'd',
            Self::E => 'e',
            Self::F => 'f',
        }
    }

    /// What it is, in words.
    pub fn title(self) -> &'static str {
        match self {
            Self::A => "first sync (manual, full)",
            Self::B => "no-change incremental sync (scheduled)",
            Self::C => "incremental sync, 1 % changed or added (scheduled)",
            Self::D => "billing run of the previous month (apply, all customers)",
            Self::E => "rebuild links from Kimai (fresh database)",
            Self::F => "preview of the first sync (fresh database)",
        }
    }
}

/// Necessary requests per server, and what they are.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Necessary {
    /// Kimai requests.
    pub kimai: u64,
    /// Zammad requests.
    pub zammad: u64,
    /// How they were counted.
    pub why: String,
}

fn pages(n: usize, per_page: usize) -> u64 {
    n.div_ceil(per_page).max(1) as u64
}

/// Tickets with a change since the horizon began (the full read's tickets).
fn horizon_tickets(w: &World) -> usize {
    let tickets: std::collections::BTreeSet<i64> = w
        .entries
        .iter()
        .filter(|e| {
            e.at.date_naive() >= chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default()
        })
        .map(|e| e.ticket)
        .collect();
    tickets.len()
}

/// What the engine did, for the report and the smoke test.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    /// Whether the run read everything (false for an incremental run).
    pub full: bool,
    /// Timesheets created.
    pub created: u32,
    /// Timesheets updated.
    pub updated: u32,
    /// Entries parked.
    pub parked: u32,
    /// Planned remote writes (a preview's creates/updates/deletes).
    pub planned_writes: u32,
    /// Links rebuilt.
    pub linked: u32,
    /// Timesheets billed (tagged and exported).
    #[serde(default)]
    pub billed: u32,
}

fn done_of(r: &RunReport) -> Done {
    Done {
        full: r.full,
        created: r.counts.created,
        updated: r.counts.updated,
        parked: r.counts.parked,
        planned_writes: r.actions.iter().filter(|a| a.writes_remote()).count() as u32,
        linked: 0,
        billed: 0,
    }
}

fn ok(r: RunReport, what: &str) -> Result<RunReport, BenchError> {
    if r.outcome == RunOutcome::Ok {
        Ok(r)
    } else {
        Err(BenchError::Run(format!(
            "{what}: {:?}: {}",
            r.outcome,
            r.error.unwrap_or_default()
        )))
    }
}

async fn sync(
    w: &World,
    minutes: i64,
    mode: Mode,
    trigger: RunTrigger,
    what: &str,
) -> Result<RunReport, BenchError> {
    let at = data::now() + Duration::minutes(minutes);
    w.set_clock(at);
    let r = w.engine().run(at, mode, trigger).await?;
    ok(r, what)
}

impl Scenario {
    /// Brings `w` to the state the scenario starts from (unmeasured; latency is zero).
    pub async fn setup(self, w: &mut World) -> Result<(), BenchError> {
        match self {
            Self::A | Self::F => {}
            Self::D => billing::setup(w).await?,
            Self::B | Self::C => {
                sync(w, 0, Mode::Apply, RunTrigger::Cli, "setup: first sync").await?;
                sync(w, 15, Mode::Apply, RunTrigger::Schedule, "setup: settle").await?;
            }
            Self::E => {
                sync(w, 0, Mode::Apply, RunTrigger::Cli, "setup: first sync").await?;
                w.fresh_store("rebuilt")?;
            }
        }
        if self == Self::C {
            w.set_clock(data::now() + Duration::minutes(40));
            let changes = data::changes(&w.spec, &w.entries);
            for (id, minutes) in &changes.edited {
                if !w
                    .zammad_sim
                    .update_time_accounting_as_admin(*id, Some(*minutes), None)
                {
                    return Err(BenchError::Setup(format!("no entry {id} to edit")));
                }
            }
            for ticket in &changes.added_on {
                w.zammad_sim.add_time_accounting_as(
                    "consultant",
                    *ticket,
                    rust_decimal::Decimal::from(25),
                    Some(1),
                );
            }
        }
        Ok(())
    }

    /// The measured part.
    pub async fn run_measured(self, w: &World) -> Result<Done, BenchError> {
        match self {
            Self::A => Ok(done_of(
                &sync(w, 0, Mode::Apply, RunTrigger::Cli, "first sync").await?,
            )),
            Self::B => Ok(done_of(
                &sync(w, 30, Mode::Apply, RunTrigger::Schedule, "no-change run").await?,
            )),
            Self::C => Ok(done_of(
                &sync(w, 45, Mode::Apply, RunTrigger::Schedule, "1 % run").await?,
            )),
            Self::D => billing::run(w).await,
            Self::E => {
                let report = w.engine().rebuild_links(None).await?;
                Ok(Done {
                    full: true,
                    linked: report.linked.len() as u32,
                    ..Done::default()
                })
            }
            Self::F => {
                let r = sync(w, 0, Mode::Preview, RunTrigger::Cli, "preview").await?;
                let creates = r
                    .actions
                    .iter()
                    .filter(|a| matches!(a, Action::Create { .. }))
                    .count();
                Ok(Done {
                    planned_writes: creates as u32,
                    ..done_of(&r)
                })
            }
        }
    }

    /// The requests no implementation could avoid (see docs/performance.md).
    pub fn necessary(self, w: &World) -> Necessary {
        let spec: &DataSpec = &w.spec;
        let t = horizon_tickets(w);
        let zammad_full = 1 + pages(t, 200) + t as u64;
        match self {
            Self::A => Necessary {
                kimai: 3 + spec.entries as u64,
                zammad: zammad_full,
                why: format!(
                    "Kimai: me + 1 listing page + tags + {} creates; Zammad: me + {} search \
                     pages + 1 entries page for each of {t} tickets",
                    spec.entries,
                    pages(t, 200)
                ),
            },
            Self::B => Necessary {
                kimai: 2,
                zammad: 2,
                why: "Kimai: me + 1 listing page (modified since); Zammad: me + 1 search page"
                    .into(),
            },
            Self::C => {
                let changes = data::changes(spec, &w.entries);
                let tickets = changes.tickets(&w.entries).len();
                let (edits, adds) = (changes.edited.len() as u64, changes.added_on.len() as u64);
                Necessary {
                    kimai: 3 + edits + edits + adds,
                    zammad: 1 + pages(tickets, 200) + tickets as u64,
                    why: format!(
                        "Kimai: me + 1 listing page + tags + {edits} lookups of the edited \
                         entries' timesheets + {edits} updates + {adds} creates; Zammad: me + \
                         {} search pages + 1 entries page for each of {tickets} changed tickets",
                        pages(tickets, 200)
                    ),
                }
            }
            Self::D => billing::necessary(billing::month_size(w)),
            Self::E => Necessary {
                kimai: pages(spec.entries, 500),
                zammad: 0,
                why: format!("Kimai: {} listing pages of 500", pages(spec.entries, 500)),
            },
            Self::F => Necessary {
                kimai: 2,
                zammad: zammad_full,
                why: format!(
                    "Kimai: me + 1 listing page; Zammad: me + {} search pages + 1 entries page \
                     for each of {t} tickets",
                    pages(t, 200)
                ),
            },
        }
    }
}
