//! Numbers, hours, months and times in the current language. The core sends exact decimal
//! strings (`"7.25"`), RFC 3339 instants and wall times (`YYYY-MM-DDTHH:MM:SS` in the billing
//! timezone); nothing here rounds an amount, it only changes separators and order.

use super::{lang, Language};

/// A decimal string with the language's separator (`"7.25"` → `"7,25"` in German).
pub(crate) fn decimal(value: &str) -> String {
    decimal_in(lang(), value)
}

fn decimal_in(lang: Language, value: &str) -> String {
    match lang {
        Language::En => value.to_string(),
        Language::De => value.replace('.', ","),
    }
}

/// Seconds as hours with two decimals (`27000` → `"7.50"`), for durations the core gives in
/// seconds. Exact for whole minutes to two places (rounded half up at the third).
pub(crate) fn hours(seconds: i64) -> String {
    hours_in(lang(), seconds)
}

fn hours_in(lang: Language, seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let hundredths = (seconds.unsigned_abs() * 100 + 1800) / 3600;
    decimal_in(
        lang,
        &format!("{sign}{}.{:02}", hundredths / 100, hundredths % 100),
    )
}

/// Milliseconds as `H:MM:SS`, with the fraction of a second where one remains
/// (`1198800` → `"0:19:58.8"`): the ledger's parts are exact and must not be rounded away.
pub(crate) fn clock(millis: i64) -> String {
    let sign = if millis < 0 { "-" } else { "" };
    let ms = millis.unsigned_abs();
    let secs = ms / 1000;
    let base = format!(
        "{sign}{}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    match ms % 1000 {
        0 => base,
        rest => decimal(&format!(
            "{base}.{}",
            format!("{rest:03}").trim_end_matches('0')
        )),
    }
}

/// Seconds as `H:MM` (`5400` → `"1:30"`), as Kimai shows durations.
pub(crate) fn duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{}:{:02}", minutes / 60, minutes % 60)
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// `"2026-11"` → `"November 2026"`; anything else is shown as it is.
pub(crate) fn month(value: &str) -> String {
    month_in(lang(), value)
}

fn month_in(lang: Language, value: &str) -> String {
    let parsed = value
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)))
        .filter(|(_, m)| (1..=12).contains(m));
    match parsed {
        Some((year, m)) => {
            let names = match lang {
                Language::En => &MONTHS_EN,
                Language::De => &MONTHS_DE,
            };
            format!("{} {year}", names[m - 1])
        }
        None => value.to_string(),
    }
}

/// A wall time `YYYY-MM-DDTHH:MM[:SS]` → `2026-11-27 14:30` / `27.11.2026 14:30`; a date
/// alone → the date part.
pub(crate) fn wall(value: &str) -> String {
    wall_in(lang(), value)
}

fn wall_in(lang: Language, value: &str) -> String {
    let (date, time) = value.split_once('T').unwrap_or((value, ""));
    let time: String = time.chars().take(5).collect();
    let date = match (lang, date.split('-').collect::<Vec<_>>().as_slice()) {
        (Language::De, [y, m, d]) => format!("{d}.{m}.{y}"),
        _ => date.to_string(),
    };
    if time.is_empty() {
        date
    } else {
        format!("{date} {time}")
    }
}

/// An RFC 3339 instant in the computer's local time (`Date.toLocaleString`).
pub(crate) fn instant(value: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value));
    if date.get_time().is_nan() {
        return value.to_string();
    }
    let locale = match lang() {
        Language::En => "en-GB",
        Language::De => "de-DE",
    };
    let options = js_sys::Object::new();
    for (k, v) in [
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &k.into(), &v.into());
    }
    String::from(date.to_locale_string(locale, &options))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_round_half_up_and_use_the_language_separator() {
        assert_eq!(hours_in(Language::En, 27000), "7.50");
        assert_eq!(hours_in(Language::De, 27000), "7,50");
        assert_eq!(hours_in(Language::En, 60), "0.02");
        assert_eq!(hours_in(Language::En, -5400), "-1.50");
        assert_eq!(duration(5400), "1:30");
    }

    #[test]
    fn months_and_wall_times_follow_the_language() {
        assert_eq!(month_in(Language::De, "2026-03"), "März 2026");
        assert_eq!(month_in(Language::En, "2026-13"), "2026-13");
        assert_eq!(
            wall_in(Language::De, "2026-11-27T14:30:00"),
            "27.11.2026 14:30"
        );
        assert_eq!(
            wall_in(Language::En, "2026-11-27T14:30:00"),
            "2026-11-27 14:30"
        );
    }
}
