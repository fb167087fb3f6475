//! Texts of the month's ledger (where Zammad's time went), shown on the dashboard and the
//! billing page.

crate::texts! { Ledger {
    title: "Where Zammad's time went" / "Wohin die Zammad-Zeit ging",
    intro: "For each project, Zammad's exact time equals what is booked in Kimai plus every part that is not (yet), to the second. Open a row to see its entries." / "Je Projekt ist die genaue Zammad-Zeit gleich dem in Kimai Gebuchten plus jedem Teil, der (noch) nicht gebucht ist – auf die Sekunde. Eine Zeile öffnen, um ihre Einträge zu sehen.",
    col_project: "Customer / project" / "Kunde / Projekt",
    col_zammad: "Zammad" / "Zammad",
    col_booked: "In Kimai" / "In Kimai",
    col_missing: "Not in Kimai" / "Nicht in Kimai",
    col_rounding: "Rounding" / "Rundung",
    col_other: "Kimai only" / "Nur in Kimai",
    show_parts: "What is not in Kimai, entry by entry" / "Was nicht in Kimai ist, Eintrag für Eintrag",
    unmapped: "Without a mapping" / "Ohne Zuordnung",
    none: "No Zammad time is known in this month yet (a sync reads it)." / "Für diesen Monat ist noch keine Zammad-Zeit bekannt (eine Synchronisierung liest sie).",
    all_booked: "Everything is in Kimai." / "Alles ist in Kimai.",
    p_booked: "booked" / "gebucht",
    p_changed_in_kimai: "changed in Kimai" / "in Kimai geändert",
    p_waiting: "waiting for the next sync" / "wartet auf die nächste Synchronisierung",
    p_not_in_month: "not in this month in Kimai" / "in Kimai nicht in diesem Monat",
    p_refused: "refused by Kimai" / "von Kimai abgelehnt",
    p_parked: "parked" / "zurückgestellt",
    p_held: "held or ignored" / "zurückgehalten oder ignoriert",
    p_conflict: "in conflict" / "im Konflikt",
    p_rounding: "rounding" / "Rundung",
}}
