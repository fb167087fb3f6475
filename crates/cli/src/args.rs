//! How the command line writes what it takes and shows: entry keys (`acme#4711`), time units
//! (`--unit`) and days (`YYYY-MM-DD`). Parsers for clap's `value_parser` and the printers the
//! commands share; the commands import this, it imports none of them.

use chrono::NaiveDate;
use timebridge_core::sync::plan::SourceKey;
use timebridge_core::sync::time::TimeUnit;

/// `acme#4711`: an instance key, `#`, a time accounting id (clap's `value_parser`).
pub(crate) fn parse_source_key(text: &str) -> Result<SourceKey, String> {
    text.parse()
}

/// `minutes`, `hours`, `quarter_hours` or `custom:<minutes per unit>` (a positive decimal).
pub(crate) fn parse_unit(text: &str) -> Result<TimeUnit, String> {
    let kind = match text {
        "minutes" => serde_json::json!({"kind": "minutes"}),
        "hours" => serde_json::json!({"kind": "hours"}),
        "quarter_hours" => serde_json::json!({"kind": "quarter_hours"}),
        other => {
            let Some(factor) = other.strip_prefix("custom:") else {
                return Err(format!(
                    "unknown unit {other:?}: use minutes, hours, quarter_hours or \
                     custom:<minutes per unit>"
                ));
            };
            let positive = factor
                .parse::<f64>()
                .is_ok_and(|f| f.is_finite() && f > 0.0);
            if !positive || !factor.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return Err(format!(
                    "custom unit needs a positive number of minutes per unit, e.g. custom:7.5; \
                     got {factor:?}"
                ));
            }
            serde_json::json!({"kind": "custom", "minutes_per_unit": factor})
        }
    };
    serde_json::from_value(kind).map_err(|e| format!("unit {text:?}: {e}"))
}

/// `YYYY-MM-DD`, as `--since` takes it.
pub(crate) fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a day as YYYY-MM-DD, e.g. 2026-01-01"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_parse_to_the_core_type() {
        assert_eq!(parse_unit("minutes"), Ok(TimeUnit::Minutes));
        assert_eq!(parse_unit("hours"), Ok(TimeUnit::Hours));
        assert_eq!(parse_unit("quarter_hours"), Ok(TimeUnit::QuarterHours));
        let custom = serde_json::to_value(parse_unit("custom:7.5").unwrap()).unwrap();
        assert_eq!(
            custom,
            serde_json::json!({"kind": "custom", "minutes_per_unit": "7.5"})
        );
        for bad in [
            "minute",
            "custom:",
            "custom:0",
            "custom:-3",
            "custom:1e3",
            "custom:x",
        ] {
            assert!(parse_unit(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn entry_keys_parse_and_print() {
        let key = parse_source_key("acme#4711").unwrap();
        assert_eq!(key.instance, "acme");
        assert_eq!(key.time_accounting_id, 4711);
        assert_eq!(key.to_string(), "acme#4711");
        for bad in ["acme", "Acme#1", "acme#", "acme#x", "#4"] {
            assert!(parse_source_key(bad).is_err(), "{bad}");
        }
    }
}
