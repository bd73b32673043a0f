use foxtail_storage::{MessageStatus, NewMessage, Role, Storage, StorageError};

fn user(text: &str) -> NewMessage<'_> {
    NewMessage {
        role: Role::User,
        content: text,
        status: MessageStatus::Complete,
        model: None,
    }
}

fn answer_started() -> NewMessage<'static> {
    NewMessage {
        role: Role::Assistant,
        content: "",
        status: MessageStatus::Streaming,
        model: Some("openai/gpt-4o"),
    }
}

#[test]
fn a_streaming_answer_saved_midway_survives_reopening_and_is_marked_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(foxtail_storage::FILE_NAME);
    let (conversation, answer) = {
        let storage = Storage::open(&path).unwrap();
        let conversation = storage.create_conversation("Trip to Busan").unwrap();
        storage
            .add_message(conversation.id, user("부산 여행 계획을 세워 줘"))
            .unwrap();
        let answer = storage
            .add_message(conversation.id, answer_started())
            .unwrap();
        storage
            .update_message(
                answer.id,
                "Day 1: Haeundae",
                "",
                MessageStatus::Streaming,
                None,
            )
            .unwrap();
        // Dropped without a final save, as after a crash.
        (conversation, answer)
    };

    let storage = Storage::open(&path).unwrap();
    assert_eq!(storage.mark_unfinished_interrupted().unwrap(), 1);
    let messages = storage.messages(conversation.id).unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].content, "부산 여행 계획을 세워 줘");
    assert_eq!(messages[1].id, answer.id);
    assert_eq!(messages[1].content, "Day 1: Haeundae");
    assert_eq!(messages[1].status, MessageStatus::Interrupted);
    assert_eq!(messages[1].model.as_deref(), Some("openai/gpt-4o"));
}

#[test]
fn the_sidebar_lists_newest_first_and_delete_can_be_undone() {
    let storage = Storage::open_in_memory().unwrap();
    let older = storage.create_conversation("Older").unwrap();
    let newer = storage.create_conversation("Newer").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(5));
    // A new message moves a conversation to the top.
    storage.add_message(older.id, user("hello again")).unwrap();
    let titles: Vec<_> = storage
        .list_conversations()
        .unwrap()
        .into_iter()
        .map(|c| (c.title, c.message_count))
        .collect();
    assert_eq!(titles, [("Older".into(), 1), ("Newer".into(), 0)]);

    storage.rename_conversation(newer.id, "  Renamed ").unwrap();
    assert_eq!(storage.conversation(newer.id).unwrap().title, "Renamed");

    storage.delete_conversation(older.id).unwrap();
    assert_eq!(storage.list_conversations().unwrap().len(), 1);
    assert!(matches!(
        storage.conversation(older.id),
        Err(StorageError::NotFound)
    ));
    storage.restore_conversation(older.id).unwrap();
    assert_eq!(
        storage.messages(older.id).unwrap().len(),
        1,
        "undo keeps the messages"
    );

    storage.delete_conversation(older.id).unwrap();
    assert_eq!(
        storage.purge_deleted(0).unwrap(),
        0,
        "recently deleted is kept for undo"
    );
    assert_eq!(storage.purge_deleted(i64::MAX).unwrap(), 1);
    assert!(
        storage.messages(older.id).unwrap().is_empty(),
        "purge removes the messages"
    );
    assert!(matches!(
        storage.restore_conversation(older.id),
        Err(StorageError::NotFound)
    ));
}

