//! Generates Tauri's context (config, capabilities, embedded assets) from tauri.conf.json.
fn main() {
    tauri_build::build();
}
