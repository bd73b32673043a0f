use std::path::Path;

use foxtail_storage::{
    AttachmentKind, MessageStatus, NewAttachment, NewMessage, Role, Storage, StorageError,
};

fn user(text: &str) -> NewMessage<'_> {
    NewMessage {
        role: Role::User,
        content: text,
        status: MessageStatus::Complete,
        model: None,
    }
}

/// A content id of the right shape (the app computes the real sha256).
fn content_id(n: u32) -> String {
    format!("{n:064x}")
}

fn image(id: &str) -> NewAttachment<'_> {
    NewAttachment {
        id,
        kind: AttachmentKind::Image,
        mime: "image/png",
        data: &[0x89, b'P', b'N', b'G', 1, 2, 3, 4],
        text: "",
        meta: r#"{"width":2,"height":1}"#,
    }
}

fn document<'a>(id: &'a str, text: &'a str) -> NewAttachment<'a> {
    NewAttachment {
        id,
        kind: AttachmentKind::Document,
        mime: "application/pdf",
        data: &[],
        text,
        meta: r#"{"pages":1}"#,
    }
}

/// Rows in a table, read through a connection of its own.
fn rows(path: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
}

fn names(storage: &Storage, message_id: i64) -> Vec<(String, String)> {
    storage
        .message_attachments(message_id)
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect()
}

#[test]
fn the_same_content_is_stored_once_and_messages_share_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(foxtail_storage::FILE_NAME);
    let storage = Storage::open(&path).unwrap();
    let cat = content_id(1);
    storage.put_attachment(image(&cat)).unwrap();
    // The second put of the same content changes nothing, not even the meta.
    storage
        .put_attachment(NewAttachment {
            mime: "image/jpeg",
            meta: "{}",
            ..image(&cat)
        })
        .unwrap();
    assert_eq!(rows(&path, "attachments"), 1);

    let c = storage.create_conversation("Cats").unwrap();
    let first = storage.add_message(c.id, user("look")).unwrap();
    let second = storage.add_message(c.id, user("again")).unwrap();
    storage.attach(first.id, &[(&cat, "cat.png")]).unwrap();
    storage
        .attach(second.id, &[(&cat, "same cat.png")])
        .unwrap();
    assert_eq!(rows(&path, "attachments"), 1);
    assert_eq!(rows(&path, "message_attachments"), 2);

    let stored = storage.attachment(&cat).unwrap();
    assert_eq!(stored.kind, AttachmentKind::Image);
    assert_eq!(stored.mime, "image/png");
    assert_eq!(stored.data, [0x89, b'P', b'N', b'G', 1, 2, 3, 4]);
    assert_eq!(stored.text, "");
    assert_eq!(stored.meta, r#"{"width":2,"height":1}"#);
    assert_eq!(stored.bytes, 8);
    assert_eq!(storage.purge_unused_attachments().unwrap(), 0);
}

#[test]
fn each_message_keeps_its_own_order_and_names_and_attach_replaces_the_list() {
    let storage = Storage::open_in_memory().unwrap();
    let (cat, notes) = (content_id(1), content_id(2));
    storage.put_attachment(image(&cat)).unwrap();
    storage
        .put_attachment(document(&notes, "Meeting notes: 회의록"))
        .unwrap();
    let c = storage.create_conversation("c").unwrap();
    let a = storage.add_message(c.id, user("a")).unwrap();
    let b = storage.add_message(c.id, user("b")).unwrap();
    storage
        .attach(a.id, &[(&cat, "cat.png"), (&notes, "notes.pdf")])
        .unwrap();
    storage
        .attach(b.id, &[(&notes, "report.pdf"), (&cat, "kitty.png")])
        .unwrap();

    let listed = storage.message_attachments(a.id).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        (listed[0].kind, listed[0].mime.as_str(), listed[0].bytes),
        (AttachmentKind::Image, "image/png", 8)
    );
    assert_eq!(
        (listed[1].kind, listed[1].bytes),
        (
            AttachmentKind::Document,
            "Meeting notes: 회의록".len() as i64
        )
    );
    assert_eq!(listed[1].meta, r#"{"pages":1}"#);
    assert_eq!(
        names(&storage, b.id),
        [
            (notes.clone(), "report.pdf".into()),
            (cat.clone(), "kitty.png".into())
        ]
    );

    // The window gets the app's JSON: kinds as words, no content.
    let json = serde_json::to_value(&listed[0]).unwrap();
    assert_eq!(json["kind"], "image");
    assert_eq!(json["name"], "cat.png");
    assert!(json.get("data").is_none());

    storage.attach(a.id, &[(&notes, "renamed.pdf")]).unwrap();
    assert_eq!(
        names(&storage, a.id),
        [(notes.clone(), "renamed.pdf".into())]
    );
    storage.attach(a.id, &[]).unwrap();
    assert!(storage.message_attachments(a.id).unwrap().is_empty());
    assert_eq!(
        names(&storage, b.id).len(),
        2,
        "the other message is untouched"
    );
}

