//! Texts of the wizard page.

crate::texts! { Wizard {
    title: "Wizard" / "Wizard",
} }
