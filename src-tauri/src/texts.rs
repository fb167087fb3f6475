//! The shell's own texts (tray menu, tray tooltips while syncing, desktop notifications) in
//! English and German, following the language setting like the window does. One struct, one
//! `const` per language: a text missing in German is a compile error, not an English word in
//! a German tray. Counts and times are filled in by the `fn` fields; error messages from the
//! core stay as the core words them.

use tauri::{AppHandle, Manager, Runtime};
use timebridge_types::settings::Language;

use crate::state::AppState;

/// The shell's texts in one language.
pub(crate) struct Texts {
    /// Tray menu: start a run.
    pub(crate) sync_now: &'static str,
    /// Tray menu: no open conflicts (disabled item).
    pub(crate) no_conflicts: &'static str,
    /// Tray menu: "Review 3 conflicts…".
    pub(crate) review_conflicts: fn(u32) -> String,
    /// Tray menu: pause background runs.
    pub(crate) pause: &'static str,
    /// Tray menu: resume background runs.
    pub(crate) resume: &'static str,
    /// Tray menu: "Last sync: 14:05" (or never).
    pub(crate) last_sync: fn(Option<&str>) -> String,
    /// Tray menu: show the window.
    pub(crate) open: &'static str,
    /// Tray menu: quit.
    pub(crate) quit: &'static str,
    /// Tooltip: "Sync now" was refused because a run is going.
    pub(crate) already_running: &'static str,
    /// Tooltip while reading, writing, or in between ("… 40/100" follows).
    pub(crate) reading: &'static str,
    pub(crate) writing: &'static str,
    pub(crate) syncing: &'static str,
    /// Notification: new conflicts (title, body with the count).
    pub(crate) conflicts_title: &'static str,
    pub(crate) conflicts_body: fn(u32) -> String,
    /// Notification: writes Kimai refused in a run (title, body with the count).
    pub(crate) refused_title: &'static str,
    pub(crate) refused_body: fn(u32) -> String,
    /// Notification: Kimai stores other times than sent (once ever).
    pub(crate) rounds_title: &'static str,
    pub(crate) rounds_body: &'static str,
    /// Notification: a rejected token (title, body after the core's message).
    pub(crate) token_title: &'static str,
    pub(crate) token_body: fn(&str) -> String,
    /// Notification: the schedule keeps failing (title, body after the core's message).
    pub(crate) failing_title: &'static str,
    pub(crate) failing_body: fn(&str) -> String,
    /// Notification: a new version is on offer (title, body with the version).
    pub(crate) update_title: &'static str,
    pub(crate) update_body: fn(&str) -> String,
}

/// English.
pub(crate) const EN: Texts = Texts {
    sync_now: "Sync now",
    no_conflicts: "No conflicts to review",
    review_conflicts: |n| match n {
        1 => "Review 1 conflict…".into(),
        n => format!("Review {n} conflicts…"),
    },
    pause: "Pause background sync",
    resume: "Resume background sync",
    last_sync: |at| format!("Last sync: {}", at.unwrap_or("not yet")),
    open: "Open Timebridge",
    quit: "Quit Timebridge",
    already_running: "Timebridge: a sync is already running; it shows here when done",
    reading: "reading Zammad",
    writing: "writing to Kimai",
    syncing: "syncing",
    conflicts_title: "Timebridge: conflicts to review",
    conflicts_body: |n| match n {
        1 => "1 new conflict needs your decision.".into(),
        n => format!("{n} new conflicts need your decision."),
    },
    rounds_title: "Timebridge: Kimai rounds your times",
    rounds_body: "Kimai stores other times than Timebridge sent: a rounding rule set by its admin. Timebridge keeps Kimai's times; Billing shows the month's difference to Zammad as \"changed in Kimai\".",
    refused_title: "Timebridge: Kimai refused entries",
    refused_body: |n| match n {
        1 => "Kimai refused to book 1 entry. Entries shows its answer and the fix.".into(),
        n => format!("Kimai refused to book {n} entries. Entries shows its answer and the fix."),
    },
    token_title: "Timebridge: a token was rejected",
    token_body: |m| format!("{m} Enter a new token under Connections."),
    failing_title: "Timebridge: background sync is failing",
    failing_body: |m| format!("{m} Background sync keeps trying."),
    update_title: "Timebridge: an update is available",
    update_body: |v| format!("Version {v} is ready to install: Settings → Updates. Nothing changes until you install it."),
};

