//! The HTTP side: one request per attempt, and the loop that retries, resumes and ends
//! every stream with exactly one `finish` or `error`.

use std::future::poll_fn;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, LOCATION};
use secrecy::{ExposeSecret, SecretString};
use tokio_util::sync::CancellationToken;

use crate::error::Error;
use crate::event::{Event, FinishReason};
use crate::gateway_headers;
use crate::idle::{self, IdleTimeout};
use crate::limits::Budget;
use crate::options::Options;
use crate::protocol::{self, decoding::stream_error, Decoder, Flow};
use crate::request::{ChatRequest, Protocol};
use crate::resume::{self, Joint};
use crate::retry;
use crate::sse;
use crate::text::preview;

/// Where events go. Any `FnMut(Event)` is a sink; a sink that buffers (a terminal, a
/// pipe) also implements `idle` to flush whenever the engine is about to wait, so that
/// nothing received sits in a buffer.
pub trait Sink {
    fn event(&mut self, event: Event);

    /// The engine is about to wait for the network or a retry delay.
    fn idle(&mut self) {}
}

impl<F: FnMut(Event)> Sink for F {
    fn event(&mut self, event: Event) {
        self(event)
    }
}

/// How a finished answer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finish {
    pub reason: FinishReason,
    /// The provider's own word (`stop`, `end_turn`, `max_tokens`…).
    pub raw: String,
}

/// A gateway client holding the key and the transport options. Cheap to clone; clones
/// share one connection pool. It never follows redirects: a 3xx answer is an
/// [`Error::Redirect`], so the key and the conversation go only to the address set.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    api_key: SecretString,
    options: Options,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("api_key", &"[redacted]")
            .field("options", &self.options)
            .finish()
    }
}

/// One streamed answer, start to end: the convenience form of [`Client::stream_chat`].
pub async fn stream_chat(
    request: &ChatRequest,
    options: Options,
    api_key: SecretString,
    cancel: &CancellationToken,
    sink: &mut impl Sink,
) -> Result<Finish, Error> {
    match Client::new(api_key, options) {
        Ok(client) => client.stream_chat(request, cancel, sink).await,
        Err(error) => {
            sink.event(Event::Error(error.clone()));
            Err(error)
        }
    }
}

struct Failure {
    error: Error,
    asked_delay: Option<Duration>,
    /// The gateway reported the error inside a 200 stream.
    in_stream: bool,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            asked_delay: None,
            in_stream: false,
        }
    }
}

/// Passes events on while keeping what resume needs: the text so far, whether any
/// output was shown, and the joint that de-duplicates a continuation. Every event is
/// first counted against the answer's limits; once one is exceeded, nothing more but
/// the usage is passed on, and `over` says which limit it was.
struct Emitter<'a, S: Sink> {
    sink: &'a mut S,
    budget: &'a mut Budget,
    over: Option<Error>,
    text: String,
    output: bool,
    attempt_output: bool,
    joint: Option<Joint>,
}

impl<S: Sink> Emitter<'_, S> {
    fn event(&mut self, event: Event) {
        if self.over.is_none() {
            if let Err(error) = self.budget.admit(&event) {
                self.over = Some(error);
            }
        }
        if self.over.is_some() {
            if let Event::Usage(_) = event {
                self.sink.event(event);
            }
            return;
        }
        match event {
            Event::Text { text } => {
                self.attempt_output = true;
                self.output = true;
                let text = match &mut self.joint {
                    Some(joint) => match joint.push(&text) {
                        Some(text) => text,
                        None => return,
                    },
                    None => text,
                };
                self.text.push_str(&text);
                self.sink.event(Event::Text { text });
            }
            other => {
                if matches!(
                    other,
                    Event::Reasoning { .. } | Event::Refusal { .. } | Event::ToolCallDelta { .. }
                ) {
                    self.attempt_output = true;
                    self.output = true;
                }
                self.settle();
                self.sink.event(other);
            }
        }
    }

    /// Lets out text the joint still holds.
    fn settle(&mut self) {
        if let Some(text) = self.joint.as_mut().and_then(Joint::settle) {
            self.text.push_str(&text);
            self.sink.event(Event::Text { text });
        }
    }
}

