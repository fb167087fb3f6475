//! The authenticated user (`GET /api/v1/users/me`), needed to know whose entries are ours
//! (`created_by_id`) and which groups the token can see.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A Zammad user as returned by `/api/v1/users/me`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct User {
    /// The user id (`created_by_id` of the entries this user books).
    pub id: i64,
    /// The login name.
    pub login: String,
    /// The e-mail address (may be empty).
    #[serde(default)]
    pub email: Option<String>,
    /// First name.
    #[serde(default)]
    pub firstname: Option<String>,
    /// Last name.
    #[serde(default)]
    pub lastname: Option<String>,
    /// Whether the account is active.
    #[serde(default = "yes")]
    pub active: bool,
    /// Role ids.
    #[serde(default)]
    pub role_ids: Vec<i64>,
    /// The primary organization, if any.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// Group access map: group id (as text) → access levels (`full`, `change`, `read`, …).
    #[serde(default)]
    pub group_ids: BTreeMap<String, Vec<String>>,
}

fn yes() -> bool {
    true
}

impl User {
    /// The display name, `First Last`, falling back to the login.
    pub fn full_name(&self) -> String {
        let name = [self.firstname.as_deref(), self.lastname.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if name.is_empty() {
            self.login.clone()
        } else {
            name
        }
    }

    /// Whether the user may change tickets of `group_id` (access `full` or `change`), which
    /// Zammad requires even to *read* time accountings (docs/api-notes.md).
    pub fn can_change_group(&self, group_id: i64) -> bool {
        self.group_ids
            .get(&group_id.to_string())
            .is_some_and(|acc| acc.iter().any(|a| a == "full" || a == "change"))
    }
}
