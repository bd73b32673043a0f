//! The values of servers' environment variables and headers, in the keychain: the
//! settings file names them, never holds them.

use foxtail_keychain::{ExposeSecret, Keychain, SecretString};

use super::config::{McpServer, Secrets};
use crate::AppError;

/// The server's saved values; one that cannot be read counts as not set, and the
/// server says what it misses when it starts.
pub fn load(keychain: &Keychain, server: &McpServer) -> Secrets {
    server
        .secret_names()
        .iter()
        .filter_map(|name| {
            let value = keychain.load(&server.secret_account(name)).ok()??;
            Some((name.clone(), value.expose_secret().to_owned()))
        })
        .collect()
}

/// Saves the values given (a name left out keeps its saved value), and forgets the
/// values of names `old` had and `server` no longer has.
pub fn save(
    keychain: &Keychain,
    server: &McpServer,
    values: &Secrets,
    old: Option<&McpServer>,
) -> Result<(), AppError> {
    for name in server.secret_names() {
        if let Some(value) = values.get(name).filter(|v| !v.is_empty()) {
            keychain.save(
                &server.secret_account(name),
                &SecretString::from(value.clone()),
            )?;
        }
    }
    if let Some(old) = old {
        forget_missing(keychain, old, server);
    }
    Ok(())
}

/// Forgets every value of `old` that `now` (if any) does not keep under the same
/// account.
pub fn forget_missing(keychain: &Keychain, old: &McpServer, now: &McpServer) {
    for name in old.secret_names() {
        let account = old.secret_account(name);
        let kept = now.secret_names().contains(name) && now.secret_account(name) == account;
        if !kept {
            let _ = keychain.delete(&account);
        }
    }
}

/// Forgets every value of `server`.
pub fn forget(keychain: &Keychain, server: &McpServer) {
    for name in server.secret_names() {
        let _ = keychain.delete(&server.secret_account(name));
    }
}
