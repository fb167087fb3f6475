//! Texts of the dashboard page.

crate::texts! { Dashboard {
    title: "Dashboard" / "Dashboard",
} }
