use serde::Serialize;
use serde_json::Value;

use crate::error::Error;

/// One provider-neutral happening in a streamed answer. The desktop app and the CLI's
/// `--json` output both see exactly this, serialised with a `"type"` tag.
///
/// A stream emits any number of content events, then exactly one `Finish` or `Error`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Text {
        text: String,
    },
    Reasoning {
        text: String,
    },
    Refusal {
        text: String,
    },
    ToolCallDelta {
        index: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        arguments_delta: String,
    },
    ToolCall(ToolCall),
    /// What running a tool call gave, in the tool loop ([`crate::Client::converse`]).
    /// `id` is the call's; an error result (`is_error`) goes back to the model too.
    ToolResult {
        id: String,
        name: String,
        content: String,
        is_error: bool,
    },
    Usage(Usage),
    /// The engine waits `delay_ms` and then tries again. `attempt` counts up to
    /// `max_attempts` (the limit in force), separately for retries and for resumes, so
    /// the window can say "retry 2 of 3" or "resuming (1 of 2)".
    Retry {
        attempt: u32,
        max_attempts: u32,
        delay_ms: u64,
        reason: String,
        /// True when the wait is before continuing an answer that was cut off, false for
        /// a plain retry before any output.
        resume: bool,
    },
    Finish {
        reason: FinishReason,
        raw: String,
    },
    Error(Error),
}

impl Event {
    /// True for the one event that ends a stream.
    pub fn is_end(&self) -> bool {
        matches!(self, Event::Finish { .. } | Event::Error(_))
    }
}

/// A complete tool call. `arguments` is `{}` when the model sent none and `null` when its
/// JSON was cut off; `arguments_raw` always keeps what arrived.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolCall {
    pub index: usize,
    pub id: String,
    pub name: String,
    pub arguments: Value,
    pub arguments_raw: String,
}

impl ToolCall {
    pub(crate) fn new(index: usize, id: String, name: String, arguments_raw: String) -> Self {
        let arguments = if arguments_raw.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str(&arguments_raw).unwrap_or(Value::Null)
        };
        ToolCall {
            index,
            id,
            name,
            arguments,
            arguments_raw,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    Stop,
    Length,
    ToolCalls,
    ContentFilter,
    Refusal,
    Other,
}

impl FinishReason {
    /// Folds both protocols' words into one vocabulary; unknown words become `Other` and
    /// the provider's word stays available as `raw`.
    pub fn from_raw(raw: &str) -> Self {
        match raw {
            "stop" | "end_turn" | "stop_sequence" => FinishReason::Stop,
            "length" | "max_tokens" | "model_context_window_exceeded" => FinishReason::Length,
            "tool_calls" | "tool_use" | "function_call" => FinishReason::ToolCalls,
            "content_filter" => FinishReason::ContentFilter,
            "refusal" => FinishReason::Refusal,
            _ => FinishReason::Other,
        }
    }
}
