//! Form rules and Kimai's validation shape, the activity/project catalog rules,
//! the demo seed, and the knobs being installed on the Kimai router.

#[path = "kimai_support/mod.rs"]
mod support;

use serde_json::{json, Value};
use support::*;

/// Named `kimai::…` so `cargo test -p timebridge-simulators kimai` selects them.
mod kimai {
    use super::*;
    use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
    use timebridge_simulators::{Clock, Fault, FaultKind};

    #[tokio::test]
    async fn a14_5_end_before_begin_is_a_field_error_on_end() {
        let env = start().await;
        let r = env.post(USER, "/api/timesheets", json!({"begin": "2026-03-02T10:00:00", "end": "2026-03-02T09:00:00", "project": 1, "activity": 1})).await;
        assert_eq!(r.status().as_u16(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(
            (v["code"].as_u64(), v["message"].as_str()),
            (Some(400), Some("Validation Failed"))
        );
        assert_eq!(field_errors(&v, "end").len(), 1);
        assert_eq!(
            v["errors"]["children"]["begin"],
            json!({}),
            "every form field is a child"
        );
        assert!(
            v["errors"].get("errors").is_none(),
            "no global errors key without global errors"
        );
    }

    #[tokio::test]
    async fn a14_5_project_and_activity_are_required_and_must_match() {
        let env = start().await;
        let v: Value = env
            .post(
                USER,
                "/api/timesheets",
                json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                field_errors(&v, "project").len(),
                field_errors(&v, "activity").len()
            ),
            (1, 1)
        );
        // Activity 3 belongs to project 3; project 3 allows no global activities.
        let wrong = json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00", "project": 1, "activity": 3});
        let v: Value = env
            .post(USER, "/api/timesheets", wrong)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(field_errors(&v, "activity").len(), 1);
        let global_on_closed = json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00", "project": 3, "activity": 1});
        assert_eq!(
            env.post(USER, "/api/timesheets", global_on_closed)
                .await
                .status()
                .as_u16(),
            400
        );
        let own = json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00", "project": 1, "activity": 2});
        assert_eq!(
            env.post(USER, "/api/timesheets", own)
                .await
                .status()
                .as_u16(),
            200
        );
        assert_eq!(env.sim.timesheets().len(), 1);
    }

    #[tokio::test]
    async fn a14_5_patch_is_partial_and_validated() {
        let env = start().await;
        let v: Value = env.post(USER, "/api/timesheets", json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00", "project": 1, "activity": 1, "description": "keep"})).await.json().await.unwrap();
        let path = format!("/api/timesheets/{}", v["id"]);
        let p: Value = env
            .patch(USER, &path, json!({"end": "2026-03-02T11:00:00"}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (p["description"].as_str(), p["duration"].as_i64()),
            (Some("keep"), Some(7200))
        );
        let bad = env
            .patch(USER, &path, json!({"end": "2026-03-02T08:00:00"}))
            .await;
        assert_eq!(bad.status().as_u16(), 400);
        assert_eq!(
            env.sim.timesheets()[0].end,
            Some(utc("2026-03-02T10:00:00Z")),
            "a failed patch changes nothing"
        );
        assert_eq!(
            env.patch(USER, "/api/timesheets/999", json!({}))
                .await
                .status()
                .as_u16(),
            404
        );
    }

    #[tokio::test]
    async fn a14_5_unknown_keys_are_extra_fields() {
        let env = start().await;
        let r = env.post(USER, "/api/timesheets", json!({"begin": "2026-03-02T09:00:00", "end": "2026-03-02T10:00:00", "project": 1, "activity": 1, "metaFields": []})).await;
        assert_eq!(
            global_errors(&r.json().await.unwrap()),
            ["This form should not contain extra fields."]
        );
    }

    #[tokio::test]
    async fn catalog_activities_filter_returns_project_and_global_activities() {
        let env = start().await;
        let names = |v: Value| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(env.get_json(USER, "/api/activities?project=1").await.1),
            ["Special", "Support"]
        );
        assert_eq!(
            names(env.get_json(USER, "/api/activities?project=3").await.1),
            ["Only3"]
        );
        assert_eq!(
            names(env.get_json(USER, "/api/activities?globals=1").await.1),
            ["Support"]
        );
        assert_eq!(
            names(env.get_json(USER, "/api/activities").await.1),
            ["Only3", "Special", "Support"]
        );
    }

    #[tokio::test]
    async fn demo_seed_matches_the_brief_and_is_deterministic() {
        let at = utc("2026-05-20T10:00:00Z");
        let seed = demo_seed(at);
        assert_eq!(seed, demo_seed(at));
        assert!(
            (25..=30).contains(&seed.timesheets.len()),
            "{}",
            seed.timesheets.len()
        );
        let sim = KimaiSim::from_seed(seed, Clock::manual(at));
        let server = sim.start().await.unwrap();
        let http = reqwest::Client::new();
        let get = |path: &str, token: &str| {
            http.get(format!("{}{path}", server.url()))
                .bearer_auth(token)
                .send()
        };
        let projects: Value = get("api/projects", "demo-kimai-token")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            projects.as_array().unwrap().len(),
            3,
            "the rollout ended last month"
        );
        let all: Value = get("api/projects?ignoreDates=1", "demo-kimai-token")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(all.as_array().unwrap().len(), 4);
        let me: Value = get("api/users/me", "demo-kimai-admin-token")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["roles"], json!(["ROLE_SUPER_ADMIN"]));
        let r = get("api/timesheets?size=500", "demo-kimai-token")
            .await
            .unwrap();
        assert_eq!(
            r.headers()["x-total-count"].to_str().unwrap(),
            sim.timesheets().len().to_string()
        );
    }

    #[tokio::test]
    async fn knobs_are_installed_on_the_router() {
        let env = start().await;
        env.sim.knobs().add_fault(
            Fault::always(FaultKind::Status { status: 503 })
                .on_path("/api/ping")
                .times(1),
        );
        assert_eq!(env.get(USER, "/api/ping").await.status().as_u16(), 503);
        assert_eq!(env.get(USER, "/api/ping").await.status().as_u16(), 200);
        assert_eq!(env.sim.knobs().counts().get("GET /api/ping"), Some(&2));
    }
}
