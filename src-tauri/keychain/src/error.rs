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
    /// Every word `kind` can return, for the app's check that it knows each one.
    pub const KINDS: &'static [&'static str] = &[
        "keychain_unavailable",
        "keychain_platform",
        "empty_key",
        "keychain_invalid",
    ];

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
            keyring::Error::PlatformFailure(inner) if means_no_keychain(inner.as_ref()) => {
                Self::Unavailable(inner.to_string())
            }
            keyring::Error::PlatformFailure(inner) => Self::Platform(inner.to_string()),
            other => Self::Invalid(other.to_string()),
        }
    }
}

/// keyring reports a Linux desktop without a Secret Service (no D-Bus session, or no
/// GNOME Keyring or KWallet on it) as a generic platform failure; only the D-Bus error
/// underneath tells it apart from a keychain that is there and failed.
#[cfg(target_os = "linux")]
fn means_no_keychain(err: &(dyn std::error::Error + 'static)) -> bool {
    match err.downcast_ref::<dbus_secret_service::Error>() {
        Some(dbus_secret_service::Error::Unavailable) => true,
        Some(dbus_secret_service::Error::Dbus(inner)) => {
            inner.name().is_some_and(names_no_keychain)
        }
        _ => false,
    }
}

#[cfg(not(target_os = "linux"))]
fn means_no_keychain(_err: &(dyn std::error::Error + 'static)) -> bool {
    false
}

/// D-Bus error names that mean there is no session bus, or nothing on it that keeps
/// secrets.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn names_no_keychain(name: &str) -> bool {
    matches!(
        name,
        "org.freedesktop.DBus.Error.ServiceUnknown"
            | "org.freedesktop.DBus.Error.NameHasNoOwner"
            | "org.freedesktop.DBus.Error.FileNotFound"
            | "org.freedesktop.DBus.Error.NoServer"
            | "org.freedesktop.DBus.Error.NotSupported"
            | "org.freedesktop.DBus.Error.BadAddress"
    ) || name.starts_with("org.freedesktop.DBus.Error.Spawn.")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_missing_bus_or_secret_service_means_no_keychain() {
        for name in [
            "org.freedesktop.DBus.Error.ServiceUnknown",
            "org.freedesktop.DBus.Error.FileNotFound",
            "org.freedesktop.DBus.Error.NotSupported",
            "org.freedesktop.DBus.Error.Spawn.ExecFailed",
        ] {
            assert!(names_no_keychain(name), "{name}");
        }
        for name in [
            "org.freedesktop.DBus.Error.AccessDenied",
            "org.freedesktop.DBus.Error.NoReply",
            "org.freedesktop.Secret.Error.IsLocked",
        ] {
            assert!(!names_no_keychain(name), "{name}");
        }
    }

    #[test]
    fn a_locked_or_refused_keychain_counts_as_unavailable_and_others_do_not() {
        assert_eq!(
            KeychainError::from(keyring::Error::NoStorageAccess("locked".into())).kind(),
            "keychain_unavailable"
        );
        assert_eq!(
            KeychainError::from(keyring::Error::PlatformFailure("broken pipe".into())).kind(),
            "keychain_platform"
        );
    }
}
