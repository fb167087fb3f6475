//! A lighter window: WebKit settings for a one-page form app.
//!
//! The window is a single local page of forms and lists. WebKit's defaults are a browser's:
//! caches sized for browsing many pages, a page cache for going back, WebGL. Measured in
//! docs/performance.md ("Desktop").
//!
//! Without a GPU (no DRM render node, as in many virtual machines), Mesa's software GL stands in,
//! and WebKitGTK's Skia would paint the page through it: Skia's CPU painting is asked for
//! instead (`WEBKIT_SKIA_ENABLE_CPU_RENDERING`), which holds about 26 MiB less in the web
//! process for the same page and opens as fast. A value the user set is kept; with a render
//! node WebKit's own choice stands.
//!
//! WebKit's compositing is left as it is: drawing the page without it
//! (`HardwareAccelerationPolicy::Never`, `WEBKIT_DISABLE_COMPOSITING_MODE`) saves the web
//! process about 50–80 MiB under software rendering, and the older, non-DMA-BUF renderer
//! (`WEBKIT_DISABLE_DMABUF_RENDERER`) about 50 MiB in all, but in this app's window with
//! WebKitGTK 2.50 on X11 WebDriver's screenshot goes unanswered, so the journeys cannot drive
//! the window. The page itself also froze (an undo preview never reached it) until IPC answers
//! were kept on the GTK main thread (`runtime.rs`); a plain WebKitGTK window without the
//! compositor answers WebDriver, and what differs in this app's view is not found yet
//! (docs/performance.md, "Desktop").

use std::path::Path;

use tauri::{Runtime, WebviewWindow};

/// The variable WebKitGTK reads (in every process it starts) to paint with Skia on the CPU.
const CPU_PAINTING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// How the page will be painted, decided before GTK starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Painting {
    /// The user's own `WEBKIT_SKIA_ENABLE_CPU_RENDERING` stands.
    AsTheUserSet,
    /// A GPU render node exists: WebKit chooses.
    WebKitsChoice,
    /// No render node: Skia paints on the CPU rather than through software GL.
    Cpu,
}

/// Chooses the painting and sets WebKit's variable for it. Must run first in `main`, before
/// any thread exists (it changes the process environment), and before GTK starts.
pub(crate) fn choose_painting() -> Painting {
    if !cfg!(target_os = "linux") {
        return Painting::WebKitsChoice;
    }
    let painting = painting_for(
        std::env::var_os(CPU_PAINTING).is_some(),
        has_render_node(Path::new("/dev/dri")),
    );
    if painting == Painting::Cpu {
        std::env::set_var(CPU_PAINTING, "1");
    }
    painting
}

/// The rule: the user's setting first, then CPU painting only where no GPU is.
fn painting_for(user_set: bool, render_node: bool) -> Painting {
    match (user_set, render_node) {
        (true, _) => Painting::AsTheUserSet,
        (false, true) => Painting::WebKitsChoice,
        (false, false) => Painting::Cpu,
    }
}

/// Whether `dri` (normally `/dev/dri`) holds a DRM render node (`renderD128`, …).
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Turns off what the page does not use; logs and carries on if the webview is unreachable.
pub(crate) fn lighten<R: Runtime>(window: &WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        let applied = window.with_webview(|webview| {
            use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
            let view = webview.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_enable_page_cache(false);
                settings.set_enable_webgl(false);
            }
            if let Some(context) = view.context() {
                // One document, no browsing: the smallest memory and resource caches.
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = applied {
            tracing::warn!(error = %e, "the webview's settings could not be changed");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_users_setting_stands_and_cpu_painting_is_chosen_only_without_a_gpu() {
        assert_eq!(painting_for(true, false), Painting::AsTheUserSet);
        assert_eq!(painting_for(true, true), Painting::AsTheUserSet);
        assert_eq!(painting_for(false, true), Painting::WebKitsChoice);
        assert_eq!(painting_for(false, false), Painting::Cpu);
    }

    #[test]
    fn a_render_node_is_found_by_its_name_only() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dir.path().join("missing")));
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), "").unwrap();
        assert!(
            !has_render_node(dir.path()),
            "a card node is not a render node"
        );
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        assert!(has_render_node(dir.path()));
    }
}