#[test]
fn full_text_search_finds_titles_and_messages_and_skips_deleted() {
    let storage = Storage::open_in_memory().unwrap();
    let rust = storage.create_conversation("Learning Rust").unwrap();
    storage
        .add_message(rust.id, user("How do lifetimes work in borrowing?"))
        .unwrap();
    let seoul = storage.create_conversation("Weekend plans").unwrap();
    let answer = storage.add_message(seoul.id, answer_started()).unwrap();
    storage
        .update_message(
            answer.id,
            "서울에서 갈 만한 곳: 경복궁",
            "",
            MessageStatus::Complete,
            None,
        )
        .unwrap();

    let hits = storage.search("lifetime", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].conversation_id, rust.id);
    assert!(
        hits[0].snippet.contains("[lifetimes]"),
        "{}",
        hits[0].snippet
    );

    assert_eq!(
        storage.search("rust", 10).unwrap()[0].conversation_id,
        rust.id
    );
    // Updated text is indexed, and Korean words match by prefix.
    assert_eq!(
        storage.search("경복", 10).unwrap()[0].conversation_id,
        seoul.id
    );
    assert_eq!(storage.search("서울", 10).unwrap().len(), 1);
    // Every word must match; query syntax typed by a person is just text.
    assert!(storage.search("lifetimes 경복궁", 10).unwrap().is_empty());
    assert!(storage.search("\"unbalanced OR -", 10).unwrap().is_empty());

    storage.delete_conversation(rust.id).unwrap();
    assert!(storage.search("lifetime", 10).unwrap().is_empty());
}

#[test]
fn regenerate_rewrites_from_a_message_onwards() {
    let storage = Storage::open_in_memory().unwrap();
    let c = storage.create_conversation("c").unwrap();
    let first = storage.add_message(c.id, user("one")).unwrap();
    let second = storage.add_message(c.id, answer_started()).unwrap();
    storage.add_message(c.id, user("two")).unwrap();
    assert_eq!(storage.truncate_from(c.id, second.id).unwrap(), 2);
    let left: Vec<_> = storage
        .messages(c.id)
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(left, [first.id]);
}

#[test]
fn export_writes_markdown_with_speakers_and_cut_off_marks() {
    let storage = Storage::open_in_memory().unwrap();
    let c = storage.create_conversation("Haiku").unwrap();
    storage.add_message(c.id, user("Write a haiku")).unwrap();
    let answer = storage.add_message(c.id, answer_started()).unwrap();
    storage
        .update_message(
            answer.id,
            "Autumn moonlight—\n",
            "",
            MessageStatus::Interrupted,
            None,
        )
        .unwrap();
    let markdown = storage.export_markdown(c.id).unwrap();
    assert_eq!(
        markdown,
        "# Haiku\n\n## You\n\nWrite a haiku\n\n## Assistant (openai/gpt-4o)\n\nAutumn moonlight—\n\n*(This answer was cut off.)*\n"
    );
}

#[test]
fn messages_cannot_be_added_to_a_missing_or_deleted_conversation() {
    let storage = Storage::open_in_memory().unwrap();
    assert!(matches!(
        storage.add_message(42, user("hi")),
        Err(StorageError::NotFound)
    ));
    let c = storage.create_conversation("c").unwrap();
    storage.delete_conversation(c.id).unwrap();
    assert!(matches!(
        storage.add_message(c.id, user("hi")),
        Err(StorageError::NotFound)
    ));
}

#[test]
fn a_file_that_is_not_a_database_gives_a_plain_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("foxtail.sqlite3");
    std::fs::write(&path, "this is not SQLite, it is a note someone saved here").unwrap();
    let err = Storage::open(&path).err().expect("refused");
    assert_eq!(err.kind(), "storage_corrupt", "{err}");
    assert!(err.to_string().contains("damaged"));
}

#[test]
fn a_damaged_file_is_kept_aside_and_a_new_history_starts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(foxtail_storage::FILE_NAME);
    std::fs::write(&path, "not a database at all, but someone's bytes").unwrap();
    let (storage, aside) = Storage::open_or_recover(&path).unwrap();
    let aside = aside.expect("moved aside");
    assert_eq!(
        std::fs::read_to_string(&aside).unwrap(),
        "not a database at all, but someone's bytes"
    );
    assert!(storage.list_conversations().unwrap().is_empty());
    storage.create_conversation("works").unwrap();

    let (_, again) = Storage::open_or_recover(&path).unwrap();
    assert_eq!(again, None, "a healthy file is left alone");
}

