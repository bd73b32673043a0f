//! What both protocol decoders share: they turn SSE events into engine events and keep
//! the little state a stream needs (finish reason, usage, whether the end marker came).

use serde_json::Value;

use crate::error::Error;
use crate::event::Event;
use crate::sse::SseEvent;

/// Whether the protocol's end marker (`[DONE]` / `message_stop`) has been seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Done,
}

/// What a decoder learnt about the stream so far, for callers that need more than the
/// events (conformance checks, the resume logic).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamState {
    /// The provider's last finish word (`stop`, `end_turn`, `error`…), if any.
    pub finish_raw: Option<String>,
    /// The provider's usage object as sent (OpenAI) or merged key by key (Anthropic).
    pub usage_raw: Option<Value>,
    /// The end marker arrived.
    pub done: bool,
}

pub trait Decoder: Send {
    /// Handles one SSE event. An in-stream error comes back as `Err`; the stream should
    /// not be read further after it.
    fn event(&mut self, event: &SseEvent, emit: &mut dyn FnMut(Event)) -> Result<Flow, Error>;

    /// Emits what is only complete at the end: tool calls not yet closed and the usage.
    /// Called once, before the stream's final event.
    fn end(&mut self, emit: &mut dyn FnMut(Event));

    fn state(&self) -> &StreamState;
}

/// Turns an in-stream error object (`{"type", "message"}` or OpenRouter's `{"code",
/// "message"}`) into an engine error whose message keeps the provider's words.
pub(crate) fn stream_error(error: &Value) -> Error {
    let word = match error.get("type").filter(|t| !t.is_null()) {
        Some(t) => t,
        None => error.get("code").unwrap_or(&Value::Null),
    };
    let word = match word {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let text = error
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| error.to_string());
    let message = if word.is_empty() {
        text
    } else {
        format!("{word}: {text}")
    };
    match word.as_str() {
        "authentication_error" | "permission_error" | "invalid_api_key" | "401" | "403" => {
            Error::Auth {
                message,
                status: None,
            }
        }
        "rate_limit_error" | "rate_limit_exceeded" | "429" => Error::RateLimit {
            message,
            status: None,
        },
        "invalid_request_error"
        | "not_found_error"
        | "request_too_large"
        | "400"
        | "404"
        | "413" => Error::BadRequest {
            message,
            status: None,
        },
        _ => Error::Server {
            message,
            status: None,
        },
    }
}

/// A token count from a provider's usage object, at `path` (keys joined by dots, as in
/// `prompt_tokens_details.cached_tokens`); a missing or odd count is 0.
pub(crate) fn usage_count(usage: &Value, path: &str) -> u64 {
    path.split('.')
        .try_fold(usage, |value, key| value.get(key))
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

/// The gateway's own figure for what the turn cost, in US dollars (OpenRouter's
/// `usage.cost`). A figure that is no amount of money is no figure.
pub(crate) fn usage_cost(usage: &Value) -> Option<f64> {
    usage
        .get("cost")
        .and_then(Value::as_f64)
        .filter(|cost| cost.is_finite() && *cost >= 0.0)
}
