//! The human-readable report: one block per scenario.

use std::fmt::Write as _;

use crate::budget::check;
use crate::Measurement;

fn mib(kib: Option<u64>) -> String {
    kib.map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// One scenario as text.
pub fn render(m: &Measurement) -> String {
    let s = m.scenario;
    let mut out = format!("({}) {}\n", s.letter(), s.title());
    if m.skipped {
        out.push_str("  skipped\n");
        return out;
    }
    let d = &m.done;
    let _ = writeln!(
        out,
        "  done: full={} created={} updated={} parked={} planned writes={} links rebuilt={} \
         billed={}",
        d.full, d.created, d.updated, d.parked, d.planned_writes, d.linked, d.billed
    );
    let _ = writeln!(
        out,
        "  wall {:.3} s | CPU {:.2} s | peak RSS {} (before the run {}{})",
        m.wall_ms / 1000.0,
        m.cpu_ms as f64 / 1000.0,
        mib(m.peak_rss_kib),
        mib(m.rss_before_kib),
        if m.peak_reset {
            ""
        } else {
            "; peak includes setup"
        }
    );
    let n = &m.necessary;
    let _ = writeln!(
        out,
        "  requests {} | necessary {} (kimai {}, zammad {}) × {} ms ÷ {} = lower bound {:.3} s \
         | ratio {}",
        m.total_requests,
        n.kimai + n.zammad,
        n.kimai,
        n.zammad,
        m.latency_ms,
        m.concurrency,
        m.lower_bound_ms / 1000.0,
        m.ratio.map_or("n/a".into(), |r| format!("{r:.2}"))
    );
    let _ = writeln!(out, "  necessary: {}", n.why);
    for (endpoint, count) in &m.requests {
        let _ = writeln!(out, "    {count:>7}  {endpoint}");
    }
    let _ = writeln!(out, "  timeline (first–last request seen, s):");
    for (kind, span) in &m.timeline {
        let _ = writeln!(
            out,
            "    {kind:<15} {:>6} req  {:>8.2} – {:>8.2}",
            span.requests,
            span.first_ms as f64 / 1000.0,
            span.last_ms as f64 / 1000.0
        );
    }
    for v in check(m) {
        let mark = match v.met {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "n/a",
        };
        let _ = writeln!(out, "  budget: {} — {mark}", v.budget);
    }
    out
}
