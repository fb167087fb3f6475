//! English and German, complete by construction: each page has a struct of its texts and one
//! `const` per language, so a string missing in one language is a compile error, not an
//! English word in a German window.
//!
//! Texts are chosen reactively: `t()` reads the language signal, so a view written as
//! `move || common::t().nav_dashboard` switches at once when the setting changes. Numbers,
//! hours and dates go through [`fmt`] (decimal comma and `DD.MM.YYYY` in German).

pub(crate) mod common;
pub(crate) mod fmt;
pub(crate) mod pages;

use leptos::prelude::*;
pub(crate) use timebridge_types::settings::Language;

/// The UI language, provided once by the app frame.
#[derive(Clone, Copy)]
pub(crate) struct Lang(pub(crate) RwSignal<Language>);

/// The current language (tracked: a view reading it re-renders on a change). English outside
/// the app frame (unit tests).
pub(crate) fn lang() -> Language {
    use_context::<Lang>().map(|l| l.0.get()).unwrap_or_default()
}

/// Picks a page's texts for the current language.
pub(crate) fn pick<T>(en: &'static T, de: &'static T) -> &'static T {
    match lang() {
        Language::En => en,
        Language::De => de,
    }
}

/// Declares a page's texts: `texts! { Dashboard { title: "Dashboard" / "Übersicht", … } }`
/// makes `struct Dashboard`, `EN`, `DE` and `t()`. Every entry must give both languages.
#[macro_export]
macro_rules! texts {
    ($name:ident { $($field:ident : $en:literal / $de:literal),* $(,)? }) => {
        /// This page's texts in one language.
        pub(crate) struct $name {
            $(pub(crate) $field: &'static str,)*
        }
        /// English.
        pub(crate) const EN: $name = $name { $($field: $en,)* };
        /// German.
        pub(crate) const DE: $name = $name { $($field: $de,)* };
        /// The texts in the current language (tracked).
        pub(crate) fn t() -> &'static $name {
            $crate::i18n::pick(&EN, &DE)
        }
    };
}