#[test]
fn what_an_answer_showed_besides_its_text_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(foxtail_storage::FILE_NAME);
    let answer = {
        let storage = Storage::open(&path).unwrap();
        let conversation = storage.create_conversation("Maths").unwrap();
        let answer = storage
            .add_message(conversation.id, answer_started())
            .unwrap();
        assert_eq!(answer.extras, "", "nothing extra by default");
        storage
            .update_extras(answer.id, r#"{"tools":[{"name":"calculator"}]}"#)
            .unwrap();
        answer
    };
    let storage = Storage::open(&path).unwrap();
    assert_eq!(
        storage.message(answer.id).unwrap().extras,
        r#"{"tools":[{"name":"calculator"}]}"#
    );
    assert!(matches!(
        storage.update_extras(answer.id + 100, "{}"),
        Err(StorageError::NotFound)
    ));
}

#[test]
fn documents_are_saved_listed_searched_and_deleted_with_undo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(foxtail_storage::FILE_NAME);
    let (letter, essay) = {
        let storage = Storage::open(&path).unwrap();
        let letter = storage.create_document("  Letter to Mina ", "").unwrap();
        assert_eq!(letter.title, "Letter to Mina");
        let essay = storage
            .create_document("Essay", "# Seasons\n\nSpring in Seoul.")
            .unwrap();
        // Timestamps are in milliseconds; the save must come later than the creation.
        std::thread::sleep(std::time::Duration::from_millis(5));
        storage
            .save_document(letter.id, "Dear Mina,\n\n금요일 회의는 참석이 어렵습니다.")
            .unwrap();
        (letter, essay)
    };

    // Reopened, as after a restart or a crash.
    let storage = Storage::open(&path).unwrap();
    let listed = storage.list_documents().unwrap();
    assert_eq!(
        listed.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![letter.id, essay.id],
        "the last changed first"
    );
    assert!(storage
        .document(letter.id)
        .unwrap()
        .content
        .ends_with("참석이 어렵습니다."));

    let hits = storage.search_documents("spring", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].document_id, essay.id);
    assert!(hits[0].snippet.contains("[Spring]"), "{}", hits[0].snippet);
    assert_eq!(storage.search_documents("회의는", 10).unwrap().len(), 1);
    assert_eq!(
        storage.search_documents("letter", 10).unwrap().len(),
        1,
        "titles count"
    );

    assert_eq!(storage.document(essay.id).unwrap().pending, "");
    storage
        .save_document_pending(essay.id, r#"{"text":"Summer"}"#)
        .unwrap();
    let reopened = Storage::open(&path).unwrap();
    assert_eq!(
        reopened.document(essay.id).unwrap().pending,
        r#"{"text":"Summer"}"#
    );
    drop(reopened);

    storage.rename_document(essay.id, "Four seasons").unwrap();
    storage.delete_document(essay.id).unwrap();
    assert_eq!(storage.list_documents().unwrap().len(), 1);
    assert!(storage.search_documents("spring", 10).unwrap().is_empty());
    assert!(matches!(
        storage.save_document(essay.id, "x"),
        Err(StorageError::NotFound)
    ));
    storage.restore_document(essay.id).unwrap();
    assert_eq!(storage.document(essay.id).unwrap().title, "Four seasons");

    storage.delete_document(essay.id).unwrap();
    assert_eq!(storage.purge_deleted(i64::MAX).unwrap(), 1);
    assert!(storage.restore_document(essay.id).is_err());
}

