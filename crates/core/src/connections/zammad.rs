//! The Zammad check. Zammad decides per group and per token what an agent may read
//! (docs/api-notes.md §18), so beyond "the token works" it finds out:
//! - the user and their group access map (`/users/me`): only groups with **change** access
//!   let an agent read time accountings;
//! - the time accounting settings (`/signshow`);
//! - admin status, by calling the admin-only types endpoint: 200 → admin (the global entry
//!   list is usable), 403 → agent (ticket search plus per-ticket entries), 403 "(token)" → the
//!   user is an admin but the token was created without `admin.time_accounting`;
//! - for agents, that one ticket's entries can actually be read with this token.

use serde::Serialize;
use timebridge_http::{BaseUrl, HttpConfig, Secret};
use timebridge_zammad::{
    TimeAccountingConfig, TimeAccountingUnit, User, ZammadClient, ZammadError,
};

use super::{check_config, usable_token, CheckProblem};

/// The permission the admin-only endpoints need.
const ADMIN_PERMISSION: &str = "admin.time_accounting";
/// The permission every agent endpoint needs.
const AGENT_PERMISSION: &str = "ticket.agent";

/// The user's access to one group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupAccess {
    /// The Zammad group this access is to.
    pub group_id: i64,
    /// Zammad's access levels as given (`full`, `change`, `read`, `create`, `overview`).
    pub access: Vec<String>,
    /// Whether the access includes `full` or `change`, which Zammad requires even to *read*
    /// time accountings of the group's tickets.
    pub can_change: bool,
}

/// The time accounting settings of the instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimeAccountingSettings {
    /// Whether agents may account time at all.
    pub enabled: bool,
    /// The unit label: `minute`, `quarter`, `hour`, `custom` or `unset` (Zammad never converts).
    pub unit: String,
    /// The label of a `custom` unit, if any.
    pub unit_custom: Option<String>,
    /// Whether activity types are switched on.
    pub types_enabled: bool,
}

impl TimeAccountingSettings {
    /// The setting as kept with an instance's unit (`minute`, `custom:Stunden`, `unset`): a
    /// different text later means the helpdesk's convention may have changed.
    pub fn unit_setting(&self) -> String {
        match (&self.unit_custom, self.unit.as_str()) {
            (Some(label), "custom") => format!("custom:{label}"),
            _ => self.unit.clone(),
        }
    }
}

/// How the sync can find changed entries on this instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncrementalStrategy {
    /// Admins: the global `/time_accountings` list.
    GlobalList,
    /// Agents: ticket search by `updated_at`, then each ticket's entries.
    TicketSearch,
}

/// Something that does not stop the connection from working but limits what syncs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ZammadWarning {
    /// The `time_accounting` setting is off: no new entries can be booked.
    TimeAccountingDisabled,
    /// The user has change access to no group, so no entry can be read (docs/api-notes.md §18).
    NoGroupWithChangeAccess,
    /// Groups where the user may only read tickets: their time entries are invisible.
    ReadOnlyGroups {
        /// The groups the user can only read, by Zammad id.
        group_ids: Vec<i64>,
    },
    /// No ticket of a group with change access is visible, so reading entries could not be
    /// tried; if tickets exist there, the token may lack `ticket.agent`.
    NoTicketVisible,
}

impl ZammadWarning {
    /// A stable identifier (equal to the serialized `kind`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::TimeAccountingDisabled => "time_accounting_disabled",
            Self::NoGroupWithChangeAccess => "no_group_with_change_access",
            Self::ReadOnlyGroups { .. } => "read_only_groups",
            Self::NoTicketVisible => "no_ticket_visible",
        }
    }

    /// What it means and what to do, in plain words.
    pub fn message(&self) -> String {
        match self {
            Self::TimeAccountingDisabled => "Time accounting is switched off in this Zammad, so \
                 no new time can be booked. An administrator can switch it on under Settings → \
                 Ticket → Time Accounting."
                .into(),
            Self::NoGroupWithChangeAccess => "This user may change tickets in no group, and \
                 Zammad only shows time entries to agents with change access to the ticket's \
                 group. Ask an administrator for change access to your groups."
                .into(),
            Self::ReadOnlyGroups { group_ids } => format!(
                "In groups {group_ids:?} this user may only read tickets, so time booked there \
                 cannot be synced. Ask an administrator for change access if you book time \
                 there."
            ),
            Self::NoTicketVisible => "No ticket is visible in the groups you may change, so \
                 reading time entries could not be tested. If there are tickets, the token \
                 probably lacks the ticket.agent permission."
                .into(),
        }
    }
}

