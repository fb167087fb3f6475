//! The budgets, the samples of every run, and the table printed at the end.

use std::collections::BTreeMap;
use std::time::Duration;

use timebridge_desktop_bench::procs::{self, Proc};

/// What is measured, with its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Budget {
    TraySettled,
    TrayLong,
    IdleCpu,
    WindowIdle,
    Reopen,
    ColdStart,
    SyncPeak,
}

impl Budget {
    fn name(self) -> &'static str {
        match self {
            Self::TraySettled => "tray only, settled (whole tree)",
            Self::TrayLong => "tray only, later (whole tree)",
            Self::IdleCpu => "idle CPU in the tray",
            Self::WindowIdle => "window open, idle (whole tree)",
            Self::Reopen => "reopen from the tray to first paint",
            Self::ColdStart => "cold start to first paint",
            Self::SyncPeak => "first sync peak, window closed",
        }
    }

    /// The most a sample may be.
    fn limit(self) -> f64 {
        match self {
            Self::TraySettled | Self::TrayLong => 80.0,
            Self::IdleCpu => 0.5,
            Self::WindowIdle => 300.0,
            Self::Reopen => 500.0,
            Self::ColdStart => 1000.0,
            Self::SyncPeak => 150.0,
        }
    }
}

/// One measured value with its unit.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sample {
    value: f64,
    unit: &'static str,
}

impl Sample {
    pub(crate) fn mib(kib: u64) -> Self {
        Self {
            value: procs::mib(kib),
            unit: "MiB",
        }
    }
    pub(crate) fn secs(value: f64) -> Self {
        Self { value, unit: "s" }
    }
    pub(crate) fn millis(d: Duration) -> Self {
        Self {
            value: d.as_millis() as f64,
            unit: "ms",
        }
    }
}

/// Every sample by budget.
#[derive(Default)]
pub(crate) struct Table {
    samples: BTreeMap<Budget, Vec<Sample>>,
}

impl Table {
    pub(crate) fn add(&mut self, budget: Budget, sample: Sample) {
        self.samples.entry(budget).or_default().push(sample);
    }

    fn met(budget: Budget, samples: &[Sample]) -> bool {
        samples.iter().all(|s| s.value <= budget.limit())
    }

    /// Whether every sample is within its budget.
    pub(crate) fn all_met(&self) -> bool {
        self.samples.iter().all(|(b, s)| Self::met(*b, s))
    }

    pub(crate) fn print(&self) {
        println!("| measured | runs | budget | |");
        println!("|---|---|---|---|");
        for (budget, samples) in &self.samples {
            let unit = samples.first().map_or("", |s| s.unit);
            let values: Vec<String> = samples.iter().map(|s| format!("{}", s.value)).collect();
            println!(
                "| {} | {} {unit} | ≤ {} {unit} | {} |",
                budget.name(),
                values.join(", "),
                budget.limit(),
                if Self::met(*budget, samples) { "met" } else { "MISSED" }
            );
        }
    }
}

/// Memory per process of a tree: "timebridge-des 61.2, WebKitWebProces 150.3 (RSS MiB)".
pub(crate) fn split(tree: &[Proc]) -> String {
    let parts: Vec<String> = tree
        .iter()
        .map(|p| format!("{} {:.1}", p.name, procs::mib(p.rss_kib)))
        .collect();
    format!("{} (RSS MiB)", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_met_only_when_every_run_is_within_it() {
        let mut table = Table::default();
        table.add(Budget::TraySettled, Sample::mib(70 * 1024));
        table.add(Budget::TraySettled, Sample::mib(79 * 1024));
        assert!(table.all_met());
        table.add(Budget::TraySettled, Sample::mib(81 * 1024));
        assert!(!table.all_met());
        let mut cpu = Table::default();
        cpu.add(Budget::IdleCpu, Sample::secs(0.5));
        assert!(cpu.all_met(), "the limit itself is within");
    }
}
