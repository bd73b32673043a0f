//! Adding, changing, removing and trying out servers, as Settings → Tools does.

use std::time::Duration;

use foxtail_keychain::Keychain;
use serde_json::{json, Map, Value};

use super::config::{McpServer, Secrets};
use super::connect::{connect, McpToolInfo};
use super::secrets;
use crate::settings::{Settings, SettingsFile};
use crate::{AppError, ErrorKind};

fn changes(settings: &Settings, servers: Vec<McpServer>) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("mcp_servers".into(), json!(servers));
    map.insert("tool_rules".into(), json!(settings.tool_rules));
    map
}

/// Saves `server` (a new one, or the one with its id) with its secrets in the
/// keychain, and returns the settings as saved.
pub fn save_server(
    file: &SettingsFile,
    keychain: &Keychain,
    server: McpServer,
    values: &Secrets,
) -> Result<Settings, AppError> {
    if let Some(problem) = server.problem() {
        return Err(AppError::Mcp {
            kind: ErrorKind::McpConfig,
            message: problem,
        });
    }
    let settings = file.get();
    let old = settings
        .mcp_servers
        .iter()
        .find(|s| s.id == server.id)
        .cloned();
    secrets::save(keychain, &server, values, old.as_ref())?;
    let mut servers = settings.mcp_servers.clone();
    match servers.iter_mut().find(|s| s.id == server.id) {
        Some(slot) => *slot = server,
        None => servers.push(server),
    }
    file.save(changes(&settings, servers))
}

/// Removes the server `id`, its secrets and its tools' rules.
pub fn delete_server(
    file: &SettingsFile,
    keychain: &Keychain,
    id: &str,
) -> Result<Settings, AppError> {
    let mut settings = file.get();
    if let Some(old) = settings.mcp_servers.iter().find(|s| s.id == id) {
        secrets::forget(keychain, old);
    }
    let servers: Vec<McpServer> = settings
        .mcp_servers
        .iter()
        .filter(|s| s.id != id)
        .cloned()
        .collect();
    let prefix = format!("{id}/");
    settings
        .tool_rules
        .retain(|key, _| !key.starts_with(&prefix));
    file.save(changes(&settings, servers))
}

/// Starts `server`, lists its tools and stops it. Values typed in `typed` are used
/// before the saved ones.
pub async fn test_server(
    server: &McpServer,
    typed: &Secrets,
    keychain: &Keychain,
    handshake: Duration,
) -> Result<Vec<McpToolInfo>, AppError> {
    let mut values = secrets::load(keychain, server);
    values.extend(
        typed
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let connection = connect(server, &values, handshake).await?;
    let tools = connection.tools.clone();
    connection.stop().await;
    Ok(tools)
}
