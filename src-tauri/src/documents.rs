//! Drafting documents: the list, the text as it is typed, and the model writing into
//! them. The window keeps the pending text until the person accepts it; the backend
//! only streams it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use foxtail_engine::{CancellationToken, Client, Event, Message as WireMessage, Sink};
use foxtail_storage::{Document, DocumentHit, DocumentSummary, Storage};
use tauri::ipc::Channel;
use tauri::State;

use crate::answer_sink::Update;
use crate::chat::{prepare, ActiveAnswers};
use crate::draft_prompts::{self, DraftRequest};
use crate::frame_batch::FrameBatch;
use crate::keys::Keys;
use crate::settings::Settings;
use crate::AppError;

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

/// Model runs writing into documents, so that Stop reaches them.
#[derive(Default)]
pub struct DraftRuns {
    active: ActiveAnswers,
    next: AtomicI64,
}

/// Sends a streamed draft to the window in frame-sized batches.
struct DraftSink<F: FnMut(Update)> {
    send: F,
    batch: FrameBatch,
}

impl<F: FnMut(Update)> DraftSink<F> {
    fn flush(&mut self) {
        if let Some(events) = self.batch.take() {
            (self.send)(Update::Events { events });
        }
    }
}

impl<F: FnMut(Update)> Sink for DraftSink<F> {
    fn event(&mut self, event: Event) {
        let end = event.is_end();
        if self.batch.push(event) || end {
            self.flush();
        }
    }

    fn idle(&mut self) {
        self.flush();
    }
}

/// Streams one drafting action; the text arrives as `text` events, then one end.
pub async fn write_draft(
    client: Client,
    mut request: foxtail_engine::ChatRequest,
    draft: &DraftRequest,
    cancel: CancellationToken,
    send: impl FnMut(Update),
) -> Result<(), AppError> {
    let (system, user) = draft_prompts::build(draft).map_err(AppError::Draft)?;
    request.system = Some(system);
    request.messages = vec![WireMessage::user(user)];
    let mut sink = DraftSink {
        send,
        batch: FrameBatch::default(),
    };
    let _ = client.stream_chat(&request, &cancel, &mut sink).await;
    sink.flush();
    Ok(())
}

/// Starts a drafting action and returns its run id, for `stop_draft`.
#[tauri::command]
pub fn draft_action(
    request: DraftRequest,
    on_update: Channel<Update>,
    runs: State<'_, Arc<DraftRuns>>,
    settings: State<'_, Settings>,
    keys: State<'_, Keys>,
) -> Result<i64, AppError> {
    // Refused requests (nothing selected, no instruction) fail here, before a run starts.
    draft_prompts::build(&request).map_err(AppError::Draft)?;
    let prepared = prepare(&settings, &keys)?;
    let runs = runs.inner().clone();
    let run_id = runs.next.fetch_add(1, Ordering::Relaxed) + 1;
    let cancel = runs.active.start(run_id);
    tauri::async_runtime::spawn(async move {
        let _ = write_draft(
            prepared.client,
            prepared.request,
            &request,
            cancel,
            |update| {
                let _ = on_update.send(update);
            },
        )
        .await;
        runs.active.end(run_id);
    });
    Ok(run_id)
}

#[tauri::command]
pub fn stop_draft(run_id: i64, runs: State<'_, Arc<DraftRuns>>) -> bool {
    runs.active.stop(run_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use foxtail_engine::{ChatRequest, Options, Protocol};
    use foxtail_mock_gateway::{answer_text, script, MockGateway};

    fn draft(action: &str) -> DraftRequest {
        DraftRequest {
            action: action.into(),
            instruction: String::new(),
            before: "Intro.\n\n".into(),
            selection: "A long and winding sentence.".into(),
            after: String::new(),
            previous: None,
            refinement: None,
        }
    }

    #[tokio::test]
    async fn a_draft_streams_its_text_and_carries_the_selection() {
        for protocol in [Protocol::Openai, Protocol::Anthropic] {
            let gateway = MockGateway::start_script(script("ok").unwrap())
                .await
                .unwrap();
            let mut request = ChatRequest::new(protocol, "");
            request.base_url = gateway.url();
            let client = Client::new("sk-test".to_string().into(), Options::default()).unwrap();
            let mut updates = Vec::new();
            write_draft(
                client,
                request,
                &draft("shorter"),
                CancellationToken::new(),
                |u| updates.push(u),
            )
            .await
            .unwrap();
            let events: Vec<Event> = updates
                .into_iter()
                .flat_map(|u| match u {
                    Update::Events { events } => events,
                    Update::SaveFailed { .. } => vec![],
                })
                .collect();
            let text: String = events
                .iter()
                .filter_map(|e| match e {
                    Event::Text { text } => Some(text.as_str()),
                    _ => None,
                })
                .collect();
            assert_eq!(text, answer_text());
            assert!(matches!(events.last(), Some(Event::Finish { .. })));
            let body = gateway.requests()[0].json().to_string();
            assert!(body.contains("A long and winding sentence."), "{body}");
            assert!(body.contains("shorter"), "{body}");
        }
    }

    #[tokio::test]
    async fn a_draft_without_what_it_needs_is_refused_before_any_request() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let mut request = ChatRequest::new(Protocol::Openai, "");
        request.base_url = gateway.url();
        let client = Client::new("sk-test".to_string().into(), Options::default()).unwrap();
        let mut nothing_selected = draft("shorter");
        nothing_selected.selection.clear();
        let err = write_draft(
            client,
            request,
            &nothing_selected,
            CancellationToken::new(),
            |_| {},
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), "draft");
        assert!(gateway.requests().is_empty());
    }
}
