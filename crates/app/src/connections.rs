//! The wizard's and the connections screen's commands: check (nothing stored), save (check
//! first, then the token to the secret store, then the rows; a failed write takes the token
//! out again), remove, test a stored one, Kimai's catalog.

use std::str::FromStr;

use chrono_tz::Tz;
use timebridge_http::{HttpConfig, Secret};
use timebridge_types::setup::{
    CheckView, ConfirmUnitRequest, ConnectionKindDto, ConnectionView, KimaiCatalogView, KimaiForm,
    ZammadForm,
};
use timebridge_types::{ApiError, ErrorCode};

use super::catalog::{self, Catalog};
use super::checks::{check_error, failed_check, kimai_ok, zammad_ok};
use super::views::{unit_of, unit_view};
use super::{api_error, App};
use timebridge_core::connections::{check_kimai, check_zammad};
use timebridge_core::ops::{account_of, HelpdeskFound, NewHelpdesk};
use timebridge_core::setup::{zammad_account, KIMAI_ACCOUNT};
use timebridge_core::sync::entries::InstanceKey;
use timebridge_core::sync::time::TimeUnit;
use timebridge_core::{ConnectionKind, SavedConnection};

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::Validation, message)
}

impl App {
    /// Every stored connection (never a token; whether one is stored).
    pub fn list_connections(&self) -> Result<Vec<ConnectionView>, ApiError> {
        let mut out = Vec::new();
        for listed in self.workspace().connections().map_err(api_error)? {
            let unit = listed.time_unit.as_ref().map(unit_view);
            let c = listed.connection;
            out.push(ConnectionView {
                id: c.id,
                kind: match c.kind {
                    ConnectionKind::Kimai => ConnectionKindDto::Kimai,
                    ConnectionKind::Zammad => ConnectionKindDto::Zammad,
                },
                token_stored: matches!(self.secrets.get(&account_of(&c)), Ok(Some(_))),
                instance_key: c.instance.as_ref().map(|k| k.as_str().to_string()),
                name: c.name,
                url: c.base_url,
                time_unit: unit,
            });
        }
        Ok(out)
    }

    /// "Test connection" for the Kimai form; stores nothing.
    pub async fn check_kimai(&self, form: &KimaiForm) -> CheckView {
        let token = Secret::new(form.token.as_str());
        match check_kimai(
            &form.url,
            form.allow_insecure_http,
            token,
            HttpConfig::default(),
        )
        .await
        {
            Ok(account) => kimai_ok(&account),
            Err(p) => failed_check(&p),
        }
    }

    /// "Test connection" for a Zammad form; stores nothing.
    pub async fn check_zammad(&self, form: &ZammadForm) -> CheckView {
        let token = Secret::new(form.token.as_str());
        match check_zammad(
            &form.url,
            form.allow_insecure_http,
            token,
            HttpConfig::default(),
        )
        .await
        {
            Ok(account) => zammad_ok(&account),
            Err(p) => failed_check(&p),
        }
    }

    /// Checks, then stores the Kimai connection; its user's timezone becomes the billing
    /// timezone when none is set.
    pub async fn save_kimai(&self, form: &KimaiForm) -> Result<ConnectionView, ApiError> {
        self.workspace()
            .check_new_connection(ConnectionKind::Kimai, &form.name, &form.url, None)
            .map_err(api_error)?;
        let name = form.name.trim();
        let token = Secret::new(form.token.trim());
        let account = check_kimai(
            &form.url,
            form.allow_insecure_http,
            token.clone(),
            HttpConfig::default(),
        )
        .await
        .map_err(|p| check_error(&p))?;
        let tz = Tz::from_str(&account.timezone).ok();
        self.secrets.set(KIMAI_ACCOUNT, &token).map_err(api_error)?;
        let added = self.workspace().add_kimai(
            name,
            form.url.trim(),
            form.allow_insecure_http,
            tz,
            self.now(),
        );
        match added {
            Ok(id) => self.connection_view(id),
            Err(e) => {
                let _ = self.secrets.delete(KIMAI_ACCOUNT);
                Err(api_error(e))
            }
        }
    }

    /// Checks, then stores a Zammad helpdesk with its time unit; the token's user is pinned.
    pub async fn save_zammad(&self, form: &ZammadForm) -> Result<ConnectionView, ApiError> {
        let key = InstanceKey::new(form.key.trim()).map_err(|e| invalid(e.to_string()))?;
        let unit = unit_of(&form.time_unit)?;
        self.workspace()
            .check_new_connection(ConnectionKind::Zammad, &form.name, &form.url, Some(&key))
            .map_err(api_error)?;
        let name = form.name.trim();
        self.workspace().refuse_used_key(&key).map_err(api_error)?;
        let token = Secret::new(form.token.trim());
        let account = check_zammad(
            &form.url,
            form.allow_insecure_http,
            token.clone(),
            HttpConfig::default(),
        )
        .await
        .map_err(|p| check_error(&p))?;
        unit_agrees(
            &account.time_accounting,
            &unit,
            form.unit_differs_from_zammad,
        )?;
        let secret_account = zammad_account(key.as_str());
        self.secrets
            .set(&secret_account, &token)
            .map_err(api_error)?;
        let added = self.workspace().add_helpdesk(&NewHelpdesk {
            name,
            url: form.url.trim(),
            allow_insecure_http: form.allow_insecure_http,
            key: &key,
            unit,
            found: Some(HelpdeskFound {
                user_id: account.user_id,
                unit_setting: account.time_accounting.unit_setting(),
            }),
        });
        match added {
            Ok(id) => self.connection_view(id),
            Err(e) => {
                let _ = self.secrets.delete(&secret_account);
                Err(api_error(e))
            }
        }
    }

