//! Conversations and documents on disk. One SQLite file in the data folder, in WAL mode, so that a
//! growing answer can be saved every second without stalling the window, and a crash
//! or `kill -9` loses at most the last save.

mod attachments;
mod conversations;
mod documents;
mod error;
mod export;
mod message_pages;
mod messages;
mod schema;
mod search;
mod usage;

pub use attachments::{AttachmentKind, AttachmentRef, NewAttachment, StoredAttachment};
pub use conversations::{Conversation, ConversationSummary};
pub use documents::{Document, DocumentHit, DocumentSummary};
pub use error::StorageError;
pub use message_pages::{MessagePage, PageAt};
pub use messages::{Message, MessageStatus, NewMessage, Role};
pub use search::SearchHit;
pub use usage::{UsageRow, UsageTotals};

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

pub const FILE_NAME: &str = "foxtail.sqlite3";

/// The app's database. One connection behind a mutex is plenty for one person's
/// desktop app, and keeps every write in one order.
pub struct Storage {
    conn: Mutex<Connection>,
}

impl Storage {
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let conn = Connection::open(path)?;
        // WAL lets readers go on while the answer is being saved; NORMAL sync in WAL
        // mode never corrupts the file, and loses at most the last commit on power loss.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::prepare(conn)
    }

    /// Opens the file, or, when it is not a readable database, keeps it aside as
    /// `<name>.corrupt-<unix seconds>` and starts a new one. Returns where the damaged
    /// file went, so the window can say so.
    pub fn open_or_recover(path: &Path) -> Result<(Self, Option<PathBuf>), StorageError> {
        match Self::open(path) {
            Ok(storage) => Ok((storage, None)),
            Err(StorageError::Corrupt(_)) => {
                let stamp = now_ms() / 1000;
                let mut aside = path.as_os_str().to_owned();
                aside.push(format!(".corrupt-{stamp}"));
                let aside = PathBuf::from(aside);
                std::fs::rename(path, &aside)
                    .map_err(|err| StorageError::Database(err.to_string()))?;
                // The write-ahead log belongs to the damaged file.
                for suffix in ["-wal", "-shm"] {
                    let mut side = path.as_os_str().to_owned();
                    side.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(side));
                }
                Ok((Self::open(path)?, Some(aside)))
            }
            Err(err) => Err(err),
        }
    }

    pub fn open_in_memory() -> Result<Self, StorageError> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> Result<Self, StorageError> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite itself consistent (each call is
        // its own transaction), so the connection stays usable.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Milliseconds since the Unix epoch: the unit of every timestamp in the database.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// An update or delete of one row by id found nothing: it does not exist, or is deleted.
fn expect_one(changed: usize) -> Result<(), StorageError> {
    if changed == 0 {
        Err(StorageError::NotFound)
    } else {
        Ok(())
    }
}
