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
    // Attachments (images and documents a person gave the model), stored once per
    // content: `id` is the lowercase sha256 hex of the content, computed by the app, so
    // the same picture sent twice is one row. A message refers to them by position,
    // under the file name it was given there. Deleting a message drops its references
    // (cascade); an attachment nothing refers to any more is removed by
    // `purge_unused_attachments`, not at once, so that edit-and-resend can reuse it.
    // Neither table is in a full-text index: a document's text is not searchable for now.
    // `kind` is checked in Rust, not here, so that a new kind needs no table rebuild.
    M::up(
        r#"
    CREATE TABLE attachments (
        id          TEXT    PRIMARY KEY
                    CHECK (length(id) = 64 AND id NOT GLOB '*[^0-9a-f]*'),
        kind        TEXT    NOT NULL,
        mime        TEXT    NOT NULL,
        meta        TEXT    NOT NULL,
        bytes       INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        -- The content comes last: SQLite reaches a column stored after a large value
        -- only by walking that value's overflow pages, and listing a conversation's
        -- attachments reads the columns above only.
        text        TEXT    NOT NULL,
        data        BLOB    NOT NULL
    );

    CREATE TABLE message_attachments (
        message_id     INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        position       INTEGER NOT NULL,
        attachment_id  TEXT    NOT NULL REFERENCES attachments (id) ON DELETE RESTRICT,
        name           TEXT    NOT NULL,
        PRIMARY KEY (message_id, position)
    );
    -- For the purge's "is anything using it" and for the foreign-key check on delete.
    CREATE INDEX message_attachments_by_attachment ON message_attachments (attachment_id);
    "#,
    ),
    // What a conversation talks to: the provider (a preset id) and model picked for it,
    // and the assistant it started from. Empty (NULL) means the settings' defaults, as
    // for every conversation from before.
    M::up(
        r#"
    ALTER TABLE conversations ADD COLUMN provider TEXT;
    ALTER TABLE conversations ADD COLUMN model TEXT;
    ALTER TABLE conversations ADD COLUMN assistant TEXT;
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
    use rusqlite::Connection;
    use rusqlite_migration::Migrations;

    use super::MIGRATIONS;
    use crate::{AttachmentKind, NewAttachment, Storage};

    #[test]
    fn migrations_are_valid() {
        Migrations::from_slice(MIGRATIONS).validate().unwrap();
    }

    fn version(conn: &Connection) -> usize {
        conn.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
            .unwrap() as usize
    }

    /// A history file from before attachments (version 5), with a conversation and an
    /// answer cut off mid-stream, upgrades in place and keeps all of it.
    #[test]
    fn a_file_from_before_attachments_upgrades_in_place() {
        const BEFORE_ATTACHMENTS: usize = 5;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::FILE_NAME);
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
            Migrations::from_slice(MIGRATIONS)
                .to_version(&mut conn, BEFORE_ATTACHMENTS)
                .unwrap();
            conn.execute_batch(
                "INSERT INTO conversations (id, title, created_at, updated_at)
                     VALUES (7, 'Old trip', 1, 2);
                 INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)
                     VALUES (70, 7, 'user', 'plan a trip to Jeju', 'complete', 1, 1),
                            (71, 7, 'assistant', 'Day 1: ', 'streaming', 2, 2);
                 INSERT INTO message_tails (message_id, seq, content) VALUES (71, 1, 'Hallasan');",
            )
            .unwrap();
            assert!(
                conn.prepare("SELECT 1 FROM attachments").is_err(),
                "no attachments yet"
            );
            assert_eq!(version(&conn), BEFORE_ATTACHMENTS);
        }

        let storage = Storage::open(&path).unwrap();
        assert_eq!(version(&storage.conn()), MIGRATIONS.len());
        let messages = storage.messages(7).unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].content, "plan a trip to Jeju");
        assert_eq!(messages[1].content, "Day 1: Hallasan");
        assert_eq!(storage.search("jeju", 10).unwrap()[0].conversation_id, 7);
        assert!(storage.conversation_attachments(7).unwrap().is_empty());

        let id = "ab".repeat(32);
        storage
            .put_attachment(NewAttachment {
                id: &id,
                kind: AttachmentKind::Image,
                mime: "image/webp",
                data: b"RIFF",
                text: "",
                meta: "{}",
            })
            .unwrap();
        storage.attach(70, &[(&id, "jeju.webp")]).unwrap();
        drop(storage);

        // Opening again migrates nothing and finds what was attached.
        let storage = Storage::open(&path).unwrap();
        assert_eq!(
            storage.message_attachments(70).unwrap()[0].name,
            "jeju.webp"
        );
        assert_eq!(storage.conversation(7).unwrap().title, "Old trip");
    }
}
