//! One crash world: the simulators (on the system clock, because the CLI syncs as of now)
//! holding the generated data set, a data directory configured through the real CLI, and the
//! scenario's steps and human edits. Human edits are chosen from the data seed alone and aim
//! at entries by id and at timesheets by marker, so a trial and its reference make the same
//! edits even when a crash gave records other ids.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use rust_decimal::Decimal;
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::{DataDir, Store};
use timebridge_simulators::kimai::{KimaiSim, SimTimesheet};
use timebridge_simulators::zammad::ZammadSim;
use timebridge_simulators::{Clock, RunningServer};

use crate::dataset::{self, at, month_start, DataSet, INSTANCE, KIMAI_USER, OWN, TZ};
use crate::proc::{self, Finished};
use crate::snapshot::Snapshot;
use crate::HarnessError;

/// Kimai write methods (tags, timesheets, export toggles).
pub const WRITES: [&str; 3] = ["POST", "PATCH", "DELETE"];

/// The scenario's CLI steps, in order; human edits come before `Sync2` and `Bill`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The first sync: creates every entry of the horizon.
    Sync1,
    /// After edits on both sides: updates, deletes, creates, conflicts.
    Sync2,
    /// `bill apply` of the previous month (syncs first: more edits came in).
    Bill,
}

impl Step {
    /// All steps in order.
    pub const ALL: [Step; 3] = [Step::Sync1, Step::Sync2, Step::Bill];

    /// The command line.
    pub fn args(self) -> &'static [&'static str] {
        match self {
            Step::Sync1 | Step::Sync2 => &["sync", "--json"],
            Step::Bill => &["bill", "apply", "--json", "--override", "crash harness"],
        }
    }

    /// Whether a finished run of this step counts as complete.
    pub fn complete(self, out: &Finished) -> bool {
        let doc = out.json();
        match self {
            Step::Sync1 | Step::Sync2 => out.code == Some(0) && doc["outcome"] == "ok",
            Step::Bill => out.code == Some(0),
        }
    }
}

/// Both simulators and a configured data directory.
pub struct CrashWorld {
    /// Kimai.
    pub kimai: KimaiSim,
    /// Zammad.
    pub zammad: ZammadSim,
    _servers: (RunningServer, RunningServer),
    tmp: tempfile::TempDir,
    bin: PathBuf,
    now: DateTime<Utc>,
    seed: u64,
}

impl CrashWorld {
    /// Starts the simulators with `data` and configures a fresh data directory.
    pub async fn new(
        bin: &Path,
        data: &DataSet,
        seed: u64,
        now: DateTime<Utc>,
    ) -> Result<Self, HarnessError> {
        let setup = |e: std::io::Error| HarnessError::Setup(e.to_string());
        let kimai = KimaiSim::from_seed(data.kimai.clone(), Clock::system());
        // Zammad on a clock of its own, fixed at the harness's `now`: entries booked by the
        // human between steps get the same `created_at` in a trial and in its reference.
        let zammad = ZammadSim::from_seed(data.zammad.clone(), Clock::manual(now));
        let servers = (
            kimai.start().await.map_err(setup)?,
            zammad.start().await.map_err(setup)?,
        );
        let tmp = tempfile::tempdir().map_err(setup)?;
        let (k, z) = (servers.0.url(), servers.1.url());
        let steps: [&[&str]; 2] = [
            &["connections", "add", "kimai", "--name", "mine", "--url", &k],
            &[
                "connections",
                "add",
                "zammad",
                "--key",
                INSTANCE,
                "--name",
                "Acme",
                "--url",
                &z,
                "--unit",
                "minutes",
            ],
        ];
        for args in steps {
            let out = proc::run(bin, tmp.path(), args).await?;
            if out.code != Some(0) {
                return Err(HarnessError::Setup(format!("{args:?}: {}", out.all())));
            }
        }
        let store = Store::open(&DataDir::at(tmp.path()).database_file())?;
        let key = InstanceKey::new(INSTANCE).map_err(|e| HarnessError::Setup(e.to_string()))?;
        let mut instance = store
            .instance(&key)?
            .ok_or_else(|| HarnessError::Setup("the instance was not added".into()))?;
        instance.settings = dataset::settings();
        store.save_instance(&instance)?;
        Ok(Self {
            kimai,
            zammad,
            _servers: servers,
            tmp,
            bin: bin.to_path_buf(),
            now,
            seed,
        })
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// The CLI binary.
    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// Kimai requests whose `METHOD /route` starts with one of `prefixes`.
    pub fn requests(&self, prefixes: &[&str]) -> u64 {
        let counts = self.kimai.knobs().counts();
        counts
            .iter()
            .filter(|(k, _)| prefixes.iter().any(|p| k.starts_with(p)))
            .map(|(_, n)| n)
            .sum()
    }

    /// Kimai write requests so far.
    pub fn writes(&self) -> u64 {
        let prefixes: Vec<String> = WRITES.iter().map(|m| format!("{m} /api/")).collect();
        let refs: Vec<&str> = prefixes.iter().map(String::as_str).collect();
        self.requests(&refs)
    }

    /// Export toggles so far.
    pub fn export_toggles(&self) -> u64 {
        self.requests(&["PATCH /api/timesheets/{id}/export"])
    }

    /// Kimai's state.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::of(&self.kimai.timesheets())
    }

