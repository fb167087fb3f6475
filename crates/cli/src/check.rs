//! Running a connection check from the CLI, and its result in the CLI's own JSON shapes:
//! copies of the core's fields chosen for scripts, so a change to the core's types cannot
//! silently change what `--json` prints.

use serde::Serialize;
use timebridge_core::connections::{
    check_kimai, check_zammad, CheckProblem, IncrementalStrategy, KimaiAccount, ZammadAccount,
};
use timebridge_http::{HttpConfig, Secret};

use crate::failure::Failure;
use crate::{block_on, Context};

/// What the Kimai check found, in the CLI's stable shape.
#[derive(Debug, Serialize)]
pub(crate) struct KimaiJson {
    /// The Kimai version, e.g. `2.66.0`.
    pub(crate) version: String,
    /// The token's user id.
    pub(crate) user_id: i64,
    /// The token's user name.
    pub(crate) username: String,
    /// The user's IANA timezone.
    pub(crate) timezone: String,
}

/// What the Zammad check found, in the CLI's stable shape.
#[derive(Debug, Serialize)]
pub(crate) struct ZammadJson {
    /// The user id (whose entries are synced).
    pub(crate) user_id: i64,
    /// The user's Zammad login name.
    pub(crate) login: String,
    /// Whether the token may use the admin-only time accounting endpoints.
    pub(crate) is_time_accounting_admin: bool,
    /// `global_list` (admins) or `ticket_search` (agents).
    pub(crate) strategy: IncrementalStrategy,
    /// Whether time accounting is switched on in this Zammad.
    pub(crate) time_accounting_enabled: bool,
    /// Zammad's `time_accounting_unit` setting: `minute`, `quarter`, `hour`, `custom` or
    /// `unset`.
    pub(crate) time_accounting_unit: String,
    /// The setting as kept with the unit (`custom:<label>` for a custom unit): a full sync
    /// compares it with the helpdesk's setting then.
    pub(crate) unit_setting: String,
}

/// A limit the check found (`{"code": "read_only_groups", "message": "…"}`).
#[derive(Debug, Serialize)]
pub(crate) struct WarningJson {
    /// A stable identifier.
    pub(crate) code: &'static str,
    /// What it means and what to do.
    pub(crate) message: String,
}

/// A successful check of either kind.
#[derive(Debug, Default, Serialize)]
pub(crate) struct CheckJson {
    /// Set for a Kimai connection.
    pub(crate) kimai: Option<KimaiJson>,
    /// Set for a Zammad connection.
    pub(crate) zammad: Option<ZammadJson>,
    /// Zammad's warnings (empty for Kimai).
    pub(crate) warnings: Vec<WarningJson>,
}

impl From<KimaiAccount> for CheckJson {
    fn from(a: KimaiAccount) -> Self {
        Self {
            kimai: Some(KimaiJson {
                version: a.version,
                user_id: a.user_id,
                username: a.username,
                timezone: a.timezone,
            }),
            ..Self::default()
        }
    }
}

impl From<ZammadAccount> for CheckJson {
    fn from(a: ZammadAccount) -> Self {
        Self {
            warnings: a
                .warnings
                .iter()
                .map(|w| WarningJson {
                    code: w.code(),
                    message: w.message(),
                })
                .collect(),
            zammad: Some(ZammadJson {
                user_id: a.user_id,
                login: a.login,
                is_time_accounting_admin: a.is_time_accounting_admin,
                strategy: a.strategy,
                time_accounting_enabled: a.time_accounting.enabled,
                time_accounting_unit: a.time_accounting.unit.clone(),
                unit_setting: a.time_accounting.unit_setting(),
            }),
            ..Self::default()
        }
    }
}

/// Runs the check for a connection of `kind` (one quick attempt, no retries).
pub(crate) fn check(
    kind: &str,
    url: &str,
    allow_insecure_http: bool,
    token: Secret,
) -> Result<Result<CheckJson, CheckProblem>, Failure> {
    let config = HttpConfig::default();
    block_on(async move {
        if kind == "kimai" {
            check_kimai(url, allow_insecure_http, token, config)
                .await
                .map(CheckJson::from)
        } else {
            check_zammad(url, allow_insecure_http, token, config)
                .await
                .map(CheckJson::from)
        }
    })
}

/// Text lines for a successful check.
pub(crate) fn describe(check: &CheckJson) -> String {
    let mut out = String::new();
    if let Some(k) = &check.kimai {
        out.push_str(&format!(
            "Kimai {} answers; user {} (id {}), timezone {}.",
            k.version, k.username, k.user_id, k.timezone
        ));
    }
    if let Some(z) = &check.zammad {
        out.push_str(&format!(
            "Zammad answers; user {} (id {}), {}, time accounting {}.",
            z.login,
            z.user_id,
            if z.is_time_accounting_admin {
                "time accounting admin (changes found through the global list)"
            } else {
                "agent (changes found through ticket search)"
            },
            if z.time_accounting_enabled {
                "on"
            } else {
                "off"
            },
        ));
    }
    out
}

/// Prints the check's warnings on stderr (text mode; JSON carries them in the document).
pub(crate) fn print_warnings(ctx: &Context, check: &CheckJson) {
    if !ctx.json {
        for w in &check.warnings {
            eprintln!("warning: {}", w.message);
        }
    }
}
