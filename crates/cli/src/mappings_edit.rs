//! The `mappings` edits: add or remove a rule, set or remove a type's activity, change the
//! settings. Each loads the instance, changes one thing, and stores the whole settings at once
//! — offline too; the next sync (which re-reads them and re-plans parked entries) applies it.
//!
//! Kimai ids are checked against Kimai when it can be asked (a project or activity that does
//! not exist there, or does not fit together, is refused with nothing stored); when it cannot,
//! the edit is stored anyway and the output says "not checked" and why.

use serde::Serialize;
use timebridge_core::ops::{OpError, Workspace};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::mapping::{MappingRule, Scope};
use timebridge_core::ZammadInstance;
use timebridge_kimai::{ActivityQuery, KimaiError, ProjectQuery, Visibility};

use crate::failure::Failure;
use crate::mappings::{AddRule, MappingsCommand, ScopeArg, TypeArg};
use crate::mappings_show::{find, list, scope_parts, InstanceJson};
use crate::{block_on, Context};

/// The document every edit prints under `--json`.
#[derive(Debug, Serialize)]
pub(crate) struct EditJson {
    /// What changed, in words.
    pub(crate) changed: String,
    /// `checked`, `offline`, `not_checked` (no Kimai connection or token, or an error) or
    /// `not_needed` (no Kimai id involved).
    pub(crate) kimai_check: &'static str,
    /// Why the ids were not checked, else `null`.
    pub(crate) kimai_check_detail: Option<String>,
    /// The instance's settings as now stored (the `mappings list` shape).
    pub(crate) settings: InstanceJson,
}

/// Whether Kimai confirmed the ids.
enum Checked {
    Yes,
    Offline(String),
    No(String),
    NotNeeded,
}

/// One edit, ready to store: the helpdesk, the change in words, whether Kimai confirmed its
/// ids, the whole settings as they are to be stored.
struct Edited {
    key: InstanceKey,
    changed: String,
    checked: Checked,
    instance: ZammadInstance,
}

/// Runs one `mappings` command.
pub(crate) fn run(ctx: &Context, command: MappingsCommand) -> Result<(), Failure> {
    if let MappingsCommand::List { instance } = &command {
        return list(ctx, instance.as_ref());
    }
    let store = ctx.store()?;
    let ws = ctx.workspace(&store);
    let Edited {
        key,
        changed,
        checked,
        instance,
    } = match command {
        MappingsCommand::List { .. } => return Ok(()),
        MappingsCommand::AddRule(add) => add_rule(&ws, add)?,
        MappingsCommand::RemoveRule { instance, number } => remove_rule(&ws, instance, number)?,
        MappingsCommand::SetActivity {
            instance,
            type_id,
            activity,
        } => set_activity(&ws, instance, type_id, activity)?,
        MappingsCommand::RemoveActivity { instance, type_id } => {
            remove_activity(&ws, instance, type_id)?
        }
        MappingsCommand::Set(set) => {
            if set.is_empty() {
                return Err(Failure::usage(
                    "nothing_to_set",
                    "give at least one of --unit, --template, --rounding, --minimum, --tags, \
                     --layout, --exact-day-totals, --rewrite-previous",
                ));
            }
            let mut instance = find(&ws, &set.instance)?;
            set.apply(&mut instance.settings);
            Edited {
                key: set.instance,
                changed: "settings changed".to_string(),
                checked: Checked::NotNeeded,
                instance,
            }
        }
    };
    ws.save_helpdesk(&instance)?;
    let (kimai_check, kimai_check_detail) = match checked {
        Checked::Yes => ("checked", None),
        Checked::Offline(why) => ("offline", Some(why)),
        Checked::No(why) => ("not_checked", Some(why)),
        Checked::NotNeeded => ("not_needed", None),
    };
    let doc = EditJson {
        changed,
        kimai_check,
        kimai_check_detail,
        settings: InstanceJson::new(&key, &instance.settings),
    };
    ctx.emit(&doc, || {
        let check = match (doc.kimai_check, &doc.kimai_check_detail) {
            ("checked", _) => " Kimai ids checked.".to_string(),
            ("offline", Some(why)) => format!(" Kimai ids not checked: offline ({why})."),
            (_, Some(why)) => format!(" Kimai ids not checked: {why}."),
            _ => String::new(),
        };
        format!(
            "Stored for {}: {}.{check} Applied at the next sync.\n{}",
            key.as_str(),
            doc.changed,
            doc.settings.text()
        )
    });
    Ok(())
}

