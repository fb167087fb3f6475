//! What the Kimai simulator must do (docs/api-notes.md), one test (or a few) per behaviour,
//! over raw HTTP. Each test fails if the behaviour it names is removed.

#[path = "kimai_support/mod.rs"]
mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::*;

/// Named `kimai::…` so `cargo test -p timebridge-simulators kimai` selects them.
mod kimai {
    use super::*;

    #[tokio::test]
    async fn a14_1_missing_credentials_is_401_json() {
        let env = start().await;
        let r = env.call(Method::GET, None, "/api/ping", None).await;
        assert_eq!(r.status().as_u16(), 401);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body, json!({"code": 401, "message": "Unauthorized"}));
    }

    #[tokio::test]
    async fn a14_1_wrong_token_is_401_empty_body_with_www_authenticate() {
        let env = start().await;
        let r = env.get("nope", "/api/ping").await;
        assert_eq!(r.status().as_u16(), 401);
        let www = r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(
            www,
            "Bearer error=\"invalid_token\",error_description=\"Invalid credentials.\""
        );
        assert!(r.bytes().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a14_1_not_allowed_is_403_json() {
        let env = start().await;
        let id = env.sim.add_timesheet_as_human(record(
            2,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:00:00Z",
        ));
        let (status, body) = env.get_json(USER, &format!("/api/timesheets/{id}")).await;
        assert_eq!(
            (status, body),
            (403, json!({"code": 403, "message": "Forbidden"}))
        );
        let r = env
            .call(
                Method::PATCH,
                Some(USER),
                &format!("/api/timesheets/{id}/export"),
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 403, "ROLE_USER lacks edit_export");
    }

    #[tokio::test]
    async fn a14_1_status_endpoints_answer_like_kimai() {
        let env = start().await;
        assert_eq!(
            env.get_json(USER, "/api/ping").await,
            (200, json!({"message": "pong"}))
        );
        let (_, v) = env.get_json(USER, "/api/version").await;
        assert_eq!(
            (v["version"].as_str(), v["versionId"].as_u64()),
            (Some("2.66.0"), Some(26600))
        );
        let (_, me) = env.get_json(USER, "/api/users/me").await;
        assert_eq!(
            (me["id"].as_u64(), me["timezone"].as_str()),
            (Some(1), Some("Europe/Berlin"))
        );
        assert_eq!(me["roles"], json!(["ROLE_USER"]));
        let (_, c) = env.get_json(USER, "/api/config/timesheet").await;
        let mut keys: Vec<_> = c.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "activeEntriesHardLimit",
                "defaultBeginTime",
                "isAllowFutureTimes",
                "isAllowOverlapping",
                "trackingMode"
            ]
        );
    }

    async fn three_records(env: &support::Env) {
        for day in 2..=4 {
            env.sim.add_timesheet_as_human(record(
                1,
                &format!("2026-03-0{day}T08:00:00Z"),
                &format!("2026-03-0{day}T09:00:00Z"),
            ));
        }
    }

    #[tokio::test]
    async fn a14_2_pagination_headers_and_size_clamp() {
        let env = start().await;
        three_records(&env).await;
        let r = env.get(USER, "/api/timesheets?size=2&page=2").await;
        let h = |n: &str| r.headers()[n].to_str().unwrap().to_string();
        assert_eq!(
            (
                h("x-page"),
                h("x-total-count"),
                h("x-total-pages"),
                h("x-per-page")
            ),
            ("2".into(), "3".into(), "2".into(), "2".into())
        );
        assert_eq!(
            r.json::<Value>().await.unwrap().as_array().unwrap().len(),
            1
        );
        let r = env.get(USER, "/api/timesheets?size=100000").await;
        assert_eq!(r.headers()["x-per-page"], "500");
        let r = env.get(USER, "/api/timesheets").await;
        assert_eq!(r.headers()["x-per-page"], "50");
    }

    #[tokio::test]
    async fn a14_2_empty_result_is_an_array_with_one_page() {
        let env = start().await;
        let r = env.get(USER, "/api/timesheets").await;
        assert_eq!(
            (
                r.headers()["x-total-pages"].to_str().unwrap(),
                r.headers()["x-total-count"].to_str().unwrap()
            ),
            ("1", "0")
        );
        assert_eq!(r.json::<Value>().await.unwrap(), json!([]));
    }

    #[tokio::test]
    async fn a14_2_page_past_the_end_is_404() {
        let env = start().await;
        three_records(&env).await;
        assert_eq!(
            env.get_json(USER, "/api/timesheets?size=2&page=3").await,
            (404, json!({"code": 404, "message": "Not Found"}))
        );
        let env = start().await;
        assert_eq!(
            env.get_json(USER, "/api/timesheets?page=2").await.0,
            404,
            "page 2 of an empty result"
        );
    }

    #[tokio::test]
    async fn a14_2_catalog_lists_are_not_paginated() {
        let env = start().await;
        let r = env.get(USER, "/api/customers").await;
        assert!(r.headers().get("x-total-count").is_none());
        assert_eq!(r.json::<Value>().await.unwrap()[0]["name"], "Acme");
    }

    #[tokio::test]
    async fn a14_3_dates_out_without_colon_in_the_records_timezone() {
        let env = start().await;
        let winter = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T08:15:00Z",
        ));
        let summer = env.sim.add_timesheet_as_human(record(
            1,
            "2026-07-01T08:00:00Z",
            "2026-07-01T08:15:00Z",
        ));
        let mut ny = record(1, "2026-03-03T15:00:00Z", "2026-03-03T16:00:00Z");
        ny.timezone = "America/New_York".into();
        let ny = env.sim.add_timesheet_as_human(ny);
        let begin = |v: Value| {
            (
                v["begin"].as_str().unwrap().to_string(),
                v["end"].as_str().unwrap().to_string(),
            )
        };
        assert_eq!(
            begin(
                env.get_json(USER, &format!("/api/timesheets/{winter}"))
                    .await
                    .1
            ),
            (
                "2026-03-02T09:00:00+0100".into(),
                "2026-03-02T09:15:00+0100".into()
            )
        );
        assert_eq!(
            begin(
                env.get_json(USER, &format!("/api/timesheets/{summer}"))
                    .await
                    .1
            )
            .0,
            "2026-07-01T10:00:00+0200"
        );
        assert_eq!(
            begin(env.get_json(USER, &format!("/api/timesheets/{ny}")).await.1).0,
            "2026-03-03T10:00:00-0500"
        );
    }

    #[tokio::test]
    async fn a14_3_naive_input_is_the_users_local_time() {
        let env = start().await;
        let r = env.post(USER, "/api/timesheets", json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T09:15:00", "project": 1, "activity": 1})).await;
        assert_eq!(r.status().as_u16(), 200, "create is 200, not 201");
        let v: Value = r.json().await.unwrap();
        let stored = env.sim.timesheet(v["id"].as_u64().unwrap()).unwrap();
        assert_eq!(stored.begin, utc("2026-03-02T08:00:00Z"));
        assert_eq!(
            (v["begin"].as_str(), v["duration"].as_i64()),
            (Some("2026-03-02T09:00:00+0100"), Some(900))
        );
        assert!(v.get("modifiedAt").is_none(), "modifiedAt is internal");
        // A trailing offset is honoured as an absolute instant (HTML5 transformer).
        let r = env
            .post(
                USER,
                "/api/timesheets",
                json!({"begin": "2026-03-02T10:00:00+02:00", "end": "2026-03-02T11:00:00+02:00",
                    "project": 1, "activity": 1}),
            )
            .await;
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["begin"], "2026-03-02T09:00:00+0100");
    }

    #[tokio::test]
    async fn a14_4_filters_begin_end_are_user_local_and_end_filters_on_begin() {
        let env = start().await;
        // 08:00–12:00 UTC = 09:00–13:00 Berlin.
        let id = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T12:00:00Z",
        ));
        assert_eq!(
            env.ids(USER, "/api/timesheets?begin=2026-03-02T09:00:00")
                .await,
            vec![id]
        );
        assert!(
            env.ids(USER, "/api/timesheets?begin=2026-03-02T09:00:01")
                .await
                .is_empty(),
            "begin is user-local, not UTC"
        );
        // `end` is compared to the record's begin: a record ending at 13:00 still matches end=09:30.
        assert_eq!(
            env.ids(USER, "/api/timesheets?end=2026-03-02T09:30:00")
                .await,
            vec![id]
        );
        assert!(env
            .ids(USER, "/api/timesheets?end=2026-03-02T08:59:59")
            .await
            .is_empty());
    }

    #[tokio::test]
    async fn a14_4_modified_after_is_inclusive_and_utc() {
        let env = start().await;
        let id = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:00:00Z",
        ));
        // modified at the manual clock's now(): 12:00:00 UTC (13:00 Berlin).
        assert_eq!(
            env.ids(USER, "/api/timesheets?modified_after=2026-03-10T12:00:00")
                .await,
            vec![id]
        );
        assert!(env
            .ids(USER, "/api/timesheets?modified_after=2026-03-10T12:00:01")
            .await
            .is_empty());
    }

    #[tokio::test]
    async fn a14_4_filter_dates_are_strict() {
        let env = start().await;
        for bad in [
            "2026-03-02T09:00",
            "2026-03-02T09:00:00%2B01:00",
            "2026-03-02",
        ] {
            assert_eq!(
                env.get_json(USER, &format!("/api/timesheets?begin={bad}"))
                    .await
                    .0,
                400,
                "{bad}"
            );
            assert_eq!(
                env.get_json(USER, &format!("/api/timesheets?modified_after={bad}"))
                    .await
                    .0,
                400,
                "{bad}"
            );
        }
    }

    #[tokio::test]
    async fn a14_4_flag_term_and_list_filters() {
        let env = start().await;
        let a = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:00:00Z",
        ));
        let mut r = record(1, "2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z");
        (r.exported, r.billable, r.activity, r.description) =
            (true, false, 2, Some("Ticket #4711".into()));
        let b = env.sim.add_timesheet_as_human(r);
        let mut running = record(1, "2026-03-10T08:00:00Z", "2026-03-10T09:00:00Z");
        running.end = None;
        let c = env.sim.add_timesheet_as_human(running);
        let q = |s: &str| format!("/api/timesheets?orderBy=id&order=ASC&{s}");
        assert_eq!(env.ids(USER, &q("exported=1")).await, vec![b]);
        assert_eq!(env.ids(USER, &q("billable=0")).await, vec![b]);
        assert_eq!(env.ids(USER, &q("active=1")).await, vec![c]);
        assert_eq!(env.ids(USER, &q("active=0")).await, vec![a, b]);
        assert_eq!(env.ids(USER, &q("term=%234711")).await, vec![b]);
        assert_eq!(env.ids(USER, &q("activities[]=2")).await, vec![b]);
        assert_eq!(env.ids(USER, &q("projects[]=2")).await, Vec::<u64>::new());
    }

    #[tokio::test]
    async fn a14_4_default_order_is_begin_desc_and_users_are_scoped() {
        let env = start().await;
        let first = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:00:00Z",
        ));
        let later = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-05T08:00:00Z",
            "2026-03-05T09:00:00Z",
        ));
        let earliest = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-01T08:00:00Z",
            "2026-03-01T09:00:00Z",
        ));
        let other = env.sim.add_timesheet_as_human(record(
            2,
            "2026-03-04T08:00:00Z",
            "2026-03-04T09:00:00Z",
        ));
        assert_eq!(
            env.ids(USER, "/api/timesheets").await,
            vec![later, first, earliest]
        );
        assert_eq!(
            env.ids(USER, "/api/timesheets?user=2").await,
            vec![later, first, earliest],
            "ignored without view_other"
        );
        assert_eq!(
            env.ids(LEAD, "/api/timesheets?user=all&orderBy=id&order=ASC")
                .await,
            vec![first, later, earliest, other]
        );
        assert_eq!(
            env.ids(LEAD, "/api/timesheets").await,
            vec![other],
            "own records by default"
        );
        assert_eq!(
            env.ids(LEAD, "/api/timesheets?users[]=1&orderBy=id&order=ASC")
                .await,
            vec![first, later, earliest]
        );
    }
}
