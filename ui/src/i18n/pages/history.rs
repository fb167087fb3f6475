//! Texts of the history page.

crate::texts! { History {
    title: "History" / "History",
} }