/// `mappings add-rule`: the rule for a scope, replacing the one the scope had.
fn add_rule(ws: &Workspace<'_>, add: AddRule) -> Result<Edited, Failure> {
    let mut instance = find(ws, &add.instance)?;
    let (rule, checked) = rule_of(ws, &add)?;
    let rules = &mut instance.settings.rules;
    let (scope, id) = scope_parts(rule.scope);
    let changed = match rules.iter().position(|r| r.scope == rule.scope) {
        Some(i) => {
            rules[i] = rule;
            format!("replaced rule {} ({scope} {id})", i + 1)
        }
        None => {
            rules.push(rule);
            format!("added rule {} ({scope} {id})", rules.len())
        }
    };
    Ok(Edited {
        key: add.instance,
        changed,
        checked,
        instance,
    })
}

/// `mappings remove-rule`: rule `number` as `mappings list` counts them.
fn remove_rule(ws: &Workspace<'_>, key: InstanceKey, number: u32) -> Result<Edited, Failure> {
    let mut instance = find(ws, &key)?;
    let index = number as usize - 1;
    if index >= instance.settings.rules.len() {
        return Err(Failure::usage(
            "not_found",
            format!(
                "{} has no rule {number} ({} rule(s)); see `timebridge mappings list {}`",
                key.as_str(),
                instance.settings.rules.len(),
                key.as_str()
            ),
        ));
    }
    let old = instance.settings.rules.remove(index);
    let (scope, id) = scope_parts(old.scope);
    Ok(Edited {
        key,
        changed: format!("removed rule {number} ({scope} {id})"),
        checked: Checked::NotNeeded,
        instance,
    })
}

/// `mappings set-activity`: the activity for an accounting type (or for entries without one).
fn set_activity(
    ws: &Workspace<'_>,
    key: InstanceKey,
    type_id: TypeArg,
    activity: i64,
) -> Result<Edited, Failure> {
    let mut instance = find(ws, &key)?;
    let checked = check_kimai(ws, None, None, Some(activity))?.0;
    let s = &mut instance.settings;
    match type_id {
        TypeArg::Id(t) => {
            s.activity_by_type.insert(t, activity);
        }
        TypeArg::None => s.activity_without_type = Some(activity),
    }
    Ok(Edited {
        key,
        changed: format!("{} → activity {activity}", type_words(type_id)),
        checked,
        instance,
    })
}

/// `mappings remove-activity`.
fn remove_activity(
    ws: &Workspace<'_>,
    key: InstanceKey,
    type_id: TypeArg,
) -> Result<Edited, Failure> {
    let mut instance = find(ws, &key)?;
    let s = &mut instance.settings;
    let removed = match type_id {
        TypeArg::Id(t) => s.activity_by_type.remove(&t).is_some(),
        TypeArg::None => s.activity_without_type.take().is_some(),
    };
    if !removed {
        return Err(Failure::usage(
            "not_found",
            format!(
                "{} has no activity for {}",
                key.as_str(),
                type_words(type_id)
            ),
        ));
    }
    Ok(Edited {
        key,
        changed: format!("removed the activity for {}", type_words(type_id)),
        checked: Checked::NotNeeded,
        instance,
    })
}

fn type_words(t: TypeArg) -> String {
    match t {
        TypeArg::Id(id) => format!("accounting type {id}"),
        TypeArg::None => "entries without an accounting type".into(),
    }
}

