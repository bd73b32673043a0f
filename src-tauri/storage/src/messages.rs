use rusqlite::{params, Row};
use serde::{Deserialize, Serialize};

use crate::{now_ms, Storage, StorageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Assistant,
}

/// Where an answer stands. `Streaming` left in the file means the app stopped while
/// the answer was arriving: it is shown as cut off, with a way to continue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Complete,
    Streaming,
    Interrupted,
    Cancelled,
    Error,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "user" {
            Self::User
        } else {
            Self::Assistant
        }
    }
}

impl MessageStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Complete => "complete",
            Self::Streaming => "streaming",
            Self::Interrupted => "interrupted",
            Self::Cancelled => "cancelled",
            Self::Error => "error",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "complete" => Self::Complete,
            "interrupted" => Self::Interrupted,
            "cancelled" => Self::Cancelled,
            "error" => Self::Error,
            _ => Self::Streaming,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub role: Role,
    pub content: String,
    pub reasoning: String,
    pub status: MessageStatus,
    /// The error the answer ended with, as the `{kind, message}` JSON the window shows.
    pub error: Option<String>,
    pub model: Option<String>,
    /// The app's JSON for what the answer showed besides its text; empty when nothing.
    pub extras: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub role: Role,
    pub content: &'a str,
    pub status: MessageStatus,
    pub model: Option<&'a str>,
}

/// The columns of a message row as stored.
const STORED_COLUMNS: &str = "id, conversation_id, role, content, reasoning, status, error, \
                              model, created_at, updated_at, extras";

/// A column of a message with its appended pieces (see [`Storage::append_to_message`]).
macro_rules! joined {
    ($column:literal) => {
        concat!(
            $column,
            " || COALESCE((SELECT group_concat(",
            $column,
            ", '' ORDER BY seq) FROM message_tails WHERE message_id = messages.id), '')"
        )
    };
}

/// The columns of a message as read: a streaming answer's appended pieces join its
/// text and reasoning.
pub(crate) const COLUMNS: &str = concat!(
    "id, conversation_id, role, ",
    joined!("content"),
    ", ",
    joined!("reasoning"),
    ", status, error, model, created_at, updated_at, extras"
);

pub(crate) fn message(row: &Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: row.get(0)?,
        conversation_id: row.get(1)?,
        role: Role::parse(&row.get::<_, String>(2)?),
        content: row.get(3)?,
        reasoning: row.get(4)?,
        status: MessageStatus::parse(&row.get::<_, String>(5)?),
        error: row.get(6)?,
        model: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        extras: row.get(10)?,
    })
}

impl Storage {
    pub fn add_message(
        &self,
        conversation_id: i64,
        new: NewMessage<'_>,
    ) -> Result<Message, StorageError> {
        let now = now_ms();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        Self::touch_conversation(&tx, conversation_id, now)?;
        let row = tx.query_row(
            &format!(
                "INSERT INTO messages (conversation_id, role, content, status, model, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING {STORED_COLUMNS}"
            ),
            params![
                conversation_id,
                new.role.as_str(),
                new.content,
                new.status.as_str(),
                new.model,
                now
            ],
            message,
        )?;
        tx.commit()?;
        Ok(row)
    }

    /// Saves the answer as it stands. Called about once a second while it streams and
    /// once at its end.
    pub fn update_message(
        &self,
        id: i64,
        content: &str,
        reasoning: &str,
        status: MessageStatus,
        error: Option<&str>,
    ) -> Result<(), StorageError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = tx.execute(
            "UPDATE messages SET content = ?2, reasoning = ?3, status = ?4, error = ?5, updated_at = ?6
             WHERE id = ?1",
            params![id, content, reasoning, status.as_str(), error, now_ms()],
        )?;
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        // The whole text is written: the pieces appended before are in it.
        tx.execute("DELETE FROM message_tails WHERE message_id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// Adds text (and reasoning) to the end of a streaming answer. The cost is that of
    /// the new text only: neither the answer's text so far nor the full-text index is
    /// rewritten until [`Storage::update_message`] saves the whole answer at its end.
    pub fn append_to_message(
        &self,
        id: i64,
        content: &str,
        reasoning: &str,
    ) -> Result<(), StorageError> {
        let conn = self.conn();
        let changed = conn.execute(
            "INSERT INTO message_tails (message_id, seq, content, reasoning)
             SELECT ?1, COALESCE((SELECT MAX(seq) FROM message_tails WHERE message_id = ?1), 0) + 1, ?2, ?3
             WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?1)",
            params![id, content, reasoning],
        )?;
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    /// Saves what the answer showed besides its text (see [`Message::extras`]).
    pub fn update_extras(&self, id: i64, extras: &str) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE messages SET extras = ?2 WHERE id = ?1",
            params![id, extras],
        )?;
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    pub fn messages(&self, conversation_id: i64) -> Result<Vec<Message>, StorageError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM messages WHERE conversation_id = ?1 ORDER BY id"
        ))?;
        let rows = stmt.query_map([conversation_id], message)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Removes `message_id` and everything after it: regenerate and edit-and-resend
    /// rewrite the conversation from that point. Their attachments stay (the resent
    /// message may attach them again) until `purge_deleted` finds nothing using them.
    pub fn truncate_from(
        &self,
        conversation_id: i64,
        message_id: i64,
    ) -> Result<usize, StorageError> {
        Ok(self.conn().execute(
            "DELETE FROM messages WHERE conversation_id = ?1 AND id >= ?2",
            params![conversation_id, message_id],
        )?)
    }

    /// Answers left `streaming` by an app that stopped mid-answer become `interrupted`,
    /// so the window offers to continue them. Run once at start-up.
    pub fn mark_unfinished_interrupted(&self) -> Result<usize, StorageError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // What a crashed answer appended joins its text, once.
        tx.execute(
            concat!(
                "UPDATE messages SET content = ",
                joined!("content"),
                ", reasoning = ",
                joined!("reasoning"),
                " WHERE id IN (SELECT message_id FROM message_tails)"
            ),
            [],
        )?;
        tx.execute("DELETE FROM message_tails", [])?;
        let marked = tx.execute(
            "UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'",
            [],
        )?;
        tx.commit()?;
        Ok(marked)
    }
}

impl Storage {
    pub fn message(&self, id: i64) -> Result<Message, StorageError> {
        Ok(self.conn().query_row(
            &format!("SELECT {COLUMNS} FROM messages WHERE id = ?1"),
            [id],
            message,
        )?)
    }
}
