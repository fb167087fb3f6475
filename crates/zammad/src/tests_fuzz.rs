//! Property tests ("fuzzing" with proptest) for everything that turns Zammad's bytes into
//! types: the JSON models, the error mapping of non-2xx answers and the decimal `time_unit`
//! (a JSON string such as `"-5.0"`, defensively also a number). Whatever arrives, the client
//! answers with a typed error, never a panic, and reads well-formed answers exactly.
//!
//! Cases per property: 256 by default; `PROPTEST_CASES=100000` runs long (docs/reliability.md).

use chrono::{DateTime, SubsecRound, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use timebridge_http::Response;

use crate::client::decode;
use crate::{NewTimeAccounting, Organization, Ticket, TimeAccounting, TimeAccountingConfig};
use crate::{TimeAccountingType, User, ZammadError};

/// Any JSON value, nested a few levels, with the models' own keys mixed in.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("id".to_string()),
        Just("time_unit".to_string()),
        Just("created_at".to_string()),
        Just("group_ids".to_string()),
        Just("error_human".to_string()),
        Just("error".to_string()),
        "[a-z_]{1,10}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,30}".prop_map(Value::from),
        "-?[0-9]{0,30}(\\.[0-9]{0,30})?([eE][+-]?[0-9]{1,4})?".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn decode_all(body: &[u8]) {
    let _ = decode::<Vec<TimeAccounting>>(body);
    let _ = decode::<TimeAccounting>(body);
    let _ = decode::<Ticket>(body);
    let _ = decode::<Vec<Ticket>>(body);
    let _ = decode::<Organization>(body);
    let _ = decode::<User>(body);
    let _ = decode::<TimeAccountingConfig>(body);
    let _ = decode::<Vec<TimeAccountingType>>(body);
}

/// A decimal as Zammad stores `time_unit` (numeric(10,2) in practice; wider here).
fn decimal() -> impl Strategy<Value = Decimal> {
    (-9_999_999_999i64..9_999_999_999, 0u32..6).prop_map(|(m, s)| Decimal::new(m, s))
}

/// Millisecond UTC timestamps as Zammad sends them (`2023-08-16T08:30:36.138Z`).
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_000_000_000_000).prop_map(|ms| DateTime::from_timestamp_millis(ms).expect("in range"))
}

fn zammad_time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A well-formed time accounting as Zammad 6.5 sends it, and what it must decode to.
fn entry_pair() -> impl Strategy<Value = (Value, TimeAccounting)> {
    (
        (
            1i64..i64::MAX,
            1i64..1_000_000,
            prop::option::of(1i64..1_000_000),
        ),
        decimal(),
        prop::option::of(1i64..100),
        1i64..10_000,
        instant(),
        instant(),
    )
        .prop_map(
            |((id, ticket, article), unit, type_id, by, created, updated)| {
                let wire = json!({
                    "id": id, "ticket_id": ticket, "ticket_article_id": article,
                    "time_unit": unit.to_string(), "type_id": type_id, "created_by_id": by,
                    "created_at": zammad_time(&created), "updated_at": zammad_time(&updated),
                    "some_new_attribute": {"added": "by a newer Zammad"},
                });
                let typed = TimeAccounting {
                    id,
                    ticket_id: ticket,
                    ticket_article_id: article,
                    time_unit: unit,
                    type_id,
                    created_by_id: by,
                    created_at: created,
                    updated_at: updated,
                };
                (wire, typed)
            },
        )
}

fn entry_with_unit(unit: Value) -> Result<TimeAccounting, ZammadError> {
    let body = json!({"id": 1, "ticket_id": 2, "time_unit": unit, "created_by_id": 3,
        "created_at": "2023-08-16T08:30:36.138Z", "updated_at": "2023-08-16T08:30:36.138Z"});
    decode(&serde_json::to_vec(&body).expect("json"))
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
        ],
    ) {
        let err = ZammadError::from_response(&Response {
            status,
            headers: Default::default(),
            body: body.clone().into(),
        });
        if status == 401 {
            prop_assert!(matches!(err, ZammadError::AuthFailed { .. }), "{err:?}");
        }
        let _ = (err.to_string(), err.is_retryable());
    }

    #[test]
    fn a_well_formed_entry_round_trips((wire, typed) in entry_pair()) {
        let one: TimeAccounting = decode(&serde_json::to_vec(&wire).unwrap()).unwrap();
        prop_assert_eq!(&one, &typed);
        let list: Vec<TimeAccounting> = decode(&serde_json::to_vec(&json!([wire])).unwrap()).unwrap();
        prop_assert_eq!(list, vec![typed]);
    }

    #[test]
    fn time_unit_text_is_read_exactly(unit in decimal()) {
        // "15.0", "-5.0", "0.25", with padding, and in scientific notation.
        for text in [unit.to_string(), format!(" {unit} "), format!("{}e{}", unit.mantissa(), -(unit.scale() as i64))] {
            prop_assert_eq!(entry_with_unit(json!(text)).map(|e| e.time_unit).map_err(|e| e.to_string()), Ok(unit));
        }
    }

    #[test]
    fn time_unit_numbers_within_float_precision_are_exact(m in -999_999_999_999i64..999_999_999_999, s in 0u32..3) {
        let unit = Decimal::new(m, s);
        let float: f64 = unit.to_string().parse().unwrap();
        prop_assert_eq!(entry_with_unit(json!(float)).map(|e| e.time_unit).map_err(|e| e.to_string()), Ok(unit));
    }

    #[test]
    fn a_garbled_time_unit_is_a_decode_error_never_a_panic(text in ".{0,40}|[-+0-9.eE ]{0,40}") {
        match entry_with_unit(json!(text)) {
            Ok(e) => prop_assert_eq!(Some(e.time_unit), text.trim().parse::<Decimal>().ok().or_else(|| Decimal::from_scientific(text.trim()).ok())),
            Err(ZammadError::Decode { path, .. }) => prop_assert_eq!(path, "time_unit"),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn a_new_entry_sends_its_amount_as_exact_text(unit in decimal()) {
        let body = serde_json::to_value(NewTimeAccounting { time_unit: unit, type_id: None, ticket_article_id: None }).unwrap();
        prop_assert_eq!(entry_with_unit(body["time_unit"].clone()).map(|e| e.time_unit).map_err(|e| e.to_string()), Ok(unit));
        prop_assert!(body.get("type_id").is_none());
    }

    #[test]
    fn tickets_keep_their_millisecond_timestamps(t in instant(), total in prop::option::of(decimal())) {
        let body = json!({"id": 1, "number": "31001", "group_id": 1, "time_unit": total.map(|d| d.to_string()),
            "created_at": zammad_time(&t), "updated_at": zammad_time(&t)});
        let ticket: Ticket = decode(&serde_json::to_vec(&body).unwrap()).unwrap();
        prop_assert_eq!(ticket.updated_at, t.trunc_subsecs(3));
        prop_assert_eq!(ticket.time_unit, total);
    }
}
