//! A lighter window: WebKit settings for a one-page form app.
//!
//! The window is a single local page of forms and lists. WebKit's defaults are a browser's:
//! caches sized for browsing many pages, a page cache for going back, WebGL. Measured in
//! docs/performance.md ("Desktop").
//!
//! WebKit's renderer is left as it is: turning GPU compositing off
//! (`HardwareAccelerationPolicy::Never`) saves the web process about 80 MiB under software
//! rendering, and the older, non-DMA-BUF renderer (`WEBKIT_DISABLE_DMABUF_RENDERER`) about 50 MiB
//! in all, but with WebKitGTK 2.50 on X11 either makes the page repaint only when something
//! else wakes the window (seen under Xvfb: WebDriver commands waited minutes for a frame).

use tauri::{Runtime, WebviewWindow};

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
