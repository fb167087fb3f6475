//! End-to-end journeys through the real app: the built
//! binary in a WebKit window under Xvfb, driven over WebDriver by element id, against
//! simulators that run in this test process (or the demo's own), with a real Secret Service
//! on a private D-Bus session. Every journey asserts what really happened — in the simulators,
//! the keychain, the data directory — not only that elements exist.
//!
//! Journeys run one at a time (they share the display): each takes [`harness::SERIAL`].
//! Screenshots of every step: `target/e2e/<journey>/NN-<step>.png`.
//!
//! Linux only: the journeys drive WebKitGTK through WebKitWebDriver and read the Linux desktop
//! (process tree, X11 windows, the StatusNotifier tray).

#![cfg(target_os = "linux")]

mod harness;

#[path = "journeys/billing.rs"]
mod billing;
#[path = "journeys/common.rs"]
mod common;
#[path = "journeys/conflict.rs"]
mod conflict;
#[path = "journeys/demo.rs"]
mod demo;
#[path = "journeys/markup.rs"]
mod markup;
#[path = "journeys/refused.rs"]
mod refused;
#[path = "journeys/screenshots.rs"]
mod screenshots;
#[path = "journeys/switching.rs"]
mod switching;
#[path = "journeys/tray.rs"]
mod tray;
#[path = "journeys/undo.rs"]
mod undo;
#[path = "journeys/update.rs"]
mod update;
#[path = "journeys/wizard.rs"]
mod wizard;
