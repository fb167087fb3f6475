//! Journey (k): markup in a ticket title. Anyone who can write to a client's helpdesk chooses
//! ticket titles; Timebridge shows them on its pages. A title full of markup (an image with an
//! `onerror` handler, a script, a bold tag) must show as text on every page and run nothing.
//! And the page's content security policy must hold on its own: an inline handler slipped into
//! the page (as a rendering bug would) is refused, not run.

use std::time::Duration;

use serde_json::Value;

use crate::common::{self, App};
use crate::harness::sims::World;
use crate::harness::ui::Ui;

const TITLE: &str = r#"<img id="tb-img" src="x" onerror="window.__tbPwned=1"><script id="tb-script">window.__tbPwned=2</script><b id="tb-bold">bold</b> & "quoted""#;

/// What the title could have done: `[window.__tbPwned, elements it made]`.
async fn harm(ui: &Ui) -> Value {
    ui.client
        .execute(
            "return [window.__tbPwned === undefined ? null : window.__tbPwned, \
             document.querySelectorAll('#tb-img, #tb-script, #tb-bold').length];",
            vec![],
        )
        .await
        .expect("a script from the test")
}

/// Goes to `page` and checks that the title did nothing there.
async fn visit(ui: &Ui, page: &str) {
    ui.go(page).await;
    // Long enough for an image error and a script to have run.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(harm(ui).await, serde_json::json!([null, 0]), "on {page}");
    ui.shot(page).await;
}

/// Whether the text of the element `id` holds the title, literally.
async fn shows_title(ui: &Ui, id: &str) -> bool {
    ui.text(id).await.contains(r#"<img id="tb-img" src="x""#)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_title_full_of_markup_is_text_on_every_page() {
    let world = World::recent_with_title(TITLE).await;
    let app = App::fresh("markup").await;
    let ui = &app.ui;
    common::wizard(ui, &world).await;
    common::go_ahead(ui).await;
    assert_eq!(ui.sync_now(Duration::from_secs(60)).await, "ok");
    common::assert_booked(&world);

    // Entry 1 (on the marked-up ticket) changed on both sides: a conflict that names it.
    let key = common::conflict_on_entry_1(ui, &world).await;

    for page in common::PAGES {
        visit(ui, page).await;
    }
    ui.go("entries").await;
    ui.wait_for(&format!("entry-row-{key}")).await;
    ui.click(&format!("entry-row-{key}")).await;
    ui.wait_for("entry-detail").await;
    assert!(
        shows_title(ui, "entries-list").await || shows_title(ui, "entry-detail").await,
        "the entry shows the title as typed: {}",
        ui.text("entry-detail").await
    );
    assert_eq!(harm(ui).await, serde_json::json!([null, 0]), "entry detail");
    ui.go("conflicts").await;
    ui.click(&format!("conflict-{key}")).await;
    ui.wait_for("conflict-detail").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        shows_title(ui, "page-conflicts").await,
        "the conflict shows the title as typed: {}",
        ui.text("page-conflicts").await
    );
    assert_eq!(
        harm(ui).await,
        serde_json::json!([null, 0]),
        "conflict detail"
    );
    ui.shot("conflict-detail").await;

    // The policy itself: an inline handler put into the page is refused and reported.
    let probe = "window.__tbViolations = 0; \
        document.addEventListener('securitypolicyviolation', () => { window.__tbViolations += 1; }); \
        document.body.insertAdjacentHTML('beforeend', \
          '<img id=\"tb-probe\" src=\"data:,\" onerror=\"window.__tbCsp=1\">'); \
        return true;";
    ui.client.execute(probe, vec![]).await.expect("the probe");
    // Until the refusal is reported, or 10 s: a refused handler cannot run later, and an
    // allowed one reports nothing and has run by then.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let outcome = loop {
        let outcome = ui
            .client
            .execute(
                "return [window.__tbCsp === undefined ? null : window.__tbCsp, window.__tbViolations];",
                vec![],
            )
            .await
            .expect("the probe's outcome");
        let ran = !outcome[0].is_null();
        if ran || outcome[1].as_i64().unwrap_or(0) >= 1 || std::time::Instant::now() > deadline {
            break outcome;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    };
    assert_eq!(outcome[0], Value::Null, "the inline handler ran: {outcome}");
    assert!(
        outcome[1].as_i64().unwrap_or(0) >= 1,
        "the policy reported the refusal: {outcome}"
    );
    app.close().await;
}
