//! Kimai's names for ids (customers, projects, activities), so rows show "Acme Support" rather
//! than "project 1". Fetched when the UI asks for the catalog and after each sync, kept in
//! memory and cached in the database (`settings`), so pages still show names offline.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use timebridge_kimai::{ActivityQuery, CustomerQuery, KimaiClient, KimaiError, ProjectQuery};
use timebridge_types::setup::{ActivityView, KimaiCatalogView, ProjectView};
use timebridge_types::Named;

use timebridge_core::Store;

const CACHE_KEY: &str = "app.kimai_catalog";

/// Kimai's visible customers, projects and activities.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Customer id → name.
    pub customers: BTreeMap<i64, String>,
    /// Project id → (name, customer id).
    pub projects: BTreeMap<i64, (String, i64)>,
    /// Activity id → (name, project id for project activities).
    pub activities: BTreeMap<i64, (String, Option<i64>)>,
}

impl Catalog {
    /// Reads the catalog from Kimai.
    pub async fn fetch(kimai: &KimaiClient) -> Result<Self, KimaiError> {
        let customers = kimai.customers(&CustomerQuery::default()).await?;
        let projects = kimai.projects(&ProjectQuery::default()).await?;
        let activities = kimai.activities(&ActivityQuery::default()).await?;
        Ok(Self {
            customers: customers.into_iter().map(|c| (c.id, c.name)).collect(),
            projects: projects
                .into_iter()
                .map(|p| (p.id, (p.name, p.customer)))
                .collect(),
            activities: activities
                .into_iter()
                .map(|a| (a.id, (a.name, a.project)))
                .collect(),
        })
    }

    /// The customer of a project, when known.
    pub fn customer_of(&self, project: i64) -> Option<i64> {
        self.projects.get(&project).map(|(_, c)| *c)
    }

    /// A customer as named for people.
    pub fn customer(&self, id: i64) -> Named {
        named(id, self.customers.get(&id))
    }

    /// A project as named for people.
    pub fn project(&self, id: i64) -> Named {
        named(id, self.projects.get(&id).map(|(n, _)| n))
    }

    /// An activity as named for people.
    pub fn activity(&self, id: i64) -> Named {
        named(id, self.activities.get(&id).map(|(n, _)| n))
    }

    /// The catalog as the mapping pickers get it (`kimai_catalog`), each list sorted by id.
    pub fn view(&self) -> KimaiCatalogView {
        KimaiCatalogView {
            customers: self
                .customers
                .iter()
                .map(|(id, n)| Named {
                    id: *id,
                    name: n.clone(),
                })
                .collect(),
            projects: self
                .projects
                .iter()
                .map(|(id, (n, c))| ProjectView {
                    id: *id,
                    name: n.clone(),
                    customer: *c,
                })
                .collect(),
            activities: self
                .activities
                .iter()
                .map(|(id, (n, p))| ActivityView {
                    id: *id,
                    name: n.clone(),
                    project: *p,
                })
                .collect(),
        }
    }
}

fn named(id: i64, name: Option<&String>) -> Named {
    Named {
        id,
        name: name.cloned().unwrap_or_else(|| format!("#{id}")),
    }
}

/// The cached catalog, if one was stored (a damaged cache is ignored: it is only names).
pub(super) fn load_cached(store: &Store) -> Option<Catalog> {
    let text = store.app_setting(CACHE_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// Keeps `catalog` for offline use.
pub(super) fn save_cached(store: &Store, catalog: &Catalog) {
    if let Ok(text) = serde_json::to_string(catalog) {
        if let Err(e) = store.set_app_setting(CACHE_KEY, &text) {
            tracing::warn!(error = %e, "could not cache the Kimai catalog");
        }
    }
}
