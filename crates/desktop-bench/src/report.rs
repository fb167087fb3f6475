//! The budgets, the samples of every run, and the table printed at the end.

use std::collections::BTreeMap;
use std::time::Duration;

use timebridge_desktop_bench::procs::{self, Proc};

/// What is measured, with its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Budget {
    TraySettled,
    TrayLong,
    TrayAfterClose,
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
            Self::TrayAfterClose => "tray after the window was closed (whole tree)",
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
            // No budget of its own: reported beside the others (what the app keeps of a
            // window once opened).
            Self::TrayAfterClose => f64::INFINITY,
            Self::IdleCpu => 0.5,
            Self::WindowIdle => 300.0,
            Self::Reopen => 500.0,
            Self::ColdStart => 1000.0,
            Self::SyncPeak => 150.0,
        }
    }
}

/// One measured value with its unit (memory: the tree's PSS, its RSS sum beside it).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sample {
    value: f64,
    unit: &'static str,
    rss: Option<f64>,
}

impl Sample {
    /// A process tree's memory: PSS is what it holds (a shared page counted once, split among
    /// the processes mapping it); the RSS sum counts a library mapped by three processes three
    /// times.
    pub(crate) fn memory(tree: &[Proc]) -> Self {
        Self {
            value: procs::mib(procs::pss_kib(tree)),
            unit: "MiB",
            rss: Some(procs::mib(procs::rss_kib(tree))),
        }
    }
    /// A peak: PSS is not sampled (reading every smaps 10 times a second disturbs the run), so
    /// the RSS sum stands for both.
    pub(crate) fn peak_rss(kib: u64) -> Self {
        Self {
            value: procs::mib(kib),
            unit: "MiB RSS",
            rss: None,
        }
    }
    pub(crate) fn secs(value: f64) -> Self {
        Self {
            value: (value * 100.0).round() / 100.0,
            unit: "s",
            rss: None,
        }
    }
    pub(crate) fn millis(d: Duration) -> Self {
        Self {
            value: d.as_millis() as f64,
            unit: "ms",
            rss: None,
        }
    }

    fn shown(&self) -> String {
        match self.rss {
            Some(rss) => format!("{} ({rss})", self.value),
            None => format!("{}", self.value),
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
            let first = samples.first();
            let unit = match first {
                Some(s) if s.rss.is_some() => "MiB PSS (RSS sum)",
                Some(s) => s.unit,
                None => "",
            };
            let values: Vec<String> = samples.iter().map(Sample::shown).collect();
            let limit_unit = first.map_or("", |s| if s.rss.is_some() { "MiB PSS" } else { s.unit });
            let (limit, verdict) = match budget.limit() {
                l if l.is_infinite() => ("none".to_string(), "reported"),
                l if Self::met(*budget, samples) => (format!("≤ {l} {limit_unit}"), "met"),
                l => (format!("≤ {l} {limit_unit}"), "MISSED"),
            };
            println!(
                "| {} | {} {unit} | {limit} | {verdict} |",
                budget.name(),
                values.join(", "),
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

    fn proc(rss_mib: u64, pss_mib: u64) -> Proc {
        Proc {
            pid: 1,
            name: "p".into(),
            rss_kib: rss_mib * 1024,
            pss_kib: pss_mib * 1024,
            cpu_ticks: 0,
        }
    }

    #[test]
    fn memory_is_judged_by_the_trees_pss_and_shows_its_rss_sum() {
        let tree = [proc(60, 50), proc(40, 25)];
        let sample = Sample::memory(&tree);
        assert_eq!(sample.value, 75.0);
        assert_eq!(sample.shown(), "75 (100)");
        let mut table = Table::default();
        table.add(Budget::TraySettled, sample);
        assert!(
            table.all_met(),
            "75 MiB PSS is within 80 although the RSS sum is 100"
        );
        table.add(Budget::TraySettled, Sample::memory(&[proc(81, 81)]));
        assert!(!table.all_met());
    }

    #[test]
    fn a_budget_is_met_only_when_every_run_is_within_it() {
        let mut table = Table::default();
        table.add(Budget::SyncPeak, Sample::peak_rss(140 * 1024));
        table.add(Budget::SyncPeak, Sample::peak_rss(150 * 1024));
        assert!(table.all_met());
        table.add(Budget::SyncPeak, Sample::peak_rss(151 * 1024));
        assert!(!table.all_met());
        let mut cpu = Table::default();
        cpu.add(Budget::IdleCpu, Sample::secs(0.5));
        assert!(cpu.all_met(), "the limit itself is within");
    }
}
