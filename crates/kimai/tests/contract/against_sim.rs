//! Every client method once against the Kimai simulator: the client and the simulator agree.

use chrono::{NaiveDate, TimeZone, Utc};
use timebridge_http::{BaseUrl, Secret};
use timebridge_kimai::{
    ActivityQuery, CustomerQuery, KimaiClient, KimaiError, NewTimesheet, ProjectQuery,
    TimesheetPatch, TimesheetQuery,
};
use timebridge_simulators::kimai::{demo::demo_seed, KimaiSim};
use timebridge_simulators::{Clock, RunningServer};

use super::fast_config;

async fn setup() -> (KimaiSim, RunningServer, KimaiClient, KimaiClient) {
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
    let sim = KimaiSim::from_seed(demo_seed(now), Clock::manual(now));
    sim.register_meta_field("zammad_id");
    let server = sim.start().await.unwrap();
    let client = |token: &str| {
        KimaiClient::new(
            BaseUrl::parse(&server.url(), false).unwrap(),
            Secret::new(token),
            fast_config(),
        )
        .unwrap()
    };
    let (user, admin) = (client("demo-kimai-token"), client("demo-kimai-admin-token"));
    (sim, server, user, admin)
}

#[tokio::test]
async fn status_user_config_and_catalog() {
    let (_sim, _server, user, _) = setup().await;
    user.ping().await.unwrap();
    assert_eq!(user.version().await.unwrap().version, "2.66.0");
    let me = user.me().await.unwrap();
    assert_eq!(
        (me.username.as_str(), me.timezone.as_str()),
        ("consultant", "Europe/Berlin")
    );
    assert_eq!(
        user.timesheet_config().await.unwrap().tracking_mode,
        "default"
    );
    assert_eq!(
        user.customers(&CustomerQuery::default())
            .await
            .unwrap()
            .len(),
        3
    );
    let current = user.projects(&ProjectQuery::default()).await.unwrap();
    let all = user
        .projects(&ProjectQuery {
            ignore_dates: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!((current.len(), all.len()), (3, 4));
    let rollout = all.iter().find(|p| p.name == "Acme Rollout 2026").unwrap();
    let acts = user
        .activities(&ActivityQuery {
            projects: vec![rollout.id],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(acts.len(), 4, "Rollout plus three globals");
    assert_eq!(user.tags().await.unwrap(), ["zammad"]);
    assert!(user
        .find_tags("zam")
        .await
        .unwrap()
        .iter()
        .any(|t| t.name == "zammad"));
    assert_eq!(user.create_tag("ticket-1").await.unwrap().name, "ticket-1");
    let bad = KimaiClient::new(
        BaseUrl::parse(&_server.url(), false).unwrap(),
        Secret::new("wrong"),
        fast_config(),
    )
    .unwrap();
    assert!(matches!(
        bad.me().await.unwrap_err(),
        KimaiError::AuthFailed
    ));
}

#[tokio::test]
async fn timesheet_lifecycle() {
    let (sim, _server, user, admin) = setup().await;
    let seeded = sim.timesheets().len();
    let all = user
        .timesheets_all(&TimesheetQuery {
            size: Some(7),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), seeded);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id), "id ASC");
    assert!(
        all.iter().all(|t| t.rate.is_none()),
        "ROLE_USER sees no rates"
    );
    let page = user
        .timesheets_page(
            &TimesheetQuery {
                size: Some(7),
                ..Default::default()
            },
            1,
        )
        .await
        .unwrap();
    assert_eq!((page.total_count as usize, page.per_page), (seeded, 7));

    let day = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
    let mut new = NewTimesheet::new(
        day.and_hms_opt(9, 0, 30).unwrap(),
        day.and_hms_opt(9, 15, 10).unwrap(),
        1,
        1,
    );
    new.tags = vec!["zammad".into(), "unknown".into()];
    let created = user.create_timesheet(&new).await.unwrap();
    assert_eq!(
        (created.duration, created.tags.clone()),
        (Some(960), vec!["zammad".to_string()])
    );
    assert_eq!(created.begin.to_rfc3339(), "2026-03-09T09:00:00+01:00");

    let patch = TimesheetPatch {
        description: Some("edited".into()),
        ..Default::default()
    };
    assert_eq!(
        user.update_timesheet(created.id, &patch)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("edited")
    );
    assert_eq!(
        user.timesheet(created.id)
            .await
            .unwrap()
            .description
            .as_deref(),
        Some("edited")
    );
    assert_eq!(
        user.set_meta(created.id, "zammad_id", "4711")
            .await
            .unwrap()
            .meta_fields[0]
            .value,
        "4711"
    );
    assert!(matches!(
        user.set_meta(created.id, "nope", "1").await.unwrap_err(),
        KimaiError::NotFound
    ));
    assert!(matches!(
        user.ensure_exported(created.id, true).await.unwrap_err(),
        KimaiError::Locked
    ));

    assert!(
        admin
            .ensure_exported(created.id, true)
            .await
            .unwrap()
            .exported
    );
    assert!(
        admin
            .ensure_exported(created.id, true)
            .await
            .unwrap()
            .exported,
        "no second toggle"
    );
    assert!(
        admin.timesheet(created.id).await.unwrap().rate.is_some(),
        "admins see rates"
    );
    assert!(matches!(
        user.update_timesheet(created.id, &patch).await.unwrap_err(),
        KimaiError::Locked
    ));
    assert!(matches!(
        user.delete_timesheet(created.id).await.unwrap_err(),
        KimaiError::Locked
    ));
    assert!(
        !admin
            .ensure_exported(created.id, false)
            .await
            .unwrap()
            .exported
    );
    user.delete_timesheet(created.id).await.unwrap();
    assert!(matches!(
        user.timesheet(created.id).await.unwrap_err(),
        KimaiError::NotFound
    ));

    let mut extra = NewTimesheet::new(
        day.and_hms_opt(11, 0, 0).unwrap(),
        day.and_hms_opt(10, 0, 0).unwrap(),
        1,
        1,
    );
    extra.billable = Some(false);
    match user.create_timesheet(&extra).await.unwrap_err() {
        KimaiError::Validation { global, fields } => {
            assert_eq!(global.len(), 1, "billable is an extra field for ROLE_USER");
            assert!(fields.iter().any(|f| f.path == "end"));
        }
        other => panic!("{other:?}"),
    }
    let q = TimesheetQuery {
        tags: vec!["nope".into()],
        ..Default::default()
    };
    assert!(matches!(
        user.timesheets_all(&q).await.unwrap_err(),
        KimaiError::BadRequest { .. }
    ));
}