/// A working Zammad connection, as the check found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ZammadAccount {
    /// The user id (`created_by_id` of the entries this user books).
    pub user_id: i64,
    /// The user's Zammad login name (from `/api/v1/users/me`).
    pub login: String,
    /// The display name.
    pub name: String,
    /// Access per group, by group id.
    pub groups: Vec<GroupAccess>,
    /// Whether any group grants change access.
    pub can_change_any_group: bool,
    /// Whether the token may use the admin-only time accounting endpoints.
    pub is_time_accounting_admin: bool,
    /// The instance's time accounting settings.
    pub time_accounting: TimeAccountingSettings,
    /// How changes will be found.
    pub strategy: IncrementalStrategy,
    /// Limits the user should know about.
    pub warnings: Vec<ZammadWarning>,
}

/// The outcome of [`check_zammad`].
pub type ZammadCheck = Result<ZammadAccount, CheckProblem>;

/// Checks the Zammad at `url` (without `/api/v1`) with the personal access `token`: quick
/// attempts (timeout at most 10 s, no retries). `allow_insecure_http` is the per-connection
/// opt-in for plain http to another machine.
pub async fn check_zammad(
    url: &str,
    allow_insecure_http: bool,
    token: Secret,
    config: HttpConfig,
) -> ZammadCheck {
    let base = BaseUrl::parse(url, allow_insecure_http).map_err(|e| CheckProblem::from_url(&e))?;
    let token = usable_token(&token)?;
    let client = ZammadClient::new(base, token, check_config(config)).map_err(classify)?;
    let me = client.me().await.map_err(classify)?;
    let config = client.time_accounting_config().await.map_err(classify)?;
    let is_admin = match client.time_accounting_types().await {
        Ok(_) => true,
        Err(ZammadError::Forbidden {
            token_scope: true,
            detail,
        }) => {
            return Err(CheckProblem::Forbidden {
                permission: Some(ADMIN_PERMISSION.into()),
                detail: format!(
                    "this user is a time accounting admin, but the token was created without \
                     {ADMIN_PERMISSION} (Zammad: {detail})"
                ),
            })
        }
        Err(ZammadError::Forbidden { .. }) => false,
        Err(e) => return Err(classify(e)),
    };
    let groups = groups_of(&me);
    let mut warnings = Vec::new();
    if !config.time_accounting {
        warnings.push(ZammadWarning::TimeAccountingDisabled);
    }
    if !is_admin {
        warnings.extend(agent_warnings(&groups));
        if groups.iter().any(|g| g.can_change) && !agent_can_read_entries(&client, &me).await? {
            warnings.push(ZammadWarning::NoTicketVisible);
        }
    }
    Ok(ZammadAccount {
        user_id: me.id,
        login: me.login.clone(),
        name: me.full_name(),
        can_change_any_group: groups.iter().any(|g| g.can_change),
        groups,
        is_time_accounting_admin: is_admin,
        time_accounting: settings(&config),
        strategy: if is_admin {
            IncrementalStrategy::GlobalList
        } else {
            IncrementalStrategy::TicketSearch
        },
        warnings,
    })
}

fn groups_of(me: &User) -> Vec<GroupAccess> {
    let mut groups: Vec<GroupAccess> = me
        .group_ids
        .iter()
        .filter_map(|(id, access)| {
            Some(GroupAccess {
                group_id: id.trim().parse().ok()?,
                access: access.clone(),
                can_change: access.iter().any(|a| a == "full" || a == "change"),
            })
        })
        .collect();
    groups.sort_by_key(|g| g.group_id);
    groups
}

fn agent_warnings(groups: &[GroupAccess]) -> Vec<ZammadWarning> {
    let mut out = Vec::new();
    if !groups.iter().any(|g| g.can_change) {
        out.push(ZammadWarning::NoGroupWithChangeAccess);
    }
    let read_only: Vec<i64> = groups
        .iter()
        .filter(|g| !g.can_change)
        .map(|g| g.group_id)
        .collect();
    if !read_only.is_empty() {
        out.push(ZammadWarning::ReadOnlyGroups {
            group_ids: read_only,
        });
    }
    out
}

