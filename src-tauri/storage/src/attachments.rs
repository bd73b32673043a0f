//! Attachments: images and documents a person gave the model with a message.
//!
//! Each distinct content is stored once, under its content id (the lowercase sha256 hex
//! of the content, which the app computes), and messages refer to it by position under
//! the file name used there. References go with their message (hard delete, purge of a
//! deleted conversation, `truncate_from`); the content stays until
//! [`Storage::purge_unused_attachments`] finds nothing using it, which
//! [`Storage::purge_deleted`] runs. Until then an attachment can be reused, as
//! edit-and-resend does with the attachments of the message it replaces.
//!
//! Attachments are not in the full-text index: search does not look at a document's
//! text or at file names (a decision for now, not an oversight).

use std::collections::HashMap;

use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

use crate::{now_ms, Storage, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// Its bytes are in `data`; `text` is empty.
    Image,
    /// Its extracted text is in `text`; `data` is empty.
    Document,
}

impl AttachmentKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Document => "document",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "image" {
            Self::Image
        } else {
            Self::Document
        }
    }
}

/// An attachment to store, see [`Storage::put_attachment`].
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    /// The lowercase sha256 hex of the content (64 characters).
    pub id: &'a str,
    pub kind: AttachmentKind,
    pub mime: &'a str,
    /// An image's bytes; empty for a document.
    pub data: &'a [u8],
    /// A document's text; empty for an image.
    pub text: &'a str,
    /// The app's JSON about it (width, height, pages, tokens…).
    pub meta: &'a str,
}

/// An attachment as a message refers to it, without its content: cheap to load for a
/// whole conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct AttachmentRef {
    pub id: String,
    pub kind: AttachmentKind,
    pub mime: String,
    /// The file name the person used for it in this message.
    pub name: String,
    /// The app's JSON about it (see [`NewAttachment::meta`]).
    pub meta: String,
    /// Size of its data and text, in bytes.
    pub bytes: i64,
}

/// An attachment with its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct StoredAttachment {
    pub id: String,
    pub kind: AttachmentKind,
    pub mime: String,
    /// An image's bytes; empty for a document.
    pub data: Vec<u8>,
    /// A document's text; empty for an image.
    pub text: String,
    pub meta: String,
    /// Size of `data` and `text`, in bytes.
    pub bytes: i64,
    pub created_at: i64,
}