impl Client {
    pub fn new(api_key: SecretString, options: Options) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            // A redirected request would carry the key and the conversation to an
            // address nobody chose, perhaps over plain HTTP.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(crate::USER_AGENT)
            .build()
            .map_err(|err| Error::network(format!("could not set up HTTP: {}", chain(&err))))?;
        Ok(Client {
            http,
            api_key,
            options,
        })
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Streams one answer into `sink`, ending with exactly one `finish` or `error` event,
    /// which is also returned. Retries before the first output and resumes after it, as
    /// the options allow; `cancel` stops everything at once.
    ///
    /// A request [continuing from](ChatRequest::continuing_from) a partial answer asks
    /// the model to go on from it, and its events carry only the text that follows the
    /// partial answer, without what the model repeated of it.
    ///
    /// An answer that goes past one of the [limits](Options::max_answer_bytes) stops at
    /// once with a `tool_limit` or `too_large` error; what was passed on before stands.
    pub async fn stream_chat(
        &self,
        request: &ChatRequest,
        cancel: &CancellationToken,
        sink: &mut impl Sink,
    ) -> Result<Finish, Error> {
        let mut budget = Budget::new(&self.options);
        self.stream_within(request, cancel, sink, &mut budget).await
    }

    /// [`Client::stream_chat`] counting against `budget`, which the tool loop's turns
    /// share.
    pub(crate) async fn stream_within(
        &self,
        request: &ChatRequest,
        cancel: &CancellationToken,
        sink: &mut impl Sink,
        budget: &mut Budget,
    ) -> Result<Finish, Error> {
        // A Continue is a resume whose earlier text the sink already has.
        let partial = request.partial_answer();
        let mut out = Emitter {
            sink,
            budget,
            over: None,
            text: partial.unwrap_or_default().to_owned(),
            output: false,
            attempt_output: false,
            joint: None,
        };
        let mut retries = 0;
        let mut resumes = 0;
        loop {
            out.attempt_output = false;
            out.budget.new_attempt();
            let resumed;
            let attempt = if resumes > 0 || partial.is_some() {
                out.joint = Some(Joint::new(request.protocol, &out.text));
                resumed = resume::request(request, &out.text);
                &resumed
            } else {
                request
            };
            let mut decoder = protocol::decoder(request.protocol);
            let failure = match self
                .attempt(attempt, cancel, &mut out, decoder.as_mut())
                .await
            {
                Ok(()) => {
                    out.settle();
                    decoder.end(&mut |event| out.event(event));
                    if let Some(error) = out.over.clone() {
                        // The last tool calls, which only come out at the end, were
                        // over a limit.
                        out.sink.event(Event::Error(error.clone()));
                        return Err(error);
                    }
                    let raw = decoder.state().finish_raw.clone().unwrap_or_default();
                    let finish = Finish {
                        reason: protocol::finish_reason(request.protocol, &raw),
                        raw,
                    };
                    out.sink.event(Event::Finish {
                        reason: finish.reason,
                        raw: finish.raw.clone(),
                    });
                    return Ok(finish);
                }
                Err(failure) => failure,
            };
            let error = self.redact(failure.error);

            if !matches!(error, Error::Cancelled { .. }) && retry::is_retryable(&error) {
                if !out.output && retries < self.options.max_retries {
                    retries += 1;
                    let delay = retry::delay(&self.options, retries, failure.asked_delay);
                    out.sink.event(Event::Retry {
                        attempt: retries,
                        max_attempts: self.options.max_retries,
                        delay_ms: delay.as_millis() as u64,
                        reason: error.message().to_owned(),
                        resume: false,
                    });
                    if self.pause(delay, cancel, &mut out).await.is_ok() {
                        continue;
                    }
                    return self.fail(Error::cancelled(), &mut out, decoder.as_mut());
                }
                let resumable = out.output
                    && !(failure.in_stream && out.attempt_output)
                    && !out.text.trim().is_empty();
                if resumable && self.options.resume && resumes < self.options.max_resumes {
                    resumes += 1;
                    out.settle();
                    let delay = retry::delay(&self.options, resumes, failure.asked_delay);
                    out.sink.event(Event::Retry {
                        attempt: resumes,
                        max_attempts: self.options.max_resumes,
                        delay_ms: delay.as_millis() as u64,
                        reason: format!("resuming the interrupted answer ({})", error.message()),
                        resume: true,
                    });
                    if self.pause(delay, cancel, &mut out).await.is_ok() {
                        continue;
                    }
                    return self.fail(Error::cancelled(), &mut out, decoder.as_mut());
                }
                if out.output && !(failure.in_stream && out.attempt_output) {
                    let error = Error::Interrupted {
                        message: format!("the answer was interrupted: {}", error.message()),
                    };
                    return self.fail(error, &mut out, decoder.as_mut());
                }
            }
            return self.fail(error, &mut out, decoder.as_mut());
        }
    }

