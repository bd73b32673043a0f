use std::sync::Arc;

use foxtail_core::conversation::ConversationPage;
use foxtail_storage::{ConversationSummary, PageAt, SearchHit, Storage};
use tauri::State;

use foxtail_core::runs::Runs;
use foxtail_core::{conversation, AppError};

#[tauri::command]
pub fn list_conversations(
    storage: State<'_, Arc<Storage>>,
) -> Result<Vec<ConversationSummary>, AppError> {
    Ok(storage.list_conversations()?)
}

#[tauri::command]
pub fn conversation_page(
    conversation_id: i64,
    at: PageAt,
    storage: State<'_, Arc<Storage>>,
) -> Result<ConversationPage, AppError> {
    conversation::page(&storage, conversation_id, at)
}

#[tauri::command]
pub fn rename_conversation(
    conversation_id: i64,
    title: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    Ok(storage.rename_conversation(conversation_id, &title)?)
}

#[tauri::command]
pub fn delete_conversation(
    conversation_id: i64,
    storage: State<'_, Arc<Storage>>,
    runs: State<'_, Arc<Runs>>,
) -> Result<(), AppError> {
    conversation::delete_conversation(&storage, &runs, conversation_id)
}

#[tauri::command]
pub fn restore_conversation(
    conversation_id: i64,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    Ok(storage.restore_conversation(conversation_id)?)
}

#[tauri::command]
pub fn search_conversations(
    query: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<Vec<SearchHit>, AppError> {
    Ok(storage.search(&query, 50)?)
}

#[tauri::command]
pub fn export_conversation(
    conversation_id: i64,
    storage: State<'_, Arc<Storage>>,
) -> Result<String, AppError> {
    foxtail_core::exports::conversation_markdown(&storage, conversation_id)
}

#[cfg(test)]
mod tests {
    use foxtail_storage::{MessageStatus, NewMessage, Role};
    use serde_json::json;

    use super::*;
    use crate::test_window::TestWindow;

    #[test]
    fn the_history_commands_find_the_history_the_app_manages() {
        let window = TestWindow::new();
        let storage = Storage::open_in_memory().unwrap();
        let id = storage.create_conversation("Trip plans").unwrap().id;
        storage
            .add_message(
                id,
                NewMessage {
                    role: Role::User,
                    content: "Plan a trip to Jeju",
                    status: MessageStatus::Complete,
                    model: None,
                },
            )
            .unwrap();
        crate::manage_history(window.app.handle(), storage);

        let listed = window.call("list_conversations", json!({})).unwrap();
        assert_eq!(listed[0]["title"], "Trip plans");
        let page = window
            .call(
                "conversation_page",
                json!({"conversationId": id, "at": {"at": "latest"}}),
            )
            .unwrap();
        assert_eq!(page["messages"][0]["content"], "Plan a trip to Jeju");
        assert_eq!(page["more_before"], false);
        window
            .call(
                "rename_conversation",
                json!({"conversationId": id, "title": "Jeju"}),
            )
            .unwrap();
        let hits = window
            .call("search_conversations", json!({"query": "trip"}))
            .unwrap();
        assert_eq!(hits[0]["title"], "Jeju");
        let markdown = window
            .call("export_conversation", json!({"conversationId": id}))
            .unwrap();
        assert!(markdown.as_str().unwrap().contains("Plan a trip to Jeju"));
        window
            .call("delete_conversation", json!({"conversationId": id}))
            .unwrap();
        assert_eq!(
            window.call("list_conversations", json!({})).unwrap(),
            json!([])
        );
        window
            .call("restore_conversation", json!({"conversationId": id}))
            .unwrap();
        assert_eq!(
            window.call("list_conversations", json!({})).unwrap()[0]["title"],
            "Jeju"
        );
    }
}
