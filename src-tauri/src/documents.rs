//! Drafting documents: the list, the text as it is typed, and the model writing into
//! them. The window keeps the pending text until the person accepts it; the backend
//! only streams it.

use std::sync::Arc;

use crate::raw_request;
use foxtail_core::answer_sink::Update;
use foxtail_core::contract::DOCUMENT_ID_HEADER;
use foxtail_core::draft_prompts::DraftRequest;
use foxtail_core::keys::Keys;
use foxtail_core::mcp::Mcp;
use foxtail_core::runs::Runs;
use foxtail_core::settings::SettingsFile;
use foxtail_core::{drafting, AppError};
use foxtail_storage::{Document, DocumentHit, DocumentSummary, Storage, StorageError};
use tauri::ipc::{Channel, Request};
use tauri::State;

#[tauri::command]
pub fn list_documents(storage: State<'_, Arc<Storage>>) -> Result<Vec<DocumentSummary>, AppError> {
    Ok(storage.list_documents()?)
}

/// Off the main thread: a long document is hundreds of kilobytes. The window asks for it
/// only after the document calls it sent before (`backend.ts`), so it reads what was saved.
#[tauri::command]
pub async fn open_document(
    document_id: i64,
    storage: State<'_, Arc<Storage>>,
) -> Result<Document, AppError> {
    blocking(&storage, move |storage| storage.document(document_id)).await
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

/// The whole document, when an edit (`edit_document`) was refused or a save failed. A
/// long document is hundreds of kilobytes, so its text is the request's raw UTF-8 body
/// (no JSON for the window to build and Rust to parse) and it is written off the main
/// thread, which draws the window. The window sends one document call at a time
/// (`backend.ts`), so saves land in order.
#[tauri::command]
pub async fn save_document(
    request: Request<'_>,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    let unreadable = |what: &str| {
        AppError::Storage(StorageError::Database(format!(
            "the document's {what} did not arrive, so it was not saved"
        )))
    };
    let Some(bytes) = raw_request::body(&request) else {
        return Err(unreadable("text"));
    };
    let document_id: i64 = raw_request::argument(&request, DOCUMENT_ID_HEADER)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| unreadable("number"))?;
    let content = String::from_utf8(bytes.clone()).map_err(|_| unreadable("text"))?;
    blocking(&storage, move |storage| {
        storage.save_document(document_id, &content)
    })
    .await
}

/// What was typed since the last save, as one range of the saved text in UTF-16 code
/// units (`Storage::edit_document`); false when the saved text is not the one the window
/// counted from, and the window saves the whole document instead. Off the main thread:
/// the document around the edit is read and written whole.
#[tauri::command]
pub async fn edit_document(
    document_id: i64,
    from: u64,
    to: u64,
    length: u64,
    text: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<bool, AppError> {
    blocking(&storage, move |storage| {
        storage.edit_document(document_id, from, to, length, &text)
    })
    .await
}

/// The change the model is writing, saved every second while it streams; "" when it was
/// accepted or discarded. It grows with the model's text, so off the main thread too.
#[tauri::command]
pub async fn save_document_pending(
    document_id: i64,
    pending: String,
    storage: State<'_, Arc<Storage>>,
) -> Result<(), AppError> {
    blocking(&storage, move |storage| {
        storage.save_document_pending(document_id, &pending)
    })
    .await
}

/// Runs a storage call on the blocking pool: not on the main thread, which draws the
/// window, nor on the async workers, which carry the answers and drafts as they stream.
async fn blocking<T: Send + 'static>(
    storage: &Arc<Storage>,
    call: impl FnOnce(&Storage) -> Result<T, StorageError> + Send + 'static,
) -> Result<T, AppError> {
    let storage = storage.clone();
    tauri::async_runtime::spawn_blocking(move || call(&storage))
        .await
        .map_err(|_| {
            AppError::Storage(StorageError::Database(
                "the document's save or read stopped unexpectedly".into(),
            ))
        })?
        .map_err(AppError::from)
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::test_window::TestWindow;

    #[test]
    fn a_document_is_saved_as_raw_text_and_read_back_whole() {
        let window = TestWindow::new();
        crate::manage_history(window.app.handle(), Storage::open_in_memory().unwrap());
        let id = window
            .call("create_document", json!({"title": "Letter", "content": ""}))
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let id_header = id.to_string();
        // Hangul, an emoji, a quote and a backslash: what JSON would have escaped.
        let text = "회의는 금요일 🙂 \"quoted\" \\ end\n".repeat(10_000);
        window
            .call_raw(
                "save_document",
                text.clone().into_bytes(),
                &[(DOCUMENT_ID_HEADER, &id_header)],
            )
            .unwrap();
        let opened = window
            .call("open_document", json!({"documentId": id}))
            .unwrap();
        assert_eq!(opened["content"], text.as_str());

        // A save that cannot be read changes nothing and says so.
        for (bytes, headers) in [
            (b"no id".to_vec(), vec![]),
            (b"bad id".to_vec(), vec![(DOCUMENT_ID_HEADER, "seven")]),
            (
                vec![0xff, 0xfe],
                vec![(DOCUMENT_ID_HEADER, id_header.as_str())],
            ),
        ] {
            let err = window
                .call_raw("save_document", bytes, &headers)
                .unwrap_err();
            assert_eq!(err["kind"], "storage", "{err}");
            assert!(
                err["message"].as_str().unwrap().contains("did not arrive"),
                "{err}"
            );
        }
        let err = window
            .call(
                "save_document",
                json!({"documentId": id, "content": "as JSON"}),
            )
            .unwrap_err();
        assert_eq!(err["kind"], "storage", "{err}");
        assert_eq!(
            window
                .call("open_document", json!({"documentId": id}))
                .unwrap()["content"],
            text.as_str()
        );
    }
}
