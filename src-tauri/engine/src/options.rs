use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::sse::MAX_EVENT_BYTES;

/// Most tool calls one model turn may ask for (the default of [`Options::max_tool_calls`]).
pub const MAX_TOOL_CALLS: usize = 32;

/// Largest tool call, in bytes of its arguments, id and name (the default of
/// [`Options::max_tool_argument_bytes`]).
pub const MAX_TOOL_ARGUMENT_BYTES: usize = 1024 * 1024;

/// Largest answer, in bytes (the default of [`Options::max_answer_bytes`]).
pub const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// Longest a tool may run (the default of [`Options::tool_timeout`]).
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(10);

/// How to talk to the gateway: timeouts, retries and resume, and the limits that keep a
/// broken or hostile gateway (or a model talked into misbehaving) from exhausting the
/// machine. The defaults suit a person waiting for an answer; tests shorten them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Time allowed to open the connection.
    pub connect_timeout: Duration,
    /// Longest silence allowed between received bytes (also for the first byte). There is
    /// deliberately no total timeout: long answers are normal.
    pub idle_timeout: Duration,
    /// Retries before the first output (network errors, 408/409/429/5xx/529, overloaded).
    pub max_retries: u32,
    /// First backoff delay; it doubles with each retry, with jitter.
    pub retry_base_delay: Duration,
    /// No wait, computed or asked for with Retry-After, is longer than this.
    pub retry_max_delay: Duration,
    /// Continue an answer whose connection dropped after output had started.
    pub resume: bool,
    /// How many times one answer may be resumed.
    pub max_resumes: u32,
    /// Largest accepted server-sent event.
    pub max_event_bytes: usize,
    /// Most tool calls one model turn may ask for (default 32). One more ends the answer
    /// with a `tool_limit` error; none of that turn's calls runs.
    pub max_tool_calls: usize,
    /// Largest tool call, counting its arguments, id and name, in bytes (default 1 MiB).
    /// A larger one ends the answer with a `too_large` error; none of that turn's calls
    /// runs.
    pub max_tool_argument_bytes: usize,
    /// Largest answer in bytes: its text, reasoning, refusals and tool calls, added up
    /// over every turn of a tool loop (default 32 MiB). Past it the answer ends with a
    /// `too_large` error.
    ///
    /// Whichever limit is hit, the stream stops at once (its connection is dropped), the
    /// events already passed on stand, and the error says which limit it was.
    pub max_answer_bytes: usize,
    /// Longest one tool call may run (default 10 s). Tools run on a blocking thread; one
    /// that takes longer gives the model an error result and the answer goes on, while
    /// its thread is left to finish on its own.
    pub tool_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(30),
            resume: true,
            max_resumes: 2,
            max_event_bytes: MAX_EVENT_BYTES,
            max_tool_calls: MAX_TOOL_CALLS,
            max_tool_argument_bytes: MAX_TOOL_ARGUMENT_BYTES,
            max_answer_bytes: MAX_ANSWER_BYTES,
            tool_timeout: TOOL_TIMEOUT,
        }
    }
}
