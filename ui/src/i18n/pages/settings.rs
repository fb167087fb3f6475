//! Texts of the settings page.

crate::texts! { Settings {
    title: "Settings" / "Settings",
} }
