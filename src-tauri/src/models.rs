//! The window's commands for models, usage and cost: the picker's list, the choice of a
//! model, the totals in Settings, and a conversation summed up for a fresh start.

use std::sync::Arc;

use foxtail_core::catalog::{Catalog, ModelCatalog};
use foxtail_core::keys::Keys;
use foxtail_core::settings::{Settings, SettingsFile};
use foxtail_core::AppError;
use foxtail_engine::CancellationToken;
use foxtail_storage::{Storage, UsageTotals};
use tauri::State;

/// Every model of every provider set up; `refresh` fetches the lists again.
#[tauri::command]
pub async fn list_all_models(
    refresh: bool,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
    catalog: State<'_, Arc<Catalog>>,
) -> Result<ModelCatalog, AppError> {
    Ok(catalog.all(&settings.get(), &keys, refresh).await)
}

/// Picks a model in the chat header, for the conversation (if any) and new chats.
#[tauri::command]
pub fn choose_model(
    conversation_id: Option<i64>,
    provider: String,
    model: String,
    storage: State<'_, Arc<Storage>>,
    settings: State<'_, SettingsFile>,
) -> Result<Settings, AppError> {
    foxtail_core::providers::choose_model(&storage, &settings, conversation_id, &provider, &model)
}

/// Tokens and cost by day and by model.
#[tauri::command]
pub fn usage_totals(storage: State<'_, Arc<Storage>>) -> Result<UsageTotals, AppError> {
    Ok(storage.usage_totals()?)
}

/// The conversation summed up by its own model, to start a new chat from.
#[tauri::command]
pub async fn summarize_conversation(
    conversation_id: i64,
    storage: State<'_, Arc<Storage>>,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
) -> Result<String, AppError> {
    let chat =
        foxtail_core::conversation::chat_settings(&storage, &settings.get(), conversation_id)?;
    foxtail_core::conversation_summary::summarize(
        &storage,
        &chat,
        &keys,
        conversation_id,
        &CancellationToken::new(),
    )
    .await
}

#[cfg(test)]
mod tests {
    use foxtail_mock_gateway::{script, MockGateway};
    use serde_json::{json, Value};

