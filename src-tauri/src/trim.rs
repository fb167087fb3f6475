//! Giving freed memory back to the system after a sync run, once the window is up, and after
//! it closed.
//!
//! glibc keeps what a run freed in its heaps: measured in the tray, a scheduled run over 10,000
//! synced timesheets left the app 15 MiB larger until the next run, and closing the window
//! left what the webview's side of the app had freed. `malloc_trim(0)` returns every free page
//! of every heap (docs/performance.md, "Desktop"). Other C libraries have no such call; there
//! this does nothing.

/// How long after the window's first paint its set-up is over: creating the webview, loading
/// the UI and its first answers fill one heap of the app with about 25 MiB that is free again
/// by then (measured: a trim 10 s after opening gave back 24 MiB of the app's 154 MiB PSS).
const AFTER_OPEN: std::time::Duration = std::time::Duration::from_secs(2);

/// [`give_back`] once the window's set-up is over, without holding up the caller.
pub(crate) fn give_back_soon(after: &'static str) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(AFTER_OPEN).await;
        give_back(after);
    });
}

/// Returns the C allocator's free pages to the system; logs how much the process shrank.
pub(crate) fn give_back(after: &str) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let before = resident_kib();
        // SAFETY: malloc_trim has no preconditions; it only walks glibc's own heaps under
        // their locks and may be called from any thread at any time.
        #[allow(unsafe_code)]
        unsafe {
            libc::malloc_trim(0);
        }
        let now = resident_kib();
        tracing::info!(
            after,
            before_kib = before,
            now_kib = now,
            "freed memory given back"
        );
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = after;
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
