//! The window's MCP commands: Settings → Tools (add, change, remove and test servers)
//! and the answers on tool cards. The work is in `foxtail_core::mcp`.

use std::sync::Arc;

use foxtail_core::keys::Keys;
use foxtail_core::mcp::{
    self, Approvals, Decision, ImportedServer, Mcp, McpServer, McpToolInfo, Secrets,
    WellKnownServer, WindowAsker,
};
use foxtail_core::settings::{Settings, SettingsFile};
use foxtail_core::{AppError, ErrorKind};
use serde_json::{json, Map};
use tauri::{AppHandle, Manager, Runtime};

/// The app's MCP state: the servers started, and the calls waiting for the person.
pub fn manage<R: Runtime>(app: &AppHandle<R>) {
    let window = Arc::new(WindowAsker::default());
    let handle = app.clone();
    let approvals = Approvals::new(window.clone(), move |rules| {
        // "Always allow" becomes the tool's rule in the settings.
        let mut changes = Map::new();
        changes.insert("tool_rules".into(), json!(rules));
        if let Err(err) = handle.state::<SettingsFile>().save(changes) {
            eprintln!("foxtail: the tool rule could not be saved: {err}");
        }
    });
    app.manage(Mcp::new(approvals));
    app.manage(window);
}

/// Stops every server (when the app quits), so none is left running.
pub fn stop_all<R: Runtime>(app: &AppHandle<R>) {
    if let Some(mcp) = app.try_state::<Mcp>() {
        let live = mcp.live.clone();
        tauri::async_runtime::block_on(live.stop_all());
    }
}

/// A few servers a person can add with one click.
#[tauri::command]
pub fn mcp_well_known() -> Vec<WellKnownServer> {
    mcp::well_known()
}

/// Reads pasted `mcpServers` JSON (the format server READMEs show).
#[tauri::command]
pub fn mcp_import(text: String) -> Result<Vec<ImportedServer>, AppError> {
    mcp::parse_mcp_servers(&text).map_err(|message| AppError::Mcp {
        kind: ErrorKind::McpConfig,
        message,
    })
}

/// Saves a server; the values of its environment variables and headers go to the
/// keychain (a name left out keeps its saved value).
#[tauri::command]
pub fn mcp_save_server(
    server: McpServer,
    secrets: Secrets,
    settings: tauri::State<'_, SettingsFile>,
    keys: tauri::State<'_, Keys>,
) -> Result<Settings, AppError> {
    mcp::setup::save_server(&settings, keys.keychain(), server, &secrets)
}

#[tauri::command]
pub fn mcp_delete_server(
    id: String,
    settings: tauri::State<'_, SettingsFile>,
    keys: tauri::State<'_, Keys>,
) -> Result<Settings, AppError> {
    mcp::setup::delete_server(&settings, keys.keychain(), &id)
}

/// Starts the server, lists its tools and stops it; the error says why it failed.
#[tauri::command]
pub async fn mcp_test_server(
    server: McpServer,
    secrets: Secrets,
    keys: tauri::State<'_, Keys>,
) -> Result<Vec<McpToolInfo>, AppError> {
    mcp::setup::test_server(&server, &secrets, keys.keychain(), mcp::HANDSHAKE_TIMEOUT).await
}

