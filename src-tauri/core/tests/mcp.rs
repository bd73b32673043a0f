//! MCP against real servers: the suite's own (src-tauri/mcp-test-server, over stdio and
//! Streamable HTTP) and a published one from npm, through the real tool loop against
//! the mock gateway. No part of MCP is mocked.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use foxtail_core::mcp::{
    self, AllowAll, Approvals, Asker, Decision, LiveServers, McpServer, McpTransport, Question,
    Secrets, ToolRule, ToolUse,
};
use foxtail_core::settings::SettingsFile;
use foxtail_core::ErrorKind;
use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Event, Message, Options, Protocol, Registry, Sink,
    ToolStage,
};
use foxtail_mock_gateway::{script, MockGateway};
use futures_util::future::BoxFuture;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn test_server() -> PathBuf {
    foxtail_mcp_test_server::binary()
}

fn stdio_server(id: &str, env: &[&str]) -> McpServer {
    McpServer {
        id: id.into(),
        name: format!("Test {id}"),
        transport: McpTransport::Stdio {
            command: test_server().display().to_string(),
            args: vec!["stdio".into()],
            env: env.iter().map(|e| e.to_string()).collect(),
        },
        ..McpServer::default()
    }
}

/// Answers questions from a list, and keeps them.
#[derive(Clone, Default)]
struct Scripted {
    answers: Arc<Mutex<Vec<Decision>>>,
    asked: Arc<Mutex<Vec<Question>>>,
}

impl Scripted {
    fn new(answers: &[Decision]) -> Self {
        let mut answers = answers.to_vec();
        answers.reverse();
        Scripted {
            answers: Arc::new(Mutex::new(answers)),
            ..Scripted::default()
        }
    }
    fn asked(&self) -> Vec<Question> {
        self.asked.lock().unwrap().clone()
    }
}

impl Asker for Scripted {
    fn ask(&self, question: Question) -> BoxFuture<'static, Decision> {
        self.asked.lock().unwrap().push(question);
        let answer = self
            .answers
            .lock()
            .unwrap()
            .pop()
            .expect("asked more often than the test expected");
        Box::pin(async move { answer })
    }
}

#[derive(Default)]
struct Events(Vec<Event>);

impl Sink for Events {
    fn event(&mut self, event: Event) {
        self.0.push(event);
    }
}

