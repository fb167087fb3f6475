//! A process and everything under it, read from `/proc`: resident memory (RSS and PSS), CPU
//! time, and the command names (to see WebKit's web and network processes come and go).

/// One process of a tree.
#[derive(Clone, Debug)]
pub struct Proc {
    /// Its id.
    pub pid: u32,
    /// `comm`: the executable's name, cut to 15 bytes by the kernel (`WebKitWebProces`).
    pub name: String,
    /// Resident set size, KiB.
    pub rss_kib: u64,
    /// Proportional set size (shared pages divided among their users), KiB.
    pub pss_kib: u64,
    /// User plus system CPU time so far, in clock ticks.
    pub cpu_ticks: u64,
}

/// The process `pid` and all its descendants (empty if it is gone).
pub fn tree(pid: u32) -> Vec<Proc> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Ok(p) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            if let Some(ppid) = stat_fields(p).and_then(|f| f.get(1)?.parse().ok()) {
                parents.push((p, ppid));
            }
        }
    }
    let mut pids = vec![pid];
    let mut i = 0;
    while i < pids.len() {
        let parent = pids[i];
        pids.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        i += 1;
    }
    pids.into_iter().filter_map(read).collect()
}

/// The processes running `exe` (compared after resolving links).
pub fn running(exe: &std::path::Path) -> Vec<u32> {
    let Ok(wanted) = exe.canonicalize() else {
        return Vec::new();
    };
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_string_lossy().parse::<u32>().ok())
        .filter(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|x| x == wanted))
        .collect()
}

/// The fields of `/proc/<pid>/stat` after the command name (state is the first).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces: the fields start after the last ')'.
    let (_, rest) = stat.rsplit_once(')')?;
    Some(rest.split_whitespace().map(str::to_string).collect())
}

fn read(pid: u32) -> Option<Proc> {
    let fields = stat_fields(pid)?;
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let name = std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_string();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    Some(Proc {
        pid,
        name,
        rss_kib: kib_of(&status, "VmRSS:"),
        pss_kib: kib_of(&rollup, "Pss:"),
        cpu_ticks: ticks(11) + ticks(12),
    })
}

fn kib_of(text: &str, field: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Sum of RSS over a tree, KiB.
pub fn rss_kib(tree: &[Proc]) -> u64 {
    tree.iter().map(|p| p.rss_kib).sum()
}

/// Sum of PSS over a tree, KiB.
pub fn pss_kib(tree: &[Proc]) -> u64 {
    tree.iter().map(|p| p.pss_kib).sum()
}

/// CPU seconds used by a tree so far.
pub fn cpu_secs(tree: &[Proc]) -> f64 {
    // The kernel's USER_HZ is 100 on every Linux this runs on.
    tree.iter().map(|p| p.cpu_ticks).sum::<u64>() as f64 / 100.0
}

/// The WebKit processes in a tree (web, network, GPU).
pub fn webkit(tree: &[Proc]) -> Vec<&Proc> {
    tree.iter()
        .filter(|p| p.name.starts_with("WebKit"))
        .collect()
}

/// KiB as MiB with one decimal.
pub fn mib(kib: u64) -> f64 {
    (kib as f64 / 1024.0 * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_read_with_memory_and_cpu() {
        let me = std::process::id();
        // Burn a little CPU so the tick count is not zero.
        let mut x = 0u64;
        let start = std::time::Instant::now();
        while start.elapsed() < std::time::Duration::from_millis(50) {
            x = x.wrapping_mul(31).wrapping_add(7);
        }
        assert!(x != 1);
        let tree = tree(me);
        assert_eq!(tree[0].pid, me);
        assert!(tree[0].rss_kib > 0 && tree[0].pss_kib > 0, "{:?}", tree[0]);
        assert!(cpu_secs(&tree) > 0.0);
        assert!(webkit(&tree).is_empty());
    }

    #[test]
    fn a_child_is_part_of_the_tree_until_it_ends() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pids: Vec<u32> = tree(std::process::id()).iter().map(|p| p.pid).collect();
        assert!(pids.contains(&child.id()), "{pids:?}");
        child.kill().unwrap();
        child.wait().unwrap();
        let pids: Vec<u32> = tree(std::process::id()).iter().map(|p| p.pid).collect();
        assert!(!pids.contains(&child.id()));
    }

    #[test]
    fn the_running_copies_of_an_executable_are_found() {
        let me = std::env::current_exe().unwrap();
        assert!(running(&me).contains(&std::process::id()));
        assert!(running(std::path::Path::new("/no/such/program")).is_empty());
    }

    #[test]
    fn mib_rounds_to_one_decimal() {
        assert_eq!(mib(1024), 1.0);
        assert_eq!(mib(1536), 1.5);
        assert_eq!(mib(80 * 1024 + 52), 80.1);
    }
}
