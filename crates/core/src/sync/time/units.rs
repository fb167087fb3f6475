//! What a Zammad `time_unit` means. Zammad stores a unitless decimal and never converts it; the
//! user says per instance what one unit is. Everything downstream works in whole seconds.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// The meaning of one Zammad `time_unit`, configured per Zammad instance.
///
/// Serialised internally tagged, snake case: `{"kind":"minutes"}`, `{"kind":"quarter_hours"}`,
/// `{"kind":"custom","minutes_per_unit":"7.5"}` (the factor is a decimal string).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimeUnit {
    /// One unit is one minute (Zammad's most common setup).
    Minutes,
    /// One unit is one hour.
    Hours,
    /// One unit is a quarter of an hour (15 minutes).
    QuarterHours,
    /// One unit is `minutes_per_unit` minutes; the factor must be positive.
    Custom {
        /// Minutes per unit, e.g. `7.5`.
        minutes_per_unit: Decimal,
    },
}

/// Why a `time_unit` value could not be turned into seconds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    /// A custom unit's factor is zero or negative, which would silently zero or flip every entry.
    #[error("custom time unit needs a positive number of minutes per unit, got {0}")]
    NonPositiveFactor(Decimal),
    /// The duration does not fit in an `i64` number of seconds.
    #[error("time value {value} is too large to convert to seconds")]
    Overflow {
        /// The Zammad value that overflowed.
        value: Decimal,
    },
}

impl TimeUnit {
    /// What an entry of 15 means in this unit, in words ("15 hours"): how a wrong unit is
    /// explained to the user.
    pub fn fifteen_in_words(&self) -> String {
        match self {
            Self::Minutes => "15 minutes".into(),
            Self::Hours => "15 hours".into(),
            Self::QuarterHours => "3 h 45 min (15 quarter hours)".into(),
            Self::Custom { minutes_per_unit } => {
                format!("{} minutes", *minutes_per_unit * Decimal::from(15))
            }
        }
    }

    /// The unit Zammad's `time_accounting_unit` setting names (`minute`, `quarter`, `hour`);
    /// `None` for `unset`, `custom` and anything else, whose meaning only the user knows.
    /// Zammad never converts: the setting is only a label, but it is what the agents who book
    /// the time read beside the field.
    pub fn of_zammad_setting(label: &str) -> Option<Self> {
        match label {
            "minute" => Some(Self::Minutes),
            "quarter" => Some(Self::QuarterHours),
            "hour" => Some(Self::Hours),
            _ => None,
        }
    }

    /// Seconds in one unit, exactly.
    fn seconds_per_unit(&self) -> Result<Decimal, UnitError> {
        match self {
            Self::Minutes => Ok(Decimal::from(60)),
            Self::Hours => Ok(Decimal::from(3600)),
            Self::QuarterHours => Ok(Decimal::from(900)),
            Self::Custom { minutes_per_unit } => {
                if *minutes_per_unit <= Decimal::ZERO {
                    return Err(UnitError::NonPositiveFactor(*minutes_per_unit));
                }
                minutes_per_unit
                    .checked_mul(Decimal::from(60))
                    .ok_or(UnitError::Overflow {
                        value: *minutes_per_unit,
                    })
            }
        }
    }

    /// The duration `value` units stand for, in whole seconds.
    ///
    /// Exact decimal arithmetic; the result is rounded half away from zero to whole seconds and
    /// keeps its sign (Zammad corrections are negative entries). Zero stays zero.
    ///
    /// # Errors
    /// [`UnitError::NonPositiveFactor`] for a custom factor ≤ 0, [`UnitError::Overflow`] when the
    /// result does not fit in an `i64`.
    pub fn duration_secs(&self, value: Decimal) -> Result<i64, UnitError> {
        let per_unit = self.seconds_per_unit()?;
        value
            .checked_mul(per_unit)
            .map(|secs| secs.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
            .and_then(|secs| secs.to_i64())
            .ok_or(UnitError::Overflow { value })
    }

    /// The duration `value` units stand for, in whole milliseconds: Zammad's exact time for
    /// the reconciliation (an hour unit's `0.333` is 1,198.8 s, which whole seconds would
    /// already round). Rounded half away from zero, signed like `value`.
    ///
    /// # Errors
    /// As [`Self::duration_secs`].
    pub fn duration_millis(&self, value: Decimal) -> Result<i64, UnitError> {
        let per_unit = self.seconds_per_unit()?;
        value
            .checked_mul(per_unit)
            .and_then(|secs| secs.checked_mul(Decimal::from(1000)))
            .map(|ms| ms.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
            .and_then(|ms| ms.to_i64())
            .ok_or(UnitError::Overflow { value })
    }
}
