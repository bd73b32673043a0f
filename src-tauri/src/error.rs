use serde::{Serialize, Serializer};

/// Every failure the app shell reports to the frontend, serialized as `{kind, message}`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Keychain(#[from] foxtail_keychain::KeychainError),
    #[error(transparent)]
    Storage(#[from] foxtail_storage::StorageError),
    #[error("Foxtail could not use its data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("The settings could not be read or saved: {0}")]
    Settings(String),
    #[error("No API key is set for this provider. Add one in Settings.")]
    NoKey,
    #[error("The message is empty.")]
    EmptyMessage,
}

impl AppError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Keychain(inner) => inner.kind(),
            Self::Storage(inner) => inner.kind(),
            Self::DataDir { .. } => "data_dir",
            Self::Settings(_) => "settings",
            Self::NoKey => "no_key",
            Self::EmptyMessage => "empty_message",
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("AppError", 2)?;
        out.serialize_field("kind", self.kind())?;
        out.serialize_field("message", &self.to_string())?;
        out.end()
    }
}
