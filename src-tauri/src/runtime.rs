//! The async runtime Tauri and the core share, with one rule for GLib on Linux.
//!
//! wry answers the page's IPC requests (the `ipc://` fetches every command goes through) by
//! calling `g_main_context_invoke` on GLib's global default context from whichever thread
//! finished the command, usually a runtime thread. GLib runs the function right there, on that
//! thread, when the thread has no thread-default context of its own and the main thread is
//! between two iterations of its loop (it then owns no context): WebKit's URL-scheme answer is
//! then delivered off the GTK main thread, while WebKit's objects belong to that thread.
//!
//! Every runtime thread therefore gets a private thread-default context that is never iterated.
//! GLib then always queues such a call as an idle source on the main loop, which wakes up and
//! runs it on the main thread. Nothing the app runs on these threads starts GLib's own
//! asynchronous operations (HTTP, SQLite, the keychain and notifications go through Rust
//! crates), which would wait on that context forever.

use std::io;

use tokio::runtime::{Builder, Runtime};

/// Builds the runtime (threads as Tauri's default one: one worker per core, all drivers).
pub(crate) fn build() -> io::Result<Runtime> {
    Builder::new_multi_thread()
        .enable_all()
        .thread_name("timebridge-async")
        .on_thread_start(own_glib_context)
        .build()
}

/// Builds the runtime and hands it to Tauri. Call once, before anything uses Tauri's runtime;
/// keep the returned runtime alive until the app ends.
pub(crate) fn install() -> io::Result<Runtime> {
    let runtime = build()?;
    tauri::async_runtime::set(runtime.handle().clone());
    Ok(runtime)
}

/// Gives the calling thread a thread-default GLib context of its own for the rest of its life.
#[cfg(target_os = "linux")]
fn own_glib_context() {
    use glib::translate::ToGlibPtr;
    let context = glib::MainContext::new();
    // SAFETY: `context` is a valid GMainContext for the whole call; pushing takes a reference
    // of its own and acquires the context for this thread, which never pops it (the thread ends
    // with the runtime).
    #[allow(unsafe_code)]
    unsafe {
        glib::ffi::g_main_context_push_thread_default(context.to_glib_none().0);
    }
}

#[cfg(not(target_os = "linux"))]
fn own_glib_context() {}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn a_glib_call_from_a_runtime_thread_waits_for_the_main_loop() {
        let runtime = build().unwrap();
        let ran_on: Arc<Mutex<Option<String>>> = Arc::default();
        let record = ran_on.clone();
        runtime.block_on(async move {
            tokio::spawn(async move {
                glib::MainContext::default().invoke(move || {
                    let name = std::thread::current().name().map(str::to_string);
                    *record.lock().unwrap() = Some(name.unwrap_or_default());
                });
            })
            .await
            .unwrap();
        });
        assert_eq!(
            *ran_on.lock().unwrap(),
            None,
            "the call ran at once, on the runtime thread"
        );
        let main = glib::MainContext::default();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while ran_on.lock().unwrap().is_none() && std::time::Instant::now() < deadline {
            main.iteration(false);
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let name = ran_on
            .lock()
            .unwrap()
            .clone()
            .expect("the main loop ran it");
        assert!(!name.starts_with("timebridge-async"), "ran on {name}");
    }
}
