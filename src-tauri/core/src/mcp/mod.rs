//! MCP servers: how they are described, started and trusted. Their tools join the
//! answer's tool loop beside Foxtail's own, and each call asks the person first
//! unless the rules say otherwise.

mod approval;
mod config;
mod connect;
mod live;
pub mod result;
pub mod shell_path;

pub use approval::{
    rule_key, AllowAll, Approvals, Asker, Decision, Hints, Question, ToolRule, WindowAsker,
};
pub use config::{
    check_servers, id_from, parse_mcp_servers, well_known, ImportedServer, McpServer, McpTransport,
    Secrets, WellKnownServer, DEFAULT_CALL_TIMEOUT_S,
};
pub use connect::{connect, Connection, McpToolInfo, HANDSHAKE_TIMEOUT};
pub use live::{LiveServers, ToolUse};
pub mod secrets;
pub mod setup;

use std::sync::Arc;

use foxtail_engine::Registry;
use foxtail_keychain::Keychain;

use crate::settings::Settings;

/// The MCP side of the app (or of one CLI run): the servers started so far and the
/// rules and answers that decide which calls run.
pub struct Mcp {
    pub live: Arc<LiveServers>,
    pub approvals: Arc<Approvals>,
}

impl Mcp {
    pub fn new(approvals: Approvals) -> Self {
        Mcp {
            live: LiveServers::new(),
            approvals: Arc::new(approvals),
        }
    }

    /// What an answer in `conversation` needs to offer the enabled servers' tools;
    /// `None` when no server is enabled. Reads the rules and secrets now, so that the
    /// answer uses the settings it was started with.
    pub fn plan(
        &self,
        settings: &Settings,
        keychain: &Keychain,
        conversation: Option<i64>,
    ) -> Option<McpPlan> {
        let servers: Vec<(McpServer, Secrets)> = settings
            .mcp_servers
            .iter()
            .filter(|server| server.enabled)
            .map(|server| (server.clone(), secrets::load(keychain, server)))
            .collect();
        if servers.is_empty() {
            return None;
        }
        self.approvals.set_rules(settings.tool_rules.clone());
        Some(McpPlan {
            live: self.live.clone(),
            servers,
            using: ToolUse {
                approvals: self.approvals.clone(),
                conversation,
            },
        })
    }
}

/// The servers one answer uses, ready to be started.
pub struct McpPlan {
    live: Arc<LiveServers>,
    servers: Vec<(McpServer, Secrets)>,
    using: ToolUse,
}

impl McpPlan {
    /// `tools` with the servers' tools added, starting servers that are not running.
    /// A server that cannot start is left out, and the notices say so in plain words.
    pub async fn add_to(self, tools: Registry) -> (Registry, Vec<String>) {
        let McpPlan {
            live,
            servers,
            using,
        } = self;
        let configs: Vec<McpServer> = servers.iter().map(|(s, _)| s.clone()).collect();
        let secrets_of = |server: &McpServer| {
            servers
                .iter()
                .find(|(s, _)| s.id == server.id)
                .map(|(_, secrets)| secrets.clone())
                .unwrap_or_default()
        };
        let (tools, failed) = live.add_tools(tools, &configs, secrets_of, using).await;
        let notices = failed
            .into_iter()
            .map(|(name, err)| {
                format!("The tools of “{name}” were not offered in this answer: {err}")
            })
            .collect();
        (tools, notices)
    }
}