/// Reads the entries of one ticket in a group the agent may change. `Ok(false)` when no
/// such ticket is visible; a refusal is the problem the sync would hit on every run.
async fn agent_can_read_entries(client: &ZammadClient, me: &User) -> Result<bool, CheckProblem> {
    let tickets = client.tickets_page(1, 100).await.map_err(agent_refusal)?;
    let Some(ticket) = tickets.iter().find(|t| me.can_change_group(t.group_id)) else {
        return Ok(false);
    };
    client
        .time_accountings(ticket.id)
        .await
        .map_err(agent_refusal)?;
    Ok(true)
}

/// A 403 on an agent endpoint: the token's scope lacks `ticket.agent`, or (Zammad before 6.2)
/// only time accounting admins may read entries.
fn agent_refusal(err: ZammadError) -> CheckProblem {
    match err {
        ZammadError::Forbidden {
            token_scope: true,
            detail,
        } => CheckProblem::Forbidden {
            permission: Some(AGENT_PERMISSION.into()),
            detail: format!("the token was created without {AGENT_PERMISSION} (Zammad: {detail})"),
        },
        ZammadError::Forbidden { detail, .. } => CheckProblem::Forbidden {
            permission: Some(ADMIN_PERMISSION.into()),
            detail: format!(
                "this Zammad refuses to show time entries to this agent, as versions before \
                 6.2 do for everyone but time accounting admins (Zammad: {detail})"
            ),
        },
        other => classify(other),
    }
}

/// The time accounting settings as the core names them.
pub(crate) fn settings(config: &TimeAccountingConfig) -> TimeAccountingSettings {
    let unit = match &config.time_accounting_unit {
        TimeAccountingUnit::Unset => "unset".to_string(),
        TimeAccountingUnit::Hour => "hour".to_string(),
        TimeAccountingUnit::Quarter => "quarter".to_string(),
        TimeAccountingUnit::Minute => "minute".to_string(),
        TimeAccountingUnit::Custom => "custom".to_string(),
        TimeAccountingUnit::Other(text) => text.clone(),
        _ => "unknown".to_string(),
    };
    let custom = config.time_accounting_unit_custom.trim();
    TimeAccountingSettings {
        enabled: config.time_accounting,
        unit,
        unit_custom: (!custom.is_empty()).then(|| custom.to_string()),
        types_enabled: config.time_accounting_types,
    }
}

/// Whether an auth failure's text came from Zammad: Zammad always explains itself in plain
/// text (`error_human`/`X-Failure`); an empty or raw JSON/HTML body is another server's 401.
fn looks_like_zammad_message(detail: &str) -> bool {
    let d = detail.trim_start();
    !d.is_empty() && !d.starts_with('{') && !d.starts_with('<')
}

/// Turns a failed Zammad call into what the user must fix (docs/api-notes.md §19: 403 "Authentication
/// required" means not logged in; the client already reports it as `AuthFailed`).
pub(super) fn classify(err: ZammadError) -> CheckProblem {
    match err {
        ZammadError::Transport(e) => CheckProblem::from_send(&e),
        ZammadError::AuthFailed { detail } if looks_like_zammad_message(&detail) => {
            CheckProblem::AuthFailed { detail }
        }
        ZammadError::AuthFailed { detail } => CheckProblem::NotZammad {
            detail: format!("the login was refused in a way Zammad never answers: {detail}"),
        },
        ZammadError::Forbidden {
            token_scope,
            detail,
        } => CheckProblem::Forbidden {
            permission: None,
            detail: if token_scope {
                format!("the token's own permissions do not allow this ({detail})")
            } else {
                detail
            },
        },
        ZammadError::NotZammad { detail } => CheckProblem::NotZammad { detail },
        ZammadError::NotFound { detail } => CheckProblem::NotZammad {
            detail: format!("the Zammad API does not exist at this address (404): {detail}"),
        },
        ZammadError::RateLimited { retry_after } => CheckProblem::RateLimited {
            retry_after_seconds: retry_after.map(|d| d.as_secs()),
        },
        ZammadError::Server { status, .. } => CheckProblem::ServerError { status },
        other => CheckProblem::UnexpectedResponse {
            detail: other.to_string(),
        },
    }
}
