//! API keys live in the operating system's keychain (Keychain on macOS, Credential
//! Manager on Windows, the Secret Service on Linux) and nowhere else: not in a file,
//! not in a log, not in the web view.

mod error;
#[doc(hidden)]
pub mod no_secret_service;

pub use error::KeychainError;
pub use secrecy::{ExposeSecret, SecretString};

use serde::Serialize;

/// Service name used when `FOXTAIL_KEYRING_SERVICE` is not set.
pub const DEFAULT_SERVICE: &str = "Foxtail";

/// Renames the keychain service, so that tests never touch a person's real key.
pub const SERVICE_ENV: &str = "FOXTAIL_KEYRING_SERVICE";

/// What the frontend may learn about a stored key: whether there is one, and enough
/// of its tail for a person to recognise which key it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyStatus {
    pub is_set: bool,
    pub last_four: Option<String>,
}

/// One keychain service; each account inside it holds one provider's key.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// The service named by `FOXTAIL_KEYRING_SERVICE`, or the default one.
    pub fn from_env() -> Self {
        match std::env::var(SERVICE_ENV) {
            Ok(name) if !name.trim().is_empty() => Self::new(name.trim()),
            _ => Self::new(DEFAULT_SERVICE),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(&self.service, account).map_err(KeychainError::from)
    }

    /// Stores `secret` for `account`, replacing any key that was there.
    pub fn save(&self, account: &str, secret: &SecretString) -> Result<(), KeychainError> {
        let key = secret.expose_secret().trim();
        if key.is_empty() {
            return Err(KeychainError::EmptyKey);
        }
        self.entry(account)?
            .set_password(key)
            .map_err(KeychainError::from)
    }

    /// The key stored for `account`, or `None` when there is none.
    pub fn load(&self, account: &str) -> Result<Option<SecretString>, KeychainError> {
        match self.entry(account)?.get_password() {
            Ok(key) => Ok(Some(SecretString::from(key))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Removes the key for `account`. Returns whether there was one.
    pub fn delete(&self, account: &str) -> Result<bool, KeychainError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(err) => Err(err.into()),
        }
    }

    pub fn status(&self, account: &str) -> Result<KeyStatus, KeychainError> {
        Ok(match self.load(account)? {
            Some(key) => KeyStatus {
                is_set: true,
                last_four: Some(last_four(key.expose_secret())),
            },
            None => KeyStatus {
                is_set: false,
                last_four: None,
            },
        })
    }
}

/// The last four characters of a key; a key shorter than eight characters shows none
/// of itself, because four characters would be half of it.
pub fn last_four(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 8 {
        return String::new();
    }
    chars[chars.len() - 4..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_four_shows_only_the_tail_of_long_keys() {
        assert_eq!(last_four("sk-test-fake-1234"), "1234");
        assert_eq!(last_four("short"), "");
        assert_eq!(last_four("키가-아주-긴-비밀-abcd"), "abcd");
    }

    #[test]
    fn an_empty_key_is_refused_before_the_keychain_is_touched() {
        let keychain = Keychain::new("foxtail-test-never-created");
        let err = keychain
            .save("ofox", &SecretString::from("   ".to_string()))
            .unwrap_err();
        assert!(matches!(err, KeychainError::EmptyKey));
    }
}
