//! The real OS keychain: on Linux a Secret Service (GNOME Keyring) on a private D-Bus session.
//! Run by `scripts/test.sh` through `scripts/with-keyring.sh`; ignored by a plain `cargo test`
//! because it needs that session.

use timebridge_core::secrets::{env_var_for, KeychainStore, SecretStore};
use timebridge_http::Secret;

const NEEDS: &str = "needs a Secret Service: scripts/with-keyring.sh cargo test -p timebridge-core --test keychain -- --ignored";

#[test]
#[ignore = "needs a Secret Service: scripts/with-keyring.sh cargo test -p timebridge-core --test keychain -- --ignored"]
fn tokens_round_trip_through_the_real_keychain() {
    let service = format!("dev.timebridge.test-{}", std::process::id());
    let store = KeychainStore::with_service(service.clone());
    let account = "zammad-acme";
    assert!(
        std::env::var_os(env_var_for(account)).is_none(),
        "no override in this test"
    );
    assert!(store.get(account).expect(NEEDS).is_none());
    store
        .set(account, &Secret::new("tb-keychain-token-1"))
        .expect(NEEDS);
    assert_eq!(
        store.get(account).unwrap().unwrap().expose(),
        "tb-keychain-token-1"
    );
    store
        .set(account, &Secret::new("tb-keychain-token-2"))
        .unwrap();
    assert_eq!(
        store.get(account).unwrap().unwrap().expose(),
        "tb-keychain-token-2",
        "replaced"
    );
    // A second store, as another process would open it, sees the stored token.
    let again = KeychainStore::with_service(service);
    assert_eq!(
        again.get(account).unwrap().unwrap().expose(),
        "tb-keychain-token-2"
    );
    store.delete(account).unwrap();
    assert!(store.get(account).unwrap().is_none());
}

#[test]
#[ignore = "needs a Secret Service: scripts/with-keyring.sh cargo test -p timebridge-core --test keychain -- --ignored"]
fn an_environment_variable_overrides_the_keychain() {
    let store =
        KeychainStore::with_service(format!("dev.timebridge.test-env-{}", std::process::id()));
    let account = "kimai-env-test";
    store
        .set(account, &Secret::new("from-keychain"))
        .expect(NEEDS);
    // Only this test reads or sets this variable.
    std::env::set_var(env_var_for(account), "from-env");
    assert_eq!(store.get(account).unwrap().unwrap().expose(), "from-env");
    std::env::remove_var(env_var_for(account));
    assert_eq!(
        store.get(account).unwrap().unwrap().expose(),
        "from-keychain"
    );
    store.delete(account).unwrap();
}
