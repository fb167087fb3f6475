//! Read-side traps (docs/api-notes.md) (offsets, list syntax, tag filters, project dates,
//! auth statuses, paging drift, hidden rates), one test each, named after the trap.

#[path = "kimai_support/mod.rs"]
mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::*;

/// Named `kimai::…` so `cargo test -p timebridge-simulators kimai` selects them.
mod kimai {
    use super::*;

    #[tokio::test]
    async fn trap_2_offsets_have_no_colon() {
        let env = start().await;
        let v: Value = env
            .post(USER, "/api/timesheets", body(json!({})))
            .await
            .json()
            .await
            .unwrap();
        let begin = v["begin"].as_str().unwrap();
        assert!(
            begin.ends_with("+0100") && !begin.ends_with("+01:00"),
            "{begin}"
        );
    }

    #[tokio::test]
    async fn trap_5_offset_follows_the_timezone_saved_on_the_record() {
        let env = start().await;
        let v: Value = env
            .post(USER, "/api/timesheets", body(json!({})))
            .await
            .json()
            .await
            .unwrap();
        let id = v["id"].as_u64().unwrap();
        env.sim.add_user(timebridge_simulators::kimai::SeedUser {
            id: 1,
            username: "alice".into(),
            token: USER.into(),
            role: timebridge_simulators::kimai::Role::User,
            timezone: "Asia/Tokyo".into(),
        });
        let (_, again) = env.get_json(USER, &format!("/api/timesheets/{id}")).await;
        assert_eq!(
            again["begin"], "2026-03-02T09:00:00+0100",
            "old record keeps its zone"
        );
    }

    #[tokio::test]
    async fn trap_15_non_array_list_params_are_silently_ignored() {
        let env = start().await;
        let a = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:00:00Z",
        ));
        let mut other = record(1, "2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z");
        other.project = 3;
        other.activity = 3;
        let b = env.sim.add_timesheet_as_human(other);
        assert_eq!(
            env.ids(USER, "/api/timesheets?orderBy=id&order=ASC&projects=3")
                .await,
            vec![a, b]
        );
        assert_eq!(env.ids(USER, "/api/timesheets?projects[]=3").await, vec![b]);
        assert_eq!(
            env.ids(USER, "/api/timesheets?projects%5B%5D=3").await,
            vec![b]
        );
    }

    #[tokio::test]
    async fn trap_16_tags_filter_with_only_unknown_names_is_400() {
        let env = start().await;
        let mut tagged = record(1, "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z");
        tagged.tags = vec!["zammad".into()];
        let a = env.sim.add_timesheet_as_human(tagged);
        env.sim
            .add_timesheet_as_human(record(1, "2026-03-03T08:00:00Z", "2026-03-03T09:00:00Z"));
        assert_eq!(
            env.get_json(USER, "/api/timesheets?tags[]=nope").await,
            (400, json!({"code": 400, "message": "Bad Request"}))
        );
        assert_eq!(
            env.ids(USER, "/api/timesheets?tags[]=nope&tags[]=zammad")
                .await,
            vec![a]
        );
    }

    #[tokio::test]
    async fn trap_17_projects_outside_their_dates_are_hidden_unless_ignore_dates() {
        let env = start().await;
        let names = |v: Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(env.get_json(USER, "/api/projects").await.1),
            ["Closed", "Support"]
        );
        assert_eq!(
            names(env.get_json(USER, "/api/projects?ignoreDates=1").await.1),
            ["Closed", "Old", "Support"]
        );
        assert_eq!(
            names(
                env.get_json(USER, "/api/projects?start=2026-01-10&end=2026-01-20")
                    .await
                    .1
            ),
            ["Closed", "Old", "Support"]
        );
        let r = env.post(USER, "/api/timesheets", json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00", "project": 2, "activity": 1})).await;
        assert_eq!(
            r.status().as_u16(),
            400,
            "a record outside the project's dates fails validation"
        );
    }

    #[tokio::test]
    async fn trap_19_missing_token_401_json_wrong_token_401_empty_forbidden_403() {
        let env = start().await;
        let none = env.call(Method::GET, None, "/api/timesheets", None).await;
        let wrong = env.get("bad", "/api/timesheets").await;
        assert_eq!(
            (none.status().as_u16(), wrong.status().as_u16()),
            (401, 401)
        );
        assert!(
            none.headers().get("www-authenticate").is_none()
                && wrong.headers().get("www-authenticate").is_some()
        );
        let r = env
            .call(Method::GET, Some(USER), "/api/timesheets", None)
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let r = env.call(Method::GET, None, "/api/timesheets", None).await;
        assert_eq!(r.json::<Value>().await.unwrap()["code"], 401);
    }

    #[tokio::test]
    async fn trap_29_id_asc_paging_is_stable_while_records_are_inserted() {
        let env = start().await;
        for day in 1..=4 {
            env.sim.add_timesheet_as_human(record(
                1,
                &format!("2026-03-0{day}T08:00:00Z"),
                &format!("2026-03-0{day}T09:00:00Z"),
            ));
        }
        let page1 = env
            .ids(USER, "/api/timesheets?orderBy=id&order=ASC&size=2&page=1")
            .await;
        // A record inserted mid-walk with the latest begin would shift a begin-DESC walk.
        env.sim
            .add_timesheet_as_human(record(1, "2026-03-09T08:00:00Z", "2026-03-09T09:00:00Z"));
        let page2 = env
            .ids(USER, "/api/timesheets?orderBy=id&order=ASC&size=2&page=2")
            .await;
        assert_eq!([page1, page2].concat(), vec![1, 2, 3, 4]);
        assert_eq!(
            env.ids(USER, "/api/timesheets?size=2&page=2").await,
            vec![3, 2],
            "begin DESC shifts"
        );
        assert_eq!(
            env.get_json(USER, "/api/timesheets?size=2&page=4").await.0,
            404
        );
    }

    #[tokio::test]
    async fn trap_32_rate_fields_hidden_without_permission() {
        let env = start().await;
        let id = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:30:00Z",
        ));
        let (_, plain) = env.get_json(USER, &format!("/api/timesheets/{id}")).await;
        for key in ["rate", "internalRate", "fixedRate", "hourlyRate"] {
            assert!(plain.get(key).is_none(), "{key} leaked to ROLE_USER");
        }
        let (_, lead) = env.get_json(LEAD, &format!("/api/timesheets/{id}")).await;
        assert_eq!(
            (lead["rate"].as_f64(), lead["hourlyRate"].as_f64()),
            (Some(150.0), Some(100.0))
        );
        assert!(lead["fixedRate"].is_null());
        let (_, list) = env.get_json(LEAD, "/api/timesheets?user=all").await;
        assert!(
            list[0].get("rate").is_some() && list[0].get("fixedRate").is_none(),
            "collection form has no fixed/hourly"
        );
    }
}