/// German.
pub(crate) const DE: Texts = Texts {
    sync_now: "Jetzt synchronisieren",
    no_conflicts: "Keine Konflikte zu prüfen",
    review_conflicts: |n| match n {
        1 => "1 Konflikt prüfen…".into(),
        n => format!("{n} Konflikte prüfen…"),
    },
    pause: "Hintergrund-Sync pausieren",
    resume: "Hintergrund-Sync fortsetzen",
    last_sync: |at| format!("Letzte Synchronisierung: {}", at.unwrap_or("noch keine")),
    open: "Timebridge öffnen",
    quit: "Timebridge beenden",
    already_running: "Timebridge: Eine Synchronisierung läuft bereits; das Ergebnis erscheint hier",
    reading: "lese Zammad",
    writing: "schreibe in Kimai",
    syncing: "synchronisiere",
    conflicts_title: "Timebridge: Konflikte zu prüfen",
    conflicts_body: |n| match n {
        1 => "1 neuer Konflikt wartet auf Ihre Entscheidung.".into(),
        n => format!("{n} neue Konflikte warten auf Ihre Entscheidung."),
    },
    rounds_title: "Timebridge: Kimai rundet Ihre Zeiten",
    rounds_body: "Kimai speichert andere Zeiten als die gesendeten: eine Rundungsregel seines Administrators. Timebridge übernimmt die Zeiten von Kimai; die Abrechnung zeigt die Differenz des Monats zu Zammad als „in Kimai geändert“.",
    refused_title: "Timebridge: Kimai hat Einträge abgelehnt",
    refused_body: |n| {
        match n {
        1 => "Kimai hat 1 Eintrag nicht gebucht. Unter „Einträge“ stehen die Antwort und die Abhilfe.".into(),
        n => format!("Kimai hat {n} Einträge nicht gebucht. Unter „Einträge“ stehen die Antwort und die Abhilfe."),
    }
    },
    token_title: "Timebridge: Ein Token wurde abgelehnt",
    token_body: |m| format!("{m} Geben Sie unter Verbindungen einen neuen Token ein."),
    failing_title: "Timebridge: Hintergrund-Sync schlägt fehl",
    failing_body: |m| format!("{m} Der Hintergrund-Sync versucht es weiter."),
    update_title: "Timebridge: ein Update ist verfügbar",
    update_body: |v| format!("Version {v} kann installiert werden: Einstellungen → Updates. Bis Sie es installieren, ändert sich nichts."),
};

/// The texts of `lang`.
pub(crate) fn of(lang: Language) -> &'static Texts {
    match lang {
        Language::En => &EN,
        Language::De => &DE,
    }
}

/// The language setting of the app in use; English while no app is open (start-up, an error).
pub(crate) fn language<R: Runtime>(handle: &AppHandle<R>) -> Language {
    handle
        .try_state::<AppState>()
        .and_then(|state| state.host.current())
        .and_then(|core| core.get_settings().ok())
        .map(|s| s.language)
        .unwrap_or_default()
}

/// The texts in the app's language.
pub(crate) fn current<R: Runtime>(handle: &AppHandle<R>) -> &'static Texts {
    of(language(handle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text of one language, with sample counts, times and messages filled in.
    fn all(t: &Texts) -> Vec<String> {
        let m = "Kimai: server error 500";
        vec![
            t.sync_now.into(),
            t.no_conflicts.into(),
            (t.review_conflicts)(1),
            (t.review_conflicts)(3),
            t.pause.into(),
            t.resume.into(),
            (t.last_sync)(Some("14:05")),
            (t.last_sync)(None),
            t.open.into(),
            t.quit.into(),
            t.already_running.into(),
            t.reading.into(),
            t.writing.into(),
            t.syncing.into(),
            t.conflicts_title.into(),
            (t.conflicts_body)(1),
            (t.conflicts_body)(3),
            t.token_title.into(),
            (t.token_body)(m),
            t.failing_title.into(),
            (t.failing_body)(m),
        ]
    }

    #[test]
    fn no_german_text_is_the_english_one() {
        for (en, de) in all(&EN).iter().zip(all(&DE).iter()) {
            assert_ne!(en, de, "German falls back to English");
        }
    }

    #[test]
    fn the_language_setting_picks_the_texts() {
        assert_eq!(of(Language::En).sync_now, "Sync now");
        assert_eq!(of(Language::De).sync_now, "Jetzt synchronisieren");
    }

    #[test]
    fn counts_and_messages_are_filled_in() {
        assert_eq!((DE.review_conflicts)(1), "1 Konflikt prüfen…");
        assert_eq!((DE.review_conflicts)(3), "3 Konflikte prüfen…");
        assert_eq!(
            (DE.last_sync)(Some("14:05")),
            "Letzte Synchronisierung: 14:05"
        );
        let body = (DE.token_body)("Kimai: the API token was rejected (401)");
        assert!(
            body.starts_with("Kimai: the API token was rejected (401) "),
            "{body}"
        );
        assert_eq!(
            (EN.conflicts_body)(1),
            "1 new conflict needs your decision."
        );
    }

    #[test]
    fn the_shell_reads_the_saved_language_of_the_app_in_use() {
        use std::sync::Arc;
        use tauri::test::{mock_builder, mock_context, noop_assets};
        use timebridge_app::Host;
        use timebridge_core::secrets::MemoryStore;
        use timebridge_core::{DataDir, Startup};

        let tmp = tempfile::tempdir().unwrap();
        let startup = Startup::new(Some(DataDir::at(tmp.path())), None);
        let host = Host::new(startup, Arc::new(MemoryStore::default()), None);
        let app = crate::app::builder(
            mock_builder(),
            host,
            crate::updates::Updates::new("0.1.0", false),
        )
        .build(mock_context(noop_assets()))
        .unwrap();
        let handle = app.handle();
        assert_eq!(language(handle), Language::En, "no app open yet");
        let core = handle.state::<AppState>().app().unwrap();
        let mut settings = core.get_settings().unwrap();
        settings.language = Language::De;
        tauri::async_runtime::block_on(core.save_settings(settings)).unwrap();
        assert_eq!(language(handle), Language::De);
        assert_eq!(current(handle).sync_now, "Jetzt synchronisieren");
    }
}
