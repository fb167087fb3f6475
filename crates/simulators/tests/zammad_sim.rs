//! Tests of the Zammad simulator over raw HTTP (never through the Timebridge client, so a
//! client bug cannot hide a simulator bug): one test per behaviour in docs/api-notes.md and per server-side
//! trap of the real API, named after it.

mod zammad_sim {
    mod checklist_auth;
    mod checklist_entries;
    mod checklist_tickets;
    pub(crate) mod support;
    mod traps;
    mod webhook;
}
