use serde::{Serialize, Serializer};

/// Every failure the app shell reports to the frontend, serialized as `{kind, message}`
/// (and `status` when a gateway answered with an HTTP error).
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
}

impl AppError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Keychain(inner) => inner.kind(),
            Self::Storage(inner) => inner.kind(),
            Self::Engine(inner) => inner.kind(),
            Self::DataDir { .. } => "data_dir",
            Self::Settings(_) => "settings",
            Self::NoKey => "no_key",
            Self::EmptyMessage => "empty_message",
            Self::Busy => "busy",
            Self::LinkRefused(_) => "link_refused",
            Self::LinkFailed(_) => "link_failed",
            Self::Clipboard(_) => "clipboard",
            Self::ImageRefused(_) => "image_refused",
            Self::ImageFailed(_) => "image_failed",
            Self::Export(_) => "export",
            Self::Draft(_) => "draft",
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let status = match self {
            Self::Engine(inner) => inner.status(),
            _ => None,
        };
        let mut out = serializer.serialize_map(Some(2 + usize::from(status.is_some())))?;
        out.serialize_entry("kind", self.kind())?;
        out.serialize_entry("message", &self.to_string())?;
        if let Some(status) = status {
            out.serialize_entry("status", &status)?;
        }
        out.end()
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
            serde_json::to_value(AppError::NoKey).unwrap()["kind"],
            json!("no_key")
        );
    }
}