#[test]
fn a_document_edit_counts_as_the_window_does_and_is_refused_when_the_text_is_not_its_base() {
    let storage = Storage::open_in_memory().unwrap();
    // "😀" is two UTF-16 code units and four bytes; "회" is one unit and three bytes.
    let base = "A😀 회의\r\nEnd";
    let doc = storage.create_document("Edits", base).unwrap();
    let length = |text: &str| text.encode_utf16().count() as u64;
    assert_eq!(length(base), 11);

    // Typed after the emoji, and a word replaced after a Windows line break.
    assert!(storage.edit_document(doc.id, 3, 3, 11, "!").unwrap());
    let text = storage.document(doc.id).unwrap().content;
    assert_eq!(text, "A😀! 회의\r\nEnd");
    assert!(storage
        .edit_document(doc.id, 9, 12, length(&text), "Fin.")
        .unwrap());
    assert_eq!(
        storage.document(doc.id).unwrap().content,
        "A😀! 회의\r\nFin."
    );
    // At the very end, and the whole text replaced.
    let text = storage.document(doc.id).unwrap().content;
    assert!(storage
        .edit_document(doc.id, length(&text), length(&text), length(&text), " 끝")
        .unwrap());
    assert_eq!(
        storage.document(doc.id).unwrap().content,
        "A😀! 회의\r\nFin. 끝"
    );

    // Not the text the window counted from: nothing changes, and the window is told.
    let kept = storage.document(doc.id).unwrap().content;
    let now = length(&kept);
    for (from, to, length, why) in [
        (0, 0, now + 1, "a different length"),
        (2, 2, now, "inside the emoji's two units"),
        (3, 2, now, "a range backwards"),
        (0, now + 1, now, "past the end"),
    ] {
        assert!(
            !storage
                .edit_document(doc.id, from, to, length, "x")
                .unwrap(),
            "{why}"
        );
        assert_eq!(storage.document(doc.id).unwrap().content, kept, "{why}");
    }
    let text = storage.document(doc.id).unwrap().content;
    assert!(storage
        .edit_document(doc.id, 0, length(&text), length(&text), "")
        .unwrap());
    assert_eq!(storage.document(doc.id).unwrap().content, "");

    // A deleted document is not written.
    storage.delete_document(doc.id).unwrap();
    assert!(matches!(
        storage.edit_document(doc.id, 0, 0, 0, "x"),
        Err(StorageError::NotFound)
    ));
}

#[test]
fn a_streaming_answer_grows_by_appending_and_is_written_whole_once_at_its_end() {
    let storage = Storage::open_in_memory().unwrap();
    let c = storage.create_conversation("Appended").unwrap();
    let answer = storage
        .add_message(
            c.id,
            NewMessage {
                role: Role::Assistant,
                content: "",
                status: MessageStatus::Streaming,
                model: None,
            },
        )
        .unwrap();
    for piece in ["Hello ", "from ", "the ", "stream"] {
        storage.append_to_message(answer.id, piece, "·").unwrap();
    }
    let seen = storage.message(answer.id).unwrap();
    assert_eq!(seen.content, "Hello from the stream");
    assert_eq!(seen.reasoning, "····");
    assert_eq!(
        storage.messages(c.id).unwrap()[0].content,
        "Hello from the stream"
    );
    // Appending did not rewrite the answer's text, so the index has not seen it yet.
    assert!(storage.search("stream", 10).unwrap().is_empty());
    assert!(matches!(
        storage.append_to_message(answer.id + 100, "x", ""),
        Err(StorageError::NotFound)
    ));

    storage
        .update_message(
            answer.id,
            "Hello from the stream!",
            "",
            MessageStatus::Complete,
            None,
        )
        .unwrap();
    assert_eq!(
        storage.message(answer.id).unwrap().content,
        "Hello from the stream!"
    );
    assert_eq!(storage.search("stream", 10).unwrap().len(), 1);
}