    fn fail<S: Sink>(
        &self,
        error: Error,
        out: &mut Emitter<'_, S>,
        decoder: &mut dyn Decoder,
    ) -> Result<Finish, Error> {
        out.settle();
        if !matches!(error, Error::Cancelled { .. }) {
            decoder.end(&mut |event| out.event(event));
        }
        out.sink.event(Event::Error(error.clone()));
        Err(error)
    }

    async fn pause<S: Sink>(
        &self,
        delay: Duration,
        cancel: &CancellationToken,
        out: &mut Emitter<'_, S>,
    ) -> Result<(), Error> {
        out.sink.idle();
        tokio::select! {
            _ = cancel.cancelled() => Err(Error::cancelled()),
            _ = tokio::time::sleep(delay) => Ok(()),
        }
    }

    /// Error text comes from servers and libraries; a server that echoes the key back
    /// must not get it shown.
    pub(crate) fn redact(&self, error: Error) -> Error {
        let key = self.api_key.expose_secret();
        if key.len() < 4 || !error.message().contains(key) {
            return error;
        }
        let message = error.message().replace(key, "[redacted]");
        match error {
            Error::Auth { status, .. } => Error::Auth { message, status },
            Error::RateLimit { status, .. } => Error::RateLimit { message, status },
            Error::Server { status, .. } => Error::Server { message, status },
            Error::Network { .. } => Error::Network { message },
            Error::Timeout { .. } => Error::Timeout { message },
            Error::BadRequest { status, .. } => Error::BadRequest { message, status },
            Error::Protocol { .. } => Error::Protocol { message },
            Error::Redirect { status, .. } => Error::Redirect { message, status },
            Error::Interrupted { .. } => Error::Interrupted { message },
            Error::Cancelled { .. } => Error::Cancelled { message },
            Error::ToolLimit { .. } => Error::ToolLimit { message },
            Error::TooLarge { .. } => Error::TooLarge { message },
            Error::ToolFile { .. } => Error::ToolFile { message },
        }
    }

    fn http_request(&self, request: &ChatRequest) -> Result<reqwest::RequestBuilder, Error> {
        let wire = protocol::wire(request.protocol);
        let headers = self.headers(
            request.protocol,
            "text/event-stream",
            &request.extra_headers,
        )?;
        Ok(self
            .http
            .post(wire.chat_url(&request.base_url))
            .headers(headers)
            .json(&wire.body(request)))
    }

    /// What every gateway request carries: the key the way `protocol` sends it, what
    /// the answer may be, and the gateway's own headers.
    pub(crate) fn headers(
        &self,
        protocol: Protocol,
        accept: &'static str,
        extra: &[(String, String)],
    ) -> Result<HeaderMap, Error> {
        let mut headers = protocol::wire(protocol).headers(self.api_key.expose_secret())?;
        headers.insert(ACCEPT, HeaderValue::from_static(accept));
        gateway_headers::with_extra(headers, extra)
    }

