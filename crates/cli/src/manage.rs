//! `connections list | test | remove`, and what they share with `add`: the connection as the
//! CLI shows it and finding one by name or key.

use serde::Serialize;
use timebridge_core::ops::{account_of, ListedConnection, Workspace};
use timebridge_core::secrets::env_var_for;
use timebridge_core::sync::time::TimeUnit;
use timebridge_http::Secret;

use crate::check::{check, describe, print_warnings, CheckJson};
use crate::failure::Failure;
use crate::token::{self, TokenSource};
use crate::Context;

/// A connection in every JSON document (`add`, `list`, `test`, `remove`). Has no token field.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ConnectionJson {
    /// The row id.
    pub(crate) id: i64,
    /// `kimai` or `zammad`.
    pub(crate) kind: &'static str,
    /// The name given when adding.
    pub(crate) name: String,
    /// The server address.
    pub(crate) url: String,
    /// Whether plain http to another machine is allowed.
    pub(crate) allow_insecure_http: bool,
    /// The Zammad instance key, `null` for Kimai.
    pub(crate) instance_key: Option<String>,
    /// What one Zammad time unit means (`{"kind": "minutes"}`, `{"kind": "custom",
    /// "minutes_per_unit": "7.5"}`), `null` for Kimai.
    pub(crate) time_unit: Option<TimeUnit>,
    /// The keychain account (`kimai`, `zammad-<key>`).
    pub(crate) account: String,
    /// The environment variable that provides (and overrides) the token.
    pub(crate) token_env_var: String,
}

/// All connections, as the CLI shows them.
pub(crate) fn load(ws: &Workspace<'_>) -> Result<Vec<ConnectionJson>, Failure> {
    Ok(ws
        .connections()?
        .into_iter()
        .map(
            |ListedConnection {
                 connection: c,
                 time_unit,
             }| {
                let account = account_of(&c);
                ConnectionJson {
                    id: c.id,
                    kind: c.kind.as_str(),
                    name: c.name,
                    url: c.base_url,
                    allow_insecure_http: c.allow_insecure_http,
                    token_env_var: env_var_for(&account),
                    account,
                    instance_key: c.instance.map(|k| k.as_str().to_string()),
                    time_unit,
                }
            },
        )
        .collect())
}

/// The connection named `text`, or with instance key `text` (exit 1 if none or several).
pub(crate) fn find(all: &[ConnectionJson], text: &str) -> Result<ConnectionJson, Failure> {
    let hits: Vec<&ConnectionJson> = all
        .iter()
        .filter(|c| c.name == text || c.instance_key.as_deref() == Some(text))
        .collect();
    match hits.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let known: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
            Err(Failure::usage(
                "not_found",
                format!(
                    "no connection is named {text:?} or has that instance key; known: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ))
        }
        _ => Err(Failure::usage(
            "ambiguous",
            format!("{text:?} names several connections; use the Zammad instance key"),
        )),
    }
}

/// One entry of `list --json`: the connection and where its token comes from.
#[derive(Debug, Serialize)]
pub(crate) struct ListedJson {
    /// The stored connection's fields, flattened into this object.
    #[serde(flatten)]
    pub(crate) connection: ConnectionJson,
    /// `env`, `keychain`, `missing` or `keychain_unavailable`.
    pub(crate) token: TokenSource,
}

/// The `list --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ListJson {
    /// Kimai first, then by name.
    pub(crate) connections: Vec<ListedJson>,
}

