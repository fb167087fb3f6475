//! Texts of the mappings page.

crate::texts! { Mappings {
    title: "Mappings" / "Mappings",
} }
