//! Starting one MCP server and shaking hands with it, with every way that can fail
//! told in plain words: the command was not found (and where Foxtail looked), the
//! server exited (with the last lines it wrote), it did not answer in time, or the
//! address refused the connection or the token.

use std::collections::{HashMap, VecDeque};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rmcp::service::{RoleClient, RunningService};
use rmcp::transport::common::client_side_sse::FixedInterval;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::{StreamableHttpClientTransport, TokioChildProcess};
use rmcp::ServiceExt;
use serde::Serialize;
use serde_json::Value;
use tokio::io::AsyncBufReadExt;
use ts_rs::TS;

use super::approval::Hints;
use super::config::{McpServer, McpTransport, Secrets};
use super::shell_path;
use crate::{AppError, ErrorKind};

/// Longest wait for a server to start and answer the handshake. `npx` and `uvx` may
/// download the server on its first start, which takes a while.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(60);

/// Lines of a server's error output kept to explain a failure.
const TAIL_LINES: usize = 12;

/// A tool a server offers, as the settings list and the cards show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct McpToolInfo {
    pub name: String,
    /// The tool's own title, when it gives one.
    pub title: String,
    pub description: String,
    pub hints: Hints,
    #[serde(skip)]
    pub schema: Value,
}

/// The last lines a server wrote to its error output, and whether it closed it
/// (which it does when it exits).
#[derive(Default)]
pub struct ErrorTail {
    lines: VecDeque<String>,
    closed: bool,
}

impl ErrorTail {
    pub fn text(&self) -> String {
        self.lines.iter().cloned().collect::<Vec<_>>().join("\n")
    }
}

/// A server that answered the handshake.
pub struct Connection {
    pub service: RunningService<RoleClient, ()>,
    pub tools: Vec<McpToolInfo>,
    pub stderr: Arc<Mutex<ErrorTail>>,
}

impl Connection {
    /// The last lines the server wrote, for a message.
    pub fn last_words(&self) -> String {
        self.stderr.lock().map(|t| t.text()).unwrap_or_default()
    }

    /// The server has gone: its connection closed, or its process exited.
    pub fn is_gone(&self) -> bool {
        self.service.is_closed() || self.stderr.lock().is_ok_and(|t| t.closed)
    }

    /// Stops the server: closes its input, then signals its process group.
    pub async fn stop(mut self) {
        let _ = self
            .service
            .close_with_timeout(Duration::from_secs(3))
            .await;
    }
}

/// Asks Linux to kill the server when the thread that started it goes, which is when
/// the app goes, even by a crash or `kill -9`, which leave no time to stop it.
#[cfg(target_os = "linux")]
fn die_with_the_app(cmd: &mut tokio::process::Command) {
    // SAFETY: prctl is async-signal-safe, and nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_the_app(_: &mut tokio::process::Command) {}

fn failure(kind: ErrorKind, message: String) -> AppError {
    AppError::Mcp { kind, message }
}

/// Starts `server` (its secrets set as environment variables or headers), shakes
/// hands and lists its tools.
pub async fn connect(
    server: &McpServer,
    secrets: &Secrets,
    handshake: Duration,
) -> Result<Connection, AppError> {
    if let Some(problem) = server.problem() {
        return Err(failure(ErrorKind::McpConfig, problem));
    }
    match &server.transport {
        McpTransport::Stdio { command, args, env } => {
            start_program(server, command, args, env, secrets, handshake).await
        }
        McpTransport::Http { url, headers } => {
            open_address(server, url, headers, secrets, handshake).await
        }
    }
}

async fn start_program(
    server: &McpServer,
    command: &str,
    args: &[String],
    env: &[String],
    secrets: &Secrets,
    handshake: Duration,
) -> Result<Connection, AppError> {
    let name = &server.name;
    let program = shell_path::find(command).map_err(|searched| {
        failure(
            ErrorKind::McpNotFound,
            format!("The server “{name}” could not start: {searched}. Install it, or enter the full path of its command."),
        )
    })?;
    let mut cmd = tokio::process::Command::new(&program);
    cmd.args(args.iter().map(|arg| shell_path::expand_home(arg)))
        .env("PATH", shell_path::search_path())
        .envs(
            env.iter()
                .filter_map(|key| secrets.get(key).map(|value| (key, value))),
        )
        .kill_on_drop(true);
    die_with_the_app(&mut cmd);
    let mut wrapped = process_wrap::tokio::CommandWrap::from(cmd);
    // Its own process group, so that stopping it also stops what it started (npx
    // starts node, uvx starts python).
    wrapped
        .wrap(process_wrap::tokio::ProcessGroup::leader())
        .wrap(process_wrap::tokio::KillOnDrop);
    let (transport, stderr) = TokioChildProcess::builder(wrapped)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| {
            failure(
                ErrorKind::McpNotFound,
                format!(
                    "The server “{name}” could not start {}: {err}.",
                    program.display()
                ),
            )
        })?;
    let tail = Arc::new(Mutex::new(ErrorTail::default()));
    if let Some(stderr) = stderr {
        let tail = tail.clone();
        tokio::spawn(async move {
            let mut lines = tokio::io::BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(mut tail) = tail.lock() {
                    if tail.lines.len() == TAIL_LINES {
                        tail.lines.pop_front();
                    }
                    tail.lines
                        .push_back(crate::mcp::result::plain(&line, 400).into_owned());
                }
            }
            if let Ok(mut tail) = tail.lock() {
                tail.closed = true;
            }
        });
    }
    let started = tokio::time::timeout(handshake, ().serve(transport)).await;
    let service = match started {
        Ok(Ok(service)) => service,
        failed => {
            // A server that exits closes its error output; a moment tells the two
            // failures apart.
            for _ in 0..25 {
                if tail.lock().is_ok_and(|t| t.closed) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let (closed, words) = tail
                .lock()
                .map(|t| (t.closed, t.text()))
                .unwrap_or_default();
            let said = match words.is_empty() {
                true => String::from(" It wrote nothing about why."),
                false => format!(" Its last words were:\n{words}"),
            };
            return Err(match failed {
                // Stopping a server that hung up on the handshake closes its output
                // too, so the time limit is told first.
                Err(_) => failure(
                    ErrorKind::McpHandshake,
                    format!(
                        "The server “{name}” started but did not answer within {} seconds.{said}",
                        handshake.as_secs_f64().ceil()
                    ),
                ),
                _ if closed => failure(
                    ErrorKind::McpExited,
                    format!("The server “{name}” stopped before it was ready.{said}"),
                ),
                Ok(Err(err)) => failure(
                    ErrorKind::McpHandshake,
                    format!(
                        "The server “{name}” did not answer as an MCP server does ({err}).{said}"
                    ),
                ),
                Ok(Ok(_)) => unreachable!("a started server is not a failure"),
            });
        }
    };
    finish(server, service, tail).await
}

