use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

use crate::{expect_one, now_ms, Storage, StorageError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Conversation {
    pub id: i64,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The provider and model picked for it, and the assistant it started from; `None`
    /// means the settings' defaults.
    pub provider: Option<String>,
    pub model: Option<String>,
    pub assistant: Option<String>,
}

/// A row of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ConversationSummary {
    pub id: i64,
    pub title: String,
    pub updated_at: i64,
    pub message_count: i64,
    pub provider: Option<String>,
    pub model: Option<String>,
    pub assistant: Option<String>,
}

fn conversation(row: &Row<'_>) -> rusqlite::Result<Conversation> {
    Ok(Conversation {
        id: row.get(0)?,
        title: row.get(1)?,
        created_at: row.get(2)?,
        updated_at: row.get(3)?,
        provider: row.get(4)?,
        model: row.get(5)?,
        assistant: row.get(6)?,
    })
}

impl Storage {
    pub fn create_conversation(&self, title: &str) -> Result<Conversation, StorageError> {
        let now = now_ms();
        let conn = self.conn();
        conn.execute(
            "INSERT INTO conversations (title, created_at, updated_at) VALUES (?1, ?2, ?2)",
            params![title.trim(), now],
        )?;
        Ok(Conversation {
            id: conn.last_insert_rowid(),
            title: title.trim().to_string(),
            created_at: now,
            updated_at: now,
            provider: None,
            model: None,
            assistant: None,
        })
    }

    pub fn conversation(&self, id: i64) -> Result<Conversation, StorageError> {
        Ok(self.conn().query_row(
            "SELECT id, title, created_at, updated_at, provider, model, assistant
             FROM conversations WHERE id = ?1 AND deleted_at IS NULL",
            [id],
            conversation,
        )?)
    }

    /// Conversations that are not deleted, most recently used first.
    pub fn list_conversations(&self) -> Result<Vec<ConversationSummary>, StorageError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.title, c.updated_at,
                    (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id),
                    c.provider, c.model, c.assistant
             FROM conversations c
             WHERE c.deleted_at IS NULL
             ORDER BY c.updated_at DESC, c.id DESC",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(ConversationSummary {
                id: row.get(0)?,
                title: row.get(1)?,
                updated_at: row.get(2)?,
                message_count: row.get(3)?,
                provider: row.get(4)?,
                model: row.get(5)?,
                assistant: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn rename_conversation(&self, id: i64, title: &str) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE conversations SET title = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, title.trim()],
        )?;
        expect_one(changed)
    }

    /// Remembers the provider and model picked for the conversation.
    pub fn set_conversation_model(
        &self,
        id: i64,
        provider: &str,
        model: &str,
    ) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE conversations SET provider = ?2, model = ?3 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, provider, model],
        )?;
        expect_one(changed)
    }

    /// Remembers the assistant the conversation started from.
    pub fn set_conversation_assistant(&self, id: i64, assistant: &str) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE conversations SET assistant = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, assistant],
        )?;
        expect_one(changed)
    }

    /// Hides the conversation; `restore_conversation` brings it back until
    /// `purge_deleted` removes it for good. This is what makes delete undoable.
    pub fn delete_conversation(&self, id: i64) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE conversations SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, now_ms()],
        )?;
        expect_one(changed)
    }

    pub fn restore_conversation(&self, id: i64) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE conversations SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
            [id],
        )?;
        expect_one(changed)
    }

    /// Removes conversations (with their messages) and documents deleted before
    /// `before_ms`, then the attachments no message refers to any more (theirs, and
    /// those left by `truncate_from`). Returns how many conversations and documents
    /// went; attachments are not counted.
    pub fn purge_deleted(&self, before_ms: i64) -> Result<usize, StorageError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let conversations = tx.execute(
            "DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?1",
            [before_ms],
        )?;
        let documents = tx.execute(
            "DELETE FROM documents WHERE deleted_at IS NOT NULL AND deleted_at < ?1",
            [before_ms],
        )?;
        // Not `purge_unused_attachments`: it would wait for the lock held here.
        crate::attachments::purge_unused(&tx)?;
        tx.commit()?;
        Ok(conversations + documents)
    }

    pub(crate) fn touch_conversation(
        conn: &rusqlite::Connection,
        id: i64,
        now: i64,
    ) -> Result<(), StorageError> {
        let exists: Option<i64> = conn
            .query_row(
                "UPDATE conversations SET updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL
                 RETURNING id",
                params![id, now],
                |row| row.get(0),
            )
            .optional()?;
        exists.map(|_| ()).ok_or(StorageError::NotFound)
    }
}
