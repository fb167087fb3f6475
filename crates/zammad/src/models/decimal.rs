//! Zammad serialises decimal columns as JSON strings (`"15.0"`, `"-5.0"`); a number is
//! accepted too, defensively (webhooks and older versions send floats). Never via `f64`.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Raw {
    Text(String),
    Number(serde_json::Number),
}

fn parse<E: serde::de::Error>(raw: Raw) -> Result<Decimal, E> {
    let text = match raw {
        Raw::Text(t) => t,
        Raw::Number(n) => n.to_string(),
    };
    let text = text.trim();
    Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|e| E::custom(format!("{text:?} is not a decimal number: {e}")))
}

/// A required decimal given as string or number.
pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    parse(Raw::deserialize(d)?)
}

/// A nullable decimal given as string, number or `null`.
pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    Option::<Raw>::deserialize(d)?.map(parse).transpose()
}
