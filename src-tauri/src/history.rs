use foxtail_storage::{ConversationSummary, Message, SearchHit, Storage};
use tauri::State;

use crate::AppError;

#[tauri::command]
pub fn list_conversations(
    storage: State<'_, Storage>,
) -> Result<Vec<ConversationSummary>, AppError> {
    Ok(storage.list_conversations()?)
}

#[tauri::command]
pub fn conversation_messages(
    conversation_id: i64,
    storage: State<'_, Storage>,
) -> Result<Vec<Message>, AppError> {
    Ok(storage.messages(conversation_id)?)
}

#[tauri::command]
pub fn rename_conversation(
    conversation_id: i64,
    title: String,
    storage: State<'_, Storage>,
) -> Result<(), AppError> {
    Ok(storage.rename_conversation(conversation_id, &title)?)
}

#[tauri::command]
pub fn delete_conversation(
    conversation_id: i64,
    storage: State<'_, Storage>,
) -> Result<(), AppError> {
    Ok(storage.delete_conversation(conversation_id)?)
}

#[tauri::command]
pub fn restore_conversation(
    conversation_id: i64,
    storage: State<'_, Storage>,
) -> Result<(), AppError> {
    Ok(storage.restore_conversation(conversation_id)?)
}

#[tauri::command]
pub fn search_conversations(
    query: String,
    storage: State<'_, Storage>,
) -> Result<Vec<SearchHit>, AppError> {
    Ok(storage.search(&query, 50)?)
}

#[tauri::command]
pub fn export_conversation(
    conversation_id: i64,
    storage: State<'_, Storage>,
) -> Result<String, AppError> {
    Ok(storage.export_markdown(conversation_id)?)
}
