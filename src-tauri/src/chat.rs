//! The window's chat commands: each hands the work to `foxtail_core::conversation` and
//! spawns the answer on Tauri's runtime, with the channel as its way to the window.

use std::sync::Arc;

use crate::outbox::Outboxes;
use foxtail_core::answer_sink::Update;
use foxtail_core::catalog::Catalog;
use foxtail_core::conversation::{self, ChatSession, Turn, Writing};
use foxtail_core::keys::Keys;
use foxtail_core::mcp::Mcp;
use foxtail_core::message_attachments::AttachmentUse;
use foxtail_core::profile::{self, ToolInfo};
use foxtail_core::providers::ChatStart;
use foxtail_core::runs::Runs;
use foxtail_core::settings::SettingsFile;
use foxtail_core::AppError;
use foxtail_storage::Storage;
use tauri::ipc::Channel;
use tauri::State;

fn session<'a>(
    storage: &'a State<'_, Arc<Storage>>,
    runs: &'a State<'_, Arc<Runs>>,
    settings: &State<'_, SettingsFile>,
    keys: &'a State<'_, Keys>,
    mcp: &'a State<'_, Mcp>,
    catalog: &'a State<'_, Arc<Catalog>>,
) -> ChatSession<'a> {
    ChatSession {
        storage: storage.inner(),
        runs: runs.inner(),
        settings: settings.get(),
        keys: keys.inner(),
        mcp: Some(mcp.inner()),
        catalog: Some(catalog.inner()),
    }
}

/// The answer goes on in the background; the window may go away, the answer is still
/// saved.
fn spawn((turn, writing): (Turn, Writing)) -> Turn {
    tauri::async_runtime::spawn(writing);
    turn
}

fn to_window(
    channel: Channel<Update>,
    outboxes: &State<'_, Arc<Outboxes>>,
) -> impl FnMut(Update) + Send + 'static {
    outboxes.sender(channel)
}

