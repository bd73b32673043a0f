//! Starting the built server, and reading what it writes, for the integration tests.
//!
//! Every child is spawned with `kill_on_drop(true)`, so a failing test (whose future is dropped
//! while unwinding) never leaves a server running.

#![allow(dead_code)]

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use rmcp::model::{CallToolRequestParams, CallToolResult, JsonObject};
use rmcp::service::RunningService;
use rmcp::transport::common::client_side_sse::NeverRetry;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::{ConfigureCommandExt, StreamableHttpClientTransport, TokioChildProcess};
use rmcp::{RoleClient, ServiceExt};
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

pub const BIN: &str = env!("CARGO_BIN_EXE_foxtail-mcp-test-server");
/// How long a test waits for anything that should be quick.
pub const WAIT: Duration = Duration::from_secs(10);

pub type Client = RunningService<RoleClient, ()>;

/// The server command with a clean environment for the test-server variables.
pub fn command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    Command::new(BIN).configure(|cmd| {
        cmd.args(args)
            .env_remove("FOXTAIL_TEST_SERVER_FAIL")
            .env_remove("FOXTAIL_TEST_SERVER_NOTE")
            .envs(envs.iter().copied())
            .kill_on_drop(true);
    })
}

/// The lines a child writes to one of its streams, collected as they come.
pub struct Lines {
    rx: mpsc::UnboundedReceiver<String>,
    seen: Vec<String>,
}

impl Lines {
    pub fn new(stream: impl AsyncRead + Unpin + Send + 'static) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stream).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            rx,
            seen: Vec::new(),
        }
    }

    /// Waits (up to [`WAIT`]) for a line equal to `wanted`; panics with every line seen if
    /// none comes.
    pub async fn expect(&mut self, wanted: &str) {
        if self.seen.iter().any(|l| l == wanted) {
            return;
        }
        let found = tokio::time::timeout(WAIT, async {
            while let Some(line) = self.rx.recv().await {
                let hit = line == wanted;
                self.seen.push(line);
                if hit {
                    return true;
                }
            }
            false
        })
        .await
        .unwrap_or(false);
        assert!(found, "no line {wanted:?}; lines seen: {:#?}", self.seen);
    }

    /// The next line, waiting up to [`WAIT`].
    pub async fn next(&mut self) -> Option<String> {
        let line = tokio::time::timeout(WAIT, self.rx.recv()).await.ok()??;
        self.seen.push(line.clone());
        Some(line)
    }

    /// Every line until the stream ends (waiting up to [`WAIT`]).
    pub async fn until_end(&mut self) -> Vec<String> {
        let _ = tokio::time::timeout(WAIT, async {
            while let Some(line) = self.rx.recv().await {
                self.seen.push(line);
            }
        })
        .await;
        self.seen.clone()
    }
}

/// Starts the server in stdio mode and returns its transport and stderr, before any handshake.
pub fn spawn_stdio(envs: &[(&str, &str)]) -> (TokioChildProcess, Lines) {
    let (transport, stderr) = TokioChildProcess::builder(command(&["stdio"], envs))
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the test server");
    let stderr = Lines::new(stderr.expect("stderr is piped"));
    (transport, stderr)
}

/// Starts the server in stdio mode and completes the handshake.
pub async fn connect_stdio(envs: &[(&str, &str)]) -> (Client, Lines) {
    let (transport, mut stderr) = spawn_stdio(envs);
    let client = tokio::time::timeout(WAIT, ().serve(transport))
        .await
        .expect("handshake in time")
        .expect("handshake");
    stderr.expect("foxtail-mcp-test-server started").await;
    (client, stderr)
}

/// A server running in HTTP mode, killed when dropped.
pub struct HttpServer {
    pub child: Child,
    pub url: String,
    pub stderr: Lines,
}

pub async fn spawn_http(token: Option<&str>) -> HttpServer {
    let mut args = vec!["http", "--port", "0"];
    if let Some(token) = token {
        args.extend(["--token", token]);
    }
    let mut child = command(&args, &[])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the test server");
    let mut stdout = Lines::new(child.stdout.take().expect("stdout is piped"));
    let stderr = Lines::new(child.stderr.take().expect("stderr is piped"));
    let line = stdout.next().await.expect("the server prints its address");
    let url = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first stdout line {line:?}"))
        .to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/mcp"),
        "unexpected address {url:?}"
    );
    HttpServer { child, url, stderr }
}

/// Connects an rmcp client over Streamable HTTP, optionally with a bearer token.
pub async fn connect_http(
    url: &str,
    token: Option<&str>,
) -> Result<Client, rmcp::service::ClientInitializeError> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(url);
    // rmcp's default retries a broken SSE stream forever (exponential backoff, no limit), so a
    // call to a server that died would never end.
    config.retry_config = Arc::new(NeverRetry::default());
    if let Some(token) = token {
        config = config.auth_header(token);
    }
    let transport = StreamableHttpClientTransport::from_config(config);
    tokio::time::timeout(WAIT, ().serve(transport))
        .await
        .expect("handshake finished in time")
}

pub fn args(value: serde_json::Value) -> JsonObject {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("arguments must be an object, not {other}"),
    }
}

/// Calls a tool and expects success.
pub async fn call(
    client: &Client,
    name: &'static str,
    arguments: serde_json::Value,
) -> CallToolResult {
    let result = tokio::time::timeout(
        WAIT,
        client.call_tool(CallToolRequestParams::new(name).with_arguments(args(arguments))),
    )
    .await
    .expect("tool answered in time")
    .expect("tool call succeeded");
    assert_ne!(result.is_error, Some(true), "{name} failed: {result:?}");
    result
}

/// The single text content of a result.
pub fn only_text(result: &CallToolResult) -> &str {
    assert_eq!(result.content.len(), 1, "{result:?}");
    &result.content[0]
        .as_text()
        .unwrap_or_else(|| panic!("not text: {result:?}"))
        .text
}
