//! What the desktop measurements and the end-to-end tests share: reading a process tree from
//! `/proc` (memory, CPU time, which WebKit processes run), closing a window as a window
//! manager does, and a stand-in tray host that can click the app's tray menu.
//!
//! All of it is Linux-only: the desktop measurements and the end-to-end tests run under Xvfb.
#![cfg(target_os = "linux")]

pub mod procs;
pub mod tray_host;
pub mod x11;
