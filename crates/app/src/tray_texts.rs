//! The tray tooltip's wording in English and German. The tooltip is built here, not in the
//! shell, because it needs facts the `TrayView` does not carry (parked entries, the last
//! error). One struct, one `const` per language: a text missing in German is a compile error,
//! not an English word in a German tray.

use timebridge_types::settings::Language;

/// The tooltip's texts in one language (counts and times are filled in by the functions).
pub(super) struct TooltipTexts {
    /// A run is going.
    pub(super) syncing: &'static str,
    /// The last run failed; the error follows after a colon when known.
    pub(super) failed: &'static str,
    /// A server could not be reached.
    pub(super) offline: &'static str,
    /// "3 conflicts".
    pub(super) conflicts: fn(u32) -> String,
    /// "1 parked entry".
    pub(super) parked: fn(u32) -> String,
    /// Joins the two counts.
    pub(super) and: &'static str,
    /// After the counts: "… to review".
    pub(super) to_review: &'static str,
    /// All synced, last at HH:MM.
    pub(super) all_synced: fn(&str) -> String,
    /// Never synced.
    pub(super) not_synced: &'static str,
}

const EN: TooltipTexts = TooltipTexts {
    syncing: "syncing…",
    failed: "the last sync failed",
    offline: "offline, a server could not be reached",
    conflicts: |n| match n {
        1 => "1 conflict".into(),
        n => format!("{n} conflicts"),
    },
    parked: |n| match n {
        1 => "1 parked entry".into(),
        n => format!("{n} parked entries"),
    },
    and: "and",
    to_review: "to review",
    all_synced: |t| format!("all synced (last sync {t})"),
    not_synced: "not synced yet",
};

const DE: TooltipTexts = TooltipTexts {
    syncing: "Synchronisierung läuft…",
    failed: "Die letzte Synchronisierung ist fehlgeschlagen",
    offline: "offline, ein Server war nicht erreichbar",
    conflicts: |n| match n {
        1 => "1 Konflikt".into(),
        n => format!("{n} Konflikte"),
    },
    parked: |n| match n {
        1 => "1 geparkter Eintrag".into(),
        n => format!("{n} geparkte Einträge"),
    },
    and: "und",
    to_review: "zu prüfen",
    all_synced: |t| format!("alles synchronisiert (zuletzt um {t})"),
    not_synced: "noch nicht synchronisiert",
};

/// The tooltip texts of `lang`.
pub(super) fn tooltip_texts(lang: Language) -> &'static TooltipTexts {
    match lang {
        Language::En => &EN,
        Language::De => &DE,
    }
}

impl TooltipTexts {
    /// "3 conflicts and 1 parked entry to review"; a zero count is left out.
    pub(super) fn attention(&self, conflicts: u32, parked: u32) -> String {
        let parts: Vec<String> = [(conflicts, self.conflicts), (parked, self.parked)]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, say)| say(n))
            .collect();
        format!(
            "{} {}",
            parts.join(&format!(" {} ", self.and)),
            self.to_review
        )
    }
}

#[cfg(test)]
mod tests {

    use super::super::tray_view;
    use super::*;
    use timebridge_core::schedule::{
        LastRun, ScheduleStatus, SchedulerState, SyncOutcome, Trigger,
    };

    fn status(state: SchedulerState, outcome: Option<SyncOutcome>) -> ScheduleStatus {
        let at = crate::test_support::test_now();
        ScheduleStatus {
            state,
            cron: "0 */15 * * * *".into(),
            running_since: None,
            last_run: outcome.map(|outcome| LastRun {
                trigger: Trigger::Schedule,
                started_at: at,
                finished_at: at,
                outcome,
                summary: None,
                error: None,
            }),
            next_run: None,
            consecutive_failures: 0,
            last_error: outcome
                .filter(|o| *o == SyncOutcome::Failed)
                .map(|_| "Kimai: server error 500".into()),
            skipped_ticks: 0,
        }
    }

    /// (status, conflicts, parked, English tooltip, German tooltip), one per tray state.
    fn cases() -> Vec<(ScheduleStatus, u32, u32, &'static str, &'static str)> {
        use SchedulerState::{Idle, Running};
        vec![
            (
                status(Running, None),
                0,
                0,
                "Timebridge: syncing…",
                "Timebridge: Synchronisierung läuft…",
            ),
            (
                status(Idle, Some(SyncOutcome::Failed)),
                0,
                0,
                "Timebridge: the last sync failed: Kimai: server error 500",
                "Timebridge: Die letzte Synchronisierung ist fehlgeschlagen: Kimai: server error 500",
            ),
            (
                status(Idle, Some(SyncOutcome::Offline)),
                0,
                0,
                "Timebridge: offline, a server could not be reached",
                "Timebridge: offline, ein Server war nicht erreichbar",
            ),
            (
                status(Idle, Some(SyncOutcome::Succeeded)),
                3,
                1,
                "Timebridge: 3 conflicts and 1 parked entry to review",
                "Timebridge: 3 Konflikte und 1 geparkter Eintrag zu prüfen",
            ),
            (
                status(Idle, Some(SyncOutcome::Succeeded)),
                1,
                0,
                "Timebridge: 1 conflict to review",
                "Timebridge: 1 Konflikt zu prüfen",
            ),
            (
                status(Idle, Some(SyncOutcome::Succeeded)),
                0,
                2,
                "Timebridge: 2 parked entries to review",
                "Timebridge: 2 geparkte Einträge zu prüfen",
            ),
            (
                status(Idle, None),
                0,
                0,
                "Timebridge: not synced yet",
                "Timebridge: noch nicht synchronisiert",
            ),
        ]
    }

    #[test]
    fn every_tooltip_is_worded_in_english_and_in_german() {
        for (s, conflicts, parked, en, de) in cases() {
            assert_eq!(tray_view(&s, conflicts, parked, Language::En).tooltip, en);
            assert_eq!(tray_view(&s, conflicts, parked, Language::De).tooltip, de);
        }
    }

    #[test]
    fn the_idle_tooltip_names_the_last_sync_time_in_both_languages() {
        let s = status(SchedulerState::Idle, Some(SyncOutcome::Succeeded));
        let en = tray_view(&s, 0, 0, Language::En);
        let de = tray_view(&s, 0, 0, Language::De);
        let at = en.last_sync.clone().expect("a last sync time");
        assert_eq!(
            en.tooltip,
            format!("Timebridge: all synced (last sync {at})")
        );
        assert_eq!(
            de.tooltip,
            format!("Timebridge: alles synchronisiert (zuletzt um {at})")
        );
        assert_eq!(
            (en.state, en.conflicts, en.last_sync, en.paused),
            (de.state, de.conflicts, de.last_sync, de.paused),
            "only the wording differs"
        );
    }
}
