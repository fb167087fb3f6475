//! The Timebridge UI: a Leptos CSR app that talks to the Rust core only through the typed
//! commands in [`api`]; it never sees a token and never calls `invoke` directly.

// Leptos' #[component] generates `pub` props structs, which a binary crate can never export.
#![allow(unreachable_pub)]

mod api;
mod app;
mod components;
mod events;
mod i18n;
mod ipc;
mod memory;
mod pages;
mod state;
mod syncbar;

fn main() {
    console_error_panic_hook::set_once();
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
