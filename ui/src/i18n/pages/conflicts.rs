//! Texts of the conflicts page.

crate::texts! { Conflicts {
    title: "Conflicts" / "Conflicts",
} }