    fn connection_view(&self, id: i64) -> Result<ConnectionView, ApiError> {
        self.list_connections()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no connection {id}")))
    }

    fn saved(&self, id: i64) -> Result<SavedConnection, ApiError> {
        self.workspace().connection(id).map_err(api_error)
    }

    /// Removes a connection and its token (the token first, so none is left behind).
    pub fn remove_connection(&self, id: i64) -> Result<(), ApiError> {
        self.workspace().remove_connection(id).map_err(api_error)?;
        Ok(())
    }

    /// The stored token of connection `c` (`token_missing` when there is none).
    fn stored_token(&self, c: &SavedConnection) -> Result<Secret, ApiError> {
        self.workspace().stored_token(c).map_err(api_error)
    }

    /// Checks a stored connection with its stored token.
    pub async fn test_connection(&self, id: i64) -> Result<CheckView, ApiError> {
        let c = self.saved(id)?;
        let token = self.stored_token(&c)?;
        let config = HttpConfig::default();
        Ok(match c.kind {
            ConnectionKind::Kimai => {
                match check_kimai(&c.base_url, c.allow_insecure_http, token, config).await {
                    Ok(a) => kimai_ok(&a),
                    Err(p) => failed_check(&p),
                }
            }
            ConnectionKind::Zammad => {
                match check_zammad(&c.base_url, c.allow_insecure_http, token, config).await {
                    Ok(a) => zammad_ok(&a),
                    Err(p) => failed_check(&p),
                }
            }
        })
    }

    /// The user confirms what one unit of helpdesk `req.instance` means after its unit
    /// setting changed: the setting is read now (with the stored token) and kept with the
    /// unit; entries parked because of the change are booked at the next sync.
    pub async fn confirm_unit(&self, req: &ConfirmUnitRequest) -> Result<ConnectionView, ApiError> {
        let unit = unit_of(&req.unit)?;
        let key = InstanceKey::new(req.instance.trim()).map_err(|e| invalid(e.to_string()))?;
        let c = self
            .workspace()
            .helpdesk_connection(&key)
            .map_err(api_error)?;
        let token = self.stored_token(&c)?;
        let account = check_zammad(
            &c.base_url,
            c.allow_insecure_http,
            token,
            HttpConfig::default(),
        )
        .await
        .map_err(|p| check_error(&p))?;
        let setting = account.time_accounting.unit_setting();
        self.workspace()
            .confirm_unit(&key, unit, &setting)
            .map_err(api_error)?;
        self.connection_view(c.id)
    }

    /// Kimai's customers, projects and activities, read now (and kept for offline names).
    pub async fn kimai_catalog(&self) -> Result<KimaiCatalogView, ApiError> {
        let fresh = self.fetch_catalog().await?;
        Ok(fresh.view())
    }

    pub(super) async fn fetch_catalog(&self) -> Result<Catalog, ApiError> {
        let client = self
            .workspace()
            .kimai_client()
            .map_err(api_error)?
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotConfigured, "no Kimai connection is set up")
            })?;
        let fresh = Catalog::fetch(&client).await.map_err(api_error)?;
        catalog::save_cached(self.store(), &fresh);
        *self.catalog.lock() = Some(fresh.clone());
        Ok(fresh)
    }

    /// Kimai's names as last known (empty when never fetched).
    pub(super) fn names(&self) -> Catalog {
        self.catalog.lock().clone().unwrap_or_default()
    }
}

/// The unit chosen for a helpdesk must be its own time accounting unit, or the user must have
/// said that theirs is meant (the helpdesk's differs, or names no standard unit).
fn unit_agrees(
    setting: &timebridge_core::connections::TimeAccountingSettings,
    unit: &TimeUnit,
    differs_confirmed: bool,
) -> Result<(), ApiError> {
    match TimeUnit::of_zammad_setting(&setting.unit) {
        Some(zammad) if zammad != *unit && !differs_confirmed => {
            return Err(invalid(format!(
                "this helpdesk's time accounting unit is {:?}: with the unit chosen here an \
                 entry of 15 would be booked as {} instead of {}. Choose the helpdesk's \
                 unit, or confirm that yours is meant",
                setting.unit,
                unit.fifteen_in_words(),
                zammad.fifteen_in_words()
            )));
        }
        // Unset or custom: only the user knows what one unit is; they must say so.
        None if !differs_confirmed => {
            return Err(invalid(format!(
                "this helpdesk's time accounting unit setting is {:?}, which names no \
                 standard unit: confirm that an entry of 15 means {}",
                setting.unit_setting(),
                unit.fifteen_in_words()
            )));
        }
        _ => {}
    }
    Ok(())
}
