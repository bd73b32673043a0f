use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::StorageError;

/// Append only: a released migration is never edited, because people's files already
/// went through it.
const MIGRATIONS: &[M<'static>] = &[
    M::up(
        r#"
    CREATE TABLE conversations (
        id          INTEGER PRIMARY KEY,
        title       TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        deleted_at  INTEGER
    );
    CREATE INDEX conversations_by_update ON conversations (updated_at DESC) WHERE deleted_at IS NULL;

    CREATE TABLE messages (
        id              INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role            TEXT    NOT NULL,
        content         TEXT    NOT NULL DEFAULT '',
        reasoning       TEXT    NOT NULL DEFAULT '',
        status          TEXT    NOT NULL,
        error           TEXT,
        model           TEXT,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages (conversation_id, id);

    -- External-content FTS5 tables: the text lives once, in the tables above.
    CREATE VIRTUAL TABLE messages_fts USING fts5 (
        content, content = 'messages', content_rowid = 'id', tokenize = 'unicode61'
    );
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
    END;

    CREATE VIRTUAL TABLE conversations_fts USING fts5 (
        title, content = 'conversations', content_rowid = 'id', tokenize = 'unicode61'
    );
    CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
    END;
    CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
    END;
    CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title) VALUES ('delete', old.id, old.title);
        INSERT INTO conversations_fts (rowid, title) VALUES (new.id, new.title);
    END;
    "#,
    ),
    // What an answer showed besides its text (tool calls and their results, a refusal),
    // as the app's JSON, so that a reopened conversation looks as it did.
    M::up("ALTER TABLE messages ADD COLUMN extras TEXT NOT NULL DEFAULT '';"),
    // Documents for drafting, stored as Markdown, searchable like conversations.
    M::up(
        r#"
    CREATE TABLE documents (
        id          INTEGER PRIMARY KEY,
        title       TEXT    NOT NULL,
        content     TEXT    NOT NULL DEFAULT '',
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        deleted_at  INTEGER
    );
    CREATE INDEX documents_by_update ON documents (updated_at DESC) WHERE deleted_at IS NULL;

    CREATE VIRTUAL TABLE documents_fts USING fts5 (
        title, content, content = 'documents', content_rowid = 'id', tokenize = 'unicode61'
    );
    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts (rowid, title, content) VALUES (new.id, new.title, new.content);
    END;
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, title, content)
        VALUES ('delete', old.id, old.title, old.content);
    END;
    CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, content ON documents BEGIN
        INSERT INTO documents_fts (documents_fts, rowid, title, content)
        VALUES ('delete', old.id, old.title, old.content);
        INSERT INTO documents_fts (rowid, title, content) VALUES (new.id, new.title, new.content);
    END;
    "#,
    ),
    // A change the model was writing into a document, kept while it streams so that a
    // crash loses at most a second of it (the app's JSON; empty when none).
    M::up("ALTER TABLE documents ADD COLUMN pending TEXT NOT NULL DEFAULT '';"),
    // What a streaming answer added since its last full save, appended piece by piece,
    // so that saving every second costs the new text only, not the whole answer and its
    // full-text index. The pieces join the answer's text when it ends (or at the next
    // start, after a crash).
    M::up(
        r#"
    CREATE TABLE message_tails (
        message_id  INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        seq         INTEGER NOT NULL,
        content     TEXT    NOT NULL DEFAULT '',
        reasoning   TEXT    NOT NULL DEFAULT '',
        PRIMARY KEY (message_id, seq)
    );
    "#,
    ),
];

pub fn migrate(conn: &mut Connection) -> Result<(), StorageError> {
    Migrations::from_slice(MIGRATIONS)
        .to_latest(conn)
        .map_err(|err| StorageError::Migration(err.to_string()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        rusqlite_migration::Migrations::from_slice(super::MIGRATIONS)
            .validate()
            .unwrap();
    }
}
