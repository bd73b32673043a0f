use serde::{Serialize, Serializer};

/// Storage failures in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "The disk is full, so Foxtail could not save. Free some space; nothing on screen is lost."
    )]
    DiskFull,
    #[error("Foxtail's history file is read-only or in use by another program: {0}")]
    Locked(String),
    #[error("Foxtail's history file is damaged: {0}")]
    Corrupt(String),
    #[error("That conversation, message, document or attachment no longer exists.")]
    NotFound,
    #[error("Foxtail could not upgrade its history file: {0}")]
    Migration(String),
    #[error("Foxtail could not read or save its history: {0}")]
    Database(String),
}

impl StorageError {
    /// Every word `kind` can return, for the app's check that it knows each one.
    pub const KINDS: &'static [&'static str] = &[
        "disk_full",
        "storage_locked",
        "storage_corrupt",
        "not_found",
        "storage_migration",
        "storage",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            Self::DiskFull => "disk_full",
            Self::Locked(_) => "storage_locked",
            Self::Corrupt(_) => "storage_corrupt",
            Self::NotFound => "not_found",
            Self::Migration(_) => "storage_migration",
            Self::Database(_) => "storage",
        }
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &err {
            rusqlite::Error::QueryReturnedNoRows => Self::NotFound,
            rusqlite::Error::SqliteFailure(code, _) => match code.code {
                ErrorCode::DiskFull => Self::DiskFull,
                ErrorCode::ReadOnly | ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    Self::Locked(err.to_string())
                }
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                    Self::Corrupt(err.to_string())
                }
                _ => Self::Database(err.to_string()),
            },
            _ => Self::Database(err.to_string()),
        }
    }
}

impl Serialize for StorageError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("StorageError", 2)?;
        out.serialize_field("kind", self.kind())?;
        out.serialize_field("message", &self.to_string())?;
        out.end()
    }
}
