//! The sync budgets (docs/performance.md) and the check behind `--check`.
//!
//! (a) ≤ 1.5 × the lower bound; (b) ≤ 10 requests and ≤ 1 s; (c) ≤ 2 × the lower bound;
//! (d) billing ≤ 1.5 × the lower bound; peak RSS ≤ 100 MiB in every scenario. Ratio budgets need injected latency (without it the
//! lower bound is zero) and are then not applicable.

use serde::{Deserialize, Serialize};

use crate::{Measurement, Scenario};

/// Peak RSS budget, KiB (100 MiB).
pub const RSS_KIB: u64 = 100 * 1024;

/// One budget and whether the measurement meets it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The budget in words, with the measured value.
    pub budget: String,
    /// Met (`None`: not applicable to this run).
    pub met: Option<bool>,
}

fn ratio(m: &Measurement, max: f64) -> Verdict {
    Verdict {
        budget: format!(
            "wall ≤ {max} × lower bound (measured {})",
            m.ratio
                .map_or("n/a: no latency".into(), |r| format!("{r:.2}×"))
        ),
        met: m.ratio.map(|r| r <= max),
    }
}

/// The verdicts for `m` (none for a skipped scenario).
pub fn check(m: &Measurement) -> Vec<Verdict> {
    if m.skipped {
        return Vec::new();
    }
    let mut out = match m.scenario {
        Scenario::A => vec![ratio(m, 1.5)],
        Scenario::B => vec![
            Verdict {
                budget: format!("≤ 10 requests (measured {})", m.total_requests),
                met: Some(m.total_requests <= 10),
            },
            Verdict {
                budget: format!("≤ 1 s (measured {:.3} s)", m.wall_ms / 1000.0),
                met: Some(m.wall_ms <= 1000.0),
            },
        ],
        Scenario::C => vec![ratio(m, 2.0)],
        Scenario::D => vec![ratio(m, 1.5)],
        Scenario::E | Scenario::F => Vec::new(),
    };
    out.push(Verdict {
        budget: format!(
            "peak RSS ≤ 100 MiB (measured {})",
            m.peak_rss_kib.map_or("unknown".into(), |k| format!(
                "{:.1} MiB",
                k as f64 / 1024.0
            ))
        ),
        met: Some(m.peak_rss_kib.is_some_and(|k| k <= RSS_KIB)),
    });
    out
}

/// Whether every applicable budget of every measurement is met.
pub fn all_met(ms: &[Measurement]) -> bool {
    ms.iter().flat_map(check).all(|v| v.met != Some(false))
}