async fn open_address(
    server: &McpServer,
    url: &str,
    headers: &[String],
    secrets: &Secrets,
    handshake: Duration,
) -> Result<Connection, AppError> {
    let name = &server.name;
    let mut config = StreamableHttpClientTransportConfig::with_uri(url.trim());
    // rmcp retries a broken event stream for ever by default: a server that went away
    // would hold a call until its timeout instead of failing now.
    let mut retry = FixedInterval::default();
    retry.max_times = Some(2);
    retry.duration = Duration::from_millis(500);
    config.retry_config = Arc::new(retry);
    let mut custom = HashMap::new();
    for header in headers {
        let Some(value) = secrets.get(header) else {
            continue;
        };
        if header.eq_ignore_ascii_case("authorization") {
            let token = value.strip_prefix("Bearer ").unwrap_or(value).trim();
            config.auth_header = Some(token.to_owned());
            continue;
        }
        let (Ok(key), Ok(value)) = (
            http::HeaderName::from_bytes(header.as_bytes()),
            http::HeaderValue::from_str(value),
        ) else {
            return Err(failure(
                ErrorKind::McpConfig,
                format!("The header “{header}” of “{name}” cannot be sent as it is."),
            ));
        };
        custom.insert(key, value);
    }
    config = config.custom_headers(custom);
    let transport = StreamableHttpClientTransport::from_config(config);
    let service = match tokio::time::timeout(handshake, ().serve(transport)).await {
        Ok(Ok(service)) => service,
        Ok(Err(err)) => {
            let words = chain(&err);
            let lower = words.to_lowercase();
            return Err(
                if err.is_authorization_required()
                    || lower.contains("401")
                    || lower.contains("403")
                    || lower.contains("unauthorized")
                    || lower.contains("forbidden")
                {
                    failure(
                        ErrorKind::McpAuth,
                        format!("{url} refused the token or key Foxtail sent. Check the token in the server's headers."),
                    )
                } else if refused(&err)
                    || lower.contains("error sending request")
                    || lower.contains("dns")
                {
                    failure(
                        ErrorKind::McpRefused,
                        format!(
                            "Foxtail could not connect to {url}: nothing answered there ({words})."
                        ),
                    )
                } else {
                    failure(
                        ErrorKind::McpHandshake,
                        format!("{url} did not answer as an MCP server does ({words})."),
                    )
                },
            );
        }
        Err(_) => {
            return Err(failure(
                ErrorKind::McpHandshake,
                format!(
                    "{url} did not answer within {} seconds.",
                    handshake.as_secs()
                ),
            ))
        }
    };
    finish(server, service, Arc::default()).await
}

/// Whether a cause of `err` is a refused or unreachable connection.
fn refused(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionRefused | HostUnreachable | NetworkUnreachable
            ) {
                return true;
            }
        }
        cause = current.source();
    }
    false
}

/// An error with each of its causes, for a message.
fn chain(err: &dyn std::error::Error) -> String {
    let mut words = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !words.contains(&more) {
            words.push_str(": ");
            words.push_str(&more);
        }
        source = cause.source();
    }
    words
}

async fn finish(
    server: &McpServer,
    service: RunningService<RoleClient, ()>,
    stderr: Arc<Mutex<ErrorTail>>,
) -> Result<Connection, AppError> {
    let listed = tokio::time::timeout(HANDSHAKE_TIMEOUT, service.peer().list_all_tools()).await;
    let tools = match listed {
        Ok(Ok(tools)) => tools,
        Ok(Err(err)) => {
            return Err(failure(
                ErrorKind::McpHandshake,
                format!(
                    "The server “{}” did not list its tools ({err}).",
                    server.name
                ),
            ))
        }
        Err(_) => {
            return Err(failure(
                ErrorKind::McpHandshake,
                format!(
                    "The server “{}” did not list its tools in time.",
                    server.name
                ),
            ))
        }
    };
    let tools = tools
        .into_iter()
        .map(|tool| {
            let json = serde_json::to_value(&tool).unwrap_or_default();
            let hint = |name: &str| json["annotations"][name].as_bool().unwrap_or(false);
            McpToolInfo {
                name: tool.name.to_string(),
                title: json["title"]
                    .as_str()
                    .or(json["annotations"]["title"].as_str())
                    .unwrap_or("")
                    .to_owned(),
                description: tool.description.as_deref().unwrap_or("").to_owned(),
                hints: Hints {
                    read_only: hint("readOnlyHint"),
                    destructive: hint("destructiveHint"),
                },
                schema: json["inputSchema"].clone(),
            }
        })
        .collect();
    Ok(Connection {
        service,
        tools,
        stderr,
    })
}