    /// Runs a step to its end.
    pub async fn run(&self, step: Step) -> Result<Finished, HarnessError> {
        proc::run(&self.bin, self.dir(), step.args()).await
    }

    /// The consultant's entries booked in the horizon (this and last month), by id.
    fn horizon_entries(&self) -> Vec<i64> {
        let since = at(month_start(self.now, 1), 0, 0);
        let mut ids: Vec<i64> = self
            .zammad
            .time_accountings()
            .into_iter()
            .filter(|e| e.created_by_id == OWN && e.created_at >= since)
            .map(|e| e.id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// The human edits before `step`; returns the entries whose timesheet was deleted in Kimai
    /// (a conflict the harness leaves open).
    pub fn human_edits(&self, step: Step) -> Vec<i64> {
        let phase = match step {
            Step::Sync1 => return Vec::new(),
            Step::Sync2 => 1,
            Step::Bill => 2,
        };
        let mut rng = StdRng::seed_from_u64(self.seed ^ (0x5eed_0000 + phase));
        let mut ids = self.horizon_entries();
        ids.shuffle(&mut rng);
        let n = ids.len();
        let (zammad_part, kimai_part) = ids.split_at(n / 2);
        let z = &self.zammad;
        let minutes = |rng: &mut StdRng| Decimal::from(rng.random_range(5..=180_i64));
        let edits = if phase == 1 { n / 12 } else { n / 30 };
        for id in zammad_part.iter().take(edits.max(1)) {
            z.update_time_accounting_as_admin(*id, Some(minutes(&mut rng)), None);
        }
        for _ in 0..edits.max(1) {
            let ticket = rng.random_range(1..=12);
            z.add_time_accounting_as("consultant", ticket, minutes(&mut rng), Some(1));
        }
        if phase == 2 {
            return Vec::new();
        }
        for id in zammad_part.iter().skip(edits).take(n / 20) {
            z.delete_time_accounting_as_admin(*id);
        }
        let snap = self.snapshot();
        for id in kimai_part.iter().take(n / 25) {
            if let Some(sheet) = snap.sheet_of(*id) {
                self.kimai.edit_timesheet_as_human(sheet, |t| {
                    let text = t.description.take().unwrap_or_default();
                    t.description = Some(format!("Checked: {text}"));
                });
            }
        }
        let mut deleted = Vec::new();
        for id in kimai_part.iter().skip(n / 25).take(n / 40) {
            if let Some(sheet) = snap.sheet_of(*id) {
                self.kimai.delete_timesheet_as_human(sheet);
                deleted.push(*id);
            }
        }
        let day = self.now.with_timezone(&TZ).date_naive();
        self.kimai.add_timesheet_as_human(SimTimesheet {
            id: 0,
            user: KIMAI_USER,
            project: 2,
            activity: 2,
            begin: at(month_start(self.now, 1), 6, 0),
            end: Some(at(month_start(self.now, 1), 6, 45)),
            timezone: TZ.name().into(),
            description: Some(format!("by hand before {day}")),
            tags: Vec::new(),
            exported: false,
            billable: true,
            fixed_rate: None,
            hourly_rate: None,
            meta: Default::default(),
            modified_at: None,
        });
        deleted
    }
}
