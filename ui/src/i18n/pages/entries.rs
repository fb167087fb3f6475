//! Texts of the entries page.

crate::texts! { Entries {
    title: "Entries" / "Entries",
} }
