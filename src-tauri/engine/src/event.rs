use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::error::Error;
use crate::tools::{ToolImage, ToolStage};

/// One provider-neutral happening in a streamed answer. The desktop app and the CLI's
/// `--json` output both see exactly this, serialised with a `"type"` tag.
///
/// A stream emits any number of content events, then exactly one `Finish` or `Error`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(rename = "StreamEvent")]
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
        #[ts(optional)]
        id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
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
        /// Pictures the tool gave, for the person; the model reads only `content`.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        #[ts(as = "Option<Vec<ToolImage>>", optional)]
        images: Vec<ToolImage>,
    },
    /// How a call that runs elsewhere stands before its result: waiting for the person,
    /// running, or declined. `source` is where the tool comes from (an MCP server).
    ToolStage {
        id: String,
        source: String,
        stage: ToolStage,
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
    /// The engine's errors are a subset of the app's `ErrorReport` (checked there).
    Error(#[ts(type = "ErrorReport")] Error),
}

impl Event {
    /// True for the one event that ends a stream.
    pub fn is_end(&self) -> bool {
        matches!(self, Event::Finish { .. } | Event::Error(_))
    }
}

/// A complete tool call. `arguments` is `{}` when the model sent none and `null` when its
/// JSON was cut off; `arguments_raw` always keeps what arrived.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ToolCall {
    pub index: usize,
    pub id: String,
    pub name: String,
    #[ts(type = "unknown")]
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

/// What a model turn used, as the provider reported it. `input_tokens` counts every
/// token read, cached ones included (Anthropic reports those apart; they are added in),
/// and `output_tokens` counts reasoning tokens too. Counts a provider does not report
/// are 0.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, TS)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Input tokens read from the provider's prompt cache.
    pub cache_read_tokens: u64,
    /// Input tokens written to the prompt cache (Anthropic bills them higher).
    pub cache_write_tokens: u64,
    /// Output tokens spent thinking, where reported.
    pub reasoning_tokens: u64,
    /// What the gateway says the turn cost, in US dollars (OpenRouter's `usage.cost`);
    /// `None` when it does not say.
    #[ts(type = "number | null")]
    pub cost: Option<f64>,
}

impl Usage {
    /// Adds `other` in: an answer's usage is the sum of its turns and attempts, counted
    /// from its first part. A cost stays known only while every part had one.
    pub fn add(&mut self, other: &Usage) {
        self.input_tokens += other.input_tokens;
        self.output_tokens += other.output_tokens;
        self.cache_read_tokens += other.cache_read_tokens;
        self.cache_write_tokens += other.cache_write_tokens;
        self.reasoning_tokens += other.reasoning_tokens;
        self.cost = match (self.cost, other.cost) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    Stop,
    Length,
    ToolCalls,
    ContentFilter,
    Refusal,
    Other,
}