/// A lowercase sha256 hex string, as the `attachments.id` column also checks.
fn is_content_id(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Columns of [`AttachmentRef`], from `attachments a` joined with
/// `message_attachments ma`.
const REF_COLUMNS: &str = "a.id, a.kind, a.mime, ma.name, a.meta, a.bytes";

fn attachment_ref(row: &Row<'_>, first: usize) -> rusqlite::Result<AttachmentRef> {
    Ok(AttachmentRef {
        id: row.get(first)?,
        kind: AttachmentKind::parse(&row.get::<_, String>(first + 1)?),
        mime: row.get(first + 2)?,
        name: row.get(first + 3)?,
        meta: row.get(first + 4)?,
        bytes: row.get(first + 5)?,
    })
}

/// Deletes attachments that no message refers to; how many.
pub(crate) fn purge_unused(conn: &Connection) -> rusqlite::Result<u64> {
    let removed = conn.execute(
        "DELETE FROM attachments WHERE NOT EXISTS
             (SELECT 1 FROM message_attachments ma WHERE ma.attachment_id = attachments.id)",
        [],
    )?;
    Ok(removed as u64)
}

impl Storage {
    /// Stores an attachment, or does nothing when one with this id is already stored
    /// (the same content). An id that is not a lowercase sha256 hex string is refused.
    ///
    /// Nothing refers to it until [`Storage::attach`]: a purge in between removes it,
    /// so put it when the message is sent, right before attaching.
    pub fn put_attachment(&self, new: NewAttachment<'_>) -> Result<(), StorageError> {
        if !is_content_id(new.id) {
            return Err(StorageError::Database(format!(
                "an attachment id must be a lowercase sha256 hex string, not {:?}",
                new.id
            )));
        }
        let bytes = (new.data.len() + new.text.len()) as i64;
        self.conn().execute(
            "INSERT INTO attachments (id, kind, mime, data, text, meta, bytes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO NOTHING",
            params![
                new.id,
                new.kind.as_str(),
                new.mime,
                new.data,
                new.text,
                new.meta,
                bytes,
                now_ms()
            ],
        )?;
        Ok(())
    }

    /// Sets the message's attachments to `items` (attachment id, file name), in order,
    /// replacing what it had. [`StorageError::NotFound`] when the message or one of the
    /// attachments does not exist; then nothing changes.
    pub fn attach(&self, message_id: i64, items: &[(&str, &str)]) -> Result<(), StorageError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let exists = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE id = ?1)",
            [message_id],
            |row| row.get::<_, bool>(0),
        )?;
        if !exists {
            return Err(StorageError::NotFound);
        }
        tx.execute(
            "DELETE FROM message_attachments WHERE message_id = ?1",
            [message_id],
        )?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO message_attachments (message_id, position, attachment_id, name)
                 SELECT ?1, ?2, id, ?4 FROM attachments WHERE id = ?3",
            )?;
            for (position, (attachment_id, name)) in items.iter().enumerate() {
                let inserted =
                    insert.execute(params![message_id, position as i64, attachment_id, name])?;
                if inserted == 0 {
                    // Dropping the transaction undoes the delete above.
                    return Err(StorageError::NotFound);
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The message's attachments in order, without their content. Empty for a message
    /// without any (or one that does not exist).
    pub fn message_attachments(&self, message_id: i64) -> Result<Vec<AttachmentRef>, StorageError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {REF_COLUMNS} FROM message_attachments ma
             JOIN attachments a ON a.id = ma.attachment_id
             WHERE ma.message_id = ?1
             ORDER BY ma.position"
        ))?;
        let rows = stmt.query_map([message_id], |row| attachment_ref(row, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The attachments of every message of the conversation, by message id, each list
    /// in order and without content, in one query. Messages without attachments are
    /// not in the map.
    pub fn conversation_attachments(
        &self,
        conversation_id: i64,
    ) -> Result<HashMap<i64, Vec<AttachmentRef>>, StorageError> {
        self.attachments_between(conversation_id, i64::MIN, i64::MAX)
    }

    /// The same for the messages from `first` to `last` (ids, both included): a page.
    pub fn attachments_between(
        &self,
        conversation_id: i64,
        first: i64,
        last: i64,
    ) -> Result<HashMap<i64, Vec<AttachmentRef>>, StorageError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT ma.message_id, {REF_COLUMNS} FROM messages m
             JOIN message_attachments ma ON ma.message_id = m.id
             JOIN attachments a ON a.id = ma.attachment_id
             WHERE m.conversation_id = ?1 AND m.id BETWEEN ?2 AND ?3
             ORDER BY ma.message_id, ma.position"
        ))?;
        let rows = stmt.query_map(rusqlite::params![conversation_id, first, last], |row| {
            Ok((row.get::<_, i64>(0)?, attachment_ref(row, 1)?))
        })?;
        let mut out: HashMap<i64, Vec<AttachmentRef>> = HashMap::new();
        for row in rows {
            let (message_id, attachment) = row?;
            out.entry(message_id).or_default().push(attachment);
        }
        Ok(out)
    }

    /// One attachment with its content.
    pub fn attachment(&self, id: &str) -> Result<StoredAttachment, StorageError> {
        Ok(self.conn().query_row(
            "SELECT id, kind, mime, data, text, meta, bytes, created_at
             FROM attachments WHERE id = ?1",
            [id],
            |row| {
                Ok(StoredAttachment {
                    id: row.get(0)?,
                    kind: AttachmentKind::parse(&row.get::<_, String>(1)?),
                    mime: row.get(2)?,
                    data: row.get(3)?,
                    text: row.get(4)?,
                    meta: row.get(5)?,
                    bytes: row.get(6)?,
                    created_at: row.get(7)?,
                })
            },
        )?)
    }

    /// Deletes the attachments that no message refers to, and returns how many. A
    /// message of a deleted conversation still refers to its attachments until
    /// [`Storage::purge_deleted`] removes it, so undo keeps them.
    pub fn purge_unused_attachments(&self) -> Result<u64, StorageError> {
        Ok(purge_unused(&self.conn())?)
    }
}
