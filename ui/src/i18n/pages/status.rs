//! Texts of the status ("About") page.

crate::texts! { Status {
    title: "About Timebridge" / "Über Timebridge",
    reading: "Reading the database…" / "Lese die Datenbank…",
    this_build_knows: "this build knows" / "dieser Build kennt",
    stderr_only: "stderr only (file logging is off)" / "nur stderr (Protokolldateien aus)",
    version: "Version" / "Version",
    data_dir: "Data directory" / "Datenverzeichnis",
    database: "Database" / "Datenbank",
    schema: "Schema version" / "Schemaversion",
    journal: "Journal mode" / "Journalmodus",
    connections: "Connections" / "Verbindungen",
    logs: "Logs" / "Protokolle",
    could_not_start: "Timebridge could not start." / "Timebridge konnte nicht starten.",
} }
