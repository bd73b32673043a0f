//! A conversation read a page at a time, so a long one opens at once: the window asks
//! for the newest messages, then for older or newer ones as it scrolls, or for the
//! messages around a search hit.

use serde::{Deserialize, Serialize};

use crate::messages::{message, COLUMNS};
use crate::{Message, Storage, StorageError};

/// Which page of a conversation to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "at", content = "message_id", rename_all = "snake_case")]
pub enum PageAt {
    /// The newest messages: a conversation opens at its end.
    Latest,
    /// The messages just before this one.
    Before(i64),
    /// The messages just after this one.
    After(i64),
    /// This message with the messages on either side: a search hit.
    Around(i64),
}

/// Messages oldest first, and whether the conversation goes on either side of them.
#[derive(Debug, Clone, PartialEq)]
pub struct MessagePage {
    pub messages: Vec<Message>,
    pub more_before: bool,
    pub more_after: bool,
}

impl Storage {
    /// At most `limit` messages of the conversation (at least one is always asked for).
    pub fn message_page(
        &self,
        conversation_id: i64,
        at: PageAt,
        limit: usize,
    ) -> Result<MessagePage, StorageError> {
        let limit = limit.max(1);
        match at {
            PageAt::Latest => {
                let (messages, more_before) = self.older(conversation_id, i64::MAX, limit)?;
                Ok(MessagePage {
                    messages,
                    more_before,
                    more_after: false,
                })
            }
            PageAt::Before(id) => {
                let (messages, more_before) = self.older(conversation_id, id, limit)?;
                Ok(MessagePage {
                    messages,
                    more_before,
                    more_after: self.has_from(conversation_id, id)?,
                })
            }
            PageAt::After(id) => {
                let (messages, more_after) = self.newer(conversation_id, id + 1, limit)?;
                Ok(MessagePage {
                    messages,
                    more_before: self.has_before(conversation_id, id + 1)?,
                    more_after,
                })
            }
            PageAt::Around(id) => {
                // The hit is near the top of its page, where the reader starts.
                let before = (limit / 4).max(1).min(limit - 1);
                let (mut messages, more_before) = if before == 0 {
                    (Vec::new(), self.has_before(conversation_id, id)?)
                } else {
                    self.older(conversation_id, id, before)?
                };
                // Near the start, the page is filled from after the hit.
                let (after, more_after) =
                    self.newer(conversation_id, id, limit - messages.len())?;
                messages.extend(after);
                Ok(MessagePage {
                    messages,
                    more_before,
                    more_after,
                })
            }
        }
    }

    /// Up to `limit` messages before `id`, oldest first, and whether there are more.
    fn older(
        &self,
        conversation_id: i64,
        id: i64,
        limit: usize,
    ) -> Result<(Vec<Message>, bool), StorageError> {
        let (mut messages, more) = self.read(
            &format!(
                "SELECT {COLUMNS} FROM messages WHERE conversation_id = ?1 AND id < ?2
                 ORDER BY id DESC LIMIT ?3"
            ),
            conversation_id,
            id,
            limit,
        )?;
        messages.reverse();
        Ok((messages, more))
    }

    /// Up to `limit` messages from `id` on, oldest first, and whether there are more.
    fn newer(
        &self,
        conversation_id: i64,
        id: i64,
        limit: usize,
    ) -> Result<(Vec<Message>, bool), StorageError> {
        self.read(
            &format!(
                "SELECT {COLUMNS} FROM messages WHERE conversation_id = ?1 AND id >= ?2
                 ORDER BY id LIMIT ?3"
            ),
            conversation_id,
            id,
            limit,
        )
    }

    /// Runs `sql` for one more row than `limit`, to learn whether there are more.
    fn read(
        &self,
        sql: &str,
        conversation_id: i64,
        id: i64,
        limit: usize,
    ) -> Result<(Vec<Message>, bool), StorageError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map(
            rusqlite::params![conversation_id, id, limit as i64 + 1],
            message,
        )?;
        let mut messages = rows.collect::<Result<Vec<_>, _>>()?;
        let more = messages.len() > limit;
        messages.truncate(limit);
        Ok((messages, more))
    }

    fn has_before(&self, conversation_id: i64, id: i64) -> Result<bool, StorageError> {
        self.exists(
            "SELECT EXISTS(SELECT 1 FROM messages WHERE conversation_id = ?1 AND id < ?2)",
            conversation_id,
            id,
        )
    }

    fn has_from(&self, conversation_id: i64, id: i64) -> Result<bool, StorageError> {
        self.exists(
            "SELECT EXISTS(SELECT 1 FROM messages WHERE conversation_id = ?1 AND id >= ?2)",
            conversation_id,
            id,
        )
    }

    fn exists(&self, sql: &str, conversation_id: i64, id: i64) -> Result<bool, StorageError> {
        Ok(self
            .conn()
            .prepare_cached(sql)?
            .query_row(rusqlite::params![conversation_id, id], |row| row.get(0))?)
    }
}