/// The rule `add` describes, with its customer from Kimai (or `--customer` when Kimai cannot
/// be asked).
fn rule_of(ws: &Workspace<'_>, add: &AddRule) -> Result<(MappingRule, Checked), Failure> {
    let scope = match add.scope {
        ScopeArg::Organization => Scope::Organization(add.id),
        ScopeArg::Customer => Scope::Customer(add.id),
        ScopeArg::Group => Scope::Group(add.id),
        ScopeArg::Ticket => Scope::Ticket(add.id),
    };
    let (checked, kimai_customer) = check_kimai(ws, Some(add.project), add.customer, add.activity)?;
    let customer = kimai_customer.or(add.customer).ok_or_else(|| {
        let why = match &checked {
            Checked::Offline(why) | Checked::No(why) => why.clone(),
            _ => "Kimai did not say".into(),
        };
        Failure::usage(
            "customer_needed",
            format!(
                "the Kimai customer of project {} cannot be looked up ({why}): give it with \
                 --customer <id>",
                add.project
            ),
        )
    })?;
    let rule = MappingRule {
        scope,
        customer,
        project: add.project,
        activity: add.activity,
    };
    Ok((rule, checked))
}

/// Asks Kimai whether `project` and `activity` exist and fit together (and `customer` owns
/// the project). Exit 1 when Kimai says no; "not checked" when it cannot be asked. Returns
/// the project's customer when it was found.
fn check_kimai(
    ws: &Workspace<'_>,
    project: Option<i64>,
    customer: Option<i64>,
    activity: Option<i64>,
) -> Result<(Checked, Option<i64>), Failure> {
    let client = match ws.kimai_client() {
        Ok(Some(client)) => client,
        Ok(None) => return Ok((Checked::No("no Kimai connection".into()), None)),
        // The database failing is the command's failure; a missing token or address is not.
        Err(e @ OpError::Engine(_)) => return Err(e.into()),
        Err(e) => return Ok((Checked::No(Failure::from(e).message), None)),
    };
    let read = block_on(async {
        let projects = client
            .projects(&ProjectQuery {
                visible: Some(Visibility::Both),
                ignore_dates: true,
                ..ProjectQuery::default()
            })
            .await?;
        let activities = client
            .activities(&ActivityQuery {
                visible: Some(Visibility::Both),
                ..ActivityQuery::default()
            })
            .await?;
        Ok::<_, KimaiError>((projects, activities))
    })?;
    let (projects, activities) = match read {
        Ok(lists) => lists,
        Err(e) if e.is_retryable() => return Ok((Checked::Offline(format!("Kimai: {e}")), None)),
        Err(e) => return Ok((Checked::No(format!("Kimai: {e}")), None)),
    };
    let refuse = |code: &str, message: String| Err(Failure::usage(code, message));
    let project = match project {
        None => None,
        Some(id) => match projects.iter().find(|p| p.id == id) {
            Some(p) => Some(p),
            None => return refuse("unknown_project", format!("Kimai has no project {id}")),
        },
    };
    if let (Some(p), Some(c)) = (project, customer) {
        if p.customer != c {
            return refuse(
                "customer_mismatch",
                format!(
                    "Kimai project {} ({}) belongs to customer {}, not {c}",
                    p.id, p.name, p.customer
                ),
            );
        }
    }
    if let Some(id) = activity {
        let Some(a) = activities.iter().find(|a| a.id == id) else {
            return refuse("unknown_activity", format!("Kimai has no activity {id}"));
        };
        if let Some(p) = project {
            let fits = match a.project {
                Some(owner) => owner == p.id,
                None => p.global_activities,
            };
            if !fits {
                return refuse(
                    "activity_not_for_project",
                    format!(
                        "Kimai activity {} ({}) cannot be booked on project {} ({})",
                        a.id, a.name, p.id, p.name
                    ),
                );
            }
        }
    }
    Ok((Checked::Yes, project.map(|p| p.customer)))
}
