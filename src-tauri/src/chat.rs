use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Event, Message as WireMessage, Options, Protocol,
    Registry, DEFAULT_MAX_TOOL_STEPS,
};
use foxtail_storage::{Message, MessageStatus, NewMessage, Role, Storage};
use serde::Serialize;
use serde_json::Value;
use tauri::ipc::Channel;
use tauri::State;

use crate::answer_sink::{AnswerSink, Update};
use crate::keys::Keys;
use crate::providers;
use crate::settings::Settings;
use crate::AppError;

/// Answers being written now, by message id, so that Stop can reach them.
#[derive(Default)]
pub struct ActiveAnswers(Mutex<HashMap<i64, CancellationToken>>);

impl ActiveAnswers {
    pub fn start(&self, answer_id: i64) -> CancellationToken {
        let token = CancellationToken::new();
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(answer_id, token.clone());
        token
    }

    pub fn end(&self, answer_id: i64) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&answer_id);
    }

    pub fn is_running(&self, answer_id: i64) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(&answer_id)
    }

    pub fn stop(&self, answer_id: i64) -> bool {
        match self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&answer_id)
        {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

/// What a new turn created, so the window can show it before the first token.
#[derive(Debug, Serialize)]
pub struct Turn {
    pub conversation_id: i64,
    pub user_message: Option<Message>,
    pub answer: Message,
}

/// The settings that shape one request.
#[derive(Debug, Clone)]
pub struct Profile {
    pub provider: String,
    pub request: ChatRequest,
    pub options: Options,
}

fn text_setting(settings: &HashMap<String, Value>, key: &str) -> Option<String> {
    settings
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn number_setting(settings: &HashMap<String, Value>, key: &str) -> Option<f64> {
    settings.get(key).and_then(Value::as_f64)
}

impl Profile {
    /// Reads the profile from the saved settings; anything missing takes OfoxAI's default.
    pub fn from_settings(settings: &HashMap<String, Value>) -> Result<Self, AppError> {
        let protocol = match text_setting(settings, "protocol").as_deref() {
            Some("anthropic") => Protocol::Anthropic,
            _ => Protocol::Openai,
        };
        let base_url = text_setting(settings, "base_url")
            .unwrap_or_else(|| protocol.default_base_url().to_string());
        if let Some(problem) = providers::base_url_problem(&base_url) {
            return Err(AppError::Settings(problem));
        }
        let mut request = ChatRequest::new(protocol, "");
        request.messages.clear();
        request.base_url = base_url;
        request.model =
            text_setting(settings, "model").unwrap_or_else(|| protocol.default_model().to_string());
        request.system = text_setting(settings, "system_prompt");
        request.temperature = number_setting(settings, "temperature");
        if let Some(max) = number_setting(settings, "max_tokens").filter(|n| *n >= 1.0) {
            request.max_tokens = Some(max as u32);
        }
        let mut options = Options::default();
        // A hand-edited file may hold any number; one too large for a Duration is ignored
        // rather than allowed to panic.
        let positive_seconds = |key: &str| {
            number_setting(settings, key)
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .filter(|d| !d.is_zero())
        };
        if let Some(timeout) = positive_seconds("connect_timeout_s") {
            options.connect_timeout = timeout;
        }
        if let Some(timeout) = positive_seconds("idle_timeout_s") {
            options.idle_timeout = timeout;
        }
        Ok(Self {
            provider: text_setting(settings, "provider").unwrap_or_else(|| "ofox".into()),
            request,
            options,
        })
    }
}

/// The conversation so far as the model should see it: finished and cut-off text,
/// without empty answers (errors) that would confuse it.
fn wire_history(messages: &[Message]) -> Vec<WireMessage> {
    messages
        .iter()
        .filter(|m| !m.content.trim().is_empty())
        .map(|m| match m.role {
            Role::User => WireMessage::user(m.content.clone()),
            Role::Assistant => WireMessage::assistant(m.content.clone()),
        })
        .collect()
}

/// A conversation's title from its first message: the first line, cut at a word.
fn title_from(text: &str) -> String {
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
    send: impl FnMut(Update),
) -> Option<Event> {
    let Prepared {
        client,
        mut request,
        tools,
        ..
    } = prepared;
    let tools = &tools;
    let continuing = continue_from.is_some();
    let mut joint = None;
    if let Some(partial) = continue_from.as_deref().filter(|p| !p.is_empty()) {
        request = foxtail_engine::resume::request(&request, partial);
        joint = Some(foxtail_engine::resume::Joint::new(
            request.protocol,
            partial,
        ));
    }
    let mut sink = AnswerSink::new(storage, answer_id, continuing, send);
    match joint {
        // A continuation may repeat the end of what was there; the joint drops that.
        Some(joint) => {
            let mut joined = Joined {
                joint,
                inner: &mut sink,
            };
            let _ = client
                .converse(
                    &mut request,
                    tools,
                    DEFAULT_MAX_TOOL_STEPS,
                    &cancel,
                    &mut joined,
                )
                .await;
        }
        None => {
            let _ = client
                .converse(
                    &mut request,
                    tools,
                    DEFAULT_MAX_TOOL_STEPS,
                    &cancel,
                    &mut sink,
                )
                .await;
        }
    }
    sink.finish()
}

/// Passes a continuation's events on without the text that repeats the cut-off answer,
/// and, like every sink, flushes when the engine is about to wait.
struct Joined<'a, S: foxtail_engine::Sink> {
    joint: foxtail_engine::resume::Joint,
    inner: &'a mut S,
}

impl<S: foxtail_engine::Sink> foxtail_engine::Sink for Joined<'_, S> {
    fn event(&mut self, event: Event) {
        match event {
            Event::Text { text } => {
                if let Some(text) = self.joint.push(&text) {
                    self.inner.event(Event::Text { text });
                }
            }
            other => {
                if let Some(text) = self.joint.settle() {
                    self.inner.event(Event::Text { text });
                }
                self.inner.event(other);
            }
        }
    }

    fn idle(&mut self) {
        self.inner.idle();
    }
}