#[test]
fn unknown_attachments_messages_and_malformed_ids_are_refused() {
    let storage = Storage::open_in_memory().unwrap();
    let cat = content_id(1);
    storage.put_attachment(image(&cat)).unwrap();
    let c = storage.create_conversation("c").unwrap();
    let m = storage.add_message(c.id, user("m")).unwrap();
    storage.attach(m.id, &[(&cat, "cat.png")]).unwrap();

    let err = storage
        .attach(m.id, &[(&cat, "cat.png"), (&content_id(9), "missing.png")])
        .unwrap_err();
    assert!(matches!(err, StorageError::NotFound));
    assert_eq!(err.kind(), "not_found");
    assert_eq!(
        names(&storage, m.id),
        [(cat.clone(), "cat.png".into())],
        "a refused attach changes nothing"
    );
    assert!(matches!(
        storage.attach(m.id + 100, &[(&cat, "cat.png")]),
        Err(StorageError::NotFound)
    ));
    assert!(matches!(
        storage.attachment(&content_id(9)),
        Err(StorageError::NotFound)
    ));

    for bad in ["AB".repeat(32), "abc".to_string(), format!("{cat}0")] {
        let err = storage.put_attachment(image(&bad)).unwrap_err();
        assert_eq!(err.kind(), "storage", "{bad}: {err}");
    }
}

#[test]
fn a_conversation_s_attachments_load_in_one_batch() {
    let storage = Storage::open_in_memory().unwrap();
    let (cat, notes, other) = (content_id(1), content_id(2), content_id(3));
    for id in [&cat, &other] {
        storage.put_attachment(image(id)).unwrap();
    }
    storage.put_attachment(document(&notes, "notes")).unwrap();
    let c = storage.create_conversation("c").unwrap();
    let first = storage.add_message(c.id, user("1")).unwrap();
    let plain = storage.add_message(c.id, user("2")).unwrap();
    let third = storage.add_message(c.id, user("3")).unwrap();
    storage
        .attach(first.id, &[(&cat, "a.png"), (&notes, "b.pdf")])
        .unwrap();
    storage.attach(third.id, &[(&notes, "c.pdf")]).unwrap();
    let elsewhere = storage.create_conversation("elsewhere").unwrap();
    let there = storage.add_message(elsewhere.id, user("x")).unwrap();
    storage.attach(there.id, &[(&other, "x.png")]).unwrap();

    let all = storage.conversation_attachments(c.id).unwrap();
    assert_eq!(all.len(), 2, "messages without attachments are left out");
    assert!(!all.contains_key(&plain.id));
    for id in [first.id, third.id] {
        assert_eq!(all[&id], storage.message_attachments(id).unwrap());
    }
    assert_eq!(all[&first.id][1].name, "b.pdf");
    assert!(storage
        .conversation_attachments(c.id + 100)
        .unwrap()
        .is_empty());
}

#[test]
fn deleting_messages_drops_their_references_and_undo_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(foxtail_storage::FILE_NAME);
    let storage = Storage::open(&path).unwrap();
    let cat = content_id(1);
    storage.put_attachment(image(&cat)).unwrap();
    let c = storage.create_conversation("c").unwrap();
    let m = storage.add_message(c.id, user("m")).unwrap();
    storage.attach(m.id, &[(&cat, "cat.png")]).unwrap();

    // Soft delete, within the undo window: nothing goes.
    storage.delete_conversation(c.id).unwrap();
    assert_eq!(storage.purge_deleted(0).unwrap(), 0);
    assert_eq!(rows(&path, "attachments"), 1);
    storage.restore_conversation(c.id).unwrap();
    assert_eq!(names(&storage, m.id), [(cat.clone(), "cat.png".into())]);
    assert_eq!(storage.conversation_attachments(c.id).unwrap().len(), 1);

    // Hard delete of the message: its references go with it, the content stays.
    assert_eq!(storage.truncate_from(c.id, m.id).unwrap(), 1);
    assert_eq!(rows(&path, "message_attachments"), 0);
    assert_eq!(rows(&path, "attachments"), 1);
}

