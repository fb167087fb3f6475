//! Property tests ("fuzzing" with proptest) for everything that turns Kimai's bytes into
//! types: the JSON models, the error mapping of non-2xx answers, the colon-less datetimes and
//! the money amounts. A server on a bad day (or a proxy in between) may send anything; the
//! client must answer with a typed error, never a panic, and must read well-formed answers
//! exactly.
//!
//! Cases per property: 256 by default; `PROPTEST_CASES=100000` runs long (docs/reliability.md).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use timebridge_http::Response;

use crate::error::{decode, from_response, Ctx};
use crate::models::datetime;
use crate::{Activity, Customer, KimaiError, Project, Tag, Timesheet, User, Version};
use crate::{NewTimesheet, TimesheetConfig};

/// Any JSON value, nested a few levels, with keys the models actually use mixed in so that
/// generated objects reach the field parsers instead of failing on the first missing field.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("id".to_string()),
        Just("begin".to_string()),
        Just("end".to_string()),
        Just("rate".to_string()),
        Just("tags".to_string()),
        Just("errors".to_string()),
        Just("children".to_string()),
        Just("message".to_string()),
        "[a-zA-Z]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,30}".prop_map(Value::from),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:?[0-9]{2}"
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every model the client decodes, fed the same bytes: none may panic.
fn decode_all(body: &[u8]) {
    let _ = decode::<Timesheet>(body);
    let _ = decode::<Vec<Timesheet>>(body);
    let _ = decode::<Customer>(body);
    let _ = decode::<Vec<Project>>(body);
    let _ = decode::<Vec<Activity>>(body);
    let _ = decode::<Vec<Tag>>(body);
    let _ = decode::<Vec<String>>(body);
    let _ = decode::<Version>(body);
    let _ = decode::<User>(body);
    let _ = decode::<TimesheetConfig>(body);
}

fn response(status: u16, body: Vec<u8>) -> Response {
    Response {
        status,
        headers: Default::default(),
        body: body.into(),
    }
}

