//! The time accounting settings, read from `GET /api/v1/signshow` (`config.*`), which any
//! authenticated user may read. The unit is a display label only: Zammad never converts values,
//! so the sync must know which convention an instance uses (docs/api-notes.md).

use serde::{Deserialize, Deserializer};

/// The `time_accounting_unit` setting.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeAccountingUnit {
    /// `''` (or missing): no unit configured.
    #[default]
    Unset,
    /// `hour`
    Hour,
    /// `quarter` (quarter hours)
    Quarter,
    /// `minute`
    Minute,
    /// `custom`: see [`TimeAccountingConfig::time_accounting_unit_custom`].
    Custom,
    /// A value this client does not know.
    Other(String),
}

impl TimeAccountingUnit {
    /// Parses the setting's text.
    pub fn from_setting(text: &str) -> Self {
        match text {
            "" => Self::Unset,
            "hour" => Self::Hour,
            "quarter" => Self::Quarter,
            "minute" => Self::Minute,
            "custom" => Self::Custom,
            other => Self::Other(other.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for TimeAccountingUnit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        Ok(Self::from_setting(text.as_deref().unwrap_or("")))
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The time accounting settings of one Zammad instance.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct TimeAccountingConfig {
    /// Setting `time_accounting`: whether agents may account time.
    #[serde(default, deserialize_with = "null_as_default")]
    pub time_accounting: bool,
    /// Setting `time_accounting_unit`: the display label of `time_unit`.
    #[serde(default)]
    pub time_accounting_unit: TimeAccountingUnit,
    /// Setting `time_accounting_unit_custom`: the label when the unit is `custom`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub time_accounting_unit_custom: String,
    /// Setting `time_accounting_types`: whether activity types are enabled.
    #[serde(default, deserialize_with = "null_as_default")]
    pub time_accounting_types: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_unit_and_null_settings_parse() {
        let parse =
            |v: serde_json::Value| serde_json::from_value::<TimeAccountingConfig>(v).unwrap();
        for (text, unit) in [
            ("", TimeAccountingUnit::Unset),
            ("hour", TimeAccountingUnit::Hour),
            ("quarter", TimeAccountingUnit::Quarter),
            ("minute", TimeAccountingUnit::Minute),
            ("custom", TimeAccountingUnit::Custom),
            ("fortnight", TimeAccountingUnit::Other("fortnight".into())),
        ] {
            let cfg = parse(serde_json::json!({"time_accounting_unit": text}));
            assert_eq!(cfg.time_accounting_unit, unit, "{text}");
        }
        let cfg = parse(
            serde_json::json!({"time_accounting": null, "time_accounting_unit": null,
            "time_accounting_unit_custom": null}),
        );
        assert_eq!(cfg, TimeAccountingConfig::default());
    }
}
