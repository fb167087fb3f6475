//! `timebridge conflicts held | release`: the entries the sync leaves alone — ignored by the
//! user, or held after an undo — and taking one back into the sync. Local only (works
//! offline); the next sync treats a released entry like any other.

use serde::Serialize;
use timebridge_core::sync::plan::SourceKey;
use timebridge_core::HoldReason;

use crate::failure::Failure;
use crate::Context;

/// One held entry in `conflicts held --json`.
#[derive(Debug, Serialize)]
pub(crate) struct HeldJson {
    /// `acme#4711`, as `conflicts release` takes it.
    pub(crate) key: String,
    /// `user` (ignored) or `undo` (held after an undo).
    pub(crate) reason: HoldReason,
    /// Since when (RFC 3339, UTC).
    pub(crate) since: String,
}

/// The `conflicts held --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct HeldListJson {
    /// Oldest first.
    pub(crate) held: Vec<HeldJson>,
}

/// `conflicts held`.
pub(crate) fn list(ctx: &Context) -> Result<(), Failure> {
    let store = ctx.store()?;
    let held = ctx
        .workspace(&store)
        .held()?
        .into_iter()
        .map(|h| HeldJson {
            key: h.key.to_string(),
            reason: h.reason,
            since: h.since.to_rfc3339(),
        })
        .collect();
    let doc = HeldListJson { held };
    ctx.emit(&doc, || {
        if doc.held.is_empty() {
            return "No entries are held or ignored.".into();
        }
        let mut lines: Vec<String> = doc
            .held
            .iter()
            .map(|h| {
                let why = match h.reason {
                    HoldReason::User => "ignored by you",
                    HoldReason::Undo => "held after an undo",
                };
                format!("{} {why} since {}", h.key, h.since)
            })
            .collect();
        lines.push("Take one back into the sync with `timebridge conflicts release <key>`.".into());
        lines.join("\n")
    });
    Ok(())
}

/// The `conflicts release --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ReleaseJson {
    /// `acme#4711`.
    pub(crate) key: String,
    /// Always `true` (an entry that was not held exits 1).
    pub(crate) released: bool,
}

/// `conflicts retry`: the refused write of `key` goes out again at the next sync.
pub(crate) fn retry(ctx: &Context, key: &SourceKey) -> Result<(), Failure> {
    let store = ctx.store()?;
    if !ctx.workspace(&store).retry_refused(key)? {
        return Err(Failure::usage(
            "not_refused",
            format!(
                "{} was not refused by Kimai; see `timebridge conflicts list`",
                key
            ),
        ));
    }
    let doc = RetryJson {
        key: key.to_string(),
        retry: true,
    };
    ctx.emit(&doc, || {
        format!(
            "{} will be sent to Kimai again at the next `timebridge sync`.",
            doc.key
        )
    });
    Ok(())
}

/// `conflicts twin <key> same|different`: exit 1 if the entry is not a possible twin.
pub(crate) fn twin(ctx: &Context, key: &SourceKey, same: bool) -> Result<(), Failure> {
    let store = ctx.store()?;
    let Some(timesheet_id) = ctx.workspace(&store).decide_twin(key, same)? else {
        return Err(Failure::usage(
            "not_a_twin",
            format!(
                "{} is not waiting as a possible twin; see `timebridge conflicts list`",
                key
            ),
        ));
    };
    let doc = TwinJson {
        key: key.to_string(),
        timesheet_id,
        same,
    };
    ctx.emit(&doc, || {
        if doc.same {
            format!(
                "{} is linked to timesheet {} at the next `timebridge sync` (differences \
                 then wait for your decision).",
                doc.key, doc.timesheet_id
            )
        } else {
            format!(
                "{} is booked at the next `timebridge sync`; timesheet {} stays as it is.",
                doc.key, doc.timesheet_id
            )
        }
    });
    Ok(())
}

/// The `conflicts twin --json` document.
#[derive(Debug, Serialize)]
struct TwinJson {
    /// `acme#4711`.
    key: String,
    /// The timesheet it was compared with.
    timesheet_id: i64,
    /// `true`: the same work (linked); `false`: different work (booked too).
    same: bool,
}

/// The `conflicts retry --json` document.
#[derive(Debug, Serialize)]
struct RetryJson {
    /// `acme#4711`.
    key: String,
    /// Always `true`.
    retry: bool,
}

/// `conflicts release <key>`: exit 1 if the entry was not held.
pub(crate) fn release(ctx: &Context, key: &SourceKey) -> Result<(), Failure> {
    let store = ctx.store()?;
    if !ctx.workspace(&store).release(key)? {
        return Err(Failure::usage(
            "not_held",
            format!(
                "{} is not held or ignored; see `timebridge conflicts held`",
                key
            ),
        ));
    }
    let doc = ReleaseJson {
        key: key.to_string(),
        released: true,
    };
    ctx.emit(&doc, || {
        format!(
            "Released {}: the next `timebridge sync` takes it into account again.",
            doc.key
        )
    });
    Ok(())
}
