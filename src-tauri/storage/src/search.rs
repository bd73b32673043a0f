use serde::Serialize;

use crate::{Storage, StorageError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct SearchHit {
    pub conversation_id: i64,
    /// The message that matched, to open the conversation at; none when the title did.
    pub message_id: Option<i64>,
    pub title: String,
    /// A piece of the matching text, with the match between `[` and `]`.
    pub snippet: String,
}

/// Turns what a person typed into an FTS5 query: every word must appear, each as a
/// prefix, and no character of theirs is read as query syntax (quotes, `-`, `OR`, `*`).
/// NUL parts words too: inside a quoted FTS5 string it ends the query ("unterminated
/// string").
pub(crate) fn fts_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = typed
        .split(|c: char| c.is_whitespace() || c == '\0')
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

impl Storage {
    /// Conversations whose title or messages contain every typed word, newest first.
    pub fn search(&self, typed: &str, limit: usize) -> Result<Vec<SearchHit>, StorageError> {
        let Some(query) = fts_query(typed) else {
            return Ok(Vec::new());
        };
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.title, hit.snippet, MIN(hit.from_title), hit.message_id FROM conversations c
             JOIN (
                 SELECT m.conversation_id AS id, m.id AS message_id,
                        snippet(messages_fts, 0, '[', ']', '…', 12) AS snippet,
                        0 AS from_title
                 FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
                 WHERE messages_fts MATCH ?1
                 UNION ALL
                 SELECT conversations_fts.rowid AS id, NULL AS message_id,
                        snippet(conversations_fts, 0, '[', ']', '…', 12) AS snippet,
                        1 AS from_title
                 FROM conversations_fts
                 WHERE conversations_fts MATCH ?1
             ) hit ON hit.id = c.id
             WHERE c.deleted_at IS NULL
             -- SQLite takes the bare columns from the row that MIN() picked, so a
             -- message snippet wins over a title one.
             GROUP BY c.id
             ORDER BY c.updated_at DESC
             LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![query, limit as i64], |row| {
            Ok(SearchHit {
                conversation_id: row.get(0)?,
                message_id: row.get(4)?,
                title: row.get(1)?,
                snippet: row.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_text_never_becomes_query_syntax() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("rust OR"), Some("\"rust\"* \"OR\"*".into()));
        assert_eq!(
            fts_query("say \"hi\""),
            Some("\"say\"* \"\"\"hi\"\"\"*".into())
        );
        assert_eq!(fts_query("a\0b \0"), Some("\"a\"* \"b\"*".into()));
        assert_eq!(fts_query("\0"), None);
    }
}
