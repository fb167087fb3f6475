//! Mapping suggestions for the wizard: Zammad organizations whose names look like a Kimai
//! customer's ("Acme Logistics" ~ "Acme GmbH"), for organizations no rule covers yet. They are
//! proposals the user confirms in the UI; nothing here changes a mapping.

use std::collections::{BTreeMap, BTreeSet};

use timebridge_types::setup::MappingSuggestion;
use timebridge_types::{ApiError, Named};
use timebridge_zammad::ZammadClient;

use super::{api_error, App, Catalog};
use timebridge_core::sync::mapping::Scope;

/// At most this many ticket pages (100 tickets each) are read to find organizations.
const PAGES: u32 = 5;

/// Legal forms and filler words that say nothing about who a customer is.
const NOISE: &[&str] = &[
    "gmbh", "ag", "ltd", "inc", "llc", "kg", "co", "se", "the", "und", "and",
];

fn words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty() && !NOISE.contains(&w.as_str()))
        .collect()
}

/// Why `org` looks like `customer`, or `None`.
pub(super) fn resemblance(org: &str, customer: &str) -> Option<String> {
    let (o, c) = (words(org), words(customer));
    if o.is_empty() || c.is_empty() {
        return None;
    }
    if o == c {
        return Some("the same name".into());
    }
    if o[0] == c[0] {
        return Some(format!("both names start with \"{}\"", o[0]));
    }
    None
}

/// The best customer for `org` (exact names first), with the reason.
fn best(org: &str, catalog: &Catalog) -> Option<(i64, String)> {
    let mut found: Vec<(bool, i64, String)> = catalog
        .customers
        .iter()
        .filter_map(|(id, name)| {
            resemblance(org, name).map(|why| (why != "the same name", *id, why))
        })
        .collect();
    found.sort();
    found.into_iter().next().map(|(_, id, why)| (id, why))
}

async fn organizations(client: &ZammadClient) -> Result<BTreeMap<i64, String>, ApiError> {
    let mut ids = BTreeSet::new();
    for page in 1..=PAGES {
        let tickets = client.tickets_page(page, 100).await.map_err(zammad_error)?;
        let last = tickets.len() < 100;
        ids.extend(tickets.iter().filter_map(|t| t.organization_id));
        if last {
            break;
        }
    }
    let mut out = BTreeMap::new();
    for id in ids {
        if let Ok(org) = client.organization(id).await {
            out.insert(id, org.name);
        }
    }
    Ok(out)
}

fn zammad_error(e: timebridge_zammad::ZammadError) -> ApiError {
    let code = if e.is_retryable() {
        timebridge_types::ErrorCode::Offline
    } else {
        timebridge_types::ErrorCode::Remote
    };
    ApiError::new(code, format!("Zammad: {e}"))
}

impl App {
    /// Suggestions for every helpdesk's unmapped organizations.
    pub async fn mapping_suggestions(&self) -> Result<Vec<MappingSuggestion>, ApiError> {
        let setup = self.workspace().setup().map_err(api_error)?;
        let catalog = self.fetch_catalog().await?;
        let mut out = Vec::new();
        for instance in &setup.instances {
            let mapped: BTreeSet<i64> = instance
                .settings
                .rules
                .iter()
                .filter_map(|r| match r.scope {
                    Scope::Organization(id) => Some(id),
                    _ => None,
                })
                .collect();
            for (id, name) in organizations(&instance.client).await? {
                if mapped.contains(&id) {
                    continue;
                }
                let Some((customer, reason)) = best(&name, &catalog) else {
                    continue;
                };
                let project = catalog
                    .projects
                    .iter()
                    .find(|(_, (_, c))| *c == customer)
                    .map(|(pid, _)| catalog.project(*pid));
                out.push(MappingSuggestion {
                    instance: instance.key.as_str().to_string(),
                    organization: Named { id, name },
                    customer: catalog.customer(customer),
                    project,
                    reason,
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::resemblance;

    #[test]
    fn names_resemble_by_their_words_not_their_legal_form() {
        assert_eq!(
            resemblance("Globex AG", "Globex").as_deref(),
            Some("the same name")
        );
        assert!(resemblance("Acme Logistics", "Acme GmbH").is_some());
        assert_eq!(resemblance("Initech Ltd", "Acme GmbH"), None);
        assert_eq!(resemblance("GmbH", "AG"), None, "nothing but legal forms");
    }
}
