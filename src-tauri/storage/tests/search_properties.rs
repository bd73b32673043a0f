//! Property test of full-text search: whatever text is stored and whatever is typed
//! into the search box (NUL, quotes, FTS5 operators and all), search never fails, and
//! a word that is in a message finds it.

use foxtail_storage::{MessageStatus, NewMessage, Role, Storage};
use proptest::prelude::*;

/// Text rich in what FTS5 would read as query syntax, with NUL, other control
/// characters and any Unicode between.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => any::<String>(),
        3 => prop::sample::select(vec![
            "\"", "\"\"", "*", ":", "(", ")", "-", "+", "^", "NEAR", "NEAR(", "AND", "OR",
            "NOT", "col:", "content:", "{", "}", "'", "\0", " ", "\t", "\n", "é", "한국어", "🦊",
        ])
        .prop_map(str::to_owned),
        2 => "[a-zA-Z0-9]{1,8}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

fn message(content: &str) -> NewMessage<'_> {
    NewMessage {
        role: Role::User,
        content,
        status: MessageStatus::Complete,
        model: None,
    }
}

proptest! {
    // Few cases, so that the suite stays quick on small machines; a failing case is
    // printed, not saved in the source tree.
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Storing and searching any text never fails, and a plain word in a message finds
    /// its conversation, whatever text surrounds it.
    #[test]
    fn any_text_can_be_stored_and_searched(
        title in text(),
        before in text(),
        after in text(),
        word in "[a-zA-Z0-9]{1,12}",
        typed in prop::collection::vec(text(), 1..4),
    ) {
        let storage = Storage::open_in_memory().unwrap();
        let conversation = storage.create_conversation(&title).unwrap();
        let content = format!("{before} {word} {after}");
        let stored = storage.add_message(conversation.id, message(&content)).unwrap();
        prop_assert_eq!(storage.message(stored.id).unwrap().content, content.clone());

        for typed in typed.iter().chain([&title, &before, &content]) {
            storage.search(typed, 20).unwrap();
        }
        let hits = storage.search(&word, 20).unwrap();
        prop_assert!(
            hits.iter().any(|hit| hit.conversation_id == conversation.id),
            "{word:?} not found in {content:?}: {hits:?}"
        );

        // The same after the text changes, and in documents too.
        let changed = format!("{after} {word}");
        storage
            .update_message(stored.id, &changed, &before, MessageStatus::Complete, None)
            .unwrap();
        let hits = storage.search(&word, 20).unwrap();
        prop_assert!(hits.iter().any(|hit| hit.conversation_id == conversation.id));
        let document = storage.create_document(&title, &content).unwrap();
        for typed in typed.iter().chain([&word]) {
            storage.search_documents(typed, 20).unwrap();
        }
        let found = storage.search_documents(&word, 20).unwrap();
        prop_assert!(found.iter().any(|hit| hit.document_id == document.id), "{found:?}");
    }
}
