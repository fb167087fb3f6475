//! The checks both harnesses apply to a world once it has run to completion: Kimai holds one
//! timesheet per wanted entry and nothing for the others, a billed month is tagged once and
//! exported throughout (and nothing else is), and the SQLite file is sound with nothing left
//! half done in it (opened read-only, beside the process that wrote it).

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags};
use timebridge_simulators::zammad::SimTimeAccounting;

use crate::dataset::{OWN, TZ};
use crate::snapshot::{Snapshot, View};

/// Every own entry booked since `since` has a timesheet, except those whose timesheet a human
/// deleted in Kimai (`kimai_deleted`, an open conflict); nothing else carries a marker.
pub fn entries_in_step(
    snap: &Snapshot,
    entries: &[SimTimeAccounting],
    since: DateTime<Utc>,
    kimai_deleted: &[i64],
) -> Vec<String> {
    let mut out = snap.own_problems();
    let want: BTreeSet<i64> = entries
        .iter()
        .filter(|e| e.created_by_id == OWN && e.created_at >= since)
        .map(|e| e.id)
        .filter(|id| !kimai_deleted.contains(id))
        .collect();
    let have: BTreeSet<i64> = snap.marked.keys().copied().collect();
    let lost: Vec<&i64> = want.difference(&have).collect();
    let extra: Vec<&i64> = have.difference(&want).collect();
    if !lost.is_empty() {
        out.push(format!("lost: entries without a timesheet {lost:?}"));
    }
    if !extra.is_empty() {
        out.push(format!("extra: timesheets of entries not wanted {extra:?}"));
    }
    out
}

/// Timesheets beginning in `month` (`[first, next)` local days) are exported and carry the
/// billing tag exactly once; all others carry neither.
pub fn billed_once(snap: &Snapshot, first: NaiveDate, next: NaiveDate) -> Vec<String> {
    let tag = format!("billed:{}", first.format("%Y-%m"));
    let mut out = Vec::new();
    let all = snap
        .marked
        .values()
        .flatten()
        .map(|(_, v)| v)
        .chain(snap.unmarked.iter());
    let mut check = |v: &View| {
        let day = v.begin.with_timezone(&TZ).date_naive();
        let in_scope = day >= first && day < next;
        let tags = v.tags.iter().filter(|t| **t == tag).count();
        let wrong = if in_scope {
            !v.exported || tags != 1
        } else {
            v.exported || tags != 0
        };
        if wrong {
            out.push(format!(
                "billing: {} (in scope: {in_scope}) exported {} with {tags} × {tag}",
                v.description, v.exported
            ));
        }
    };
    all.for_each(&mut check);
    out
}

/// `PRAGMA integrity_check` passes, no outbox row is pending or sent, no sync run is still
/// `running` and no billing run is left `running`.
pub fn database(path: &Path) -> Vec<String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match Connection::open_with_flags(path, flags) {
        Ok(c) => c,
        Err(e) => return vec![format!("database: cannot open {}: {e}", path.display())],
    };
    let mut out = Vec::new();
    match conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0)) {
        Ok(ok) if ok == "ok" => {}
        Ok(other) => out.push(format!("database: integrity_check says {other}")),
        Err(e) => out.push(format!("database: integrity_check failed: {e}")),
    }
    let queries = [
        (
            "open outbox rows",
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sent')",
        ),
        (
            "sync runs still running",
            "SELECT count(*) FROM sync_runs WHERE outcome = 'running'",
        ),
        (
            "billing runs still running",
            "SELECT count(*) FROM billing_runs WHERE state = 'running'",
        ),
    ];
    for (what, sql) in queries {
        match conn.query_row(sql, [], |r| r.get::<_, i64>(0)) {
            Ok(0) => {}
            Ok(n) => out.push(format!("database: {n} {what}")),
            Err(e) => out.push(format!("database: {what}: {e}")),
        }
    }
    out
}
