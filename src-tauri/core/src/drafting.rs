//! The model writing into documents. The window keeps the pending text until the
//! person accepts it; this only streams it.

use std::future::Future;
use std::sync::Arc;

use foxtail_engine::{
    CancellationToken, Client, Event, Message as WireMessage, Part, Registry, Sink,
    DEFAULT_MAX_TOOL_STEPS,
};

use crate::answer_sink::Update;
use crate::draft_prompts::{self, DraftRequest};
use crate::frame_batch::FrameBatch;
use crate::keys::Keys;
use crate::mcp::Mcp;
use crate::message_attachments;
use crate::profile::prepare;
use crate::runs::{Run, Runs};
use crate::settings::Settings;
use crate::AppError;
use foxtail_storage::{AttachmentRef, Storage};

/// Checks `request` and prepares its run: refused requests (nothing selected, no
/// instruction) fail here, before a run starts. Returns the run id, for Stop, and the
/// work that streams the draft.
///
/// The draft may use the tools switched on, MCP servers' among them ("insert today's
/// weather from the weather server"); their calls are asked about as in a chat.
#[allow(clippy::too_many_arguments)]
pub fn start_draft(
    request: DraftRequest,
    settings: &Settings,
    keys: &Keys,
    mcp: Option<&Mcp>,
    storage: &Storage,
    runs: &Arc<Runs>,
    send: impl FnMut(Update) + Send + 'static,
) -> Result<(i64, impl Future<Output = ()> + Send + 'static), AppError> {
    draft_prompts::build(&request).map_err(AppError::Draft)?;
    let uses = request.attachments.clone().unwrap_or_default();
    message_attachments::check_use(storage, &uses, None)?;
    // The files' parts are made now, so the draft needs no history handle later.
    let refs: Vec<AttachmentRef> = uses
        .iter()
        .map(|used| {
            let stored = storage.attachment(&used.id)?;
            Ok(AttachmentRef {
                id: stored.id,
                kind: stored.kind,
                mime: stored.mime,
                name: used.name.clone(),
                meta: stored.meta,
                bytes: stored.bytes,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let files = message_attachments::stored_parts(storage, &refs, "")?;
    let prepared = prepare(settings, keys)?;
    let plan = mcp.and_then(|mcp| mcp.plan(settings, keys.keychain(), None));
    let (run_id, cancel) = runs.start_draft();
    let runs = runs.clone();
    Ok((run_id, async move {
        let tools = match plan {
            Some(plan) => tokio::select! {
                (tools, _) = plan.add_to(prepared.tools) => tools,
                _ = cancel.cancelled() => Registry::new(),
            },
            None => prepared.tools,
        };
        let _ = write_draft(
            prepared.client,
            prepared.request,
            &tools,
            &request,
            files,
            cancel,
            send,
        )
        .await;
        runs.end(Run::Draft(run_id));
    }))
}

pub fn stop_draft(runs: &Runs, run_id: i64) -> bool {
    runs.stop(Run::Draft(run_id))
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
    tools: &Registry,
    draft: &DraftRequest,
    files: Vec<Part>,
    cancel: CancellationToken,
    send: impl FnMut(Update),
) -> Result<(), AppError> {
    let (system, user) = draft_prompts::build(draft).map_err(AppError::Draft)?;
    request.system = Some(system);
    request.messages = vec![if files.is_empty() {
        WireMessage::user(user)
    } else {
        // The files come first, as in a chat message, then the drafting instruction.
        let mut content = files;
        content.push(Part::Text { text: user });
        WireMessage {
            role: foxtail_engine::Role::User,
            content,
        }
    }];
    let mut sink = DraftSink {
        send,
        batch: FrameBatch::default(),
    };
    let _ = match tools.is_empty() {
        true => client.stream_chat(&request, &cancel, &mut sink).await,
        false => {
            client
                .converse(
                    &mut request,
                    tools,
                    DEFAULT_MAX_TOOL_STEPS,
                    &cancel,
                    &mut sink,
                )
                .await
        }
    };
    sink.flush();
    Ok(())
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
            attachments: None,
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
                &Registry::new(),
                &draft("shorter"),
                Vec::new(),
                CancellationToken::new(),
                |u| updates.push(u),
            )
            .await
            .unwrap();
            let events: Vec<Event> = updates
                .into_iter()
                .flat_map(|u| match u {
                    Update::Events { events } => events,
                    _ => vec![],
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
    async fn a_draft_gives_the_model_its_files_before_the_instruction() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let storage = Storage::open_in_memory().unwrap();
        let pdf = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/attachments/two-pages.pdf"
        ))
        .unwrap();
        let report = message_attachments::add(&storage, "report.pdf", &pdf).unwrap();
        let refs = storage.attachment(&report.id).unwrap();
        let files = message_attachments::parts(
            &[message_attachments::Given::stored(&refs, "report.pdf")],
            "",
        );
        let mut request = ChatRequest::new(Protocol::Anthropic, "");
        request.base_url = gateway.url();
        let client = Client::new("sk-test".to_string().into(), Options::default()).unwrap();
        let mut summarize = draft("write");
        summarize.instruction = "Summarize this PDF here".into();
        write_draft(
            client,
            request,
            &Registry::new(),
            &summarize,
            files,
            CancellationToken::new(),
            |_| {},
        )
        .await
        .unwrap();
        // Text alone goes as one plain string: the document, then the instruction.
        let body = gateway.requests()[0].json();
        let content = body["messages"][0]["content"].as_str().unwrap();
        let document = content.find("<document name=\"report.pdf\">").unwrap();
        let instruction = content.find("Summarize this PDF here").unwrap();
        assert!(document < instruction, "{content}");
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
            &Registry::new(),
            &nothing_selected,
            Vec::new(),
            CancellationToken::new(),
            |_| {},
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Draft);
        assert!(gateway.requests().is_empty());
    }
}