/// Sends `text` as a new user message and starts the answer; with `replace_from`, that
/// message and everything after it are replaced first (edit and resend).
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn send_message(
    conversation_id: Option<i64>,
    text: String,
    attachments: Option<Vec<AttachmentUse>>,
    replace_from: Option<i64>,
    start: Option<ChatStart>,
    on_update: Channel<Update>,
    storage: State<'_, Arc<Storage>>,
    runs: State<'_, Arc<Runs>>,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
    mcp: State<'_, Mcp>,
    catalog: State<'_, Arc<Catalog>>,
    outboxes: State<'_, Arc<Outboxes>>,
) -> Result<Turn, AppError> {
    let session = session(&storage, &runs, &settings, &keys, &mcp, &catalog);
    Ok(spawn(session.send(
        conversation_id,
        &text,
        &attachments.unwrap_or_default(),
        replace_from,
        start.as_ref(),
        to_window(on_update, &outboxes),
    )?))
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn regenerate_answer(
    answer_id: i64,
    on_update: Channel<Update>,
    storage: State<'_, Arc<Storage>>,
    runs: State<'_, Arc<Runs>>,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
    mcp: State<'_, Mcp>,
    catalog: State<'_, Arc<Catalog>>,
    outboxes: State<'_, Arc<Outboxes>>,
) -> Result<Turn, AppError> {
    let session = session(&storage, &runs, &settings, &keys, &mcp, &catalog);
    Ok(spawn(
        session.regenerate(answer_id, to_window(on_update, &outboxes))?,
    ))
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn continue_answer(
    answer_id: i64,
    on_update: Channel<Update>,
    storage: State<'_, Arc<Storage>>,
    runs: State<'_, Arc<Runs>>,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
    mcp: State<'_, Mcp>,
    catalog: State<'_, Arc<Catalog>>,
    outboxes: State<'_, Arc<Outboxes>>,
) -> Result<Turn, AppError> {
    let session = session(&storage, &runs, &settings, &keys, &mcp, &catalog);
    Ok(spawn(session.continue_answer(
        answer_id,
        to_window(on_update, &outboxes),
    )?))
}

/// Stops an answer at once; its text so far is kept. Returns whether it was running.
#[tauri::command]
pub fn stop_answer(answer_id: i64, runs: State<'_, Arc<Runs>>) -> bool {
    conversation::stop_answer(&runs, answer_id)
}

#[tauri::command]
pub fn list_tools() -> Vec<ToolInfo> {
    profile::list_tools()
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use foxtail_core::keys::Keys;

    use foxtail_core::runs::Runs;
    use foxtail_core::settings::SettingsFile;
    use foxtail_keychain::Keychain;
    use foxtail_mock_gateway::{answer_text, script, MockGateway};
    use foxtail_storage::{MessageStatus, Storage};
    use serde_json::{json, Value};
    use tauri::Manager;

    use crate::test_window::TestWindow;

    /// A window whose app talks to `gateway` as a local server (no key needed), with an
    /// empty history in memory.
    pub(crate) fn window_against(
        gateway: &MockGateway,
    ) -> (TestWindow, Arc<Storage>, tempfile::TempDir) {
        let window = TestWindow::new();
        let dir = tempfile::tempdir().unwrap();
        let settings = SettingsFile::open(dir.path()).unwrap();
        settings
            .save(
                json!({"provider": "ollama", "base_url": gateway.url(), "model": "mock/alpha"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        window.app.manage(settings);
        window.app.manage(Keys::new(Keychain::new(format!(
            "foxtail-ipc-test-{}",
            std::process::id()
        ))));
        let storage = Arc::new(Storage::open_in_memory().unwrap());
        window.app.manage(storage.clone());
        window.app.manage(Arc::new(Runs::default()));
        window
            .app
            .manage(Arc::new(foxtail_core::catalog::Catalog::open(Some(
                dir.path(),
            ))));
        window
            .app
            .manage(Arc::new(crate::outbox::Outboxes::default()));
        crate::mcp::manage(window.app.handle());
        (window, storage, dir)
    }

    /// A channel argument as `invoke` sends it; the mock window drops what it carries,
    /// so tests read the outcome from the history.
    pub(crate) const CHANNEL: &str = "__CHANNEL__:1";

    /// Waits until the answer `id` is saved as ended and its run is over (the run ends
    /// just after the last save), and returns it.
    pub(crate) fn settled(
        window: &TestWindow,
        storage: &Storage,
        id: i64,
    ) -> foxtail_storage::Message {
        for _ in 0..400 {
            let message = storage.message(id).unwrap();
            if message.status != MessageStatus::Streaming && !runs_has(window, id) {
                return message;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the answer {id} never ended");
    }

    /// Sends `text` as a new conversation's first message, as the window does.
    pub(crate) fn send(window: &TestWindow, text: &str) -> Result<Value, Value> {
        window.call(
            "send_message",
            json!({"conversationId": null, "text": text, "replaceFrom": null, "onUpdate": CHANNEL}),
        )
    }

    /// Whether the app still counts the answer as running (without stopping it).
    fn runs_has(window: &TestWindow, answer_id: i64) -> bool {
        window
            .app
            .state::<Arc<Runs>>()
            .is_running(foxtail_core::runs::Run::Answer(answer_id))
    }

    pub(crate) fn id(turn: &Value) -> i64 {
        turn["answer"]["id"].as_i64().unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn send_message_starts_a_titled_conversation_and_the_answer_is_saved() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, storage, _dir) = window_against(&gateway);
        let text = "Write a polite email declining Friday's meeting because of a clash\nThanks";
        let turn = send(&window, text).unwrap();
        assert_eq!(turn["answer"]["status"], "streaming");
        assert_eq!(
            turn["answer"]["extras"],
            json!({"refusal": "", "tools": []}),
            "extras cross as an object"
        );
        assert_eq!(turn["user_message"]["error"], Value::Null);
        let answer = settled(&window, &storage, id(&turn));
        assert_eq!(answer.content, answer_text());
        assert_eq!(answer.status, MessageStatus::Complete);
        let listed = window.call("list_conversations", json!({})).unwrap();
        // Rust's title rule: the first line, cut at a word.
        assert_eq!(
            listed[0]["title"],
            "Write a polite email declining Friday's meeting…"
        );

        let empty = send(&window, "  ").unwrap_err();
        assert_eq!(empty["kind"], "empty_message");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn regenerate_is_busy_while_the_answer_runs_and_stop_ends_it() {
        let gateway = MockGateway::start_script(script("stall").unwrap())
            .await
            .unwrap();
        let (window, storage, _dir) = window_against(&gateway);
        let turn = send(&window, "Hi").unwrap();
        let answer_id = id(&turn);
        for command in ["regenerate_answer", "continue_answer"] {
            let busy = window
                .call(command, json!({"answerId": answer_id, "onUpdate": CHANNEL}))
                .unwrap_err();
            assert_eq!(busy["kind"], "busy", "{command}");
        }
        assert_eq!(
            window
                .call("stop_answer", json!({"answerId": answer_id}))
                .unwrap(),
            json!(true)
        );
        assert_eq!(
            settled(&window, &storage, answer_id).status,
            MessageStatus::Cancelled
        );
        assert_eq!(
            window
                .call("stop_answer", json!({"answerId": answer_id}))
                .unwrap(),
            json!(false),
            "nothing left to stop"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn regenerate_and_continue_rewrite_the_saved_answer() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, storage, _dir) = window_against(&gateway);
        let turn = send(&window, "Hi").unwrap();
        let answer_id = id(&turn);
        settled(&window, &storage, answer_id);

        let again = window
            .call(
                "regenerate_answer",
                json!({"answerId": answer_id, "onUpdate": CHANNEL}),
            )
            .unwrap();
        assert_eq!(
            again["answer"]["content"], "",
            "a regenerated answer starts empty"
        );
        assert_eq!(again["user_message"], Value::Null);
        assert_eq!(settled(&window, &storage, answer_id).content, answer_text());

        // Cut the answer short, as a dropped connection would, then continue it: the
        // mock starts over from the beginning, and the repeat is cut at the joint.
        let cut = &answer_text()[..14];
        storage
            .update_message(answer_id, cut, "", MessageStatus::Interrupted, None)
            .unwrap();
        let going_on = window
            .call(
                "continue_answer",
                json!({"answerId": answer_id, "onUpdate": CHANNEL}),
            )
            .unwrap();
        assert_eq!(
            going_on["answer"]["content"], cut,
            "a continued answer keeps its text"
        );
        let done = settled(&window, &storage, answer_id);
        assert_eq!(done.content, answer_text());
        assert_eq!(done.status, MessageStatus::Complete);
        // The model list was asked for once too, for the answers' prices.
        let chats: Vec<_> = gateway
            .requests()
            .into_iter()
            .filter(|r| !r.path.ends_with("/models"))
            .collect();
        assert_eq!(chats.len(), 3);
        assert!(chats[2].json().to_string().contains(cut));
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn drafting_actions_start_stop_and_refuse_through_the_window() {
        let gateway = MockGateway::start_script(script("stall").unwrap())
            .await
            .unwrap();
        let (window, _storage, _dir) = window_against(&gateway);
        let request = json!({
            "action": "shorter",
            "instruction": "",
            "before": "Intro.\n\n",
            "selection": "A long and winding sentence.",
            "after": "",
            "previous": null,
            "refinement": null,
        });
        let run = window
            .call(
                "draft_action",
                json!({"request": request, "onUpdate": CHANNEL}),
            )
            .unwrap();
        let run_id = run.as_i64().unwrap();
        assert!(run_id >= 1);
        for _ in 0..200 {
            if !gateway.requests().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        assert!(gateway.requests()[0].json().to_string().contains("winding"));
        assert_eq!(
            window.call("stop_draft", json!({"runId": run_id})).unwrap(),
            json!(true)
        );

        let mut nothing_selected = request.clone();
        nothing_selected["selection"] = json!("");
        let refused = window
            .call(
                "draft_action",
                json!({"request": nothing_selected, "onUpdate": CHANNEL}),
            )
            .unwrap_err();
        assert_eq!(refused["kind"], "draft");
        assert_eq!(gateway.requests().len(), 1, "a refused draft sends nothing");
    }

    #[test]
    fn settings_rules_hold_through_the_window() {
        let window = TestWindow::new();
        let dir = tempfile::tempdir().unwrap();
        window.app.manage(SettingsFile::open(dir.path()).unwrap());
        let defaults = window.call("get_settings", json!({})).unwrap();
        assert_eq!(defaults["language"], "system");
        assert_eq!(defaults["provider"], "ofox");
        for url in [
            "http://localhost.evil.com/v1",
            "http://gateway.example.com/v1",
            "ftp://x",
        ] {
            let err = window
                .call("save_settings", json!({"changes": {"base_url": url}}))
                .unwrap_err();
            assert_eq!(err["kind"], "settings", "{url}");
            assert!(
                err["message"].as_str().unwrap().starts_with("Base URL"),
                "{err}"
            );
        }
        let saved = window
            .call(
                "save_settings",
                json!({"changes": {"base_url": "http://127.0.0.1:8080/v1", "protocol": "anthropic"}}),
            )
            .unwrap();
        assert_eq!(saved["base_url"], "http://127.0.0.1:8080/v1");
        assert_eq!(saved["protocol"], "anthropic");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_window_cannot_send_a_stored_key_to_another_address() {
        let saved_for = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let elsewhere = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, _storage, _dir) = window_against(&saved_for);
        let key = "sk-test-fake-origin-8642";
        // A provider that needs a key, its key typed beside the first address.
        window
            .call(
                "save_settings",
                json!({"changes": {"provider": "custom", "base_url": saved_for.url()}}),
            )
            .unwrap();
        window
            .call(
                "save_key",
                json!({"provider": "custom", "key": key, "sessionOnly": true, "baseUrl": saved_for.url()}),
            )
            .unwrap();
        window.call("test_connection", json!({})).unwrap();
        assert_eq!(saved_for.requests().len(), 1);

        // The window points the saved settings, or a model list, elsewhere.
        window
            .call(
                "save_settings",
                json!({"changes": {"base_url": elsewhere.url()}}),
            )
            .unwrap();
        let refused = window.call("test_connection", json!({})).unwrap_err();
        assert_eq!(refused["kind"], "key_origin", "{refused}");
        assert!(refused["message"]
            .as_str()
            .unwrap()
            .contains("enter the key again"));
        let listed = window
            .call(
                "list_models",
                json!({"provider": null, "protocol": null, "baseUrl": elsewhere.url()}),
            )
            .unwrap_err();
        assert_eq!(listed["kind"], "key_origin");
        assert!(elsewhere.requests().is_empty(), "the key never went there");

        // Typing the key again beside the new address is the person's consent.
        window
            .call(
                "save_key",
                json!({"provider": "custom", "key": key, "sessionOnly": true, "baseUrl": elsewhere.url()}),
            )
            .unwrap();
        window.call("test_connection", json!({})).unwrap();
        assert_eq!(elsewhere.requests().len(), 1);
    }
}
