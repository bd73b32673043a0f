//! Runs against the machine's real keychain. On Linux that is a Secret Service: the
//! test command starts gnome-keyring inside `dbus-run-session` for it. keyring v3
//! silently falls back to an in-memory mock when no real store is compiled in, so
//! every check reads back through a *new* entry: the mock would forget there.

use foxtail_keychain::{ExposeSecret, Keychain, SecretString};

fn unique_service() -> String {
    format!(
        "foxtail-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

#[test]
fn a_saved_key_survives_in_the_real_keychain_and_can_be_removed() {
    let service = unique_service();
    let writer = Keychain::new(&service);
    let key = SecretString::from("sk-test-fake-0000-abcd".to_string());
    writer
        .save("ofox", &key)
        .expect("saving into the Secret Service");

    // A fresh handle proves the key lives in the keychain, not in this process.
    let reader = Keychain::new(&service);
    let loaded = reader.load("ofox").unwrap().expect("key read back");
    assert_eq!(loaded.expose_secret(), "sk-test-fake-0000-abcd");

    let status = reader.status("ofox").unwrap();
    assert!(status.is_set);
    assert_eq!(status.last_four.as_deref(), Some("abcd"));

    // Accounts are separate: another provider has no key.
    assert!(!reader.status("openai").unwrap().is_set);

    assert!(reader.delete("ofox").unwrap());
    assert!(Keychain::new(&service).load("ofox").unwrap().is_none());
    assert!(
        !reader.delete("ofox").unwrap(),
        "deleting twice is harmless"
    );
}

#[test]
fn saving_again_replaces_the_key() {
    let service = unique_service();
    let keychain = Keychain::new(&service);
    keychain
        .save(
            "ofox",
            &SecretString::from("sk-test-fake-first-1111".to_string()),
        )
        .unwrap();
    keychain
        .save(
            "ofox",
            &SecretString::from("  sk-test-fake-second-2222\n".to_string()),
        )
        .unwrap();
    let loaded = Keychain::new(&service).load("ofox").unwrap().unwrap();
    assert_eq!(
        loaded.expose_secret(),
        "sk-test-fake-second-2222",
        "pasted whitespace is trimmed"
    );
    keychain.delete("ofox").unwrap();
}

#[test]
fn the_service_name_comes_from_the_environment() {
    // Only this test touches the variable in this binary, so no other test races it.
    std::env::set_var(foxtail_keychain::SERVICE_ENV, "foxtail-env-test");
    assert_eq!(Keychain::from_env().service(), "foxtail-env-test");
    std::env::set_var(foxtail_keychain::SERVICE_ENV, "  ");
    assert_eq!(
        Keychain::from_env().service(),
        foxtail_keychain::DEFAULT_SERVICE
    );
    std::env::remove_var(foxtail_keychain::SERVICE_ENV);
    assert_eq!(
        Keychain::from_env().service(),
        foxtail_keychain::DEFAULT_SERVICE
    );
}

#[test]
fn a_computer_without_a_secret_service_reports_no_keychain() {
    if !foxtail_keychain::no_secret_service::in_copy_without_secret_service(
        "a_computer_without_a_secret_service_reports_no_keychain",
    ) {
        return;
    }
    let keychain = Keychain::new(unique_service());
    let key = SecretString::from("sk-test-fake-nobus-1234".to_string());
    let err = keychain.save("ofox", &key).unwrap_err();
    assert_eq!(err.kind(), "keychain_unavailable", "{err}");
    assert!(!err.to_string().contains("sk-test"));
    assert_eq!(
        keychain.load("ofox").unwrap_err().kind(),
        "keychain_unavailable"
    );
}
