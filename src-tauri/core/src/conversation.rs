//! Conversations: a person's message into the history, the history into the request,
//! and the answer written back into the history as it streams. The window and the CLI
//! both go through [`ChatSession`].

use std::future::Future;
use std::sync::Arc;

use foxtail_engine::{
    CancellationToken, Event, Message as WireMessage, Registry, DEFAULT_MAX_TOOL_STEPS,
};
use foxtail_storage::{Message, MessageStatus, NewMessage, PageAt, Role, Storage};
use serde::Serialize;
use ts_rs::TS;

use crate::answer_sink::{AnswerSink, Update};
use crate::catalog::Catalog;
use crate::keys::Keys;
use crate::mcp::{Mcp, McpPlan};
use crate::message_attachments::{self, Attachment, AttachmentUse};
use crate::profile::{prepare, Prepared};
use crate::providers::ChatStart;
use crate::runs::{Run, Runs};
use crate::settings::Settings;
use crate::tool_cards::AnswerExtras;
use crate::usage::AnswerUsage;
use crate::{AppError, ErrorReport};

/// What a new turn created, so the window can show it before the first token.
#[derive(Debug, Serialize, TS)]
pub struct Turn {
    pub conversation_id: i64,
    pub user_message: Option<ChatMessage>,
    pub answer: ChatMessage,
}

