use std::collections::HashMap;
use std::sync::Mutex;

use foxtail_keychain::{last_four, ExposeSecret, KeyStatus, Keychain, KeychainError, SecretString};
use serde::Serialize;
use ts_rs::TS;

/// API keys: in the OS keychain, or, when a computer has no keychain and the person
/// agreed, in this process's memory until the app closes. Never in a file.
///
/// Each key is bound to the address (origin) it was saved for, so that the window
/// cannot send a stored key somewhere else: a new address needs the key entered again.
pub struct Keys {
    keychain: Keychain,
    session: Mutex<HashMap<String, SecretString>>,
    /// The origins of session-only keys; those of stored keys are in the keychain.
    session_origins: Mutex<HashMap<String, String>>,
}

/// The keychain entry that holds the origin a provider's key was saved for.
fn origin_account(provider: &str) -> String {
    format!("{provider}#origin")
}

/// `scheme://host:port` of a URL, the unit a key is bound to; `None` for no URL.
pub fn origin_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    Some(parsed.origin().ascii_serialization()).filter(|o| o != "null")
}

/// What the window learns about a provider's key. It never learns the key.
#[derive(Debug, Serialize, PartialEq, Eq, TS)]
pub struct KeyReport {
    pub is_set: bool,
    pub last_four: Option<String>,
    /// The key is kept in memory only, and is gone when the app closes.
    pub session_only: bool,
    /// The address (origin) the key was saved for; `None` when it goes only to its
    /// preset's own addresses. The window warns when the address typed differs.
    pub origin: Option<String>,
}

impl Keys {
    pub fn new(keychain: Keychain) -> Self {
        Self {
            keychain,
            session: Mutex::new(HashMap::new()),
            session_origins: Mutex::new(HashMap::new()),
        }
    }

    /// The keychain itself, for the other secrets kept there (MCP servers').
    pub fn keychain(&self) -> &Keychain {
        &self.keychain
    }

    fn session_origins(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.session_origins
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The origin the provider's key was saved for, if it was bound to one.
    pub fn bound_origin(&self, provider: &str) -> Result<Option<String>, KeychainError> {
        if self.session().contains_key(provider) {
            return Ok(self.session_origins().get(provider).cloned());
        }
        Ok(self
            .keychain
            .load(&origin_account(provider))?
            .map(|origin| origin.expose_secret().to_owned()))
    }

    /// Whether the provider's key may go to `url`: the origin it was saved for, or,
    /// for a key saved without one, the addresses of its preset.
    pub fn may_send(&self, provider: &str, url: &str) -> Result<bool, KeychainError> {
        let Some(origin) = origin_of(url) else {
            return Ok(false);
        };
        Ok(match self.bound_origin(provider)? {
            Some(bound) => bound == origin,
            None => crate::presets::preset(provider).is_some_and(|preset| {
                [preset.openai_base_url, preset.anthropic_base_url]
                    .iter()
                    .any(|known| origin_of(known).as_deref() == Some(origin.as_str()))
            }),
        })
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

    /// Saves the key, bound to the origin of `base_url` (the address the person typed
    /// beside it); without one, the key goes only to its preset's own addresses.
    pub fn save(
        &self,
        provider: &str,
        key: SecretString,
        session_only: bool,
        base_url: Option<&str>,
    ) -> Result<KeyReport, KeychainError> {
        if key.expose_secret().trim().is_empty() {
            return Err(KeychainError::EmptyKey);
        }
        let origin = base_url.and_then(origin_of);
        if session_only {
            let key = SecretString::from(key.expose_secret().trim().to_string());
            self.session().insert(provider.to_string(), key);
            match origin {
                Some(origin) => self.session_origins().insert(provider.to_string(), origin),
                None => self.session_origins().remove(provider),
            };
        } else {
            self.keychain.save(provider, &key)?;
            match origin {
                Some(origin) => self
                    .keychain
                    .save(&origin_account(provider), &SecretString::from(origin))?,
                None => {
                    self.keychain.delete(&origin_account(provider))?;
                }
            }
            // A key saved for good replaces a session one.
            self.session().remove(provider);
            self.session_origins().remove(provider);
        }
        self.report(provider)
    }

    pub fn delete(&self, provider: &str) -> Result<KeyReport, KeychainError> {
        self.session().remove(provider);
        self.session_origins().remove(provider);
        let _ = self.keychain.delete(&origin_account(provider));
        match self.keychain.delete(provider) {
            Ok(_) => self.report(provider),
            // Nothing to delete where there is no keychain, and nothing left.
            Err(KeychainError::Unavailable(_)) => Ok(KeyReport {
                is_set: false,
                last_four: None,
                session_only: false,
                origin: None,
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
                origin: self.session_origins().get(provider).cloned(),
            });
        }
        let KeyStatus { is_set, last_four } = self.keychain.status(provider)?;
        let origin = match is_set {
            true => self.bound_origin(provider)?,
            false => None,
        };
        Ok(KeyReport {
            is_set,
            last_four: last_four.filter(|tail| !tail.is_empty()),
            session_only: false,
            origin,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                None,
            )
            .unwrap();
        assert_eq!(
            report,
            KeyReport {
                is_set: true,
                last_four: Some("9876".into()),
                session_only: false,
                origin: None,
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
                None,
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
    fn a_key_goes_only_to_the_origin_it_was_saved_for() {
        let (keys, _) = keys();
        let key = || SecretString::from("sk-test-fake-bound-1111".to_string());
        // Saved with an address: that origin only, whatever the path.
        keys.save("custom", key(), false, Some("https://gw.example.com/v1"))
            .unwrap();
        assert!(keys
            .may_send("custom", "https://gw.example.com/other")
            .unwrap());
        assert!(!keys
            .may_send("custom", "https://evil.example.com/v1")
            .unwrap());
        assert!(
            !keys.may_send("custom", "http://gw.example.com/v1").unwrap(),
            "scheme counts"
        );
        assert!(
            !keys
                .may_send("custom", "https://gw.example.com:8443/v1")
                .unwrap(),
            "port counts"
        );
        // Saved without one: only the preset's own addresses.
        keys.save("openai", key(), false, None).unwrap();
        assert!(keys
            .may_send("openai", "https://api.openai.com/v1")
            .unwrap());
        assert!(!keys
            .may_send("openai", "https://api.openai.com.evil.example/v1")
            .unwrap());
        // Session keys are bound the same way, and deleting forgets the binding.
        keys.save("ofox", key(), true, Some("http://127.0.0.1:9/v1"))
            .unwrap();
        assert!(keys.may_send("ofox", "http://127.0.0.1:9/x").unwrap());
        assert!(!keys.may_send("ofox", "https://api.ofox.ai/v1").unwrap());
        keys.delete("custom").unwrap();
        assert_eq!(keys.bound_origin("custom").unwrap(), None);
        keys.delete("openai").unwrap();
        keys.delete("ofox").unwrap();
    }
}