pub struct Prepared {
    pub client: Client,
    /// The tools the person left switched on.
    pub tools: Registry,
    /// The model settings and the address, without messages yet.
    pub request: ChatRequest,
    pub model: String,
}

/// The built-in tools, less those switched off in Settings.
pub fn enabled_tools(settings: &HashMap<String, Value>) -> Registry {
    let disabled: Vec<&str> = settings
        .get("disabled_tools")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut tools = Registry::builtin();
    tools.retain(|name| !disabled.contains(&name));
    tools
}

/// What the settings list offers: every built-in tool with what it does.
#[derive(Debug, Serialize)]
pub struct ToolInfo {
    pub name: String,
    pub description: String,
}

#[tauri::command]
pub fn list_tools() -> Vec<ToolInfo> {
    Registry::builtin()
        .specs()
        .into_iter()
        .map(|spec| ToolInfo {
            name: spec.name,
            description: spec.description,
        })
        .collect()
}

/// A client with the saved key and a request with the saved settings.
pub fn prepare(settings: &Settings, keys: &Keys) -> Result<Prepared, AppError> {
    prepare_with(settings, keys, |_| {})
}

/// [`prepare`], with the transport options changed by `adjust` first.
pub fn prepare_with(
    settings: &Settings,
    keys: &Keys,
    adjust: impl FnOnce(&mut Options),
) -> Result<Prepared, AppError> {
    prepare_from(&settings.all(), keys, adjust)
}

/// [`prepare_with`] from settings that may not be saved (yet): the settings screen asks
/// for the model list of an address before the person saves it.
pub fn prepare_from(
    all: &HashMap<String, Value>,
    keys: &Keys,
    adjust: impl FnOnce(&mut Options),
) -> Result<Prepared, AppError> {
    let mut profile = Profile::from_settings(all)?;
    let needs_key = providers::preset(&profile.provider).is_none_or(|p| p.needs_key);
    let key = match keys.load(&profile.provider)? {
        Some(key) => key,
        None if !needs_key => foxtail_engine::SecretString::from(String::new()),
        None => return Err(AppError::NoKey),
    };
    adjust(&mut profile.options);
    let client = Client::new(key, profile.options)?;
    let model = profile.request.model.clone();
    Ok(Prepared {
        client,
        tools: enabled_tools(all),
        request: profile.request,
        model,
    })
}

