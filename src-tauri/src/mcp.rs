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