/// A message as the window gets it: the saved message with its error and its tool
/// cards as typed objects, not the JSON text they are stored as.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ChatMessage {
    pub id: i64,
    pub conversation_id: i64,
    pub role: Role,
    pub content: String,
    pub reasoning: String,
    pub status: MessageStatus,
    /// What the answer ended with, when it failed or was stopped.
    pub error: Option<ErrorReport>,
    /// The model that wrote an answer.
    pub model: Option<String>,
    pub extras: AnswerExtras,
    /// The files the person attached to this message.
    pub attachments: Vec<Attachment>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<Message> for ChatMessage {
    fn from(m: Message) -> Self {
        Self {
            id: m.id,
            conversation_id: m.conversation_id,
            role: m.role,
            error: m
                .error
                .as_deref()
                .and_then(|e| serde_json::from_str(e).ok()),
            extras: AnswerExtras::from_json(&m.extras),
            attachments: Vec::new(),
            content: m.content,
            reasoning: m.reasoning,
            status: m.status,
            model: m.model,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// Messages the window is given at a time: enough to fill a tall window a few times
/// over, few enough that the longest conversation opens at once.
pub const PAGE_SIZE: usize = 40;

/// One page of a conversation as the window shows it (see [`PageAt`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ConversationPage {
    /// Oldest first.
    pub messages: Vec<ChatMessage>,
    /// Older messages are left to read.
    pub more_before: bool,
    /// Newer messages are left to read (a page around a search hit).
    pub more_after: bool,
    /// The usage of every answer of the conversation that reported one, loaded or not,
    /// for its running total.
    pub usages: Vec<MessageUsage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MessageUsage {
    pub message_id: i64,
    pub usage: AnswerUsage,
}

pub fn page(
    storage: &Storage,
    conversation_id: i64,
    at: PageAt,
) -> Result<ConversationPage, AppError> {
    let page = storage.message_page(conversation_id, at, PAGE_SIZE)?;
    let attached = match (page.messages.first(), page.messages.last()) {
        (Some(first), Some(last)) => {
            message_attachments::between(storage, conversation_id, first.id, last.id)?
        }
        _ => Default::default(),
    };
    let usages = storage
        .conversation_usages(conversation_id)?
        .into_iter()
        // A usage saved by an older build that no longer reads is left out, not fatal.
        .filter_map(|(message_id, json)| {
            let usage = serde_json::from_str(&json).ok()?;
            Some(MessageUsage { message_id, usage })
        })
        .collect();
    Ok(ConversationPage {
        messages: with_attachments(page.messages, attached),
        more_before: page.more_before,
        more_after: page.more_after,
        usages,
    })
}

fn with_attachments(
    messages: Vec<Message>,
    mut attached: std::collections::HashMap<i64, Vec<Attachment>>,
) -> Vec<ChatMessage> {
    messages
        .into_iter()
        .map(|m| ChatMessage {
            attachments: attached.remove(&m.id).unwrap_or_default(),
            ..ChatMessage::from(m)
        })
        .collect()
}

/// Where one answer is written: the history, the registry of runs, the settings and the
/// keys it is sent with.
pub struct ChatSession<'a> {
    pub storage: &'a Arc<Storage>,
    pub runs: &'a Arc<Runs>,
    pub settings: Settings,
    pub keys: &'a Keys,
    /// MCP servers and approvals; `None` offers only Foxtail's own tools.
    pub mcp: Option<&'a Mcp>,
    /// The model lists, for an answer's prices; `None` leaves a cost to the gateway.
    pub catalog: Option<&'a Arc<Catalog>>,
}

/// An answer ready to stream: await it (the CLI) or spawn it (the app). It ends the
/// run and saves the answer whatever happens.
pub type Writing = std::pin::Pin<Box<dyn Future<Output = Option<Event>> + Send>>;

impl ChatSession<'_> {
    /// Adds `text` as a new user message (into a new conversation when
    /// `conversation_id` is none) and prepares the answer. With `replace_from`, that
    /// message and everything after it are replaced first: this is edit-and-resend.
    ///
    /// `attachments` are files added with [`crate::message_attachments::add`]; the
    /// message carries them, under the names given, and so does every later request.
    ///
    /// `start` is what a new conversation talks to (the picker's provider and model,
    /// an assistant); an existing one keeps what it has.
    pub fn send(
        &self,
        conversation_id: Option<i64>,
        text: &str,
        attachments: &[AttachmentUse],
        replace_from: Option<i64>,
        start: Option<&ChatStart>,
        send: impl FnMut(Update) + Send + 'static,
    ) -> Result<(Turn, Writing), AppError> {
        let text = text.trim();
        if text.is_empty() && attachments.is_empty() {
            return Err(AppError::EmptyMessage);
        }
        // A new conversation is checked before it exists, so a missing key leaves no
        // empty conversation behind.
        let start = start.cloned().unwrap_or_default();
        // The files must fit what the model reads at once, as its provider's list says
        // (the window warns with the same figure); without a list, an assumed size.
        let chat = match conversation_id {
            Some(id) => self.chat_settings(id)?,
            None => self.start_settings(&start),
        };
        let context = self
            .catalog
            .and_then(|catalog| catalog.listed(&chat.provider, &chat.base_url, &chat.model))
            .and_then(|model| model.context_length);
        message_attachments::check_use(self.storage, attachments, context)?;
        if conversation_id.is_none() {
            prepare(&self.start_settings(&start), self.keys)?;
        }
        let conversation_id = match conversation_id {
            Some(id) => id,
            None => {
                let title = match attachments.first() {
                    Some(first) if text.is_empty() => title_from(&first.name),
                    _ => title_from(text),
                };
                let id = self.storage.create_conversation(&title)?.id;
                let chat = self.start_settings(&start);
                self.storage
                    .set_conversation_model(id, &chat.provider, &chat.model)?;
                if let Some(assistant) = start.assistant.as_deref().filter(|a| !a.is_empty()) {
                    self.storage.set_conversation_assistant(id, assistant)?;
                }
                id
            }
        };
        let mut prepared = prepare(&self.chat_settings(conversation_id)?, self.keys)?;
        if let Some(from) = replace_from {
            self.storage.truncate_from(conversation_id, from)?;
        }
        prepared.mcp = self.mcp_plan(conversation_id);
        let user_message = self.storage.add_message(
            conversation_id,
            NewMessage {
                role: Role::User,
                content: text,
                status: MessageStatus::Complete,
                model: None,
            },
        )?;
        if !attachments.is_empty() {
            let items: Vec<(&str, &str)> = attachments
                .iter()
                .map(|a| (a.id.as_str(), a.name.as_str()))
                .collect();
            self.storage.attach(user_message.id, &items)?;
        }
        prepared.request.messages =
            wire_history(self.storage, &self.storage.messages(conversation_id)?)?;
        let answer = self.storage.add_message(
            conversation_id,
            NewMessage {
                role: Role::Assistant,
                content: "",
                status: MessageStatus::Streaming,
                model: Some(&prepared.model),
            },
        )?;
        let writing = self.writing(prepared, answer.id, None, send);
        Ok((
            Turn {
                conversation_id,
                user_message: Some(ChatMessage {
                    attachments: message_attachments::of_message(self.storage, user_message.id)?,
                    ..user_message.into()
                }),
                answer: answer.into(),
            },
            writing,
        ))
    }

    /// Writes the answer `answer_id` again from scratch.
    pub fn regenerate(
        &self,
        answer_id: i64,
        send: impl FnMut(Update) + Send + 'static,
    ) -> Result<(Turn, Writing), AppError> {
        self.rewrite(answer_id, false, send)
    }

    /// Goes on with the answer `answer_id` from where it was cut off.
    pub fn continue_answer(
        &self,
        answer_id: i64,
        send: impl FnMut(Update) + Send + 'static,
    ) -> Result<(Turn, Writing), AppError> {
        self.rewrite(answer_id, true, send)
    }

    fn rewrite(
        &self,
        answer_id: i64,
        keep_text: bool,
        send: impl FnMut(Update) + Send + 'static,
    ) -> Result<(Turn, Writing), AppError> {
        // Two writers would interleave their text in one answer.
        if self.runs.is_running(Run::Answer(answer_id)) {
            return Err(AppError::Busy);
        }
        let old = self.storage.message(answer_id)?;
        let mut prepared = prepare(&self.chat_settings(old.conversation_id)?, self.keys)?;
        let history = self.storage.messages(old.conversation_id)?;
        let before: Vec<Message> = history.into_iter().filter(|m| m.id < answer_id).collect();
        prepared.request.messages = wire_history(self.storage, &before)?;
        prepared.mcp = self.mcp_plan(old.conversation_id);
        let continue_from = keep_text.then(|| old.content.clone());
        self.storage.update_message(
            answer_id,
            if keep_text { &old.content } else { "" },
            if keep_text { &old.reasoning } else { "" },
            MessageStatus::Streaming,
            None,
        )?;
        if !keep_text {
            self.storage.update_extras(answer_id, "")?;
        }
        let answer = self.storage.message(answer_id)?;
        let writing = self.writing(prepared, answer_id, continue_from, send);
        Ok((
            Turn {
                conversation_id: old.conversation_id,
                user_message: None,
                answer: answer.into(),
            },
            writing,
        ))
    }

    /// The settings a new conversation starts with: the picker's choice, or else the
    /// assistant's model, or else the defaults.
    fn start_settings(&self, start: &ChatStart) -> Settings {
        let assistant = start
            .assistant
            .as_deref()
            .and_then(|id| crate::assistants::find(&self.settings, id));
        let (provider, model) = match (&start.provider, &assistant) {
            (Some(provider), _) => (Some(provider.as_str()), start.model.as_deref()),
            (None, Some(found)) => match &found.model {
                Some(m) => (Some(m.provider.as_str()), Some(m.model.as_str())),
                None => (None, None),
            },
            (None, None) => (None, None),
        };
        self.settings
            .for_chat(provider, model, start.assistant.as_deref())
    }

    fn chat_settings(&self, conversation_id: i64) -> Result<Settings, AppError> {
        chat_settings(self.storage, &self.settings, conversation_id)
    }

    fn mcp_plan(&self, conversation_id: i64) -> Option<McpPlan> {
        self.mcp?
            .plan(&self.settings, self.keys.keychain(), Some(conversation_id))
    }

    /// Registers the answer as running at once (so Stop and Busy see it before the
    /// first byte) and returns the work that writes it.
    fn writing(
        &self,
        prepared: Prepared,
        answer_id: i64,
        continue_from: Option<String>,
        send: impl FnMut(Update) + Send + 'static,
    ) -> Writing {
        let cancel = self.runs.start(Run::Answer(answer_id));
        let storage = self.storage.clone();
        let catalog = self.catalog.cloned();
        let runs = self.runs.clone();
        // The end reaches the window only after the last save; the run is over by then,
        // so a Regenerate clicked the moment the end shows is never refused as busy.
        let ending = self.runs.clone();
        let mut send = send;
        let send = move |update: Update| {
            if matches!(&update, Update::Events { events } if events.iter().any(Event::is_end)) {
                ending.end(Run::Answer(answer_id));
            }
            send(update)
        };
        Box::pin(async move {
            let end = write_answer(
                prepared,
                &storage,
                answer_id,
                continue_from,
                cancel,
                catalog,
                send,
            )
            .await;
            runs.end(Run::Answer(answer_id));
            end
        })
    }
}

/// The settings the conversation's answers are written with: its own provider, model
/// and assistant over `settings`.
pub fn chat_settings(
    storage: &Storage,
    settings: &Settings,
    conversation_id: i64,
) -> Result<Settings, AppError> {
    let conversation = storage.conversation(conversation_id)?;
    Ok(settings.for_chat(
        conversation.provider.as_deref(),
        conversation.model.as_deref(),
        conversation.assistant.as_deref(),
    ))
}

/// Stops an answer at once; its text so far is kept. Returns whether it was running.
pub fn stop_answer(runs: &Runs, answer_id: i64) -> bool {
    runs.stop(Run::Answer(answer_id))
}

/// Deletes a conversation, first stopping any answer still being written into it: it
/// would go on costing tokens for nothing, and its saves would fail.
pub fn delete_conversation(
    storage: &Storage,
    runs: &Runs,
    conversation_id: i64,
) -> Result<(), AppError> {
    for message in storage.messages(conversation_id)? {
        runs.stop(Run::Answer(message.id));
    }
    Ok(storage.delete_conversation(conversation_id)?)
}

/// The conversation so far as the model should see it: finished and cut-off text,
/// with the person's attachments, and without empty answers (errors) that would
/// confuse it.
pub fn wire_history(storage: &Storage, messages: &[Message]) -> Result<Vec<WireMessage>, AppError> {
    let attached = match messages.first() {
        Some(first) => storage.conversation_attachments(first.conversation_id)?,
        None => Default::default(),
    };
    let mut wire = Vec::with_capacity(messages.len());
    for m in messages {
        let refs = attached.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        if m.content.trim().is_empty() && refs.is_empty() {
            continue;
        }
        wire.push(match m.role {
            Role::User if !refs.is_empty() => WireMessage {
                role: foxtail_engine::Role::User,
                content: message_attachments::stored_parts(storage, refs, &m.content)?,
            },
            Role::User => WireMessage::user(m.content.clone()),
            Role::Assistant => WireMessage::assistant(m.content.clone()),
        });
    }
    Ok(wire)
}

/// A conversation's title from its first message: the first line, cut at a word.
pub fn title_from(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    if line.chars().count() <= 48 {
        return line.to_string();
    }
    let cut: String = line.chars().take(48).collect();
    match cut.rfind(' ') {
        Some(space) if space > 16 => format!("{}…", &cut[..space]),
        _ => format!("{cut}…"),
    }
}

/// Streams one answer into the message `answer_id`, sending updates to the window and
/// saving as it goes. `continue_from` is the text an earlier, cut-off attempt left.
pub async fn write_answer(
    prepared: Prepared,
    storage: &Storage,
    answer_id: i64,
    continue_from: Option<String>,
    cancel: CancellationToken,
    catalog: Option<Arc<Catalog>>,
    send: impl FnMut(Update),
) -> Option<Event> {
    let Prepared {
        client,
        mut request,
        tools,
        mcp,
        provider,
        ..
    } = prepared;
    // Starting a server may take a while (npx may download it first): Stop works
    // meanwhile, and the answer then ends as stopped.
    let (tools, notices) = match mcp {
        Some(plan) => tokio::select! {
            added = plan.add_to(tools) => added,
            _ = cancel.cancelled() => (Registry::new(), Vec::new()),
        },
        None => (tools, Vec::new()),
    };
    let continuing = continue_from.is_some();
    // The engine asks the model to go on from the cut-off text and drops whatever the
    // model repeats of it, so the sink sees only new text.
    if let Some(partial) = continue_from.filter(|p| !p.is_empty()) {
        request = request.continuing_from(partial);
    }
    let mut sink = AnswerSink::new(storage, answer_id, continuing, send);
    for notice in notices {
        sink.notice(notice);
    }
    let _ = client
        .converse(
            &mut request,
            &tools,
            DEFAULT_MAX_TOOL_STEPS,
            &cancel,
            &mut sink,
        )
        .await;
    // Prices are looked up only when the gateway did not say what the answer cost; a
    // list already fetched costs nothing, and one that cannot be had leaves it unknown.
    if let Some(catalog) = catalog.filter(|_| sink.wants_prices()) {
        let listed = catalog.model(&provider, &client, &request).await;
        sink.set_pricing(listed.and_then(|model| model.pricing));
    }
    sink.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use foxtail_engine::{ChatRequest, Client, Options, Protocol, Registry};
    use serde_json::{json, Value};

    #[tokio::test]
    async fn continuing_a_cut_answer_neither_repeats_nor_loses_text() {
        use foxtail_mock_gateway::{answer_text, script, MockGateway};
        // An OpenAI-protocol model is asked to continue and often starts over; the
        // mock starts over from the very beginning.
        {
            let protocol = Protocol::Openai;
            let gateway = MockGateway::start_script(script("ok").unwrap())
                .await
                .unwrap();
            let (storage, answer_id) =
                crate::answer_sink::tests::one_answer("Hello from the", MessageStatus::Interrupted);
            let mut request = ChatRequest::new(protocol, "Say hello");
            request.base_url = gateway.url();
            let client = Client::new("sk-test".to_string().into(), Options::default()).unwrap();
            let prepared = Prepared {
                client,
                tools: Registry::new(),
                request,
                model: "mock/alpha".into(),
                provider: "ollama".into(),
                mcp: None,
            };
            let mut updates = Vec::new();
            let end = write_answer(
                prepared,
                &storage,
                answer_id,
                Some("Hello from the".into()),
                CancellationToken::new(),
                None,
                |u| updates.push(u),
            )
            .await;
            assert!(matches!(end, Some(Event::Finish { .. })), "{end:?}");
            // The mock starts over from the beginning; the repeat is cut at the joint.
            let saved = storage.message(answer_id).unwrap();
            assert_eq!(saved.content, answer_text(), "{protocol:?}");
            assert_eq!(saved.status, MessageStatus::Complete);
            let shown: String = updates
                .iter()
                .flat_map(|u| match u {
                    Update::Events { events } => events.clone(),
                    _ => vec![],
                })
                .filter_map(|e| match e {
                    Event::Text { text } => Some(text),
                    _ => None,
                })
                .collect();
            assert_eq!(format!("Hello from the{shown}"), answer_text());
            // The request carried the partial answer for the model to go on from.
            assert!(gateway.requests()[0]
                .json()
                .to_string()
                .contains("Hello from the"));
        }
    }

    #[tokio::test]
    async fn an_answer_that_uses_a_tool_is_saved_with_its_card() {
        use foxtail_mock_gateway::{script, MockGateway};
        for protocol in [Protocol::Openai, Protocol::Anthropic] {
            let gateway = MockGateway::start_script(script("tools:calculator").unwrap())
                .await
                .unwrap();
            let (storage, answer_id) =
                crate::answer_sink::tests::one_answer("", MessageStatus::Streaming);
            let mut request = ChatRequest::new(protocol, "What is 12 times 7?");
            request.base_url = gateway.url();
            let prepared = Prepared {
                client: Client::new("sk-test".to_string().into(), Options::default()).unwrap(),
                tools: crate::profile::enabled_tools(&Settings::default()),
                request,
                model: "mock/alpha".into(),
                provider: "ollama".into(),
                mcp: None,
            };
            let mut ends = 0;
            let mut shown_cards = None;
            write_answer(
                prepared,
                &storage,
                answer_id,
                None,
                CancellationToken::new(),
                None,
                |u| match u {
                    Update::Events { events } => {
                        ends += events.iter().filter(|e| e.is_end()).count();
                    }
                    Update::Extras { extras } => shown_cards = Some(extras),
                    Update::SaveFailed { .. } | Update::Pending { .. } => {}
                },
            )
            .await;
            assert_eq!(ends, 1, "one end for the whole answer");
            // The window was shown the very cards that were saved.
            let saved_cards = AnswerExtras::from_json(&storage.message(answer_id).unwrap().extras);
            assert_eq!(shown_cards, Some(saved_cards));
            let saved = storage.message(answer_id).unwrap();
            assert_eq!(saved.content, "Let me work that out.\n\nThe answer is 84.");
            assert_eq!(saved.status, MessageStatus::Complete);
            let extras: Value = serde_json::from_str(&saved.extras).unwrap();
            assert_eq!(extras["tools"][0]["name"], "calculator");
            assert_eq!(extras["tools"][0]["result"], "84");
            assert_eq!(
                extras["tools"][0]["at"],
                "Let me work that out.".len(),
                "the card goes between the two paragraphs"
            );
            assert_eq!(
                gateway.requests().len(),
                2,
                "the result went back to the model"
            );
        }
    }

    #[test]
    fn titles_come_from_the_first_line_cut_at_a_word() {
        assert_eq!(title_from("\n  Plan a trip  \nwith details"), "Plan a trip");
        let long = "Write a polite email declining Friday's meeting because of a clash";
        assert_eq!(
            title_from(long),
            "Write a polite email declining Friday's meeting…"
        );
        let korean =
            "금요일 회의를 정중하게 거절하는 이메일을 써 주세요. 일정이 겹쳐서 참석하기 어렵다는 점을 꼭 함께 말해 주세요";
        assert!(title_from(korean).ends_with('…'));
        assert!(title_from(korean).chars().count() <= 49);
    }

    /// What a session borrows, owned by the test.
    struct Parts {
        storage: Arc<Storage>,
        runs: Arc<Runs>,
        keys: Keys,
        settings: Settings,
    }

    impl Parts {
        fn session(&self) -> ChatSession<'_> {
            ChatSession {
                storage: &self.storage,
                runs: &self.runs,
                settings: self.settings.clone(),
                keys: &self.keys,
                mcp: None,
                catalog: None,
            }
        }
    }

    fn session_against(url: &str) -> Parts {
        let storage = Arc::new(Storage::open_in_memory().unwrap());
        let runs = Arc::new(Runs::default());
        let service = format!("foxtail-core-test-{}", std::process::id());
        let keys = Keys::new(foxtail_keychain::Keychain::new(&service));
        // A local server needs no key, so no keychain entry is involved.
        let settings = Settings::default()
            .with(
                json!({"provider": "ollama", "base_url": url, "model": "mock/alpha"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        Parts {
            storage,
            runs,
            keys,
            settings,
        }
    }

    #[tokio::test]
    async fn a_sent_message_starts_a_titled_conversation_and_its_answer_is_saved() {
        use foxtail_mock_gateway::{answer_text, script, MockGateway};
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let parts = session_against(&gateway.url());
        let (storage, runs) = (&parts.storage, &parts.runs);
        let session = parts.session();
        // When the end reaches the window, a Regenerate must not find the answer busy.
        let watching = runs.clone();
        let busy_at_end = Arc::new(std::sync::Mutex::new(None));
        let seen = busy_at_end.clone();
        let (turn, writing) = session
            .send(
                None,
                "  Plan a trip\nto Jeju ",
                &[],
                None,
                None,
                move |update| {
                    if let Update::Events { events } = &update {
                        if events.iter().any(Event::is_end) {
                            // A fresh history numbers the question 1 and the answer 2.
                            let running = watching.is_running(Run::Answer(2));
                            *seen.lock().unwrap() = Some(running);
                        }
                    }
                },
            )
            .unwrap();
        assert_eq!(turn.answer.id, 2);
        assert!(
            runs.is_running(Run::Answer(turn.answer.id)),
            "running before the first byte"
        );
        assert_eq!(
            turn.user_message.as_ref().unwrap().content,
            "Plan a trip\nto Jeju"
        );
        assert_eq!(
            storage.list_conversations().unwrap()[0].title,
            "Plan a trip"
        );
        let end = writing.await;
        assert!(matches!(end, Some(Event::Finish { .. })), "{end:?}");
        assert!(!runs.is_running(Run::Answer(turn.answer.id)));
        assert_eq!(
            *busy_at_end.lock().unwrap(),
            Some(false),
            "not busy when the end shows"
        );
        let saved = storage.message(turn.answer.id).unwrap();
        assert_eq!(saved.content, answer_text());
        assert_eq!(saved.model.as_deref(), Some("mock/alpha"));
        let sent = gateway.requests()[0].json();
        assert_eq!(sent["messages"].as_array().unwrap().len(), 1);
    }

    /// A small PNG photo, made here.
    fn png() -> Vec<u8> {
        let picture =
            image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        picture
            .write_to(&mut bytes, image::ImageFormat::Png)
            .unwrap();
        bytes.into_inner()
    }

    #[tokio::test]
    async fn attachments_travel_with_their_message_in_each_protocols_shape_and_stay_for_regenerate_and_edit(
    ) {
        use foxtail_mock_gateway::{script, MockGateway};
        let pdf = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/attachments/two-pages.pdf"
        ))
        .unwrap();
        for protocol in ["openai", "anthropic"] {
            let gateway = MockGateway::start_script(script("ok").unwrap())
                .await
                .unwrap();
            let mut parts = session_against(&gateway.url());
            parts.settings = parts
                .settings
                .with(json!({"protocol": protocol}).as_object().unwrap().clone())
                .unwrap();
            let storage = parts.storage.clone();
            let session = parts.session();
            let photo = message_attachments::add(&storage, "photo.png", &png()).unwrap();
            let report = message_attachments::add(&storage, "report.pdf", &pdf).unwrap();
            assert_eq!(report.pages, Some(2));
            let uses = [
                AttachmentUse {
                    id: report.id.clone(),
                    name: "report.pdf".into(),
                },
                AttachmentUse {
                    id: photo.id.clone(),
                    name: "photo.png".into(),
                },
            ];
            let (turn, writing) = session
                .send(None, "What do these say?", &uses, None, None, |_| {})
                .unwrap();
            let shown = &turn.user_message.as_ref().unwrap().attachments;
            assert_eq!(
                shown.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
                ["report.pdf", "photo.png"]
            );
            writing.await;
            let check = |body: &Value| {
                let content = &body["messages"][0]["content"];
                let blocks = content.as_array().expect("parts, since there is a picture");
                let (image, text) = (&blocks[0], &blocks[1]);
                if protocol == "openai" {
                    assert_eq!(image["type"], "image_url");
                    let url = image["image_url"]["url"].as_str().unwrap();
                    // A photo without transparency is sent as JPEG.
                    assert!(url.starts_with("data:image/jpeg;base64,"), "{url}");
                } else {
                    assert_eq!(image["type"], "image");
                    assert_eq!(image["source"]["type"], "base64");
                    assert_eq!(image["source"]["media_type"], "image/jpeg");
                }
                let text = text["text"].as_str().unwrap();
                assert!(
                    text.starts_with("The person attached the file report.pdf (2 pages). Its whole text:\n<document name=\"report.pdf\">\n"),
                    "{text}"
                );
                assert!(
                    text.ends_with("</document>\n\nWhat do these say?"),
                    "{text}"
                );
            };
            check(&gateway.requests()[0].json());
            // Regenerate sends the same message again, attachments and all.
            let (_, writing) = session.regenerate(turn.answer.id, |_| {}).unwrap();
            writing.await;
            check(&gateway.requests()[1].json());
            // Edit-and-resend passes them again with the new words.
            let user_id = turn.user_message.as_ref().unwrap().id;
            let (edited, writing) = session
                .send(
                    Some(turn.conversation_id),
                    "What do these say?",
                    &uses,
                    Some(user_id),
                    None,
                    |_| {},
                )
                .unwrap();
            writing.await;
            check(&gateway.requests()[2].json());
            // A later message's request still carries them, in the history.
            let (_, writing) = session
                .send(
                    Some(turn.conversation_id),
                    "And now?",
                    &[],
                    None,
                    None,
                    |_| {},
                )
                .unwrap();
            writing.await;
            let later = gateway.requests()[3].json();
            check(&later);
            let last = later["messages"]
                .as_array()
                .unwrap()
                .last()
                .unwrap()
                .clone();
            assert_eq!(last["content"], "And now?");
            // They come back with the conversation, as after a restart.
            let again = page(&storage, edited.conversation_id, PageAt::Latest)
                .unwrap()
                .messages;
            assert_eq!(again[0].attachments.len(), 2);
            assert_eq!(
                again[0].attachments[1].kind,
                foxtail_storage::AttachmentKind::Image
            );
        }
    }

    #[test]
    fn too_many_attachments_or_too_much_text_is_refused_before_anything_is_saved() {
        let parts = session_against("http://127.0.0.1:9");
        let storage = parts.storage.clone();
        let session = parts.session();
        let note = message_attachments::add(&storage, "note.txt", b"hello").unwrap();
        let eleven: Vec<AttachmentUse> = (0..11)
            .map(|_| AttachmentUse {
                id: note.id.clone(),
                name: "note.txt".into(),
            })
            .collect();
        let err = session
            .send(None, "Hi", &eleven, None, None, |_| {})
            .err()
            .unwrap();
        assert_eq!(err.kind(), crate::ErrorKind::AttachmentTooLarge);
        assert!(err.to_string().contains("up to 10 files"), "{err}");
        let long = "word ".repeat(120_000);
        let big = message_attachments::add(&storage, "big.txt", long.as_bytes()).unwrap();
        let two = [
            AttachmentUse {
                id: big.id.clone(),
                name: "a.txt".into(),
            },
            AttachmentUse {
                id: big.id.clone(),
                name: "b.txt".into(),
            },
        ];
        let err = session
            .send(None, "Hi", &two, None, None, |_| {})
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("more than a model reads at once"),
            "{err}"
        );
        assert!(storage.list_conversations().unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_empty_message_or_a_running_answer_is_refused_before_anything_is_sent() {
        use foxtail_mock_gateway::{script, MockGateway};
        let gateway = MockGateway::start_script(script("stall").unwrap())
            .await
            .unwrap();
        let parts = session_against(&gateway.url());
        let (storage, runs) = (&parts.storage, &parts.runs);
        let session = parts.session();
        assert!(matches!(
            session.send(None, " \n ", &[], None, None, |_| {}),
            Err(AppError::EmptyMessage)
        ));
        assert!(storage.list_conversations().unwrap().is_empty());
        let (turn, writing) = session.send(None, "Hi", &[], None, None, |_| {}).unwrap();
        let writing = tokio::spawn(writing);
        let busy = session.regenerate(turn.answer.id, |_| {});
        assert!(matches!(busy, Err(AppError::Busy)));
        assert!(stop_answer(runs, turn.answer.id));
        let end = writing.await.unwrap();
        assert!(
            matches!(end, Some(Event::Error(ref e)) if e.kind() == "cancelled"),
            "{end:?}"
        );
        assert_eq!(
            storage.message(turn.answer.id).unwrap().status,
            MessageStatus::Cancelled
        );
        assert!(
            gateway.requests().len() <= 1,
            "the refused regenerate sent nothing"
        );
    }

    #[tokio::test]
    async fn regenerate_replaces_the_answer_and_sends_only_what_came_before() {
        use foxtail_mock_gateway::{answer_text, script, MockGateway};
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let parts = session_against(&gateway.url());
        let storage = &parts.storage;
        let session = parts.session();
        let (turn, writing) = session.send(None, "Hi", &[], None, None, |_| {}).unwrap();
        writing.await;
        let (again, writing) = session.regenerate(turn.answer.id, |_| {}).unwrap();
        assert_eq!(again.answer.content, "", "starts empty");
        assert_eq!(again.answer.status, MessageStatus::Streaming);
        writing.await;
        assert_eq!(
            storage.message(turn.answer.id).unwrap().content,
            answer_text()
        );
        let second = gateway.requests()[1].json();
        assert_eq!(
            second["messages"].as_array().unwrap().len(),
            1,
            "the old answer is not sent"
        );
    }

    #[test]
    fn without_a_key_a_provider_that_needs_one_is_refused() {
        let storage = Arc::new(Storage::open_in_memory().unwrap());
        let runs = Arc::new(Runs::default());
        let keys = Keys::new(foxtail_keychain::Keychain::new(format!(
            "foxtail-core-test-nokey-{}",
            std::process::id()
        )));
        let session = ChatSession {
            storage: &storage,
            runs: &runs,
            settings: Settings::default(),
            keys: &keys,
            mcp: None,
            catalog: None,
        };
        assert!(matches!(
            session.send(None, "Hi", &[], None, None, |_| {}),
            Err(AppError::NoKey)
        ));
    }
}
