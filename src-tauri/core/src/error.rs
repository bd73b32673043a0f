use serde::{Deserialize, Serialize, Serializer};
use ts_rs::TS;

/// Every kind of failure the window can be told about. The window has words for each
/// one in every language (a `Record<ErrorKind, …>`), so a new kind here without words
/// there fails the type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    // From the engine: the gateway or the way to it.
    Auth,
    RateLimit,
    Server,
    Network,
    Timeout,
    BadRequest,
    Protocol,
    Interrupted,
    Cancelled,
    ToolLimit,
    ToolFile,
    Redirect,
    TooLarge,
    // From the history database.
    DiskFull,
    StorageLocked,
    StorageCorrupt,
    NotFound,
    StorageMigration,
    Storage,
    // From the keychain.
    KeychainUnavailable,
    KeychainPlatform,
    EmptyKey,
    KeychainInvalid,
    // From the app's own rules.
    DataDir,
    Settings,
    NoKey,
    KeyOrigin,
    EmptyMessage,
    Busy,
    LinkRefused,
    LinkFailed,
    Clipboard,
    ImageRefused,
    ImageFailed,
    Export,
    Draft,
    // From MCP servers: starting one, or reaching it.
    McpNotFound,
    McpExited,
    McpHandshake,
    McpRefused,
    McpAuth,
    McpConfig,
    // From files a person attached.
    AttachmentTooLarge,
    AttachmentUnsupported,
    AttachmentUnreadable,
    AttachmentEncrypted,
    AttachmentNoText,
}

impl ErrorKind {
    /// The wire word, as the window receives it.
    pub fn as_str(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(word)) => word,
            _ => String::new(),
        }
    }

    /// The kind a lower crate names by its wire word. Each crate's words are checked
    /// against this enum by a test, so the fallback is never reached by a known kind.
    pub(crate) fn from_word(word: &str, fallback: ErrorKind) -> ErrorKind {
        serde_json::from_value(serde_json::Value::String(word.to_owned())).unwrap_or(fallback)
    }
}

impl PartialEq<&str> for ErrorKind {
    fn eq(&self, word: &&str) -> bool {
        self.as_str() == *word
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// Every failure the app reports to the window, serialized as `{kind, message}` (and
/// `status` when a gateway answered with an HTTP error).
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Keychain(#[from] foxtail_keychain::KeychainError),
    #[error(transparent)]
    Storage(#[from] foxtail_storage::StorageError),
    /// The gateway or the way to it failed; the kind is the engine's (`auth`,
    /// `rate_limit`, `network`, `timeout`…) so the window treats it like a failed answer.
    #[error(transparent)]
    Engine(#[from] foxtail_engine::Error),
    #[error("Foxtail could not use its data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    /// A setting that cannot be used, or a settings file that cannot be read or written;
    /// the message says which in plain words.
    #[error("{0}")]
    Settings(String),
    #[error("No API key is set for this provider. Add one in Settings.")]
    NoKey,
    /// A stored key asked to go to an address other than the one it was saved for.
    #[error("Your {provider} key was saved for another address. To send it to {origin}, enter the key again in Settings.")]
    KeyOrigin { provider: String, origin: String },
    #[error("The message is empty.")]
    EmptyMessage,
    #[error("This answer is still being written. Wait a moment, or stop it first.")]
    Busy,
    #[error("{0}")]
    LinkRefused(String),
    #[error("The link could not be opened in the browser: {0}")]
    LinkFailed(String),
    #[error("The text could not be copied: {0}")]
    Clipboard(String),
    #[error("{0}")]
    ImageRefused(String),
    #[error("The image could not be downloaded: {0}")]
    ImageFailed(String),
    #[error("{0}")]
    Export(String),
    /// A drafting action that cannot be sent as asked (nothing selected, no instruction).
    #[error("{0}")]
    Draft(String),
    /// An MCP server that could not be started or reached; `kind` is one of the `mcp_`
    /// kinds and the message says why, with the server's own last words.
    #[error("{message}")]
    Mcp { kind: ErrorKind, message: String },
    /// A file that cannot be attached as it is; `kind` is one of the `attachment_`
    /// kinds and the message names the file and says why.
    #[error("{message}")]
    Attachment { kind: ErrorKind, message: String },
}

impl AppError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Keychain(inner) => {
                ErrorKind::from_word(inner.kind(), ErrorKind::KeychainPlatform)
            }
            Self::Storage(inner) => ErrorKind::from_word(inner.kind(), ErrorKind::Storage),
            Self::Engine(inner) => ErrorKind::from_word(inner.kind(), ErrorKind::Protocol),
            Self::DataDir { .. } => ErrorKind::DataDir,
            Self::Settings(_) => ErrorKind::Settings,
            Self::NoKey => ErrorKind::NoKey,
            Self::KeyOrigin { .. } => ErrorKind::KeyOrigin,
            Self::EmptyMessage => ErrorKind::EmptyMessage,
            Self::Busy => ErrorKind::Busy,
            Self::LinkRefused(_) => ErrorKind::LinkRefused,
            Self::LinkFailed(_) => ErrorKind::LinkFailed,
            Self::Clipboard(_) => ErrorKind::Clipboard,
            Self::ImageRefused(_) => ErrorKind::ImageRefused,
            Self::ImageFailed(_) => ErrorKind::ImageFailed,
            Self::Export(_) => ErrorKind::Export,
            Self::Draft(_) => ErrorKind::Draft,
            Self::Mcp { kind, .. } | Self::Attachment { kind, .. } => *kind,
        }
    }

    /// What crosses to the window.
    pub fn report(&self) -> ErrorReport {
        ErrorReport {
            kind: self.kind(),
            message: self.to_string(),
            status: match self {
                Self::Engine(inner) => inner.status(),
                _ => None,
            },
        }
    }
}

/// An error as the window receives it: a typed kind, the message Rust wrote (shown as
/// the details), and the HTTP status when a gateway gave one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ErrorReport {
    pub kind: ErrorKind,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status: Option<u16>,
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.report().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn engine_errors_keep_their_kind_words_and_status() {
        let err = AppError::from(foxtail_engine::Error::Auth {
            message: "Invalid API key provided.".into(),
            status: Some(401),
        });
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({"kind": "auth", "message": "Invalid API key provided.", "status": 401})
        );
        assert_eq!(
            serde_json::to_value(AppError::NoKey).unwrap(),
            json!({"kind": "no_key", "message": "No API key is set for this provider. Add one in Settings."})
        );
    }

    /// Every word the lower crates use names a kind here, so none falls back.
    #[test]
    fn every_kind_of_the_lower_crates_is_a_kind_here() {
        let words = foxtail_engine::Error::KINDS
            .iter()
            .copied()
            .chain(foxtail_storage::StorageError::KINDS.iter().copied())
            .chain(foxtail_keychain::KeychainError::KINDS.iter().copied());
        for word in words {
            let kind: ErrorKind = serde_json::from_value(json!(word))
                .unwrap_or_else(|_| panic!("“{word}” is not an ErrorKind"));
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(word));
        }
    }
}