/// The person's answer on a tool card; false when that call no longer waits.
#[tauri::command]
pub fn answer_tool_call(
    call_id: String,
    decision: Decision,
    window: tauri::State<'_, Arc<WindowAsker>>,
) -> bool {
    window.answer(&call_id, decision)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use foxtail_core::keys::Keys;
    use foxtail_mock_gateway::{script, MockGateway};
    use foxtail_storage::Storage;
    use serde_json::{json, Value};
    use tauri::Manager;

    use crate::chat::tests::{id, send, settled, window_against};
    use crate::test_window::TestWindow;

    fn server() -> Value {
        json!({
            "id": "test", "name": "Test", "enabled": true, "auto_read_only": false,
            "timeout_s": null,
            "transport": {
                "kind": "stdio",
                "command": foxtail_mcp_test_server::binary(),
                "args": ["stdio"],
                "env": ["FOXTAIL_TEST_SERVER_NOTE"],
            },
        })
    }

    /// Answers the call `call_id` once the answer asks about it.
    fn answer_when_asked(window: &TestWindow, call_id: &str, decision: &str) {
        for _ in 0..400 {
            let answered = window
                .call(
                    "answer_tool_call",
                    json!({"callId": call_id, "decision": decision}),
                )
                .unwrap();
            if answered == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("the call {call_id} was never asked about");
    }

    fn extras(storage: &Storage, answer: i64) -> Value {
        serde_json::from_str(&storage.message(answer).unwrap().extras).unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_server_is_saved_tested_and_its_calls_wait_for_the_window() {
        let gateway =
            MockGateway::start_script(script(r#"tools:call:lookup:{"key":"i"}"#).unwrap())
                .await
                .unwrap();
        let (window, storage, dir) = window_against(&gateway);

        // Pasted JSON is read by Rust; the secret goes to the keychain, not the file.
        let imported = window
            .call(
                "mcp_import",
                json!({"text": r#"{"mcpServers": {"Test": {"command": "x", "env": {"A": "1"}}}}"#}),
            )
            .unwrap();
        assert_eq!(imported[0]["server"]["id"], "test");
        assert_eq!(imported[0]["secrets"]["A"], "1");
        let refused = window
            .call("mcp_import", json!({"text": "{\"mcpServers\": 3}"}))
            .unwrap_err();
        assert_eq!(refused["kind"], "mcp_config");

        let secrets = json!({"FOXTAIL_TEST_SERVER_NOTE": "kept in the keychain"});
        let saved = window
            .call(
                "mcp_save_server",
                json!({"server": server(), "secrets": secrets}),
            )
            .unwrap();
        assert_eq!(saved["mcp_servers"][0]["id"], "test");
        let file = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
        assert!(!file.contains("kept in the keychain"), "{file}");
        let tools = window
            .call(
                "mcp_test_server",
                json!({"server": server(), "secrets": {}}),
            )
            .unwrap();
        let lookup = tools
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "lookup")
            .unwrap();
        assert_eq!(
            lookup["hints"],
            json!({"read_only": true, "destructive": false})
        );

        // Allowed once: the result is saved on the card and the answer uses it.
        let turn = send(&window, "Look it up").unwrap();
        answer_when_asked(&window, "call_ask_1", "once");
        let answer = settled(&window, &storage, id(&turn));
        assert!(
            answer
                .content
                .ends_with("The tool said: value of i is 42 (note: kept in the keychain)"),
            "{}",
            answer.content
        );
        let card = &extras(&storage, answer.id)["tools"][0];
        assert_eq!(card["source"], "Test");
        assert_eq!(
            card["result"],
            "value of i is 42 (note: kept in the keychain)"
        );
        assert!(card.get("stage").is_none(), "{card}");

        // Denied: the card keeps "declined" and the answer goes on.
        let turn = send(&window, "Look it up again").unwrap();
        answer_when_asked(&window, "call_ask_1", "deny");
        let answer = settled(&window, &storage, id(&turn));
        assert!(answer
            .content
            .contains("The tool said: The person declined"));
        let card = &extras(&storage, answer.id)["tools"][0];
        assert_eq!(card["stage"], json!({"stage": "declined"}));
        assert_eq!(card["is_error"], true);

        // Removing the server forgets its secret and its rules.
        let keys = window.app.state::<Keys>();
        let account = "mcp/test/env/FOXTAIL_TEST_SERVER_NOTE";
        assert!(keys.keychain().load(account).unwrap().is_some());
        let after = window
            .call("mcp_delete_server", json!({"id": "test"}))
            .unwrap();
        assert_eq!(after["mcp_servers"], json!([]));
        assert!(keys.keychain().load(account).unwrap().is_none());
        window
            .app
            .state::<foxtail_core::mcp::Mcp>()
            .live
            .stop_all()
            .await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_failed_test_says_why_through_the_window() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, _storage, _dir) = window_against(&gateway);
        let mut missing = server();
        missing["transport"]["command"] = json!("foxtail-no-such-server");
        let err = window
            .call("mcp_test_server", json!({"server": missing, "secrets": {}}))
            .unwrap_err();
        assert_eq!(err["kind"], "mcp_not_found");
        assert!(err["message"]
            .as_str()
            .unwrap()
            .contains("was not found in any of these folders"));
        let wells = window.call("mcp_well_known", json!({})).unwrap();
        assert!(wells.as_array().unwrap().len() >= 3);
    }
}