fn spawn_answer(
    storage: Arc<Storage>,
    active: Arc<ActiveAnswers>,
    prepared: Prepared,
    answer_id: i64,
    continue_from: Option<String>,
    channel: Channel<Update>,
) {
    let cancel = active.start(answer_id);
    tauri::async_runtime::spawn(async move {
        write_answer(
            prepared,
            &storage,
            answer_id,
            continue_from,
            cancel,
            |update| {
                // The window may have gone; the answer is still saved.
                let _ = channel.send(update);
            },
        )
        .await;
        active.end(answer_id);
    });
}

/// Sends `text` as a new user message (into a new conversation when `conversation_id`
/// is none) and starts the answer. With `replace_from`, that message and everything
/// after it are replaced first: this is edit-and-resend.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn send_message(
    conversation_id: Option<i64>,
    text: String,
    replace_from: Option<i64>,
    on_update: Channel<Update>,
    storage: State<'_, Arc<Storage>>,
    active: State<'_, Arc<ActiveAnswers>>,
    settings: State<'_, Settings>,
    keys: State<'_, Keys>,
) -> Result<Turn, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::EmptyMessage);
    }
    let mut prepared = prepare(&settings, &keys)?;
    let conversation_id = match conversation_id {
        Some(id) => id,
        None => storage.create_conversation(&title_from(text))?.id,
    };
    if let Some(from) = replace_from {
        storage.truncate_from(conversation_id, from)?;
    }
    let user_message = storage.add_message(
        conversation_id,
        NewMessage {
            role: Role::User,
            content: text,
            status: MessageStatus::Complete,
            model: None,
        },
    )?;
    prepared.request.messages = wire_history(&storage.messages(conversation_id)?);
    let answer = storage.add_message(
        conversation_id,
        NewMessage {
            role: Role::Assistant,
            content: "",
            status: MessageStatus::Streaming,
            model: Some(&prepared.model),
        },
    )?;
    spawn_answer(
        storage.inner().clone(),
        active.inner().clone(),
        prepared,
        answer.id,
        None,
        on_update,
    );
    Ok(Turn {
        conversation_id,
        user_message: Some(user_message),
        answer,
    })
}

/// Writes the answer `answer_id` again from scratch (`regenerate`) or goes on from
/// where it was cut off (`continue_answer`).
fn rewrite_answer(
    answer_id: i64,
    keep_text: bool,
    on_update: Channel<Update>,
    storage: &Arc<Storage>,
    active: &Arc<ActiveAnswers>,
    settings: &Settings,
    keys: &Keys,
) -> Result<Turn, AppError> {
    // Commands run one at a time, so nothing can start the answer between this check
    // and the start below; two writers would interleave their text in one answer.
    if active.is_running(answer_id) {
        return Err(AppError::Busy);
    }
    let mut prepared = prepare(settings, keys)?;
    let old = storage.message(answer_id)?;
    let history = storage.messages(old.conversation_id)?;
    let before: Vec<Message> = history.into_iter().filter(|m| m.id < answer_id).collect();
    prepared.request.messages = wire_history(&before);
    let continue_from = keep_text.then(|| old.content.clone());
    storage.update_message(
        answer_id,
        if keep_text { &old.content } else { "" },
        if keep_text { &old.reasoning } else { "" },
        MessageStatus::Streaming,
        None,
    )?;
    if !keep_text {
        storage.update_extras(answer_id, "")?;
    }
    let answer = storage.message(answer_id)?;
    spawn_answer(
        storage.clone(),
        active.clone(),
        prepared,
        answer_id,
        continue_from,
        on_update,
    );
    Ok(Turn {
        conversation_id: old.conversation_id,
        user_message: None,
        answer,
    })
}

