use serde::{Serialize, Serializer};

/// Keychain failures, in words a person can act on. None of them carries the key.
#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    #[error(
        "No keychain is available on this computer (on Linux, a Secret Service such as GNOME Keyring or KWallet must be running). {0}"
    )]
    Unavailable(String),
    #[error("The keychain refused access: {0}")]
    Platform(String),
    #[error("The API key is empty.")]
    EmptyKey,
    #[error("The keychain could not store this key: {0}")]
    Invalid(String),
}

impl KeychainError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "keychain_unavailable",
            Self::Platform(_) => "keychain_platform",
            Self::EmptyKey => "empty_key",
            Self::Invalid(_) => "keychain_invalid",
        }
    }
}

impl From<keyring::Error> for KeychainError {
    fn from(err: keyring::Error) -> Self {
        // keyring's own messages never include the secret, only what went wrong.
        match err {
            keyring::Error::NoStorageAccess(inner) => Self::Unavailable(inner.to_string()),
            keyring::Error::PlatformFailure(inner) => Self::Platform(inner.to_string()),
            other => Self::Invalid(other.to_string()),
        }
    }
}

impl Serialize for KeychainError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("KeychainError", 2)?;
        out.serialize_field("kind", self.kind())?;
        out.serialize_field("message", &self.to_string())?;
        out.end()
    }
}
