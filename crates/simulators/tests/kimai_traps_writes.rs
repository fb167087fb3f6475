//! Write-side traps (docs/api-notes.md) (rounding, duration, running timers, permission
//! fields, tags, export toggle, exported/lockdown, hard delete, meta fields), one test each.

#[path = "kimai_support/mod.rs"]
mod support;

use reqwest::Method;
use serde_json::{json, Value};
use support::*;

/// Named `kimai::…` so `cargo test -p timebridge-simulators kimai` selects them.
mod kimai {
    use super::*;

    #[tokio::test]
    async fn trap_10_minute_rounding_begin_floor_end_ceil() {
        let env = start().await;
        let v: Value = env
            .post(
                USER,
                "/api/timesheets",
                body(json!({"begin": "2026-03-02T09:00:30", "end": "2026-03-02T09:15:10"})),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (v["begin"].as_str(), v["end"].as_str()),
            (
                Some("2026-03-02T09:00:00+0100"),
                Some("2026-03-02T09:16:00+0100")
            )
        );
        assert_eq!(
            v["duration"], 960,
            "duration recomputed from the rounded times"
        );
        let id = v["id"].as_u64().unwrap();
        let p: Value = env
            .patch(
                USER,
                &format!("/api/timesheets/{id}"),
                json!({"end": "2026-03-02T09:30:01"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (p["end"].as_str(), p["duration"].as_i64()),
            (Some("2026-03-02T09:31:00+0100"), Some(1860))
        );
    }

    #[tokio::test]
    async fn trap_11_duration_cannot_be_written() {
        let env = start().await;
        let r = env
            .post(USER, "/api/timesheets", body(json!({"duration": 900})))
            .await;
        assert_eq!(r.status().as_u16(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            global_errors(&v),
            ["This form should not contain extra fields."]
        );
        assert!(env.sim.timesheets().is_empty());
    }

    #[tokio::test]
    async fn trap_12_missing_end_starts_a_running_timer_and_stops_the_other() {
        let env = start().await;
        let first: Value = env
            .post(
                USER,
                "/api/timesheets",
                json!({"begin": "2026-03-10T10:00:00", "project": 1, "activity": 1}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(
            first["end"].is_null() && first["duration"].is_null(),
            "{first}"
        );
        let first_id = first["id"].as_u64().unwrap();
        let second: Value = env
            .post(
                USER,
                "/api/timesheets",
                json!({"begin": "2026-03-10T12:30:00", "project": 1, "activity": 1}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert!(second["end"].is_null());
        let stopped = env.sim.timesheet(first_id).unwrap();
        assert!(
            stopped.end.is_some(),
            "the earlier running record was stopped"
        );
        assert_eq!(
            env.ids(USER, "/api/timesheets?active=1").await,
            vec![second["id"].as_u64().unwrap()]
        );
    }

    #[tokio::test]
    async fn trap_13_plain_user_may_not_send_billable_exported_rates_or_user() {
        let env = start().await;
        for extra in [
            json!({"billable": false}),
            json!({"exported": true}),
            json!({"fixedRate": 10}),
            json!({"hourly_rate": 10}),
            json!({"user": 1}),
        ] {
            let r = env.post(USER, "/api/timesheets", body(extra.clone())).await;
            assert_eq!(r.status().as_u16(), 400, "{extra}");
            assert_eq!(
                global_errors(&r.json().await.unwrap()),
                ["This form should not contain extra fields."],
                "{extra}"
            );
        }
        let r = env
            .post(
                ADMIN,
                "/api/timesheets",
                body(json!({"billable": false, "exported": true, "fixedRate": 10, "user": 1})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (
                v["billable"].as_bool(),
                v["exported"].as_bool(),
                v["user"].as_u64(),
                v["fixedRate"].as_f64()
            ),
            (Some(false), Some(true), Some(1), Some(10.0))
        );
    }

    #[tokio::test]
    async fn trap_14_unknown_tags_are_dropped_never_created() {
        let env = start().await;
        let v: Value = env
            .post(
                USER,
                "/api/timesheets",
                body(json!({"tags": "zammad,brand-new"})),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["tags"], json!(["zammad"]));
        assert!(!env.sim.tag_names().contains(&"brand-new".to_string()));
        let id = v["id"].as_u64().unwrap();
        let cleared: Value = env
            .patch(USER, &format!("/api/timesheets/{id}"), json!({"tags": ""}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            cleared["tags"],
            json!([]),
            "an empty string clears the tags"
        );
        let r = env
            .post(USER, "/api/timesheets", body(json!({"tags": ["zammad"]})))
            .await;
        assert_eq!(r.status().as_u16(), 400, "an array is not a tag string");
        assert_eq!(field_errors(&r.json().await.unwrap(), "tags").len(), 1);
    }

    #[tokio::test]
    async fn trap_14_tags_are_created_through_post_api_tags() {
        let env = start().await;
        let r = env
            .post(USER, "/api/tags", json!({"name": "brand-new"}))
            .await;
        assert_eq!(r.status().as_u16(), 200);
        let tag: Value = r.json().await.unwrap();
        assert_eq!(tag["name"], "brand-new");
        assert_eq!(
            env.post(USER, "/api/tags", json!({"name": "brand-new"}))
                .await
                .status()
                .as_u16(),
            400,
            "unique"
        );
        assert_eq!(
            env.post(USER, "/api/tags", json!({"name": "a,b"}))
                .await
                .status()
                .as_u16(),
            400,
            "no comma"
        );
        let (_, names) = env.get_json(USER, "/api/tags").await;
        assert_eq!(names, json!(["zammad", "billing", "brand-new"]));
        let (_, found) = env.get_json(USER, "/api/tags/find?name=brand").await;
        assert_eq!(found.as_array().unwrap().len(), 1);
        assert_eq!(found[0]["id"], tag["id"]);
        assert_eq!(
            env.get_json(USER, "/api/tags/find").await.1,
            json!([]),
            "no name, no result"
        );
    }

    #[tokio::test]
    async fn trap_20_export_is_a_toggle() {
        let env = start().await;
        let id = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:00:00Z",
        ));
        let path = format!("/api/timesheets/{id}/export");
        let once: Value = env
            .call(Method::PATCH, Some(ADMIN), &path, None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(once["exported"], true);
        let twice: Value = env
            .call(Method::PATCH, Some(ADMIN), &path, None)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(twice["exported"], false, "a second call un-exports");
        env.sim.edit_timesheet_as_human(id, |t| t.exported = true);
        assert_eq!(
            env.call(Method::PATCH, Some(LEAD), &path, None)
                .await
                .status()
                .as_u16(),
            403,
            "un-export needs edit_exported_timesheet"
        );
    }

    #[tokio::test]
    async fn trap_21_exported_record_patch_and_delete_are_403() {
        let env = start().await;
        let mut r = record(1, "2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z");
        r.exported = true;
        let id = env.sim.add_timesheet_as_human(r);
        let path = format!("/api/timesheets/{id}");
        assert_eq!(
            env.patch(USER, &path, json!({"description": "x"}))
                .await
                .status()
                .as_u16(),
            403
        );
        assert_eq!(env.delete(USER, &path).await.status().as_u16(), 403);
        assert_eq!(
            env.patch(ADMIN, &path, json!({"description": "x"}))
                .await
                .status()
                .as_u16(),
            200,
            "admins may"
        );
    }

    #[tokio::test]
    async fn trap_21_lockdown_is_403_on_change_and_400_on_create() {
        let env = start().await;
        let id = env.sim.add_timesheet_as_human(record(
            1,
            "2026-02-10T08:00:00Z",
            "2026-02-10T09:00:00Z",
        ));
        env.sim.set_lockdown(Some((
            utc("2026-02-01T00:00:00Z"),
            utc("2026-02-28T23:59:59Z"),
        )));
        let path = format!("/api/timesheets/{id}");
        assert_eq!(
            env.patch(USER, &path, json!({"description": "x"}))
                .await
                .status()
                .as_u16(),
            403
        );
        assert_eq!(env.delete(USER, &path).await.status().as_u16(), 403);
        let r = env.post(USER, "/api/timesheets", json!({"begin": "2026-02-11T09:00:00", "end": "2026-02-11T10:00:00", "project": 1, "activity": 1})).await;
        assert_eq!(r.status().as_u16(), 400);
        assert_eq!(global_errors(&r.json().await.unwrap()).len(), 1);
        assert_eq!(
            env.post(USER, "/api/timesheets", body(json!({})))
                .await
                .status()
                .as_u16(),
            200,
            "outside the period"
        );
        env.sim.set_lockdown(None);
        assert_eq!(env.delete(USER, &path).await.status().as_u16(), 204);
    }

    #[tokio::test]
    async fn trap_23_and_28_hard_delete_and_ids_are_never_reused() {
        let env = start().await;
        let a: Value = env
            .post(USER, "/api/timesheets", body(json!({})))
            .await
            .json()
            .await
            .unwrap();
        let b: Value = env
            .post(USER, "/api/timesheets", body(json!({})))
            .await
            .json()
            .await
            .unwrap();
        let b_id = b["id"].as_u64().unwrap();
        let r = env.delete(USER, &format!("/api/timesheets/{b_id}")).await;
        assert_eq!(r.status().as_u16(), 204);
        assert!(r.bytes().await.unwrap().is_empty());
        assert_eq!(
            env.get_json(USER, &format!("/api/timesheets/{b_id}"))
                .await
                .0,
            404
        );
        assert_eq!(
            env.ids(USER, "/api/timesheets?modified_after=2000-01-01T00:00:00")
                .await,
            vec![a["id"].as_u64().unwrap()],
            "no tombstone"
        );
        let c: Value = env
            .post(USER, "/api/timesheets", body(json!({})))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(c["id"].as_u64().unwrap(), b_id + 1);
    }

    #[tokio::test]
    async fn trap_30_meta_fields_only_for_registered_names() {
        let env = start().await;
        let id = env.sim.add_timesheet_as_human(record(
            1,
            "2026-03-02T08:00:00Z",
            "2026-03-02T09:00:00Z",
        ));
        let path = format!("/api/timesheets/{id}/meta");
        assert_eq!(
            env.patch(USER, &path, json!({"name": "unknown", "value": "1"}))
                .await
                .status()
                .as_u16(),
            404
        );
        assert_eq!(
            env.patch(USER, &path, json!({"value": "1"}))
                .await
                .status()
                .as_u16(),
            400
        );
        let v: Value = env
            .patch(USER, &path, json!({"name": "zammad_id", "value": "4711"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            v["metaFields"],
            json!([{"name": "zammad_id", "value": "4711"}])
        );
        assert_eq!(
            env.ids(USER, "/api/timesheets?term=4711").await,
            vec![id],
            "term searches meta values"
        );
    }
}