#[test]
fn purging_a_deleted_conversation_removes_only_attachments_nothing_else_uses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(foxtail_storage::FILE_NAME);
    let storage = Storage::open(&path).unwrap();
    let (cat, notes) = (content_id(1), content_id(2));
    storage.put_attachment(image(&cat)).unwrap();
    storage.put_attachment(document(&notes, "notes")).unwrap();
    let gone = storage.create_conversation("gone").unwrap();
    let kept = storage.create_conversation("kept").unwrap();
    let in_gone = storage.add_message(gone.id, user("g")).unwrap();
    let in_kept = storage.add_message(kept.id, user("k")).unwrap();
    storage
        .attach(in_gone.id, &[(&cat, "cat.png"), (&notes, "notes.pdf")])
        .unwrap();
    storage.attach(in_kept.id, &[(&cat, "mine.png")]).unwrap();

    storage.delete_conversation(gone.id).unwrap();
    assert_eq!(storage.purge_deleted(i64::MAX).unwrap(), 1);
    assert!(matches!(
        storage.attachment(&notes),
        Err(StorageError::NotFound)
    ));
    assert_eq!(storage.attachment(&cat).unwrap().data.len(), 8);
    assert_eq!(
        names(&storage, in_kept.id),
        [(cat.clone(), "mine.png".into())]
    );
    assert_eq!(rows(&path, "message_attachments"), 1);
    assert_eq!(storage.purge_unused_attachments().unwrap(), 0);
}

#[test]
fn after_truncate_from_attachments_can_be_reused_until_a_purge_removes_unused_ones() {
    let storage = Storage::open_in_memory().unwrap();
    let (cat, notes) = (content_id(1), content_id(2));
    storage.put_attachment(image(&cat)).unwrap();
    storage.put_attachment(document(&notes, "notes")).unwrap();
    let c = storage.create_conversation("c").unwrap();
    let first = storage.add_message(c.id, user("first")).unwrap();
    let edited = storage.add_message(c.id, user("to edit")).unwrap();
    storage.attach(first.id, &[(&cat, "cat.png")]).unwrap();
    storage
        .attach(edited.id, &[(&cat, "cat.png"), (&notes, "notes.pdf")])
        .unwrap();

    // Edit and resend: the later message goes, and its replacement attaches again.
    storage.truncate_from(c.id, edited.id).unwrap();
    let resent = storage.add_message(c.id, user("edited")).unwrap();
    storage.attach(resent.id, &[(&notes, "notes.pdf")]).unwrap();
    assert_eq!(storage.purge_unused_attachments().unwrap(), 0);

    storage.truncate_from(c.id, resent.id).unwrap();
    assert_eq!(
        storage.attachment(&notes).unwrap().text,
        "notes",
        "kept until a purge"
    );
    assert_eq!(storage.purge_unused_attachments().unwrap(), 1);
    assert!(storage.attachment(&notes).is_err());
    assert_eq!(names(&storage, first.id), [(cat.clone(), "cat.png".into())]);
}

/// Decision: a document's text (and an attachment's file name) is not searchable for
/// now; search looks at titles and message text only.
#[test]
fn search_never_looks_at_attachments() {
    let storage = Storage::open_in_memory().unwrap();
    let notes = content_id(2);
    storage
        .put_attachment(document(&notes, "zanzibar quokka itinerary"))
        .unwrap();
    let c = storage.create_conversation("Holiday").unwrap();
    let m = storage
        .add_message(c.id, user("see the attached plan"))
        .unwrap();
    storage.attach(m.id, &[(&notes, "quokka.pdf")]).unwrap();

    assert!(storage.search("zanzibar", 10).unwrap().is_empty());
    assert!(storage.search("quokka", 10).unwrap().is_empty());
    let hits = storage.search("plan", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(!hits[0].snippet.contains("zanzibar"));
}