/// A well-formed timesheet as Kimai 2.66 sends it, and the record it must decode to.
fn timesheet_pair() -> impl Strategy<Value = (Value, Timesheet)> {
    (
        (
            1i64..i64::from(u32::MAX),
            0i64..4_000_000_000,
            -14 * 60..=14 * 60i32,
        ),
        (0i64..86_400, prop::option::of(0i64..3_600)),
        (prop::option::of(".{0,40}"), any::<bool>(), any::<bool>()),
        prop::collection::vec("[a-zA-Z0-9 ]{1,12}", 0..4),
        (1i64..10_000, 1i64..10_000, 1i64..10_000),
        prop::option::of((-10_000_000i64..10_000_000, 0u32..4)),
    )
        .prop_map(
            |((id, secs, off_min), (len, brk), (desc, exported, billable), tags, ids, rate)| {
                let offset = FixedOffset::east_opt(off_min * 60).expect("within ±14 h");
                let begin = offset.timestamp_opt(secs, 0).single().expect("in range");
                let end = begin + chrono::Duration::seconds(len);
                let rate = rate.map(|(m, s)| Decimal::new(m, s));
                let wire = json!({
                    "id": id,
                    "begin": begin.format("%Y-%m-%dT%H:%M:%S%z").to_string(),
                    "end": end.format("%Y-%m-%dT%H:%M:%S%z").to_string(),
                    "duration": len, "break": brk, "description": desc,
                    "exported": exported, "billable": billable, "tags": tags,
                    "metaFields": [], "user": ids.0, "project": ids.1, "activity": ids.2,
                    "rate": rate.map(|r| r.to_string().parse::<f64>().expect("decimal text")),
                    "internalRate": null,
                });
                let typed = Timesheet {
                    id,
                    begin,
                    end: Some(end),
                    duration: Some(len),
                    break_seconds: brk,
                    description: desc,
                    exported,
                    billable,
                    tags,
                    meta_fields: Vec::new(),
                    user: ids.0,
                    project: ids.1,
                    activity: ids.2,
                    rate,
                    internal_rate: None,
                    fixed_rate: None,
                    hourly_rate: None,
                };
                (wire, typed)
            },
        )
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_any_decoder(body in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_all(&body);
    }

    #[test]
    fn arbitrary_json_never_panics_any_decoder(value in any_json()) {
        decode_all(&serde_json::to_vec(&value).unwrap());
        decode_all(&serde_json::to_vec(&vec![value]).unwrap());
    }

    #[test]
    fn any_error_answer_maps_to_a_typed_error(
        status in 100u16..1000,
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..300),
            any_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
            any_json().prop_map(|v| serde_json::to_vec(&json!({"code": 400, "errors": v})).unwrap()),
        ],
    ) {
        for ctx in [Ctx::Plain, Ctx::Change, Ctx::Probe] {
            let err = from_response(&response(status, body.clone()), ctx);
            if status == 401 {
                prop_assert!(matches!(err, KimaiError::AuthFailed), "{err:?}");
            }
            // The message is shown to users: it must render, and never carry more than an excerpt.
            prop_assert!(err.to_string().chars().count() < 2_000 + body.len() * 4);
        }
    }

    #[test]
    fn a_well_formed_timesheet_round_trips((wire, typed) in timesheet_pair()) {
        let decoded: Timesheet = decode(&serde_json::to_vec(&wire).unwrap()).unwrap();
        prop_assert_eq!(&decoded, &typed);
        prop_assert_eq!(decoded.begin.offset(), typed.begin.offset(), "the record's own offset is kept");
    }

    #[test]
    fn one_broken_field_is_named_in_the_decode_error(
        (wire, _) in timesheet_pair(),
        field in prop::sample::select(vec!["id", "begin", "end", "user", "project", "rate", "tags"]),
        junk in prop_oneof![Just(json!("junk")), Just(json!({"x": 1})), Just(json!(-1.5e300))],
    ) {
        let mut wire = wire;
        wire[field] = junk.clone();
        match decode::<Timesheet>(&serde_json::to_vec(&wire).unwrap()) {
            Err(KimaiError::Decode { path, .. }) => prop_assert_eq!(path, field),
            other => prop_assert!(false, "{field} = {junk} must fail to decode: {other:?}"),
        }
    }

    #[test]
    fn colon_less_and_colon_offsets_parse_to_the_same_instant(
        secs in -2_000_000_000i64..8_000_000_000,
        off_min in -14 * 60..=14 * 60i32,
    ) {
        let offset = FixedOffset::east_opt(off_min * 60).unwrap();
        let t: DateTime<FixedOffset> = offset.timestamp_opt(secs, 0).single().unwrap();
        for text in [t.format("%Y-%m-%dT%H:%M:%S%z").to_string(), t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()] {
            let parsed = datetime::parse(&text).unwrap();
            prop_assert_eq!(parsed, t);
            prop_assert_eq!(parsed.offset(), t.offset());
        }
    }

    #[test]
    fn datetime_parsing_never_panics(text in ".{0,40}|[0-9T:+-]{0,30}") {
        let _ = datetime::parse(&text);
        let _ = serde_json::from_value::<Project>(json!({"id": 1, "name": "p", "customer": 1, "start": text, "end": text}));
    }

    #[test]
    fn rates_are_read_exactly_as_their_decimal_text(mantissa in -999_999_999_999i64..999_999_999_999, scale in 0u32..4) {
        let exact = Decimal::new(mantissa, scale);
        let as_float: f64 = exact.to_string().parse().unwrap();
        for wire in [json!(as_float), json!(exact.to_string()), json!(format!(" {exact} "))] {
            let t = serde_json::from_value::<Timesheet>(json!({
                "id": 1, "begin": "2026-03-02T09:00:00+0100", "user": 1, "project": 1,
                "activity": 1, "rate": wire.clone(),
            }));
            prop_assert_eq!(t.map(|t| t.rate).map_err(|e| e.to_string()), Ok(Some(exact)), "{}", wire);
        }
    }

    #[test]
    fn any_json_number_as_a_rate_never_panics(x in any::<f64>(), i in any::<i64>(), u in any::<u64>()) {
        for wire in [json!(x), json!(i), json!(u), json!(x.to_string())] {
            let _ = serde_json::from_value::<Timesheet>(json!({
                "id": 1, "begin": "2026-03-02T09:00:00+0100", "user": 1, "project": 1,
                "activity": 1, "rate": wire, "hourlyRate": wire, "fixedRate": wire,
            }));
        }
    }

    #[test]
    fn a_new_timesheet_is_sent_as_it_was_given(
        start in 0i64..4_000_000_000,
        len in 60i64..86_400,
        desc in prop::option::of(".{0,60}"),
        tags in prop::collection::vec("[a-zA-Z0-9 ]{1,12}", 0..4),
        rate in prop::option::of((0i64..100_000_000, 0u32..3)),
    ) {
        let begin = DateTime::from_timestamp(start, 0).unwrap().naive_utc();
        let end = begin + chrono::Duration::seconds(len);
        let mut new = NewTimesheet::new(begin, end, 3, 4);
        new.description = desc.clone();
        new.tags = tags.clone();
        new.hourly_rate = rate.map(|(m, s)| Decimal::new(m, s));
        let sent = new.to_json();
        let day = |v: &Value| chrono::NaiveDateTime::parse_from_str(v.as_str().unwrap(), "%Y-%m-%dT%H:%M:%S").unwrap();
        prop_assert_eq!(day(&sent["begin"]), begin);
        prop_assert_eq!(day(&sent["end"]), end);
        prop_assert_eq!(sent.get("description").and_then(Value::as_str), desc.as_deref());
        let sent_tags: Vec<String> = sent.get("tags").and_then(Value::as_str)
            .map(|t| t.split(',').map(str::to_string).collect()).unwrap_or_default();
        prop_assert_eq!(sent_tags, tags);
        prop_assert!(sent.get("duration").is_none(), "duration is never sent");
        if let Some(r) = new.hourly_rate {
            let back = serde_json::from_value::<Timesheet>(json!({
                "id": 1, "begin": "2026-03-02T09:00:00+0100", "user": 1, "project": 1,
                "activity": 1, "hourlyRate": sent["hourlyRate"].clone(),
            })).unwrap();
            prop_assert_eq!(back.hourly_rate, Some(r));
        }
    }
}

#[test]
fn kimai_sample_from_the_contract_still_parses() {
    // A guard that the generators above did not drift from what Kimai really sends.
    let t: Timesheet = decode(
        br#"{"id":7,"begin":"2026-03-02T09:00:00+0100","end":"2026-03-02T10:30:00+0100",
            "duration":5400,"user":2,"project":1,"activity":1,"rate":142.5,"tags":null}"#,
    )
    .unwrap();
    assert_eq!(t.rate, Some(Decimal::new(1425, 1)));
    assert_eq!(
        t.begin.date_naive(),
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    );
}
