//! A small MCP server for Foxtail's tests, over stdio or Streamable HTTP.
//!
//! ```text
//! foxtail-mcp-test-server stdio
//! foxtail-mcp-test-server http --port 0 [--token SECRET]
//! ```
//!
//! Its tools answer in fixed, assertable words, and some misbehave on purpose: `slow` notices
//! `notifications/cancelled`, `crash` exits without replying, `huge` returns a big answer.
//! Stdout carries the protocol in stdio mode and one `listening on …` line in HTTP mode; every
//! log line goes to stderr.
//!
//! Environment: `FOXTAIL_TEST_SERVER_FAIL=1` makes it exit with code 3 before any handshake;
//! `FOXTAIL_TEST_SERVER_NOTE`, when set, is appended to every `lookup` answer.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ResourceContents, ServerCapabilities,
    ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{
    schemars, tool, tool_handler, tool_router, ErrorData, RoleServer, ServerHandler, ServiceExt,
};
use serde::Deserialize;

const FAIL_ENV: &str = "FOXTAIL_TEST_SERVER_FAIL";
const NOTE_ENV: &str = "FOXTAIL_TEST_SERVER_NOTE";
/// `huge` refuses more than this, so a typo cannot exhaust the machine's memory.
const HUGE_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// A 2x2 RGB PNG (red, green / blue, white).
const PICTURE_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x12, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xcf, 0xc0, 0xc0,
    0x00, 0xc2, 0x0c, 0xff, 0x81, 0x00, 0x00, 0x1f, 0xee, 0x05, 0xfb, 0xf1, 0xab, 0xba, 0x77, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
struct LookupArgs {
    /// The key to look up.
    key: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
struct DeleteNoteArgs {
    /// The title of the note to delete.
    title: String,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
struct SlowArgs {
    /// How long to sleep, in seconds.
    seconds: f64,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
struct HugeArgs {
    /// How many bytes of text to return.
    bytes: u64,
}

#[derive(Debug, Clone)]
struct TestServer {
    tool_router: ToolRouter<Self>,
}

impl TestServer {
    fn new() -> Self {
        Self {
            tool_router: Self::tool_router(),
        }
    }
}

#[tool_router]
impl TestServer {
    /// Looks a key up; the answer is always 42.
    #[tool(annotations(read_only_hint = true, destructive_hint = false))]
    fn lookup(&self, Parameters(LookupArgs { key }): Parameters<LookupArgs>) -> String {
        let answer = format!("value of {key} is 42");
        match std::env::var(NOTE_ENV) {
            Ok(note) => format!("{answer} (note: {note})"),
            Err(_) => answer,
        }
    }

    /// Deletes a note by its title.
    #[tool(annotations(read_only_hint = false, destructive_hint = true))]
    fn delete_note(
        &self,
        Parameters(DeleteNoteArgs { title }): Parameters<DeleteNoteArgs>,
    ) -> String {
        format!("deleted note {title}")
    }

    /// Sleeps for the given number of seconds; stops early when the request is cancelled.
    #[tool(annotations(read_only_hint = true))]
    async fn slow(
        &self,
        Parameters(SlowArgs { seconds }): Parameters<SlowArgs>,
        context: RequestContext<RoleServer>,
    ) -> Result<String, ErrorData> {
        let duration = Duration::try_from_secs_f64(seconds).map_err(|e| {
            ErrorData::invalid_params(format!("seconds must be a non-negative number: {e}"), None)
        })?;
        // Tests wait for this line before they cancel, so the cancellation cannot overtake
        // the call (over HTTP they travel in separate POSTs).
        eprintln!("slow: sleeping {seconds} s");
        tokio::select! {
            () = tokio::time::sleep(duration) => Ok(format!("slept {seconds} s")),
            () = context.ct.cancelled() => {
                eprintln!("slow: cancelled");
                Err(ErrorData::internal_error("slow: cancelled", None))
            }
        }
    }

    /// Exits the server process at once with code 7, without replying.
    #[tool]
    fn crash(&self) -> String {
        eprintln!("crash: exiting");
        std::process::exit(7)
    }

