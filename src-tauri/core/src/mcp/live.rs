//! The servers that are running. A server starts when an answer first needs its tools,
//! stays up for the next, is started again after it crashed, and stops when the app
//! quits. Each answer gets its tools as [`AsyncTool`]s that ask first where the rules
//! say so, keep the server's time limit and send MCP's cancellation when stopped.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use foxtail_engine::{AsyncTool, CallContext, Registry, ToolOutput, ToolSpec, ToolStage};
use futures_util::future::BoxFuture;
use rmcp::model::CallToolRequestParams;
use serde_json::Value;
use tokio::sync::Mutex;

use super::approval::{rule_key, Approvals, Question};
use super::config::{McpServer, Secrets};
use super::connect::{connect, Connection, McpToolInfo, HANDSHAKE_TIMEOUT};
use super::result;
use crate::AppError;

/// One server's connection, made when first needed.
struct Live {
    config: McpServer,
    connection: Mutex<Option<Connection>>,
}

/// Every server started in this run of the app, by id.
#[derive(Default)]
pub struct LiveServers {
    servers: Mutex<HashMap<String, Arc<Live>>>,
}

/// What one answer's tools consult.
#[derive(Clone)]
pub struct ToolUse {
    pub approvals: Arc<Approvals>,
    /// The conversation, for "Allow in this chat".
    pub conversation: Option<i64>,
}

impl LiveServers {
    pub fn new() -> Arc<Self> {
        Arc::new(LiveServers::default())
    }

    /// The tools of every enabled server in `servers`, added to `tools` with names
    /// unique across all of them. A server that cannot start is left out, with why.
    pub async fn add_tools(
        self: &Arc<Self>,
        tools: Registry,
        servers: &[McpServer],
        secrets: impl Fn(&McpServer) -> Secrets,
        using: ToolUse,
    ) -> (Registry, Vec<(String, AppError)>) {
        let enabled: Vec<&McpServer> = servers.iter().filter(|s| s.enabled).collect();
        let started = futures_util::future::join_all(
            enabled
                .iter()
                .map(|server| self.tools_of(server, secrets(server))),
        )
        .await;
        let mut failed = Vec::new();
        let mut offered: Vec<(Arc<Live>, McpToolInfo)> = Vec::new();
        for (server, outcome) in enabled.iter().zip(started) {
            match outcome {
                Ok((live, listed)) => {
                    offered.extend(listed.into_iter().map(|tool| (live.clone(), tool)))
                }
                Err(err) => failed.push((server.name.clone(), err)),
            }
        }
        let mut taken: Vec<String> = tools.names().iter().map(|n| n.to_string()).collect();
        let names: Vec<String> = offered
            .iter()
            .map(|(live, tool)| unique_name(&live.config.id, &tool.name, &offered, &mut taken))
            .collect();
        let mut tools = tools;
        for ((live, info), name) in offered.into_iter().zip(names) {
            let description = match info.description.is_empty() {
                true => info.title.clone(),
                false => info.description.clone(),
            };
            let mut parameters = info.schema.clone();
            if parameters.get("type").and_then(Value::as_str) != Some("object") {
                parameters = serde_json::json!({"type": "object", "properties": {}});
            }
            tools = tools.with_async(Arc::new(McpTool {
                spec: ToolSpec {
                    name,
                    description,
                    parameters,
                },
                live,
                info,
                using: using.clone(),
            }));
        }
        (tools, failed)
    }

    /// The server's live entry and its tools, starting it when it is not running (or
    /// was set up differently since).
    async fn tools_of(
        &self,
        server: &McpServer,
        secrets: Secrets,
    ) -> Result<(Arc<Live>, Vec<McpToolInfo>), AppError> {
        let live = {
            let mut servers = self.servers.lock().await;
            let same = servers
                .get(&server.id)
                .filter(|live| live.config == *server)
                .cloned();
            match same {
                Some(live) => live,
                None => {
                    let fresh = Arc::new(Live {
                        config: server.clone(),
                        connection: Mutex::new(None),
                    });
                    if let Some(old) = servers.insert(server.id.clone(), fresh.clone()) {
                        if let Some(connection) = old.connection.lock().await.take() {
                            connection.stop().await;
                        }
                    }
                    fresh
                }
            }
        };
        let mut connection = live.connection.lock().await;
        if connection.as_ref().is_some_and(Connection::is_gone) {
            if let Some(dead) = connection.take() {
                dead.stop().await;
            }
        }
        if connection.is_none() {
            *connection = Some(connect(server, &secrets, HANDSHAKE_TIMEOUT).await?);
        }
        let tools = connection
            .as_ref()
            .map(|c| c.tools.clone())
            .unwrap_or_default();
        drop(connection);
        Ok((live, tools))
    }