#[test]
fn after_a_crash_the_appended_pieces_join_the_answer_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite3");
    let id = {
        let storage = Storage::open(&path).unwrap();
        let c = storage.create_conversation("Crash").unwrap();
        let answer = storage
            .add_message(
                c.id,
                NewMessage {
                    role: Role::Assistant,
                    content: "Start. ",
                    status: MessageStatus::Streaming,
                    model: None,
                },
            )
            .unwrap();
        storage
            .append_to_message(answer.id, "Middle. ", "")
            .unwrap();
        storage.append_to_message(answer.id, "End", "").unwrap();
        answer.id
        // Dropped without an end, as a kill -9 would leave it.
    };
    let storage = Storage::open(&path).unwrap();
    assert_eq!(storage.mark_unfinished_interrupted().unwrap(), 1);
    let kept = storage.message(id).unwrap();
    assert_eq!(kept.content, "Start. Middle. End");
    assert_eq!(kept.status, MessageStatus::Interrupted);
    assert_eq!(
        storage.search("middle", 10).unwrap().len(),
        1,
        "now indexed"
    );
}

#[test]
fn a_long_conversation_is_read_a_page_at_a_time_from_either_end_or_around_a_message() {
    use foxtail_storage::PageAt;
    let storage = Storage::open_in_memory().unwrap();
    let long = storage.create_conversation("Long").unwrap();
    let other = storage.create_conversation("Other").unwrap();
    let mut ids = Vec::new();
    for i in 0..25 {
        ids.push(
            storage
                .add_message(long.id, user(&format!("m{i}")))
                .unwrap()
                .id,
        );
        // Another conversation's messages sit between them and are never read.
        storage.add_message(other.id, user("elsewhere")).unwrap();
    }
    let texts = |page: &foxtail_storage::MessagePage| -> Vec<String> {
        page.messages.iter().map(|m| m.content.clone()).collect()
    };

    let latest = storage.message_page(long.id, PageAt::Latest, 10).unwrap();
    assert_eq!(
        texts(&latest),
        (15..25).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert!(latest.more_before && !latest.more_after);

    let before = storage
        .message_page(long.id, PageAt::Before(ids[15]), 10)
        .unwrap();
    assert_eq!(
        texts(&before),
        (5..15).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert!(before.more_before && before.more_after);

    let first = storage
        .message_page(long.id, PageAt::Before(ids[5]), 10)
        .unwrap();
    assert_eq!(
        texts(&first),
        (0..5).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert!(!first.more_before && first.more_after);

    let after = storage
        .message_page(long.id, PageAt::After(ids[14]), 10)
        .unwrap();
    assert_eq!(
        texts(&after),
        (15..25).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert!(after.more_before && !after.more_after);

    // A search hit opens a little below the top of its page.
    let around = storage
        .message_page(long.id, PageAt::Around(ids[12]), 10)
        .unwrap();
    assert_eq!(
        texts(&around),
        (10..20).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert!(around.more_before && around.more_after);
    let at_start = storage
        .message_page(long.id, PageAt::Around(ids[0]), 10)
        .unwrap();
    assert_eq!(
        texts(&at_start),
        (0..10).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    assert!(!at_start.more_before && at_start.more_after);

    let whole = storage.message_page(long.id, PageAt::Latest, 100).unwrap();
    assert_eq!(whole.messages.len(), 25);
    assert!(!whole.more_before && !whole.more_after);

    let empty = storage.create_conversation("Empty").unwrap();
    let nothing = storage.message_page(empty.id, PageAt::Latest, 10).unwrap();
    assert!(nothing.messages.is_empty() && !nothing.more_before && !nothing.more_after);
}

#[test]
fn a_search_hit_names_the_message_that_matched() {
    let storage = Storage::open_in_memory().unwrap();
    let c = storage.create_conversation("Recipes").unwrap();
    storage
        .add_message(c.id, user("first, about bread"))
        .unwrap();
    let hit = storage.add_message(c.id, user("then kimchi stew")).unwrap();
    let found = storage.search("kimchi", 10).unwrap();
    assert_eq!(found[0].message_id, Some(hit.id));
    // A match in the title alone names no message.
    let by_title = storage.search("recipes", 10).unwrap();
    assert_eq!(by_title[0].message_id, None);
}
