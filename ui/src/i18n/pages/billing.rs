//! Texts of the billing page.

crate::texts! { Billing {
    title: "Billing" / "Billing",
} }
