//! The helpdesk's time unit, checked again at every full run.
//!
//! Zammad stores `time_unit` as a bare number and its `time_accounting_unit` setting only names
//! the convention; nothing converts when an admin changes it. An instance's unit was chosen (or
//! confirmed) against that setting. When the setting now says something else, a new entry's
//! `15` may mean hours where minutes were meant: new entries are parked with both settings
//! until the user confirms the unit (`confirm`); entries already booked are left as they are.

use std::collections::BTreeMap;

use timebridge_zammad::ZammadError;

use super::shared::InstanceConn;
use crate::sync::entries::InstanceKey;
use crate::sync::plan::{Link, ParkReason, SourceKey, SourceSide};
use crate::sync::time::TimeUnit;
use crate::{Store, StoreError};

/// What the setting says against the one the unit was chosen for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum UnitCheck {
    /// As it was.
    Same,
    /// Not kept yet (a connection made before it was): record it now.
    Learned(String),
    /// Changed since the unit was chosen.
    Changed {
        /// The setting kept when the unit was chosen.
        was: String,
        /// The setting Zammad has now.
        now: String,
    },
}

/// Reads the helpdesk's setting and compares it with the instance's.
pub(super) async fn check(conn: &InstanceConn) -> Result<UnitCheck, ZammadError> {
    let config = conn.client.time_accounting_config().await?;
    let now = crate::connections::zammad_settings(&config).unit_setting();
    Ok(match &conn.settings.zammad_unit_setting {
        None => UnitCheck::Learned(now),
        Some(was) if *was == now => UnitCheck::Same,
        Some(was) => UnitCheck::Changed {
            was: was.clone(),
            now,
        },
    })
}

/// Parks every entry `source` would newly book (no link yet) with the change.
pub(super) fn park_new(
    source: &mut BTreeMap<SourceKey, SourceSide>,
    links: &BTreeMap<SourceKey, Link>,
    was: &str,
    now: &str,
) {
    for (key, side) in source.iter_mut() {
        if matches!(side, SourceSide::Wanted(_)) && !links.contains_key(key) {
            *side = SourceSide::Parked(ParkReason::UnitChanged {
                was: was.to_string(),
                now: now.to_string(),
            });
        }
    }
}

/// Keeps `setting` as the one the instance's unit stands for.
pub(super) fn record(store: &Store, key: &InstanceKey, setting: &str) -> Result<(), StoreError> {
    if let Some(mut instance) = store.instance(key)? {
        instance.settings.zammad_unit_setting = Some(setting.to_string());
        store.save_instance(&instance)?;
    }
    Ok(())
}

/// The user confirms what one unit is (`unit`, or the one kept) against the setting the
/// helpdesk has now: parked entries are booked with it at the next run. `false` when the
/// instance is unknown.
pub fn confirm(
    store: &Store,
    key: &InstanceKey,
    unit: Option<TimeUnit>,
    setting_now: &str,
) -> Result<bool, StoreError> {
    let Some(mut instance) = store.instance(key)? else {
        return Ok(false);
    };
    if let Some(unit) = unit {
        instance.settings.time_unit = unit;
    }
    instance.settings.zammad_unit_setting = Some(setting_now.to_string());
    store.save_instance(&instance)?;
    Ok(true)
}
