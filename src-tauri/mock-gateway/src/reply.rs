use std::time::Duration;

use bytes::Bytes;

use crate::tool_turns::ToolPlay;

/// One scripted answer: status, headers, the body as timed pieces, and how it ends.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub steps: Vec<Step>,
}

/// What the server does next while answering.
#[derive(Debug, Clone)]
pub enum Step {
    /// Writes these bytes as one body frame.
    Bytes(Bytes),
    /// Waits before the next step.
    Pause(Duration),
    /// Waits until `every` after the previous such step was due (or after now, for the
    /// first): a rate that timer overshoot does not slow down, as `Pause` would.
    Tick {
        every: Duration,
        due: Option<tokio::time::Instant>,
    },
    /// Writes an OpenAI or Anthropic text event whose text is the time of writing, in
    /// nanoseconds since the Unix epoch, then a newline (for latency measurements).
    Stamp { anthropic: bool },
    /// Aborts the connection in the middle of the body.
    Reset,
    /// Sends nothing more and keeps the connection open (for a long while).
    Stall,
    /// Sends `data: ` and then this many MiB of one endless line.
    EndlessLine { mib: usize },
    /// Streams the part of `text` the request has not got yet, as a model continuing a
    /// cut-off answer would: after an Anthropic prefill (a final assistant message) it
    /// sends exactly the rest; after an OpenAI "continue" request it starts again at the
    /// last word of the partial answer, as models often do; otherwise all of `text`.
    Continue { anthropic: bool, text: String },
    /// Streams the turn of a tool-calling model that answers the request: tool calls
    /// until the request carries their results, then an answer quoting them.
    ToolTurn { anthropic: bool, play: ToolPlay },
}

impl Reply {
    /// A 200 `text/event-stream` reply, written one event per frame.
    pub fn sse(events: Vec<Bytes>) -> Self {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            steps: events.into_iter().map(Step::Bytes).collect(),
        }
    }

    /// The answer `text`, continued from wherever an earlier, cut-off reply stopped.
    pub fn continuation(anthropic: bool, text: &str) -> Self {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            steps: vec![Step::Continue {
                anthropic,
                text: text.to_owned(),
            }],
        }
    }

    /// A model that calls tools as `play` says, answering whatever the request holds.
    pub fn tool_turn(anthropic: bool, play: ToolPlay) -> Self {
        Reply {
            status: 200,
            headers: vec![("content-type".into(), "text/event-stream".into())],
            steps: vec![Step::ToolTurn { anthropic, play }],
        }
    }

    /// A recorded body replayed as it was, one event per frame.
    pub fn replay(body: &[u8]) -> Self {
        Reply::sse(split_events(body))
    }

    /// A plain reply with one body.
    pub fn status(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            steps: vec![Step::Bytes(body.into())],
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Keeps only the first `len` body bytes, as when the server closes early.
    pub fn cut_at(mut self, len: usize) -> Self {
        let mut left = len;
        let mut kept = Vec::new();
        for step in self.steps {
            match step {
                Step::Bytes(bytes) => {
                    if left == 0 {
                        break;
                    }
                    let take = bytes.len().min(left);
                    left -= take;
                    kept.push(Step::Bytes(bytes.slice(..take)));
                }
                other => kept.push(other),
            }
        }
        self.steps = kept;
        self
    }

    /// The body's bytes (without timed or generated steps).
    pub fn body_len(&self) -> usize {
        self.steps
            .iter()
            .map(|s| match s {
                Step::Bytes(b) => b.len(),
                _ => 0,
            })
            .sum()
    }

    pub fn then(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    /// Waits before the first byte of the body.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.steps.insert(0, Step::Pause(delay));
        self
    }

    /// Writes body frames at `rate` a second, on average.
    pub fn at_rate(mut self, rate: u64) -> Self {
        let every = Duration::from_nanos(1_000_000_000 / rate.max(1));
        let mut steps = Vec::with_capacity(self.steps.len() * 2);
        for step in self.steps {
            if matches!(step, Step::Bytes(_)) && !steps.is_empty() {
                steps.push(Step::Tick { every, due: None });
            }
            steps.push(step);
        }
        self.steps = steps;
        self
    }

    /// Waits between body frames.
    pub fn paced(mut self, delay: Duration) -> Self {
        let mut steps = Vec::with_capacity(self.steps.len() * 2);
        for step in self.steps {
            if matches!(step, Step::Bytes(_)) && !steps.is_empty() {
                steps.push(Step::Pause(delay));
            }
            steps.push(step);
        }
        self.steps = steps;
        self
    }
}

/// Splits a body after each blank line, so that a replay writes event by event.
pub fn split_events(body: &[u8]) -> Vec<Bytes> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < body.len() {
        let end = if body[i..].starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else if body[i..].starts_with(b"\n\n") || body[i..].starts_with(b"\r\r") {
            Some(i + 2)
        } else {
            None
        };
        match end {
            Some(end) => {
                out.push(Bytes::copy_from_slice(&body[start..end]));
                start = end;
                i = end;
            }
            None => i += 1,
        }
    }
    if start < body.len() {
        out.push(Bytes::copy_from_slice(&body[start..]));
    }
    out
}