    use crate::chat::tests::{id, send, settled, window_against, CHANNEL};

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    fn chat_requests(gateway: &MockGateway) -> Vec<Value> {
        gateway
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("/chat/completions"))
            .map(|r| r.json())
            .collect()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn an_answer_keeps_its_usage_and_cost_and_the_totals_add_up() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, storage, _dir) = window_against(&gateway);
        let turn = send(&window, "Hi").unwrap();
        let answer = settled(&window, &storage, id(&turn));
        let extras: Value = serde_json::from_str(&answer.extras).unwrap();
        let usage = &extras["usage"];
        assert_eq!(usage["input_tokens"], 2000, "{extras}");
        assert_eq!(usage["output_tokens"], 120);
        assert_eq!(usage["cost_source"], "prices");
        // Hand-computed in the CLI's tests: 208 × $3 + 1,536 × $0.30 + 256 × $3.75 +
        // 120 × $15, per million.
        assert!(close(usage["cost"].as_f64().unwrap(), 0.0038448));
        assert_eq!(answer.model.as_deref(), Some("mock/alpha"));

        // The conversation remembers what it talks to.
        let listed = window.call("list_conversations", json!({})).unwrap();
        assert_eq!(listed[0]["provider"], "ollama");
        assert_eq!(listed[0]["model"], "mock/alpha");

        // Another model for this conversation: the next answer is written by it.
        let conversation = turn["conversation_id"].as_i64().unwrap();
        let saved = window
            .call(
                "choose_model",
                json!({"conversationId": conversation, "provider": "ollama", "model": "mock/beta"}),
            )
            .unwrap();
        assert_eq!(saved["model"], "mock/beta");
        assert_eq!(
            saved["recent_models"][0],
            json!({"provider": "ollama", "model": "mock/beta"})
        );
        let second = window
            .call(
                "send_message",
                json!({"conversationId": conversation, "text": "Again", "replaceFrom": null, "start": null, "onUpdate": CHANNEL}),
            )
            .unwrap();
        let answer = settled(&window, &storage, id(&second));
        assert_eq!(answer.model.as_deref(), Some("mock/beta"));
        assert_eq!(
            chat_requests(&gateway).last().unwrap()["model"],
            "mock/beta"
        );

        let totals = window.call("usage_totals", json!({})).unwrap();
        assert_eq!(totals["by_day"][0]["answers"], 2, "{totals}");
        assert_eq!(totals["by_day"][0]["input_tokens"], 4000);
        assert_eq!(totals["by_day"][0]["uncosted"], 0);
        let models: Vec<&str> = totals["by_model"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["key"].as_str().unwrap())
            .collect();
        assert_eq!(models, ["mock/alpha", "mock/beta"], "the costlier first");

        // A provider that is not set up cannot be picked.
        let refused = window
            .call(
                "choose_model",
                json!({"conversationId": null, "provider": "openrouter", "model": "x"}),
            )
            .unwrap_err();
        assert_eq!(refused["kind"], "settings");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_new_chat_starts_with_the_pickers_model_and_an_assistants_instructions() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, storage, _dir) = window_against(&gateway);
        let turn = window
            .call(
                "send_message",
                json!({
                    "conversationId": null, "text": "안녕하세요", "replaceFrom": null,
                    "start": {"provider": "ollama", "model": "mock/beta", "assistant": "translator"},
                    "onUpdate": CHANNEL,
                }),
            )
            .unwrap();
        settled(&window, &storage, id(&turn));
        let request = chat_requests(&gateway).pop().unwrap();
        assert_eq!(request["model"], "mock/beta");
        assert_eq!(request["messages"][0]["role"], "system");
        assert!(
            request["messages"][0]["content"]
                .as_str()
                .unwrap()
                .contains("translator"),
            "{request}"
        );
        let listed = window.call("list_conversations", json!({})).unwrap();
        assert_eq!(listed[0]["assistant"], "translator");
        // The picker's choice was for this chat; the default is untouched.
        let settings = window.call("get_settings", json!({})).unwrap();
        assert_eq!(settings["model"], "mock/alpha");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_catalog_lists_every_provider_and_names_the_ones_that_failed() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, _storage, _dir) = window_against(&gateway);
        // OpenRouter set up too, without a key here, once the first-run setup is done.
        window
            .call("save_settings", json!({"changes": {"setup_done": true}}))
            .unwrap();
        let mut providers = window.call("get_settings", json!({})).unwrap()["providers"].clone();
        providers.as_array_mut().unwrap().push(
            json!({"id": "openrouter", "protocol": "openai", "base_url": "https://openrouter.ai/api/v1"}),
        );
        window
            .call(
                "save_settings",
                json!({"changes": {"providers": providers}}),
            )
            .unwrap();
        let catalog = window
            .call("list_all_models", json!({"refresh": false}))
            .unwrap();
        let ids: Vec<(&str, &str)> = catalog["models"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["provider"].as_str().unwrap(), m["id"].as_str().unwrap()))
            .collect();
        assert_eq!(ids, [("ollama", "mock/alpha"), ("ollama", "mock/beta")]);
        assert_eq!(catalog["models"][0]["pricing"]["completion"], 0.000015);
        assert_eq!(catalog["models"][0]["reasoning"], true);
        assert_eq!(
            catalog["problems"][0]["provider"], "openrouter",
            "{catalog}"
        );
        assert!(catalog["problems"][0]["error"]["message"].is_string());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn files_must_fit_the_context_the_models_list_gives() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, _storage, _dir) = window_against(&gateway);
        // About 40,000 tokens of text: within an assumed 128,000, over mock/beta's 32,000.
        let text = "word ".repeat(32_000).into_bytes();
        let added = window
            .call_raw(
                "add_attachment",
                text,
                &[(foxtail_core::contract::FILE_NAME_HEADER, "long.txt")],
            )
            .unwrap();
        let uses = json!([{"id": added["id"], "name": "long.txt"}]);
        let send = |model: &str| {
            window.call(
                "send_message",
                json!({
                    "conversationId": null, "text": "Summarize", "attachments": uses,
                    "replaceFrom": null,
                    "start": {"provider": "ollama", "model": model, "assistant": null},
                    "onUpdate": CHANNEL,
                }),
            )
        };
        // Before the list was fetched, the assumed size lets it through.
        assert!(send("mock/beta").is_ok());
        window
            .call("list_all_models", json!({"refresh": false}))
            .unwrap();
        let refused = send("mock/beta").unwrap_err();
        assert_eq!(refused["kind"], "attachment_too_large", "{refused}");
        assert!(
            refused["message"].as_str().unwrap().contains("32,000"),
            "{refused}"
        );
        // mock/alpha reads 128,000 at once.
        assert!(send("mock/alpha").is_ok());
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_conversation_is_summed_up_by_its_own_model() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, storage, _dir) = window_against(&gateway);
        let turn = send(&window, "Plan a trip to Jeju").unwrap();
        settled(&window, &storage, id(&turn));
        let summary = window
            .call(
                "summarize_conversation",
                json!({"conversationId": turn["conversation_id"]}),
            )
            .unwrap();
        assert!(!summary.as_str().unwrap().is_empty());
        let request = chat_requests(&gateway).pop().unwrap();
        let asked = request.to_string();
        assert!(asked.contains("Person: Plan a trip to Jeju"), "{asked}");
        assert!(asked.contains("summarize a conversation"), "{asked}");
        assert_eq!(request["model"], "mock/alpha");
    }
}