    /// Returns one text content of exactly `bytes` bytes of repeated `abcdefghij`.
    #[tool(annotations(read_only_hint = true))]
    fn huge(
        &self,
        Parameters(HugeArgs { bytes }): Parameters<HugeArgs>,
    ) -> Result<String, ErrorData> {
        if bytes > HUGE_MAX_BYTES {
            return Err(ErrorData::invalid_params(
                format!("bytes must be at most {HUGE_MAX_BYTES}"),
                None,
            ));
        }
        // Bounded above, so it fits in usize.
        let bytes = bytes as usize;
        let mut text = "abcdefghij".repeat(bytes.div_ceil(10));
        text.truncate(bytes);
        Ok(text)
    }

    /// Returns a 2x2 PNG image and the text `a picture`.
    #[tool(annotations(read_only_hint = true))]
    fn picture(&self) -> CallToolResult {
        let data = base64::engine::general_purpose::STANDARD.encode(PICTURE_PNG);
        CallToolResult::success(vec![
            ContentBlock::image(data, "image/png"),
            ContentBlock::text("a picture"),
        ])
    }

    /// Returns an embedded text resource (`note://example`).
    #[tool(annotations(read_only_hint = true))]
    fn resource_ref(&self) -> CallToolResult {
        CallToolResult::success(vec![ContentBlock::resource(ResourceContents::text(
            "resource text",
            "note://example",
        ))])
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for TestServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "foxtail-test",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions("Test server for Foxtail")
    }
}

enum Mode {
    Stdio,
    Http { port: u16, token: Option<String> },
}

const USAGE: &str = "usage: foxtail-mcp-test-server stdio\n       \
                     foxtail-mcp-test-server http --port PORT [--token SECRET]";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Mode, String> {
    match args.next().as_deref() {
        Some("stdio") => match args.next() {
            None => Ok(Mode::Stdio),
            Some(extra) => Err(format!("unexpected argument {extra:?}")),
        },
        Some("http") => {
            let mut port = None;
            let mut token = None;
            while let Some(flag) = args.next() {
                let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--port" => {
                        port = Some(
                            value
                                .parse::<u16>()
                                .map_err(|e| format!("--port {value:?}: {e}"))?,
                        )
                    }
                    "--token" => token = Some(value),
                    _ => return Err(format!("unknown option {flag:?}")),
                }
            }
            let port = port.ok_or("http needs --port (0 lets the OS pick one)")?;
            Ok(Mode::Http { port, token })
        }
        Some(other) => Err(format!("unknown mode {other:?}")),
        None => Err("missing mode".to_string()),
    }
}

fn main() -> ExitCode {
    eprintln!("foxtail-mcp-test-server started");
    if std::env::var(FAIL_ENV).is_ok_and(|v| v == "1") {
        eprintln!("fatal: the test server was told to fail");
        return ExitCode::from(3);
    }
    let mode = match parse_args(std::env::args().skip(1)) {
        Ok(mode) => mode,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("fatal: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match mode {
            Mode::Stdio => serve_stdio().await,
            Mode::Http { port, token } => serve_http(port, token).await,
        }
    });
    match result {
        Ok(()) => {
            eprintln!("foxtail-mcp-test-server stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fatal: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn serve_stdio() -> Result<(), BoxError> {
    let running = TestServer::new().serve(rmcp::transport::stdio()).await?;
    running.waiting().await?;
    Ok(())
}

async fn serve_http(port: u16, token: Option<String>) -> Result<(), BoxError> {
    let service: StreamableHttpService<TestServer, LocalSessionManager> =
        StreamableHttpService::new(
            || Ok(TestServer::new()),
            Arc::default(),
            StreamableHttpServerConfig::default().with_sse_keep_alive(None),
        );
    let mut router = axum::Router::new().route_service("/mcp", service);
    if let Some(token) = token {
        let expected: Arc<str> = format!("Bearer {token}").into();
        router = router.layer(middleware::from_fn_with_state(expected, require_bearer));
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let port = listener.local_addr()?.port();
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://127.0.0.1:{port}/mcp")?;
        stdout.flush()?;
    }
    eprintln!("serving Streamable HTTP on 127.0.0.1:{port}");
    axum::serve(listener, router).await?;
    Ok(())
}

/// Answers 401 to any request whose `Authorization` is not exactly `Bearer SECRET`.
async fn require_bearer(
    State(expected): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let authorized = request
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|value| value.as_bytes() == expected.as_bytes());
    if authorized {
        next.run(request).await
    } else {
        eprintln!("http: rejected a request without the bearer token");
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "missing or wrong bearer token",
        )
            .into_response()
    }
}
