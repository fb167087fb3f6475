//! Journey (b): the first-run wizard with real connections, a sync, the bookings in Kimai, the
//! tokens in the keychain — and nowhere else (not in the data directory's files, the
//! app's output, or any page's source).

use std::time::Duration;

use crate::common::{self, App};
use crate::harness::secrets;
use crate::harness::sims::{self, World};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_connects_real_servers_and_the_sync_books_the_mapped_entries() {
    let world = World::recent().await;
    let app = App::fresh("wizard").await;
    let ui = &app.ui;
    let mut sources = common::wizard(ui, &world).await;
    common::go_ahead(ui).await;

    let outcome = ui.sync_now(Duration::from_secs(60)).await;
    ui.shot("synced").await;
    assert_eq!(outcome, "ok", "{}", ui.describe("sync-result").await);
    common::assert_booked(&world);

    // The tokens are in the session's keychain, under the app's service, one per connection.
    let items = app
        .driver
        .session()
        .keychain_items("dev.timebridge.desktop");
    assert!(
        items.contains(&("kimai".into(), sims::KIMAI_TOKEN.into())),
        "Kimai's token in the keychain: {:?}",
        items.iter().map(|i| &i.0).collect::<Vec<_>>()
    );
    assert!(
        items.contains(&(format!("zammad-{}", sims::KEY), sims::ZAMMAD_TOKEN.into())),
        "Zammad's token in the keychain"
    );

    // Every page once more, for its source.
    for page in common::PAGES {
        ui.go(page).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        ui.shot(page).await;
        sources.push((
            format!("page source of {page}"),
            ui.source().await.into_bytes(),
        ));
    }
    let dir = app.dir().to_path_buf();
    // The files while the app runs (the WAL is still there), and after it closed.
    let mut places = secrets::files(&dir);
    let output = app.driver.output();
    app.close().await;
    places.extend(secrets::files(&dir));
    assert!(
        places
            .iter()
            .any(|(name, _)| name.ends_with("timebridge.db")),
        "the database is searched"
    );
    assert!(
        places.iter().any(|(name, _)| name.contains("logs")),
        "the logs are searched"
    );
    places.extend(output);
    places.extend(sources);
    let leaks = secrets::leaks(&[sims::KIMAI_TOKEN, sims::ZAMMAD_TOKEN], &places);
    assert!(leaks.is_empty(), "tokens leaked: {leaks:#?}");
}
