//! The tool loop: the model answers, asks for tools, reads their results and answers
//! again, until it answers without asking, all as one answer to the sink.

use tokio_util::sync::CancellationToken;

use crate::client::{Client, Finish, Sink};
use crate::error::Error;
use crate::event::{Event, ToolCall};
use crate::limits::Budget;
use crate::request::{ChatRequest, Message, Part, Role};
use crate::tools::{CallContext, Registry, ToolOutput};

/// Model turns allowed in one [`Client::converse`] before it gives up.
pub const DEFAULT_MAX_TOOL_STEPS: usize = 8;

/// How long a stopped answer waits for a running call to tell its server.
const CANCEL_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// One model turn's events on their way to the real sink: it keeps the turn's text and
/// finished calls, starts a later turn's text on a new paragraph, and holds back the
/// turn's `finish`, since only the loop knows whether the conversation ends there.
struct Turn<'a, S: Sink> {
    sink: &'a mut S,
    /// Earlier turns showed text.
    text_before: bool,
    text: String,
    calls: Vec<ToolCall>,
}

impl<S: Sink> Sink for Turn<'_, S> {
    fn event(&mut self, event: Event) {
        match event {
            Event::Text { text } if !text.is_empty() => {
                if self.text.is_empty() && self.text_before {
                    self.sink.event(Event::Text {
                        text: "\n\n".into(),
                    });
                }
                self.text.push_str(&text);
                self.sink.event(Event::Text { text });
            }
            Event::ToolCall(call) => {
                self.calls.push(call.clone());
                self.sink.event(Event::ToolCall(call));
            }
            Event::Finish { .. } => {}
            other => self.sink.event(other),
        }
    }

    fn idle(&mut self) {
        self.sink.idle();
    }
}

/// Keeps a turn's text in the conversation when the turn ended it.
fn keep_text(request: &mut ChatRequest, text: String) {
    if !text.is_empty() {
        request.messages.push(Message::assistant(text));
    }
}

impl Client {
    /// Streams an answer that may use `tools`, ending with exactly one `finish` or
    /// `error` event, which is also returned.
    ///
    /// Each model turn is a [`Client::stream_chat`] (with its retries, resume and
    /// cancellation). When a turn asks for tools, they run one after the other, each on
    /// a blocking thread for at most
    /// [`Options::tool_timeout`](crate::Options::tool_timeout), each giving a
    /// `tool_result` event (a failing, unknown or timed-out tool gives an error result,
    /// which the model reads), and the model is asked again. The turns' own `finish`
    /// events are not passed on, and a turn's text that follows earlier text starts
    /// after a `"\n\n"` text event; each turn's `usage` is passed on as it comes. After
    /// `max_steps` turns (at least one) that all asked for tools, it ends with a
    /// `tool_limit` error, without running the last turn's calls.
    ///
    /// The answer's [limits](crate::Options::max_answer_bytes) hold for the whole loop:
    /// the size of the answer adds up over its turns. A turn that goes past one ends the
    /// loop with its error (`tool_limit` or `too_large`), and none of its calls runs.
    ///
    /// `request` is the conversation: its `tools` are set to the registry's, and what
    /// the loop adds stays in `request.messages` when it returns, whatever the end:
    /// for each turn whose tools ran, an assistant message (its text, then its
    /// [`Part::ToolCall`]s) and a user message of [`Part::ToolResult`]s in the calls'
    /// order; then the last turn's text as an assistant message, if it had any. So the
    /// messages after the ones passed in are what to store, and the conversation can
    /// be continued as it is (it never ends with calls that have no results).
    ///
    /// A request [continuing from](ChatRequest::continuing_from) a partial answer has
    /// its first turn go on from it (the events carry only the new text), and the
    /// first assistant message added holds the partial answer and what followed it as
    /// one text; `continue_from` is cleared, since the conversation has moved on.
    pub async fn converse(
        &self,
        request: &mut ChatRequest,
        tools: &Registry,
        max_steps: usize,
        cancel: &CancellationToken,
        sink: &mut impl Sink,
    ) -> Result<Finish, Error> {
        request.tools = tools.specs();
        let mut budget = Budget::new(self.options());
        let mut text_before = false;
        let mut step = 0;
        loop {
            step += 1;
            let mut turn = Turn {
                sink: &mut *sink,
                text_before,
                text: String::new(),
                calls: Vec::new(),
            };
            let end = self
                .stream_within(request, cancel, &mut turn, &mut budget)
                .await;
            let Turn {
                mut text, calls, ..
            } = turn;
            if let Some(partial) = request.continue_from.take() {
                text.insert_str(0, &partial);
            }
            let finish = match end {
                Ok(finish) => finish,
                Err(error) => {
                    keep_text(request, text);
                    return Err(error);
                }
            };
            if calls.is_empty() {
                keep_text(request, text);
                sink.event(Event::Finish {
                    reason: finish.reason,
                    raw: finish.raw.clone(),
                });
                return Ok(finish);
            }
            if step >= max_steps.max(1) {
                keep_text(request, text);
                let error = Error::tool_limit(step);
                sink.event(Event::Error(error.clone()));
                return Err(error);
            }

            // A tool may take a while: what was received is shown first.
            sink.idle();
            let mut results = Vec::with_capacity(calls.len());
            for call in &calls {
                let (context, mut stages) = CallContext::new(&call.id, cancel.child_token());
                let source = tools.source(&call.name).to_owned();
                let running = tools.call(
                    &call.name,
                    &call.arguments,
                    context,
                    self.options().tool_timeout,
                );
                tokio::pin!(running);
                let output = loop {
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => {
                            // The call saw the same cancellation: a moment lets it tell
                            // its server, and whatever it gives is dropped.
                            let _ = tokio::time::timeout(CANCEL_GRACE, &mut running).await;
                            keep_text(request, text);
                            let error = Error::cancelled();
                            sink.event(Event::Error(error.clone()));
                            return Err(error);
                        }
                        Some(stage) = stages.recv() => {
                            sink.event(Event::ToolStage {
                                id: call.id.clone(),
                                source: source.clone(),
                                stage,
                            });
                            // The person may need to answer it: it is shown now.
                            sink.idle();
                        }
                        output = &mut running => break output,
                    }
                };
                while let Ok(stage) = stages.try_recv() {
                    sink.event(Event::ToolStage {
                        id: call.id.clone(),
                        source: source.clone(),
                        stage,
                    });
                }
                let ToolOutput {
                    text: content,
                    is_error,
                    images,
                } = output;
                sink.event(Event::ToolResult {
                    id: call.id.clone(),
                    name: call.name.clone(),
                    content: content.clone(),
                    is_error,
                    images,
                });
                results.push(Part::ToolResult {
                    tool_call_id: call.id.clone(),
                    name: call.name.clone(),
                    content,
                    is_error,
                });
            }

            text_before |= !text.is_empty();
            let mut asked = Vec::with_capacity(calls.len() + 1);
            if !text.is_empty() {
                asked.push(Part::Text { text });
            }
            asked.extend(calls.into_iter().map(|call| Part::ToolCall {
                id: call.id,
                name: call.name,
                arguments: call.arguments,
            }));
            request.messages.push(Message {
                role: Role::Assistant,
                content: asked,
            });
            request.messages.push(Message {
                role: Role::User,
                content: results,
            });
        }
    }
}
