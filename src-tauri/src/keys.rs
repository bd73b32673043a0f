//! The window's key commands: it can set, remove and ask about a key, never read one.
//!
//! Each is a round trip to the OS keychain (50-70 ms over D-Bus on Linux). A command
//! that is not async runs on the main thread, which also paints the window: these run
//! on the async runtime instead, so that neither the window nor the web page's frames
//! wait for the keychain.

use foxtail_core::keys::{KeyReport, Keys};
use foxtail_core::AppError;
use foxtail_keychain::SecretString;
use tauri::State;

#[tauri::command]
pub async fn key_status(provider: String, keys: State<'_, Keys>) -> Result<KeyReport, AppError> {
    Ok(tokio::task::block_in_place(|| keys.report(&provider))?)
}

#[tauri::command]
pub async fn save_key(
    provider: String,
    key: String,
    session_only: bool,
    base_url: Option<String>,
    keys: State<'_, Keys>,
) -> Result<KeyReport, AppError> {
    // The person typed the key beside this address: the key is bound to it.
    Ok(tokio::task::block_in_place(|| {
        keys.save(
            &provider,
            SecretString::from(key),
            session_only,
            base_url.as_deref(),
        )
    })?)
}

#[tauri::command]
pub async fn delete_key(provider: String, keys: State<'_, Keys>) -> Result<KeyReport, AppError> {
    Ok(tokio::task::block_in_place(|| keys.delete(&provider))?)
}

#[cfg(test)]
mod tests {
    use foxtail_core::keys::Keys;
    use foxtail_keychain::Keychain;
    use serde_json::json;
    use tauri::Manager;

    use crate::test_window::TestWindow;

    fn keys() -> (Keys, String) {
        let service = format!(
            "foxtail-app-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        );
        (Keys::new(Keychain::new(&service)), service)
    }

    #[test]
    fn the_window_saves_and_removes_a_key_with_its_own_argument_names() {
        let (keys, service) = keys();
        let window = TestWindow::new();
        window.app.manage(keys);
        let report = window
            .call(
                "save_key",
                json!({"provider": "openai", "key": "sk-test-fake-ipc-2468", "sessionOnly": false}),
            )
            .unwrap();
        assert_eq!(
            report,
            json!({"is_set": true, "last_four": "2468", "session_only": false, "origin": null})
        );
        assert!(Keychain::new(&service).load("openai").unwrap().is_some());
        assert_eq!(
            window
                .call("key_status", json!({"provider": "openai"}))
                .unwrap(),
            report
        );
        let removed = window
            .call("delete_key", json!({"provider": "openai"}))
            .unwrap();
        assert_eq!(removed["is_set"], false);
        let empty = window
            .call(
                "save_key",
                json!({"provider": "openai", "key": " ", "sessionOnly": false}),
            )
            .unwrap_err();
        assert_eq!(empty["kind"], "empty_key");
    }

    #[test]
    fn without_a_keychain_the_window_learns_it_and_can_keep_the_key_for_the_session() {
        if !foxtail_keychain::no_secret_service::in_copy_without_secret_service(
            "keys::tests::without_a_keychain_the_window_learns_it_and_can_keep_the_key_for_the_session",
        ) {
            return;
        }
        let (keys, _) = keys();
        let window = TestWindow::new();
        window.app.manage(keys);
        let key = "sk-test-fake-nobus-1357";
        let err = window
            .call(
                "save_key",
                json!({"provider": "ofox", "key": key, "sessionOnly": false}),
            )
            .unwrap_err();
        assert_eq!(err["kind"], "keychain_unavailable", "{err}");
        assert!(err["message"].as_str().unwrap().contains("No keychain"));
        assert!(!err.to_string().contains(key));

        let report = window
            .call(
                "save_key",
                json!({"provider": "ofox", "key": key, "sessionOnly": true}),
            )
            .unwrap();
        let session =
            json!({"is_set": true, "last_four": "1357", "session_only": true, "origin": null});
        assert_eq!(report, session);
        assert_eq!(
            window
                .call("key_status", json!({"provider": "ofox"}))
                .unwrap(),
            session
        );
        assert_eq!(
            window
                .call("delete_key", json!({"provider": "ofox"}))
                .unwrap(),
            json!({"is_set": false, "last_four": null, "session_only": false, "origin": null})
        );
    }
}
