use rusqlite::{params, Row};
use serde::Serialize;

use crate::search::fts_query;
use crate::{expect_one, now_ms, Storage, StorageError};

/// A drafting document. The content is Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Document {
    pub id: i64,
    pub title: String,
    pub content: String,
    /// The app's JSON for a change the model was writing and nobody accepted or
    /// discarded yet; empty when none.
    pub pending: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A row of the sidebar's Documents section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DocumentSummary {
    pub id: i64,
    pub title: String,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct DocumentHit {
    pub document_id: i64,
    pub title: String,
    /// A piece of the matching text, with the match between `[` and `]`.
    pub snippet: String,
}

fn document(row: &Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: row.get(0)?,
        title: row.get(1)?,
        content: row.get(2)?,
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
        pending: row.get(5)?,
    })
}

impl Storage {
    pub fn create_document(&self, title: &str, content: &str) -> Result<Document, StorageError> {
        let now = now_ms();
        Ok(self.conn().query_row(
            "INSERT INTO documents (title, content, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
             RETURNING id, title, content, created_at, updated_at, pending",
            params![title.trim(), content, now],
            document,
        )?)
    }

    pub fn document(&self, id: i64) -> Result<Document, StorageError> {
        Ok(self.conn().query_row(
            "SELECT id, title, content, created_at, updated_at, pending FROM documents
             WHERE id = ?1 AND deleted_at IS NULL",
            [id],
            document,
        )?)
    }

    /// Documents that are not deleted, most recently changed first.
    pub fn list_documents(&self) -> Result<Vec<DocumentSummary>, StorageError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, title, updated_at FROM documents WHERE deleted_at IS NULL
             ORDER BY updated_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(DocumentSummary {
                id: row.get(0)?,
                title: row.get(1)?,
                updated_at: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Saves the whole text: after an edit (`edit_document`) was refused or a save failed,
    /// when what is saved is not known.
    pub fn save_document(&self, id: i64, content: &str) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE documents SET content = ?2, updated_at = ?3 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, content, now_ms()],
        )?;
        expect_one(changed)
    }

    /// Replaces `from..to` of the saved text with `text`, where offsets count UTF-16 code
    /// units as the window does, and only when the saved text is `length` units long:
    /// typing into a long document sends the few characters typed, not the whole text.
    /// `Ok(false)`, with nothing changed, when the saved text is not the one the window
    /// counted from (its length differs, or an offset is out of range or splits a
    /// character); the window then saves the whole document.
    pub fn edit_document(
        &self,
        id: i64,
        from: u64,
        to: u64,
        length: u64,
        text: &str,
    ) -> Result<bool, StorageError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut content: String = tx.query_row(
            "SELECT content FROM documents WHERE id = ?1 AND deleted_at IS NULL",
            [id],
            |row| row.get(0),
        )?;
        let Some((start, end)) = utf16_range(&content, from, to, length) else {
            return Ok(false);
        };
        content.replace_range(start..end, text);
        tx.execute(
            "UPDATE documents SET content = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, content, now_ms()],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Saves (or, with "", clears) the change the model is writing into the document.
    pub fn save_document_pending(&self, id: i64, pending: &str) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE documents SET pending = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, pending],
        )?;
        expect_one(changed)
    }

    pub fn rename_document(&self, id: i64, title: &str) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE documents SET title = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, title.trim()],
        )?;
        expect_one(changed)
    }

    /// Hides the document until `restore_document`, or `purge_deleted` removes it.
    pub fn delete_document(&self, id: i64) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE documents SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL",
            params![id, now_ms()],
        )?;
        expect_one(changed)
    }

    pub fn restore_document(&self, id: i64) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE documents SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL",
            [id],
        )?;
        expect_one(changed)
    }

    /// Documents whose title or text contain every typed word, newest first.
    pub fn search_documents(
        &self,
        typed: &str,
        limit: usize,
    ) -> Result<Vec<DocumentHit>, StorageError> {
        let Some(query) = fts_query(typed) else {
            return Ok(Vec::new());
        };
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT d.id, d.title, snippet(documents_fts, -1, '[', ']', '…', 12)
             FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
             WHERE documents_fts MATCH ?1 AND d.deleted_at IS NULL
             ORDER BY d.updated_at DESC
             LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![query, limit as i64], |row| {
            Ok(DocumentHit {
                document_id: row.get(0)?,
                title: row.get(1)?,
                snippet: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The byte range of `text` that UTF-16 offsets `from..to` cover, when `text` is `length`
/// UTF-16 code units long and both offsets fall between characters.
fn utf16_range(text: &str, from: u64, to: u64, length: u64) -> Option<(usize, usize)> {
    if from > to || to > length {
        return None;
    }
    let (mut start, mut end) = (None, None);
    let mut units = 0u64;
    for (byte, c) in text.char_indices() {
        if units == from {
            start = Some(byte);
        }
        if units == to {
            end = Some(byte);
        }
        units += c.len_utf16() as u64;
    }
    if units != length {
        return None;
    }
    if from == units {
        start = Some(text.len());
    }
    if to == units {
        end = Some(text.len());
    }
    Some((start?, end?))
}
