//! The simulator refuses writes the way Kimai 2.66 does, one named test per cause a sync must
//! classify: project dates (read in the user's timezone), activity rules, hidden records, a
//! locked period (see also `kimai_traps_writes.rs`), and a rounding rule on the server.

mod kimai_support;

use kimai_support::{body, field_errors, global_errors, start, utc, USER};
use serde_json::json;

#[tokio::test]
async fn project_dates_are_read_in_the_users_timezone() {
    let env = start().await;
    // Project 2 "Old" ended on 31 January. Alice lives in Europe/Berlin.
    let late_evening = json!({"begin": "2026-01-31T23:30:00", "end": "2026-01-31T23:45:00",
        "project": 2, "activity": 1});
    let r = env.post(USER, "/api/timesheets", late_evening).await;
    assert_eq!(r.status().as_u16(), 200, "still 31 January in Berlin");
    let next_day = json!({"begin": "2026-02-01T00:30:00", "end": "2026-02-01T00:45:00",
        "project": 2, "activity": 1});
    let r = env.post(USER, "/api/timesheets", next_day).await;
    assert_eq!(r.status().as_u16(), 400);
    let errors = field_errors(&r.json().await.unwrap(), "begin");
    assert_eq!(errors.len(), 1, "{errors:?}");
}

#[tokio::test]
async fn an_activity_the_project_does_not_allow_is_a_field_error() {
    let env = start().await;
    // Project 3 takes no global activities; activity 3 belongs to project 3 only.
    for (project, activity) in [(3, 1), (1, 3)] {
        let r = env
            .post(
                USER,
                "/api/timesheets",
                body(json!({"project": project, "activity": activity})),
            )
            .await;
        assert_eq!(r.status().as_u16(), 400, "{project}/{activity}");
        let b = r.json().await.unwrap();
        assert_eq!(field_errors(&b, "activity").len(), 1, "{b}");
        assert!(field_errors(&b, "project").is_empty(), "{b}");
    }
}

#[tokio::test]
async fn a_hidden_project_is_not_a_valid_choice_but_its_records_stay_editable() {
    let env = start().await;
    let r = env.post(USER, "/api/timesheets", body(json!({}))).await;
    assert_eq!(r.status().as_u16(), 200);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_u64()
        .unwrap();
    assert!(env.sim.edit_project_as_admin(1, |p| p.visible = false));
    let r = env.post(USER, "/api/timesheets", body(json!({}))).await;
    assert_eq!(r.status().as_u16(), 400);
    let b = r.json().await.unwrap();
    assert_eq!(field_errors(&b, "project").len(), 1, "{b}");
    let path = format!("/api/timesheets/{id}");
    let r = env
        .patch(USER, &path, json!({"description": "still mine"}))
        .await;
    assert_eq!(
        r.status().as_u16(),
        200,
        "the record keeps its hidden project"
    );
}

#[tokio::test]
async fn a_locked_period_refuses_a_create_with_a_form_wide_error() {
    let env = start().await;
    env.sim.set_lockdown(Some((
        utc("2026-03-01T00:00:00Z"),
        utc("2026-03-31T23:59:59Z"),
    )));
    let r = env.post(USER, "/api/timesheets", body(json!({}))).await;
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(global_errors(&r.json().await.unwrap()).len(), 1);
}

#[tokio::test]
async fn a_rounding_rule_on_the_server_changes_the_stored_times() {
    let env = start().await;
    env.sim.set_rounding_minutes(Some(15));
    let odd = json!({"begin": "2026-03-02T09:07:00", "end": "2026-03-02T09:32:00",
        "project": 1, "activity": 1});
    let r = env.post(USER, "/api/timesheets", odd).await;
    assert_eq!(r.status().as_u16(), 200);
    let b: serde_json::Value = r.json().await.unwrap();
    assert!(
        b["begin"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-02T09:00:00"),
        "{b}"
    );
    assert!(
        b["end"]
            .as_str()
            .unwrap()
            .starts_with("2026-03-02T09:45:00"),
        "{b}"
    );
}