/// `connections list`.
pub(crate) fn list(ctx: &Context) -> Result<(), Failure> {
    let connections: Vec<ListedJson> = load(&ctx.workspace(&ctx.store()?))?
        .into_iter()
        .map(|c| ListedJson {
            token: token::source_of(&ctx.keychain, &c.account),
            connection: c,
        })
        .collect();
    let doc = ListJson { connections };
    ctx.emit(&doc, || {
        if doc.connections.is_empty() {
            return "No connections. Add one with `timebridge connections add kimai|zammad`."
                .into();
        }
        doc.connections
            .iter()
            .map(|l| {
                let c = &l.connection;
                format!(
                    "{:<7} {:<20} {:<8} {}  token: {} ({})",
                    c.kind,
                    c.name,
                    c.instance_key.as_deref().unwrap_or("-"),
                    c.url,
                    l.token.label(),
                    c.token_env_var
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

/// The `test --json` document; printed also when the check fails (then exit 2).
#[derive(Debug, Serialize)]
pub(crate) struct TestJson {
    /// The connection checked.
    pub(crate) connection: ConnectionJson,
    /// Whether the check succeeded.
    pub(crate) ok: bool,
    /// The problem when it did not (`{"code", "message"}`), else `null`.
    pub(crate) problem: Option<ProblemJson>,
    /// What the check found when it succeeded, else `null`.
    pub(crate) check: Option<CheckJson>,
}

/// A failed check in JSON.
#[derive(Debug, Serialize)]
pub(crate) struct ProblemJson {
    /// The stable problem code (`auth_failed`, `tls`, `forbidden`, …).
    pub(crate) code: &'static str,
    /// What is wrong and what to do.
    pub(crate) message: String,
}

/// The stored token of `connection` (keychain or its environment variable).
fn stored_token(ctx: &Context, connection: &ConnectionJson) -> Result<Secret, Failure> {
    let store = ctx.store()?;
    let ws = ctx.workspace(&store);
    Ok(ws.stored_token(&ws.connection(connection.id)?)?)
}

/// `connections test <name-or-key>`: the check again, with the stored token.
pub(crate) fn test(ctx: &Context, target: &str) -> Result<(), Failure> {
    let connection = find(&load(&ctx.workspace(&ctx.store()?))?, target)?;
    let token = stored_token(ctx, &connection)?;
    let result = check(
        connection.kind,
        &connection.url,
        connection.allow_insecure_http,
        token,
    )?;
    let (doc, failure) = match result {
        Ok(found) => (
            TestJson {
                connection,
                ok: true,
                problem: None,
                check: Some(found),
            },
            None,
        ),
        Err(problem) => (
            TestJson {
                connection,
                ok: false,
                problem: Some(ProblemJson {
                    code: problem.code(),
                    message: problem.message(),
                }),
                check: None,
            },
            Some(Failure::check(&problem).already_printed(ctx.json)),
        ),
    };
    if let Some(found) = &doc.check {
        print_warnings(ctx, found);
    }
    if ctx.json || failure.is_none() {
        ctx.emit(&doc, || {
            let found = doc.check.as_ref().map(describe).unwrap_or_default();
            format!(
                "{} ({}): OK. {found}",
                doc.connection.name, doc.connection.url
            )
        });
    }
    failure.map_or(Ok(()), Err)
}

/// The `remove --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct RemoveJson {
    /// The connection removed.
    pub(crate) removed: ConnectionJson,
}

/// `connections remove <name-or-key>`: the keychain entry first (so a token is never left
/// behind without its connection), then the rows. Links stay.
pub(crate) fn remove(ctx: &Context, target: &str) -> Result<(), Failure> {
    let store = ctx.store()?;
    let connection = find(&load(&ctx.workspace(&store))?, target)?;
    ctx.workspace(&store).remove_connection(connection.id)?;
    let doc = RemoveJson {
        removed: connection,
    };
    ctx.emit(&doc, || {
        format!(
            "Removed {} connection {:?} and its keychain token, if one was stored. Links to Kimai timesheets are \
             kept, so adding it back under the same key never duplicates timesheets.",
            doc.removed.kind, doc.removed.name
        )
    });
    Ok(())
}

/// The `connections confirm-unit --json` document.
#[derive(Debug, Serialize)]
pub(crate) struct ConfirmUnitJson {
    /// The Zammad instance key.
    pub(crate) instance_key: String,
    /// What one unit means from now on (`minutes`, `hours`, …).
    pub(crate) unit: TimeUnit,
    /// The helpdesk's setting it is kept with.
    pub(crate) unit_setting: String,
}

/// The instance key of a Zammad connection (exit 1 for a Kimai one).
fn zammad_key(
    connection: &ConnectionJson,
) -> Result<timebridge_core::sync::entries::InstanceKey, Failure> {
    let Some(key) = connection.instance_key.as_deref() else {
        return Err(Failure::usage(
            "not_zammad",
            format!("{:?} is not a Zammad connection", connection.name),
        ));
    };
    timebridge_core::sync::entries::InstanceKey::new(key)
        .map_err(|e| Failure::usage("invalid_key", e.to_string()))
}

/// `timebridge connections go-ahead NAME|KEY`.
pub(crate) fn go_ahead(ctx: &Context, target: &str) -> Result<(), Failure> {
    let store = ctx.store()?;
    let key = zammad_key(&find(&load(&ctx.workspace(&store))?, target)?)?;
    let went = ctx.workspace(&store).go_ahead(&key, None)?;
    let doc = serde_json::json!({ "instance_key": key.as_str(), "went_ahead": went });
    ctx.emit(&doc, || {
        if went {
            format!(
                "The first sync of {} goes ahead at the next run (`timebridge sync` now, or the schedule).",
                key.as_str()
            )
        } else {
            format!("{} was not waiting for a go-ahead; nothing changed.", key.as_str())
        }
    });
    Ok(())
}

/// `connections confirm-unit <name-or-key> [--unit U]`: reads the helpdesk's unit setting now
/// (checking the connection with its token) and keeps it with the unit (the one given, else the
/// setting's own, checked like `add`): entries parked because the setting changed are booked
/// with it at the next sync.
pub(crate) fn confirm_unit(
    ctx: &Context,
    target: &str,
    unit: Option<TimeUnit>,
    unit_differs_from_zammad: bool,
) -> Result<(), Failure> {
    let store = ctx.store()?;
    let connection = find(&load(&ctx.workspace(&store))?, target)?;
    let key = zammad_key(&connection)?;
    let token = stored_token(ctx, &connection)?;
    let found = check(
        connection.kind,
        &connection.url,
        connection.allow_insecure_http,
        token,
    )?
    .map_err(|problem| Failure::check(&problem))?;
    let zammad = found.zammad.ok_or_else(|| {
        Failure::usage(
            "not_zammad",
            "the check found no Zammad account".to_string(),
        )
    })?;
    let unit = crate::unit::unit_for(
        unit.as_ref(),
        Some(zammad.time_accounting_unit.as_str()),
        unit_differs_from_zammad,
    )?;
    ctx.workspace(&store)
        .confirm_unit(&key, unit.clone(), &zammad.unit_setting)?;
    let doc = ConfirmUnitJson {
        instance_key: key.as_str().to_string(),
        unit,
        unit_setting: zammad.unit_setting,
    };
    ctx.emit(&doc, || {
        format!(
            "{}: one time unit is {} (the helpdesk's setting: {:?}). Entries parked because the \
             setting changed are booked with it at the next sync.",
            doc.instance_key,
            crate::unit::unit_word(&doc.unit),
            doc.unit_setting
        )
    });
    Ok(())
}