    async fn attempt<S: Sink>(
        &self,
        request: &ChatRequest,
        cancel: &CancellationToken,
        out: &mut Emitter<'_, S>,
        decoder: &mut dyn Decoder,
    ) -> Result<(), Failure> {
        let idle = self.options.idle_timeout;
        let http_request = self.http_request(request)?;
        out.sink.idle();
        let response = tokio::select! {
            // Cancellation first: an answer cancelled before it started sends nothing.
            biased;
            _ = cancel.cancelled() => return Err(Error::cancelled().into()),
            sent = tokio::time::timeout(idle, http_request.send()) => match sent {
                Err(_) => return Err(Error::Timeout {
                    message: format!("the gateway sent no answer for {}", seconds(idle)),
                }.into()),
                Ok(Err(err)) => return Err(send_error(&err).into()),
                Ok(Ok(response)) => response,
            },
        };

        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(&response).into());
        }
        if !status.is_success() {
            let asked_delay = retry::asked_delay(response.headers());
            let code = status.as_u16();
            let body = read_some(response, idle, cancel).await?;
            let message = provider_message(&body).unwrap_or_else(|| {
                format!(
                    "HTTP {code} {}",
                    status.canonical_reason().unwrap_or_default()
                )
            });
            return Err(Failure {
                error: Error::from_status(code, message),
                asked_delay,
                in_stream: false,
            });
        }

        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !content_type.is_empty() && !content_type.starts_with("text/event-stream") {
            let body = read_some(response, idle, cancel).await?;
            if let Some(error) = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("error").cloned())
                .filter(|e| e.is_object())
            {
                return Err(Failure {
                    error: stream_error(&error),
                    asked_delay: None,
                    in_stream: true,
                });
            }
            return Err(Error::protocol(format!(
                "the gateway answered with {content_type} instead of an event stream: {}",
                preview(body.trim())
            ))
            .into());
        }

        let mut events = sse::Events::new(
            body_with_idle_timeout(response, idle),
            self.options.max_event_bytes,
        );
        loop {
            let mut next = poll_fn(|cx| Poll::Ready(events.poll_event(cx))).await;
            if next.is_pending() {
                idle::yield_once().await;
                next = poll_fn(|cx| Poll::Ready(events.poll_event(cx))).await;
            }
            let next = match next {
                Poll::Ready(next) => next,
                Poll::Pending => {
                    out.sink.idle();
                    tokio::select! {
                        _ = cancel.cancelled() => return Err(Error::cancelled().into()),
                        next = poll_fn(|cx| events.poll_event(cx)) => next,
                    }
                }
            };
            match next {
                Some(Ok(())) => {}
                Some(Err(error)) => return Err(error.into()),
                None => break,
            }
            let flow = decoder.event(events.event(), &mut |e| out.event(e));
            if let Some(error) = out.over.clone() {
                // Returning drops the body, and with it the connection.
                return Err(Failure {
                    error,
                    asked_delay: None,
                    in_stream: true,
                });
            }
            match flow {
                Ok(Flow::Done) => return Ok(()),
                Ok(Flow::Continue) => {}
                Err(error) => {
                    return Err(Failure {
                        error,
                        asked_delay: None,
                        in_stream: true,
                    })
                }
            }
            if cancel.is_cancelled() {
                return Err(Error::cancelled().into());
            }
        }
        if decoder.state().finish_raw.is_some() {
            // The end marker went missing but the model had said it was done.
            return Ok(());
        }
        Err(Error::Interrupted {
            message: "the stream ended before the answer was complete".into(),
        }
        .into())
    }
}

pub(crate) fn seconds(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The error and its causes, which is where reqwest keeps the useful part.
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

pub(crate) fn send_error(err: &reqwest::Error) -> Error {
    if err.is_timeout() {
        Error::Timeout {
            message: format!("connecting to the gateway timed out: {}", chain(err)),
        }
    } else if err.is_connect() {
        Error::network(format!("could not connect to the gateway: {}", chain(err)))
    } else {
        Error::network(format!("the request failed: {}", chain(err)))
    }
}

/// The gateway answered with a redirect, which is never followed.
pub(crate) fn redirect_error(response: &reqwest::Response) -> Error {
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok());
    Error::redirect(response.status().as_u16(), location)
}

pub(crate) fn body_with_idle_timeout(
    response: reqwest::Response,
    idle: Duration,
) -> impl Stream<Item = Result<Bytes, Error>> {
    IdleTimeout::new(response.bytes_stream(), idle)
}

/// Reads the start of a non-stream body (an error page, a JSON error) for its message.
async fn read_some(
    response: reqwest::Response,
    idle: Duration,
    cancel: &CancellationToken,
) -> Result<String, Failure> {
    const LIMIT: usize = 64 * 1024;
    let mut body = Vec::new();
    let mut stream = Box::pin(body_with_idle_timeout(response, idle));
    loop {
        let next = tokio::select! {
            _ = cancel.cancelled() => return Err(Error::cancelled().into()),
            next = stream.next() => next,
        };
        match next {
            Some(Ok(bytes)) => {
                body.extend_from_slice(&bytes);
                if body.len() >= LIMIT {
                    body.truncate(LIMIT);
                    break;
                }
            }
            // A body cut short still says something; the status is what counts.
            Some(Err(_)) | None => break,
        }
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// The provider's own words from an error body: `error.message` (OpenAI, Anthropic),
/// `message`, a bare `error` string, or else the text itself.
pub(crate) fn provider_message(body: &str) -> Option<String> {
    let body = body.trim();
    if body.is_empty() {
        return None;
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(body) {
        let found = value
            .pointer("/error/message")
            .or_else(|| value.get("message"))
            .or_else(|| value.get("error"))
            .and_then(|v| v.as_str());
        if let Some(message) = found {
            return Some(message.to_owned());
        }
    }
    Some(preview(body).to_owned())
}