impl Events {
    fn text(&self) -> String {
        self.0
            .iter()
            .filter_map(|e| match e {
                Event::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
    fn results(&self) -> Vec<(String, bool)> {
        self.0
            .iter()
            .filter_map(|e| match e {
                Event::ToolResult {
                    content, is_error, ..
                } => Some((content.clone(), *is_error)),
                _ => None,
            })
            .collect()
    }
    fn stages(&self) -> Vec<(String, ToolStage)> {
        self.0
            .iter()
            .filter_map(|e| match e {
                Event::ToolStage { source, stage, .. } => Some((source.clone(), *stage)),
                _ => None,
            })
            .collect()
    }
}

/// One answer whose model calls `tool` with `arguments`, with the servers' tools.
async fn answer(
    protocol: Protocol,
    tool: &str,
    arguments: &str,
    live: &Arc<LiveServers>,
    servers: &[(McpServer, Secrets)],
    approvals: &Arc<Approvals>,
    cancel: &CancellationToken,
) -> Events {
    let gateway =
        MockGateway::start_script(script(&format!("tools:call:{tool}:{arguments}")).unwrap())
            .await
            .unwrap();
    let configs: Vec<McpServer> = servers.iter().map(|(s, _)| s.clone()).collect();
    let secrets_of = |server: &McpServer| {
        servers
            .iter()
            .find(|(s, _)| s.id == server.id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let using = ToolUse {
        approvals: approvals.clone(),
        conversation: Some(1),
    };
    let (tools, failed) = live
        .add_tools(Registry::builtin(), &configs, secrets_of, using)
        .await;
    assert!(failed.is_empty(), "{failed:?}");
    let mut request = ChatRequest::new(protocol, "mock/alpha");
    request.base_url = gateway.url();
    request.messages = vec![Message::user("Look it up.")];
    let client = Client::new("sk-test-fake".to_string().into(), Options::default()).unwrap();
    let mut events = Events::default();
    let _ = client
        .converse(&mut request, &tools, 4, cancel, &mut events)
        .await;
    events
}

fn approvals(asker: impl Asker + 'static) -> Arc<Approvals> {
    Arc::new(Approvals::new(asker, |_| {}))
}

#[tokio::test]
async fn an_allowed_call_runs_and_a_denied_one_goes_back_to_the_model_as_declined() {
    for protocol in [Protocol::Openai, Protocol::Anthropic] {
        let live = LiveServers::new();
        let servers = [(stdio_server("t", &[]), Secrets::new())];
        let asker = Scripted::new(&[Decision::Once, Decision::Deny]);
        let approvals = approvals(asker.clone());
        let cancel = CancellationToken::new();
        let allowed = answer(
            protocol,
            "lookup",
            r#"{"key":"x"}"#,
            &live,
            &servers,
            &approvals,
            &cancel,
        )
        .await;
        assert_eq!(
            allowed.results(),
            [("value of x is 42".to_owned(), false)],
            "{protocol:?}"
        );
        assert!(allowed.text().ends_with("The tool said: value of x is 42"));
        assert_eq!(
            allowed.stages(),
            [
                (
                    "Test t".to_owned(),
                    ToolStage::Asking { destructive: false }
                ),
                ("Test t".to_owned(), ToolStage::Running)
            ]
        );
        let question = &asker.asked()[0];
        assert_eq!(
            (question.server.as_str(), question.tool.as_str()),
            ("Test t", "lookup")
        );
        assert_eq!(question.arguments, serde_json::json!({"key": "x"}));

        let denied = answer(
            protocol,
            "lookup",
            r#"{"key":"y"}"#,
            &live,
            &servers,
            &approvals,
            &cancel,
        )
        .await;
        let (result, is_error) = &denied.results()[0];
        assert!(*is_error && result.contains("declined"), "{result}");
        assert!(denied.text().contains("The tool said: The person declined"));
        assert_eq!(
            denied.stages().last().unwrap().1,
            ToolStage::Declined,
            "{:?}",
            denied.stages()
        );
        live.stop_all().await;
    }
}

#[tokio::test]
async fn always_allow_is_remembered_after_a_restart_but_not_for_destructive_tools() {
    let dir = tempfile::tempdir().unwrap();
    let server = stdio_server("keep", &[]);
    let file = Arc::new(SettingsFile::open(dir.path()).unwrap());
    let mut changes = serde_json::Map::new();
    changes.insert("mcp_servers".into(), serde_json::json!([server.clone()]));
    file.save(changes).unwrap();
    let remember_into = |file: Arc<SettingsFile>| {
        move |rules: BTreeMap<String, ToolRule>| {
            let mut changes = serde_json::Map::new();
            changes.insert("tool_rules".into(), serde_json::json!(rules));
            file.save(changes).unwrap();
        }
    };
    let asker = Scripted::new(&[Decision::Always, Decision::Always]);
    let remembering = Arc::new(Approvals::new(asker.clone(), remember_into(file.clone())));
    let live = LiveServers::new();
    let servers = [(server.clone(), Secrets::new())];
    let cancel = CancellationToken::new();
    answer(
        Protocol::Openai,
        "lookup",
        r#"{"key":"x"}"#,
        &live,
        &servers,
        &remembering,
        &cancel,
    )
    .await;
    let destroy = answer(
        Protocol::Openai,
        "delete_note",
        r#"{"title":"a"}"#,
        &live,
        &servers,
        &remembering,
        &cancel,
    )
    .await;
    assert_eq!(destroy.results()[0].0, "deleted note a");
    assert_eq!(
        destroy.stages()[0].1,
        ToolStage::Asking { destructive: true }
    );
    live.stop_all().await;
    assert_eq!(asker.asked().len(), 2);

    // A new start reads the rules from the file: lookup runs unasked, delete_note asks.
    let file = SettingsFile::open(dir.path()).unwrap();
    let settings = file.get();
    assert_eq!(
        settings.tool_rules,
        BTreeMap::from([(mcp::rule_key("keep", "lookup"), ToolRule::Allow)])
    );
    let asker = Scripted::new(&[Decision::Deny]);
    let approvals = approvals(asker.clone());
    approvals.set_rules(settings.tool_rules.clone());
    let live = LiveServers::new();
    let again = answer(
        Protocol::Anthropic,
        "lookup",
        r#"{"key":"z"}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    assert_eq!(again.results()[0].0, "value of z is 42");
    assert!(asker.asked().is_empty(), "not asked again");
    let destroy = answer(
        Protocol::Anthropic,
        "delete_note",
        r#"{"title":"b"}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    assert!(destroy.results()[0].1, "asked and denied");
    assert_eq!(asker.asked().len(), 1);
    live.stop_all().await;
}

#[tokio::test]
async fn a_slow_call_times_out_with_the_cancellation_sent_and_stop_cancels_at_once() {
    let live = LiveServers::new();
    let mut server = stdio_server("slow", &[]);
    server.timeout_s = Some(0.5);
    server.auto_read_only = true;
    let servers = [(server, Secrets::new())];
    let approvals = approvals(AllowAll);
    let cancel = CancellationToken::new();
    let started = Instant::now();
    let events = answer(
        Protocol::Openai,
        "slow",
        r#"{"seconds":30}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    let (result, is_error) = &events.results()[0];
    assert!(*is_error);
    assert_eq!(
        result,
        "slow on “Test slow” did not finish within 0.5 s, so Foxtail stopped it."
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert!(
        eventually(|| live_words(&live, "slow").contains("slow: cancelled")).await,
        "the server was told: {}",
        live_words(&live, "slow")
    );

    // Stop while a call runs: the answer ends at once, and the server hears of it.
    let mut server = stdio_server("slow", &[]);
    server.auto_read_only = true;
    let servers = [(server, Secrets::new())];
    let stop = CancellationToken::new();
    let stopper = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        stopper.cancel();
    });
    let started = Instant::now();
    let events = answer(
        Protocol::Anthropic,
        "slow",
        r#"{"seconds":30}"#,
        &live,
        &servers,
        &approvals,
        &stop,
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(events.0.last(), Some(Event::Error(e)) if e.kind() == "cancelled"),
        "{:?}",
        events.0.last()
    );
    assert!(
        eventually(|| live_words(&live, "slow").contains("slow: cancelled")).await,
        "{}",
        live_words(&live, "slow")
    );
    live.stop_all().await;
}

fn live_words(live: &LiveServers, id: &str) -> String {
    live.last_words(id)
}

async fn eventually(check: impl Fn() -> bool) -> bool {
    for _ in 0..100 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_crashed_server_is_reported_on_the_card_and_started_again_at_its_next_use() {
    let live = LiveServers::new();
    let mut server = stdio_server("crash", &[]);
    server.auto_read_only = true;
    let servers = [(server, Secrets::new())];
    let approvals = approvals(AllowAll);
    let cancel = CancellationToken::new();
    let crashed = answer(
        Protocol::Openai,
        "crash",
        "{}",
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    let (result, is_error) = &crashed.results()[0];
    assert!(*is_error);
    assert!(
        result.starts_with("The server “Test crash” stopped while running crash. It will be started again for the next message."),
        "{result}"
    );
    assert!(
        result.contains("crash: exiting"),
        "its last words: {result}"
    );
    let again = answer(
        Protocol::Openai,
        "lookup",
        r#"{"key":"k"}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    assert_eq!(again.results(), [("value of k is 42".to_owned(), false)]);
    live.stop_all().await;
}

#[tokio::test]
async fn huge_results_are_cut_and_pictures_kept_for_the_card() {
    let live = LiveServers::new();
    let mut server = stdio_server("big", &[]);
    server.auto_read_only = true;
    let servers = [(server, Secrets::new())];
    let approvals = approvals(AllowAll);
    let cancel = CancellationToken::new();
    let huge = answer(
        Protocol::Openai,
        "huge",
        r#"{"bytes":3000000}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    let (result, is_error) = &huge.results()[0];
    assert!(!is_error);
    assert!(result.len() < 110 * 1024, "{}", result.len());
    assert!(
        result.ends_with("[The result was 2.9 MB long; the model was given the first 100 KB.]"),
        "{}",
        &result[result.len() - 100..]
    );
    let picture = answer(
        Protocol::Anthropic,
        "picture",
        "{}",
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    let images: Vec<_> = picture
        .0
        .iter()
        .filter_map(|e| match e {
            Event::ToolResult { images, .. } => Some(images.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(images[0].len(), 1);
    assert_eq!(images[0][0].mime, "image/png");
    assert!(picture.results()[0].0.contains("a picture"));
    live.stop_all().await;
}

#[tokio::test]
async fn secrets_reach_the_server_and_names_clash_across_servers_are_made_unique() {
    let live = LiveServers::new();
    let mut one = stdio_server("one", &["FOXTAIL_TEST_SERVER_NOTE"]);
    one.auto_read_only = true;
    let mut two = stdio_server("two", &[]);
    two.auto_read_only = true;
    let secrets = Secrets::from([(
        "FOXTAIL_TEST_SERVER_NOTE".to_owned(),
        "from the keychain".to_owned(),
    )]);
    let servers = [(one, secrets), (two, Secrets::new())];
    let approvals = approvals(AllowAll);
    let cancel = CancellationToken::new();
    let events = answer(
        Protocol::Openai,
        "one_lookup",
        r#"{"key":"s"}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    assert_eq!(
        events.results(),
        [(
            "value of s is 42 (note: from the keychain)".to_owned(),
            false
        )]
    );
    let events = answer(
        Protocol::Openai,
        "two_lookup",
        r#"{"key":"s"}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    assert_eq!(events.results(), [("value of s is 42".to_owned(), false)]);
    live.stop_all().await;
}

/// The processes whose environment holds `marker`.
fn processes_with(marker: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(environ) = std::fs::read(entry.path().join("environ")) {
            if environ.split(|b| *b == 0).any(|v| v == marker.as_bytes()) {
                found.push(pid);
            }
        }
    }
    found
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn stopping_leaves_no_server_running() {
    let marker = format!(
        "FOXTAIL_TEST_SERVER_NOTE=orphan-check-{}",
        std::process::id()
    );
    let value = marker.split_once('=').unwrap().1.to_owned();
    let live = LiveServers::new();
    let mut server = stdio_server("orphan", &["FOXTAIL_TEST_SERVER_NOTE"]);
    server.auto_read_only = true;
    let servers = [(
        server,
        Secrets::from([("FOXTAIL_TEST_SERVER_NOTE".to_owned(), value)]),
    )];
    let approvals = approvals(AllowAll);
    let cancel = CancellationToken::new();
    answer(
        Protocol::Openai,
        "lookup",
        r#"{"key":"o"}"#,
        &live,
        &servers,
        &approvals,
        &cancel,
    )
    .await;
    assert_eq!(processes_with(&marker).len(), 1, "the server runs");
    live.stop_all().await;
    assert!(
        eventually(|| processes_with(&marker).is_empty()).await,
        "left running: {:?}",
        processes_with(&marker)
    );
}

#[tokio::test]
async fn each_way_a_server_fails_to_start_is_told_in_plain_words() {
    let keychain = foxtail_keychain::Keychain::new("foxtail-test-mcp-unused");
    let test = |server: McpServer, handshake: Duration| {
        let keychain = keychain.clone();
        async move {
            mcp::setup::test_server(&server, &Secrets::new(), &keychain, handshake)
                .await
                .unwrap_err()
        }
    };
    let mut missing = stdio_server("missing", &[]);
    missing.transport = McpTransport::Stdio {
        command: "foxtail-no-such-server".into(),
        args: Vec::new(),
        env: Vec::new(),
    };
    let err = test(missing, Duration::from_secs(10)).await;
    assert_eq!(err.kind(), ErrorKind::McpNotFound);
    assert!(
        err.to_string()
            .contains("“foxtail-no-such-server” was not found in any of these folders: "),
        "{err}"
    );
    assert!(err.to_string().contains("/usr/bin"), "{err}");

    let failing = stdio_server("fails", &["FOXTAIL_TEST_SERVER_FAIL"]);
    let err = mcp::setup::test_server(
        &failing,
        &Secrets::from([("FOXTAIL_TEST_SERVER_FAIL".to_owned(), "1".to_owned())]),
        &keychain,
        Duration::from_secs(10),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::McpExited, "{err}");
    assert!(
        err.to_string()
            .contains("fatal: the test server was told to fail"),
        "{err}"
    );

    let mut silent = stdio_server("silent", &[]);
    silent.transport = McpTransport::Stdio {
        command: "sleep".into(),
        args: vec!["30".into()],
        env: Vec::new(),
    };
    let started = Instant::now();
    let err = test(silent, Duration::from_millis(700)).await;
    assert_eq!(err.kind(), ErrorKind::McpHandshake, "{err}");
    assert!(started.elapsed() < Duration::from_secs(8));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let nobody = McpServer {
        id: "nobody".into(),
        name: "Nobody".into(),
        transport: McpTransport::Http {
            url: format!("http://127.0.0.1:{port}/mcp"),
            headers: Vec::new(),
        },
        ..McpServer::default()
    };
    let err = test(nobody, Duration::from_secs(10)).await;
    assert_eq!(err.kind(), ErrorKind::McpRefused, "{err}");
}

/// The test server over Streamable HTTP, with a token; stopped when dropped.
struct HttpServer {
    child: tokio::process::Child,
    url: String,
}

async fn http_server(token: &str) -> HttpServer {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(test_server())
        .args(["http", "--port", "0", "--token", token])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("the server says where it listens")
        .unwrap()
        .unwrap();
    let url = line.strip_prefix("listening on ").unwrap().to_owned();
    HttpServer { child, url }
}

#[tokio::test]
async fn an_http_server_takes_its_token_and_one_that_refuses_it_says_so() {
    let server = http_server("right-token").await;
    let config = McpServer {
        id: "web".into(),
        name: "Web".into(),
        auto_read_only: true,
        transport: McpTransport::Http {
            url: server.url.clone(),
            headers: vec!["Authorization".into()],
        },
        ..McpServer::default()
    };
    let keychain = foxtail_keychain::Keychain::new("foxtail-test-mcp-unused");
    let wrong = Secrets::from([("Authorization".to_owned(), "Bearer wrong".to_owned())]);
    let err = mcp::setup::test_server(&config, &wrong, &keychain, Duration::from_secs(10))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::McpAuth, "{err}");

    let right = Secrets::from([("Authorization".to_owned(), "Bearer right-token".to_owned())]);
    let tools = mcp::setup::test_server(&config, &right, &keychain, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(tools
        .iter()
        .any(|t| t.name == "lookup" && t.hints.read_only));
    let live = LiveServers::new();
    let events = answer(
        Protocol::Anthropic,
        "lookup",
        r#"{"key":"h"}"#,
        &live,
        &[(config, right)],
        &approvals(AllowAll),
        &CancellationToken::new(),
    )
    .await;
    assert_eq!(events.results(), [("value of h is 42".to_owned(), false)]);
    live.stop_all().await;
    drop(server.child);
}

/// A server from the npm registry (installed by `npm ci` with the frontend's
/// packages): its `echo` tool through the tool loop.
#[tokio::test]
async fn a_published_server_runs_its_tool_through_the_loop() {
    let entry = root().join("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
    if !entry.is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing: `npm ci` installs it",
            entry.display()
        );
        eprintln!(
            "NOTICE: skipped, {} is not installed (run `npm ci`)",
            entry.display()
        );
        return;
    }
    let server = McpServer {
        id: "everything".into(),
        name: "Everything".into(),
        auto_read_only: true,
        transport: McpTransport::Stdio {
            command: "node".into(),
            args: vec![entry.display().to_string(), "stdio".into()],
            env: Vec::new(),
        },
        ..McpServer::default()
    };
    let live = LiveServers::new();
    let events = answer(
        Protocol::Openai,
        "echo",
        r#"{"message":"hello from Foxtail"}"#,
        &live,
        &[(server, Secrets::new())],
        &approvals(AllowAll),
        &CancellationToken::new(),
    )
    .await;
    assert_eq!(
        events.results(),
        [("Echo: hello from Foxtail".to_owned(), false)]
    );
    assert!(events
        .text()
        .ends_with("The tool said: Echo: hello from Foxtail"));
    live.stop_all().await;
}
