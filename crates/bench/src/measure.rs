//! What the bench measures besides wall time: memory and CPU of this process (from `/proc`, so
//! no `unsafe` and no extra dependency) and a coarse timeline of the requests, which is the
//! per-phase profile (when the Kimai listing, the Zammad reads, the lookups and the writes
//! happened; the gaps between them are local work).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use timebridge_simulators::Knobs;

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Peak resident set size of this process so far (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// Current resident set size (`VmRSS`), in KiB.
pub fn rss_kib() -> Option<u64> {
    status_kib("VmRSS:")
}

/// Resets the peak RSS to the current RSS (`/proc/self/clear_refs`, value 5; Linux ≥ 4.0), so
/// a scenario's peak does not include its setup. Returns whether the kernel accepted it.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// User + system CPU time of this process (all threads, the simulators' included), from
/// `/proc/self/stat` in clock ticks of 10 ms (`CLK_TCK` is 100 on Linux).
pub fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) in parentheses.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// Kinds of request, for the timeline.
fn phase_of(server: &str, endpoint: &str) -> &'static str {
    match (server, endpoint.split_once(' ').map_or("", |(m, _)| m)) {
        ("kimai", "POST" | "PATCH" | "DELETE") if endpoint.contains("/api/timesheets") => {
            "kimai writes"
        }
        ("kimai", _) if endpoint == "GET /api/timesheets" => "kimai listing",
        ("kimai", _) if endpoint == "GET /api/timesheets/{id}" => "kimai lookups",
        ("kimai", _) => "kimai other",
        _ if endpoint.contains("time_accountings") => "zammad entries",
        _ => "zammad other",
    }
}

/// When requests of one kind arrived, relative to the start of the measured run.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// Requests of this kind.
    pub requests: u64,
    /// First seen (ms after the start; sampling resolution).
    pub first_ms: u64,
    /// Last seen.
    pub last_ms: u64,
}

/// Samples both servers' counts every `every` until stopped; yields the spans per kind.
#[derive(Debug)]
pub struct Timeline {
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<BTreeMap<String, Span>>,
}

fn totals(kimai: &Knobs, zammad: &Knobs) -> BTreeMap<&'static str, u64> {
    let mut out = BTreeMap::new();
    for (server, knobs) in [("kimai", kimai), ("zammad", zammad)] {
        for (endpoint, n) in knobs.counts() {
            *out.entry(phase_of(server, &endpoint)).or_default() += n;
        }
    }
    out
}

impl Timeline {
    /// Starts sampling (call right before the measured run).
    pub fn start(kimai: Knobs, zammad: Knobs, every: Duration) -> Self {
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let start = Instant::now();
            let mut spans: BTreeMap<String, Span> = BTreeMap::new();
            loop {
                let done = tokio::select! {
                    _ = &mut stopped => true,
                    () = tokio::time::sleep(every) => false,
                };
                let at = start.elapsed().as_millis() as u64;
                for (kind, n) in totals(&kimai, &zammad) {
                    let span = spans.entry(kind.to_string()).or_insert(Span {
                        requests: 0,
                        first_ms: at,
                        last_ms: at,
                    });
                    if n > span.requests {
                        span.requests = n;
                        span.last_ms = at;
                    }
                }
                if done {
                    return spans;
                }
            }
        });
        Self { stop, task }
    }

    /// Stops sampling and returns the spans.
    pub async fn finish(self) -> BTreeMap<String, Span> {
        let _ = self.stop.send(());
        self.task.await.unwrap_or_default()
    }
}
