use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The wire protocol a gateway speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Openai,
    Anthropic,
}

impl Protocol {
    pub fn default_base_url(self) -> &'static str {
        match self {
            Protocol::Openai => "https://api.ofox.ai/v1",
            Protocol::Anthropic => "https://api.ofox.ai/anthropic",
        }
    }

    pub fn default_model(self) -> &'static str {
        match self {
            Protocol::Openai => "openai/gpt-4o",
            Protocol::Anthropic => "anthropic/claude-sonnet-4.5",
        }
    }
}

impl FromStr for Protocol {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "openai" => Ok(Protocol::Openai),
            "anthropic" => Ok(Protocol::Anthropic),
            other => Err(format!(
                "unknown protocol {other:?}: use openai or anthropic"
            )),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Openai => "openai",
            Protocol::Anthropic => "anthropic",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

/// One piece of a message.
///
/// Tool calls belong to assistant messages; their results go in the user message that
/// follows, in the calls' order. Each protocol's body is built from that one shape
/// (OpenAI wants `tool_calls` and `role: "tool"` messages, Anthropic `tool_use` and
/// `tool_result` blocks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Part {
    Text {
        text: String,
    },
    ToolCall {
        id: String,
        name: String,
        arguments: Value,
    },
    ToolResult {
        tool_call_id: String,
        name: String,
        content: String,
        is_error: bool,
    },
    /// A picture for the model to look at: base64 of the bytes of `mime`
    /// (`image/png`, `image/jpeg`, `image/gif` or `image/webp`).
    Image {
        mime: String,
        data: String,
    },
}

/// A tool offered to the model. `parameters` is the JSON Schema of its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: Vec<Part>,
}

impl Message {
    pub fn text(role: Role, text: impl Into<String>) -> Self {
        Message {
            role,
            content: vec![Part::Text { text: text.into() }],
        }
    }

    pub fn user(text: impl Into<String>) -> Self {
        Message::text(Role::User, text)
    }

    pub fn assistant(text: impl Into<String>) -> Self {
        Message::text(Role::Assistant, text)
    }

    /// The message's text parts as one text.
    pub(crate) fn joined_text(&self) -> String {
        self.content
            .iter()
            .filter_map(|part| match part {
                Part::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// What to ask: the conversation and the model settings. Transport settings live in
/// [`crate::Options`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    pub protocol: Protocol,
    /// e.g. `https://api.ofox.ai/v1` (OpenAI) or `https://api.ofox.ai/anthropic`.
    pub base_url: String,
    pub model: String,
    #[serde(default)]
    pub system: Option<String>,
    pub messages: Vec<Message>,
    #[serde(default)]
    pub max_tokens: Option<u32>,
    #[serde(default)]
    pub temperature: Option<f64>,
    /// Tools the model may call; none means the field is left out of the body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolSpec>,
    /// Headers a gateway wants besides the key, sent with chat and model-list requests
    /// (OpenRouter's `HTTP-Referer` and `X-Title`, another `anthropic-version`). One
    /// replaces a header the protocol would send under the same name; the headers that
    /// carry the key (`Authorization`, `x-api-key`) are refused.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_headers: Vec<(String, String)>,
    /// An answer that was cut off, which this request goes on from instead of asking
    /// afresh: see [`ChatRequest::continuing_from`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continue_from: Option<String>,
    /// Mark the stable start of the conversation for the provider's prompt cache
    /// (Anthropic's `cache_control`); other protocols cache on their own.
    #[serde(default)]
    pub prompt_cache: bool,
    /// How hard the model should think, where it can; `None` leaves it to the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<ReasoningEffort>,
    /// How the OpenAI protocol asks for it: gateways differ.
    #[serde(default)]
    pub reasoning_format: ReasoningFormat,
}

/// How much a model that can reason should think before it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum ReasoningEffort {
    Low,
    Medium,
    High,
}

/// How an OpenAI-protocol request asks for reasoning: OpenAI's `reasoning_effort`, or
/// OpenRouter's (and OfoxAI's) `reasoning: {effort}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasoningFormat {
    #[default]
    Effort,
    Object,
}

/// Anthropic refuses requests without `max_tokens`; this is used when none is set.
pub const DEFAULT_ANTHROPIC_MAX_TOKENS: u32 = 4096;

impl ChatRequest {
    /// A one-question request with the protocol's OfoxAI defaults.
    pub fn new(protocol: Protocol, prompt: impl Into<String>) -> Self {
        ChatRequest {
            protocol,
            base_url: protocol.default_base_url().to_owned(),
            model: protocol.default_model().to_owned(),
            system: None,
            messages: vec![Message::user(prompt)],
            max_tokens: None,
            temperature: None,
            tools: Vec::new(),
            extra_headers: Vec::new(),
            continue_from: None,
            prompt_cache: false,
            reasoning: None,
            reasoning_format: ReasoningFormat::Effort,
        }
    }

    /// This request made into one that continues `partial`, the cut-off answer to its
    /// messages, instead of asking afresh (Continue).
    ///
    /// The client then asks the model to go on from `partial` in the protocol's way and
    /// drops what the continuation repeats of its end, so the events carry only the
    /// new text: `partial` followed by the events' text is the whole answer. With
    /// [`crate::Client::converse`], the assistant message it adds holds `partial` and
    /// its continuation as one. A `partial` of whitespace alone is asked afresh.
    pub fn continuing_from(mut self, partial: impl Into<String>) -> Self {
        self.continue_from = Some(partial.into());
        self
    }
}