#[tauri::command]
pub fn regenerate_answer(
    answer_id: i64,
    on_update: Channel<Update>,
    storage: State<'_, Arc<Storage>>,
    active: State<'_, Arc<ActiveAnswers>>,
    settings: State<'_, Settings>,
    keys: State<'_, Keys>,
) -> Result<Turn, AppError> {
    rewrite_answer(
        answer_id, false, on_update, &storage, &active, &settings, &keys,
    )
}

#[tauri::command]
pub fn continue_answer(
    answer_id: i64,
    on_update: Channel<Update>,
    storage: State<'_, Arc<Storage>>,
    active: State<'_, Arc<ActiveAnswers>>,
    settings: State<'_, Settings>,
    keys: State<'_, Keys>,
) -> Result<Turn, AppError> {
    rewrite_answer(
        answer_id, true, on_update, &storage, &active, &settings, &keys,
    )
}

/// Stops an answer at once; its text so far is kept. Returns whether it was running.
#[tauri::command]
pub fn stop_answer(answer_id: i64, active: State<'_, Arc<ActiveAnswers>>) -> bool {
    active.stop(answer_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            };
            let mut updates = Vec::new();
            let end = write_answer(
                prepared,
                &storage,
                answer_id,
                Some("Hello from the".into()),
                CancellationToken::new(),
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
                    Update::SaveFailed { .. } => vec![],
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
                tools: enabled_tools(&HashMap::new()),
                request,
                model: "mock/alpha".into(),
            };
            let mut ends = 0;
            write_answer(
                prepared,
                &storage,
                answer_id,
                None,
                CancellationToken::new(),
                |u| {
                    if let Update::Events { events } = u {
                        ends += events.iter().filter(|e| e.is_end()).count();
                    }
                },
            )
            .await;
            assert_eq!(ends, 1, "one end for the whole answer");
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
    fn tools_switched_off_in_settings_are_not_offered() {
        let all = enabled_tools(&HashMap::new());
        assert_eq!(all.names(), vec!["current_time", "calculator"]);
        let settings = HashMap::from([("disabled_tools".to_string(), json!(["calculator"]))]);
        assert_eq!(enabled_tools(&settings).names(), vec!["current_time"]);
        assert_eq!(list_tools().len(), 2);
        assert!(list_tools().iter().all(|t| !t.description.is_empty()));
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

    #[test]
    fn the_profile_follows_the_settings_and_refuses_plain_http() {
        let settings: HashMap<String, Value> = HashMap::from([
            ("provider".into(), json!("ofox")),
            ("protocol".into(), json!("anthropic")),
            ("base_url".into(), json!("https://api.ofox.ai/anthropic")),
            ("model".into(), json!("anthropic/claude-sonnet-4.5")),
            ("system_prompt".into(), json!("  Be brief. ")),
            ("temperature".into(), json!(0.3)),
            ("max_tokens".into(), json!(512)),
            ("idle_timeout_s".into(), json!(30)),
        ]);
        let profile = Profile::from_settings(&settings).unwrap();
        assert_eq!(profile.request.protocol, Protocol::Anthropic);
        assert_eq!(profile.request.model, "anthropic/claude-sonnet-4.5");
        assert_eq!(profile.request.system.as_deref(), Some("Be brief."));
        assert_eq!(profile.request.temperature, Some(0.3));
        assert_eq!(profile.request.max_tokens, Some(512));
        assert_eq!(profile.options.idle_timeout, Duration::from_secs(30));
        assert!(profile.request.messages.is_empty());

        let mut huge = settings.clone();
        huge.insert("idle_timeout_s".into(), json!(1e300));
        let profile = Profile::from_settings(&huge).unwrap();
        assert_eq!(
            profile.options.idle_timeout,
            Options::default().idle_timeout
        );

        let mut insecure = settings.clone();
        insecure.insert("base_url".into(), json!("http://gateway.example.com/v1"));
        assert!(matches!(
            Profile::from_settings(&insecure),
            Err(AppError::Settings(_))
        ));
    }
}
