//! End-to-end tests live in `tests/`; they need the app built by
//! `npx tauri build --debug --no-bundle`, an X display (Xvfb), a D-Bus session, `tauri-driver`
//! and Debian's `WebKitWebDriver`. `scripts/test.sh` provides all of these.
