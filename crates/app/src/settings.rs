//! Mappings (per helpdesk) and the app's settings. Settings are one JSON row in the
//! `settings` table (`app.settings`); the billing timezone keeps its own column. Saving the
//! schedule or the pause takes effect in the running scheduler at once.

use std::str::FromStr;

use chrono_tz::Tz;
use timebridge_types::settings::{
    InstanceMappingsView, MappingRuleView, ScopeKind, SettingsView, TypeActivity,
};
use timebridge_types::{ApiError, ErrorCode};

use super::stored_settings::{cron_of, load, store_settings};
use super::views::unit_view;
use super::{api_error, App};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::mapping::{MappingRule, Scope};

fn scope_view(scope: Scope) -> (ScopeKind, i64) {
    match scope {
        Scope::Ticket(id) => (ScopeKind::Ticket, id),
        Scope::Organization(id) => (ScopeKind::Organization, id),
        Scope::Customer(id) => (ScopeKind::Customer, id),
        Scope::Group(id) => (ScopeKind::Group, id),
    }
}

fn scope_of(kind: ScopeKind, id: i64) -> Scope {
    match kind {
        ScopeKind::Ticket => Scope::Ticket(id),
        ScopeKind::Organization => Scope::Organization(id),
        ScopeKind::Customer => Scope::Customer(id),
        ScopeKind::Group => Scope::Group(id),
    }
}

impl App {
    /// The stored settings (defaults where never saved) with the billing dates: the
    /// timezone, "book time from" and the oldest month a full sync reads.
    pub fn get_settings(&self) -> Result<SettingsView, ApiError> {
        let mut settings = load(self.store()).map_err(api_error)?;
        let dates = self
            .workspace()
            .billing_dates(self.now())
            .map_err(api_error)?;
        settings.billing_timezone = dates.timezone.map(|tz| tz.name().to_string());
        settings.book_from = dates.book_from.map(|d| d.format("%Y-%m-%d").to_string());
        settings.oldest_open_month = dates.oldest_open_month.map(|m| m.to_string());
        Ok(settings)
    }

    /// Saves the settings; a new schedule or pause applies at once. An invalid custom cron
    /// or timezone is refused (`validation`) and nothing is changed.
    pub async fn save_settings(&self, new: SettingsView) -> Result<SettingsView, ApiError> {
        let tz = match new.billing_timezone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => Some(Tz::from_str(name).map_err(|_| {
                ApiError::new(
                    ErrorCode::Validation,
                    format!("{name:?} is not a timezone name (e.g. Europe/Berlin)"),
                )
            })?),
        };
        let book_from = match new.book_from.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                    ApiError::new(
                        ErrorCode::Validation,
                        format!("{text:?} is not a day (YYYY-MM-DD, e.g. 2026-10-01)"),
                    )
                })?;
                // Checked before anything is saved: a refused day changes nothing.
                timebridge_core::ops::check_book_from(day, self.now()).map_err(api_error)?;
                Some(day)
            }
        };
        let cron = cron_of(&new.schedule);
        if cron != self.scheduler.status().cron {
            self.scheduler.set_cron(cron).await.map_err(api_error)?;
        }
        if new.paused {
            self.scheduler.pause();
        } else {
            self.scheduler.resume();
        }
        if let Some(tz) = tz {
            self.workspace()
                .set_billing_timezone(tz)
                .map_err(api_error)?;
        }
        if let Some(day) = book_from {
            self.workspace()
                .set_book_from(day, self.now())
                .map_err(api_error)?;
        }
        store_settings(self.store(), &new)?;
        self.get_settings()
    }

    /// Every helpdesk's mappings.
    pub fn get_mappings(&self) -> Result<Vec<InstanceMappingsView>, ApiError> {
        let instances = self.workspace().helpdesk_settings().map_err(api_error)?;
        Ok(instances
            .iter()
            .map(|i| {
                let s = &i.settings;
                InstanceMappingsView {
                    instance: i.key.as_str().to_string(),
                    time_unit: Some(unit_view(&s.time_unit)),
                    rules: s
                        .rules
                        .iter()
                        .map(|r| {
                            let (scope, scope_id) = scope_view(r.scope);
                            MappingRuleView {
                                scope,
                                scope_id,
                                customer: r.customer,
                                project: r.project,
                                activity: r.activity,
                            }
                        })
                        .collect(),
                    activity_by_type: s
                        .activity_by_type
                        .iter()
                        .map(|(t, a)| TypeActivity {
                            type_id: *t,
                            activity: *a,
                        })
                        .collect(),
                    activity_without_type: s.activity_without_type,
                }
            })
            .collect())
    }

    /// Replaces one helpdesk's rules and activities (its unit, description, rounding… stay).
    /// The next sync uses them; entries parked for want of a mapping are taken up again.
    pub fn save_mappings(
        &self,
        view: InstanceMappingsView,
    ) -> Result<InstanceMappingsView, ApiError> {
        let key = InstanceKey::new(&view.instance)
            .map_err(|e| ApiError::new(ErrorCode::Validation, e.to_string()))?;
        let mut instance = self.workspace().helpdesk(&key).map_err(api_error)?;
        instance.settings.rules = view
            .rules
            .iter()
            .map(|r| MappingRule {
                scope: scope_of(r.scope, r.scope_id),
                customer: r.customer,
                project: r.project,
                activity: r.activity,
            })
            .collect();
        instance.settings.activity_by_type = view
            .activity_by_type
            .iter()
            .map(|t| (t.type_id, t.activity))
            .collect();
        instance.settings.activity_without_type = view.activity_without_type;
        self.workspace()
            .save_helpdesk(&instance)
            .map_err(api_error)?;
        self.get_mappings()?
            .into_iter()
            .find(|m| m.instance == view.instance)
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the mapping just saved is gone"))
    }
}