    /// The last lines the server `id` wrote to its error output, if it was started.
    pub fn last_words(&self, id: &str) -> String {
        let Ok(servers) = self.servers.try_lock() else {
            return String::new();
        };
        let Some(live) = servers.get(id) else {
            return String::new();
        };
        let words = match live.connection.try_lock() {
            Ok(connection) => connection
                .as_ref()
                .map(Connection::last_words)
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        words
    }

    /// Stops every server (when the app quits).
    pub async fn stop_all(&self) {
        let servers: Vec<Arc<Live>> = self.servers.lock().await.drain().map(|(_, l)| l).collect();
        let stopping = servers.iter().map(|live| async move {
            if let Some(connection) = live.connection.lock().await.take() {
                connection.stop().await;
            }
        });
        futures_util::future::join_all(stopping).await;
    }
}

/// `tool` as the model calls it: its own name when no other tool has it, otherwise
/// prefixed with its server's id; always within what the APIs accept.
fn unique_name(
    server_id: &str,
    tool: &str,
    offered: &[(Arc<Live>, McpToolInfo)],
    taken: &mut Vec<String>,
) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .map(
                |c| match c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    true => c,
                    false => '_',
                },
            )
            .take(64)
            .collect()
    };
    let shared = offered.iter().filter(|(_, t)| t.name == tool).count() > 1;
    let mut name = clean(tool);
    if shared || name != tool || name.is_empty() || taken.contains(&name) {
        name = clean(&format!("{server_id}_{tool}"));
    }
    let base = name.clone();
    let mut n = 2;
    while taken.contains(&name) {
        let suffix = format!("_{n}");
        let keep = base.len().min(64 - suffix.len());
        name = format!("{}{suffix}", &base[..keep]);
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// One server's tool, offered in one answer.
struct McpTool {
    spec: ToolSpec,
    live: Arc<Live>,
    info: McpToolInfo,
    using: ToolUse,
}

impl AsyncTool for McpTool {
    fn spec(&self) -> &ToolSpec {
        &self.spec
    }

    fn source(&self) -> &str {
        &self.live.config.name
    }

    fn call(&self, arguments: Value, context: CallContext) -> BoxFuture<'static, ToolOutput> {
        let live = self.live.clone();
        let info = self.info.clone();
        let using = self.using.clone();
        Box::pin(async move { run(live, info, using, arguments, context).await })
    }
}

const DECLINED: &str =
    "The person declined this tool call. Go on without it, and do not try it again unless they ask.";

async fn run(
    live: Arc<Live>,
    info: McpToolInfo,
    using: ToolUse,
    arguments: Value,
    context: CallContext,
) -> ToolOutput {
    let server = &live.config;
    let key = rule_key(&server.id, &info.name);
    if using
        .approvals
        .must_ask(using.conversation, &key, info.hints, server.auto_read_only)
    {
        context.stage(ToolStage::Asking {
            destructive: info.hints.destructive,
        });
        let question = Question {
            call_id: context.id.clone(),
            server: server.name.clone(),
            tool: info.name.clone(),
            arguments: arguments.clone(),
            destructive: info.hints.destructive,
        };
        let allowed = tokio::select! {
            allowed = using.approvals.ask(using.conversation, &key, question) => allowed,
            _ = context.cancel.cancelled() => return ToolOutput::error("The answer was stopped before the person decided."),
        };
        if !allowed {
            context.stage(ToolStage::Declined);
            return ToolOutput::error(DECLINED);
        }
    }
    context.stage(ToolStage::Running);

    let peer = {
        let connection = live.connection.lock().await;
        match connection.as_ref().filter(|c| !c.is_gone()) {
            Some(c) => c.service.peer().clone(),
            None => {
                drop(connection);
                return ToolOutput::error(format!(
                    "The server “{}” is not running (it stopped earlier). It will be started again for the next message.",
                    server.name
                ));
            }
        }
    };
    let mut params = CallToolRequestParams::new(info.name.clone());
    if let Value::Object(map) = arguments {
        params = params.with_arguments(map);
    }
    let timeout = server.call_timeout();
    // Dropping the call before its answer sends MCP's cancellation to the server.
    let outcome = tokio::select! {
        outcome = peer.call_tool(params) => outcome,
        _ = tokio::time::sleep(timeout) => {
            return ToolOutput::error(format!(
                "{} on “{}” did not finish within {}, so Foxtail stopped it.",
                info.name,
                server.name,
                seconds(timeout)
            ));
        }
        _ = context.cancel.cancelled() => return ToolOutput::error("The call was stopped."),
    };
    match outcome {
        Ok(done) => result::output(&serde_json::to_value(&done).unwrap_or_default()),
        Err(err) => {
            let mut connection = live.connection.lock().await;
            let crashed = connection.as_ref().is_none_or(Connection::is_gone)
                || matches!(err, rmcp::ServiceError::TransportClosed);
            if crashed {
                // Give its error output a moment to arrive.
                tokio::time::sleep(Duration::from_millis(100)).await;
                let words = connection
                    .as_ref()
                    .map(Connection::last_words)
                    .unwrap_or_default();
                // The next answer starts it again.
                if let Some(dead) = connection.take() {
                    tokio::spawn(dead.stop());
                }
                let said = match words.is_empty() {
                    true => String::new(),
                    false => format!(" Its last words were:\n{words}"),
                };
                ToolOutput::error(format!(
                    "The server “{}” stopped while running {}. It will be started again for the next message.{said}",
                    server.name, info.name
                ))
            } else {
                ToolOutput::error(format!(
                    "{} on “{}” failed: {}",
                    info.name,
                    server.name,
                    result::plain(&err.to_string(), 2000)
                ))
            }
        }
    }
}

fn seconds(duration: Duration) -> String {
    let s = duration.as_secs_f64();
    match s.fract() == 0.0 {
        true => format!("{s:.0} s"),
        false => format!("{s:.1} s"),
    }
}
