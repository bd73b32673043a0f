use std::collections::HashMap;
use std::sync::Mutex;

use foxtail_keychain::{last_four, ExposeSecret, KeyStatus, Keychain, KeychainError, SecretString};
use serde::Serialize;
use tauri::State;

use crate::AppError;

/// API keys: in the OS keychain, or, when a computer has no keychain and the person
/// agreed, in this process's memory until the app closes. Never in a file.
pub struct Keys {
    keychain: Keychain,
    session: Mutex<HashMap<String, SecretString>>,
}

/// What the window learns about a provider's key. It never learns the key.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct KeyReport {
    pub is_set: bool,
    pub last_four: Option<String>,
    /// The key is kept in memory only, and is gone when the app closes.
    pub session_only: bool,
}

impl Keys {
    pub fn new(keychain: Keychain) -> Self {
        Self {
            keychain,
            session: Mutex::new(HashMap::new()),
        }
    }

    fn session(&self) -> std::sync::MutexGuard<'_, HashMap<String, SecretString>> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn load(&self, provider: &str) -> Result<Option<SecretString>, KeychainError> {
        if let Some(key) = self.session().get(provider) {
            return Ok(Some(key.clone()));
        }
        self.keychain.load(provider)
    }

    pub fn save(
        &self,
        provider: &str,
        key: SecretString,
        session_only: bool,
    ) -> Result<KeyReport, KeychainError> {
        if key.expose_secret().trim().is_empty() {
            return Err(KeychainError::EmptyKey);
        }
        if session_only {
            let key = SecretString::from(key.expose_secret().trim().to_string());
            self.session().insert(provider.to_string(), key);
        } else {
            self.keychain.save(provider, &key)?;
            // A key saved for good replaces a session one.
            self.session().remove(provider);
        }
        self.report(provider)
    }

    pub fn delete(&self, provider: &str) -> Result<KeyReport, KeychainError> {
        self.session().remove(provider);
        match self.keychain.delete(provider) {
            Ok(_) => self.report(provider),
            // Nothing to delete where there is no keychain, and nothing left.
            Err(KeychainError::Unavailable(_)) => Ok(KeyReport {
                is_set: false,
                last_four: None,
                session_only: false,
            }),
            Err(err) => Err(err),
        }
    }

    pub fn report(&self, provider: &str) -> Result<KeyReport, KeychainError> {
        if let Some(key) = self.session().get(provider) {
            let tail = last_four(key.expose_secret());
            return Ok(KeyReport {
                is_set: true,
                last_four: (!tail.is_empty()).then_some(tail),
                session_only: true,
            });
        }
        let KeyStatus { is_set, last_four } = self.keychain.status(provider)?;
        Ok(KeyReport {
            is_set,
            last_four: last_four.filter(|tail| !tail.is_empty()),
            session_only: false,
        })
    }
}

#[tauri::command]
pub fn key_status(provider: String, keys: State<'_, Keys>) -> Result<KeyReport, AppError> {
    Ok(keys.report(&provider)?)
}

#[tauri::command]
pub fn save_key(
    provider: String,
    key: String,
    session_only: bool,
    keys: State<'_, Keys>,
) -> Result<KeyReport, AppError> {
    Ok(keys.save(&provider, SecretString::from(key), session_only)?)
}

#[tauri::command]
pub fn delete_key(provider: String, keys: State<'_, Keys>) -> Result<KeyReport, AppError> {
    Ok(keys.delete(&provider)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_window::TestWindow;
    use serde_json::json;
    use tauri::Manager;

    fn keys() -> (Keys, String) {
        let service = format!(
            "foxtail-app-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        );
        (Keys::new(Keychain::new(&service)), service)
    }

    #[test]
    fn a_saved_key_goes_to_the_keychain_and_the_window_sees_only_its_tail() {
        let (keys, service) = keys();
        let report = keys
            .save(
                "ofox",
                SecretString::from("sk-test-fake-9876".to_string()),
                false,
            )
            .unwrap();
        assert_eq!(
            report,
            KeyReport {
                is_set: true,
                last_four: Some("9876".into()),
                session_only: false
            }
        );
        let stored = Keychain::new(&service).load("ofox").unwrap().unwrap();
        assert_eq!(stored.expose_secret(), "sk-test-fake-9876");
        assert!(!serde_json::to_string(&report).unwrap().contains("sk-test"));

        let report = keys.delete("ofox").unwrap();
        assert!(!report.is_set);
        assert!(Keychain::new(&service).load("ofox").unwrap().is_none());
    }

    #[test]
    fn a_session_only_key_never_reaches_the_keychain() {
        let (keys, service) = keys();
        let report = keys
            .save(
                "ofox",
                SecretString::from(" sk-test-session-4321 ".to_string()),
                true,
            )
            .unwrap();
        assert!(report.is_set && report.session_only);
        assert_eq!(report.last_four.as_deref(), Some("4321"));
        assert_eq!(
            keys.load("ofox").unwrap().unwrap().expose_secret(),
            "sk-test-session-4321"
        );
        assert!(Keychain::new(&service).load("ofox").unwrap().is_none());
        assert!(!keys.delete("ofox").unwrap().is_set);
        assert!(keys.load("ofox").unwrap().is_none());
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
            json!({"is_set": true, "last_four": "2468", "session_only": false})
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
        let session = json!({"is_set": true, "last_four": "1357", "session_only": true});
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
            json!({"is_set": false, "last_four": null, "session_only": false})
        );
    }
}
