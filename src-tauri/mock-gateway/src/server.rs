use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{combinators::BoxBody, BodyExt, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::image::{IMAGE_PATH, IMAGE_PNG};
use crate::reply::{Reply, Step};
use crate::script::Script;
use crate::tool_turns;
use crate::transcript::text_event;

/// The longest a stalled reply keeps its connection open.
const STALL_LIMIT: Duration = Duration::from_secs(600);

/// A request as the gateway received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

struct Shared {
    script: Script,
    log: Mutex<Log>,
    /// Body bytes handed to the connections so far.
    sent: AtomicU64,
}

#[derive(Default)]
struct Log {
    requests: Vec<Recorded>,
    /// Chat requests so far: model lists and images do not move the script on.
    chats: usize,
}

/// A loopback HTTP/1.1 server that answers the n-th chat request with the n-th scripted
/// reply (the last one again once the script runs out), `GET …/models` with a model
/// list and `GET /image.png` with a picture. It stops when dropped.
pub struct MockGateway {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl MockGateway {
    /// Starts on a free port of 127.0.0.1, answering every chat path with `replies`.
    pub async fn start(replies: Vec<Reply>) -> std::io::Result<Self> {
        Self::start_script(Script::same(replies)).await
    }

    /// Starts on a free port of 127.0.0.1 (a named scenario: [`crate::script`]).
    pub async fn start_script(script: Script) -> std::io::Result<Self> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0)), script).await
    }

    pub async fn bind(addr: SocketAddr, script: Script) -> std::io::Result<Self> {
        assert!(
            !script.openai.is_empty() && !script.anthropic.is_empty(),
            "a mock gateway needs at least one reply for each protocol"
        );
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            script,
            log: Mutex::default(),
            sent: AtomicU64::new(0),
        });
        let task = tokio::spawn(accept(listener, shared.clone()));
        Ok(MockGateway { addr, shared, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the base URL for either protocol.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.log.lock().unwrap().requests.clone()
    }

    /// The reply body bytes handed to the connections so far, for every request. A
    /// body is written only as fast as the client reads it, so this is what the client
    /// read plus what fits in the connection's buffers (a few MiB on loopback).
    pub fn body_bytes_sent(&self) -> u64 {
        self.shared.sent.load(Ordering::Relaxed)
    }

    /// Serves until the task is aborted (for the binary).
    pub async fn run(self) {
        let task = &mut { self }.task;
        let _ = task.await;
    }
}

impl Drop for MockGateway {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        connections.spawn(async move {
            let service = service_fn(move |request| answer(request, shared.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        // Finished connections are reaped so that a long benchmark does not pile them up.
        while connections.try_join_next().is_some() {}
    }
}

type Body = BoxBody<Bytes, std::io::Error>;

async fn answer(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<Body>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    let asked = recorded.json();
    let mut reply = {
        let mut log = shared.log.lock().unwrap();
        let reply = if parts.method == Method::GET && recorded.path.ends_with("/models") {
            let anthropic = recorded.header("anthropic-version").is_some();
            shared.script.models(anthropic).clone()
        } else if parts.method == Method::GET && recorded.path == IMAGE_PATH {
            Reply::status(200, "image/png", Bytes::from_static(IMAGE_PNG))
        } else {
            let anthropic = recorded.path.ends_with("/v1/messages");
            log.chats += 1;
            shared.script.chat(anthropic, log.chats - 1).clone()
        };
        log.requests.push(recorded);
        reply
    };
    reply.steps = reply
        .steps
        .into_iter()
        .flat_map(|step| match step {
            Step::Continue { anthropic, text } => continuation(anthropic, &text, &asked),
            Step::ToolTurn { anthropic, play } => tool_turns::turn(play, anthropic, &asked)
                .into_iter()
                .map(Step::Bytes)
                .collect(),
            other => vec![other],
        })
        .collect();
    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    let counted = shared.clone();
    let frames = futures_util::stream::unfold(VecDeque::from(reply.steps), next_frame).inspect(
        move |frame| {
            if let Some(data) = frame.as_ref().ok().and_then(Frame::data_ref) {
                counted.sent.fetch_add(data.len() as u64, Ordering::Relaxed);
            }
        },
    );
    Ok(response
        .body(BodyExt::boxed(StreamBody::new(frames)))
        .expect("scripted replies have valid headers"))
}

fn message_text(message: &serde_json::Value) -> String {
    match &message["content"] {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(parts) => {
            parts.iter().filter_map(|p| p["text"].as_str()).collect()
        }
        _ => String::new(),
    }
}

fn continuation(anthropic: bool, text: &str, request: &serde_json::Value) -> Vec<Step> {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let role = |i: usize| messages.get(i).and_then(|m| m["role"].as_str());
    let n = messages.len();
    let rest = if n >= 1 && role(n - 1) == Some("assistant") {
        let prefill = message_text(&messages[n - 1]);
        text.strip_prefix(prefill.as_str())
            .unwrap_or(text)
            .to_owned()
    } else if n >= 2 && role(n - 2) == Some("assistant") {
        let partial = message_text(&messages[n - 2]);
        let word_start = partial.trim_end().rfind(' ').map_or(0, |i| i + 1);
        match text.strip_prefix(partial.as_str()) {
            Some(_) => text[word_start..].to_owned(),
            None => text.to_owned(),
        }
    } else {
        text.to_owned()
    };
    // Sent in pieces of a few words, like a model.
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, _) in rest.match_indices(' ') {
        if i > start {
            pieces.push(&rest[start..i]);
            start = i;
        }
    }
    pieces.push(&rest[start..]);
    pieces.retain(|p| !p.is_empty());
    let events = if anthropic {
        crate::transcript::anthropic(&pieces)
    } else {
        crate::transcript::openai(&pieces)
    };
    events.into_iter().map(Step::Bytes).collect()
}

async fn next_frame(
    mut steps: VecDeque<Step>,
) -> Option<(Result<Frame<Bytes>, std::io::Error>, VecDeque<Step>)> {
    loop {
        match steps.pop_front()? {
            Step::Bytes(bytes) => return Some((Ok(Frame::data(bytes)), steps)),
            Step::Pause(delay) => tokio::time::sleep(delay).await,
            Step::Tick { every, due } => {
                let due = due.unwrap_or_else(|| tokio::time::Instant::now() + every);
                tokio::time::sleep_until(due).await;
                // The next tick (after the frame it comes before) is due one interval
                // after this one, however late this one woke.
                if let Some(Step::Tick { due: next, .. }) = steps.get_mut(1) {
                    *next = Some(due + every);
                }
            }
            Step::Stamp { anthropic } => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default()
                    .as_nanos();
                let event = text_event(anthropic, &format!("{now}\n"));
                return Some((Ok(Frame::data(event)), steps));
            }
            Step::Reset => {
                // hyper drops a connection whose body fails: the client sees the stream
                // break off mid-body, as with a reset.
                steps.clear();
                let error = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "mock reset");
                return Some((Err(error), steps));
            }
            Step::Continue { .. } | Step::ToolTurn { .. } => {
                unreachable!("resolved when the request arrives")
            }
            Step::Stall => tokio::time::sleep(STALL_LIMIT).await,
            Step::EndlessLine { mib } => {
                let chunk = Bytes::from(vec![b'a'; 1024 * 1024]);
                let mut rest: VecDeque<Step> =
                    (0..mib).map(|_| Step::Bytes(chunk.clone())).collect();
                rest.extend(steps);
                return Some((Ok(Frame::data(Bytes::from_static(b"data: "))), rest));
            }
        }
    }
}
