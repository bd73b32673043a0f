//! Drafting documents: the list, the text as it is typed, and the model writing into
//! them. The window keeps the pending text until the person accepts it; the backend
//! only streams it.

use std::sync::Arc;

use foxtail_core::answer_sink::Update;
use foxtail_core::draft_prompts::DraftRequest;
use foxtail_core::keys::Keys;
use foxtail_core::mcp::Mcp;
use foxtail_core::runs::Runs;
use foxtail_core::settings::SettingsFile;
use foxtail_core::{drafting, AppError};
use foxtail_storage::{Document, DocumentHit, DocumentSummary, Storage};
use tauri::ipc::Channel;
use tauri::State;

#[tauri::command]
pub fn list_documents(storage: State<'_, Arc<Storage>>) -> Result<Vec<DocumentSummary>, AppError> {
    Ok(storage.list_documents()?)
}

#[tauri::command]
pub fn open_document(
    document_id: i64,
    storage: State<'_, Arc<Storage>>,
) -> Result<Document, AppError> {
    Ok(storage.document(document_id)?)
}

/// A new document, empty or with text (an imported file, a chat answer).
#[tauri::command]
pub fn create_document(
    title: String,
    content: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<Document, AppError> {
    Ok(storage.create_document(&title, &content)?)
}

#[tauri::command]
pub fn save_document(
    document_id: i64,
    content: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    Ok(storage.save_document(document_id, &content)?)
}

/// The change the model is writing, saved while it streams; "" when it was accepted or
/// discarded.
#[tauri::command]
pub fn save_document_pending(
    document_id: i64,
    pending: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    Ok(storage.save_document_pending(document_id, &pending)?)
}

#[tauri::command]
pub fn rename_document(
    document_id: i64,
    title: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    Ok(storage.rename_document(document_id, &title)?)
}

#[tauri::command]
pub fn delete_document(document_id: i64, storage: State<'_, Arc<Storage>>) -> Result<(), AppError> {
    Ok(storage.delete_document(document_id)?)
}

#[tauri::command]
pub fn restore_document(
    document_id: i64,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    Ok(storage.restore_document(document_id)?)
}

#[tauri::command]
pub fn search_documents(
    query: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<Vec<DocumentHit>, AppError> {
    Ok(storage.search_documents(&query, 50)?)
}

/// Starts a drafting action and returns its run id, for `stop_draft`.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn draft_action(
    request: DraftRequest,
    on_update: Channel<Update>,
    runs: State<'_, Arc<Runs>>,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
    mcp: State<'_, Mcp>,
    storage: State<'_, Arc<Storage>>,
    outboxes: State<'_, Arc<crate::outbox::Outboxes>>,
) -> Result<i64, AppError> {
    let settings = settings.get();
    let (run_id, run) = drafting::start_draft(
        request,
        &settings,
        &keys,
        Some(&mcp),
        &storage,
        &runs,
        // The window may have gone; nothing is lost, the draft only streams.
        outboxes.sender(on_update),
    )?;
    tauri::async_runtime::spawn(run);
    Ok(run_id)
}

#[tauri::command]
pub fn stop_draft(run_id: i64, runs: State<'_, Arc<Runs>>) -> bool {
    drafting::stop_draft(&runs, run_id)
}
