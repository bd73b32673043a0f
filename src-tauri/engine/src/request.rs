use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

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

/// One piece of a message. Only text exists today; tool calls and tool results become
/// further variants, which is why content is a list of parts and not a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Part {
    Text { text: String },
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

    fn joined_text(&self) -> String {
        self.content
            .iter()
            .map(|part| match part {
                Part::Text { text } => text.as_str(),
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
        }
    }

    pub fn url(&self) -> String {
        let base = self.base_url.trim_end_matches('/');
        match self.protocol {
            Protocol::Openai => format!("{base}/chat/completions"),
            Protocol::Anthropic => format!("{base}/v1/messages"),
        }
    }

    pub fn body(&self) -> Value {
        match self.protocol {
            Protocol::Openai => self.openai_body(),
            Protocol::Anthropic => self.anthropic_body(),
        }
    }

    fn openai_body(&self) -> Value {
        let mut messages = Vec::with_capacity(self.messages.len() + 1);
        if let Some(system) = self.system.as_deref().filter(|s| !s.is_empty()) {
            messages.push(json!({"role": "system", "content": system}));
        }
        for message in &self.messages {
            messages.push(json!({"role": message.role, "content": message.joined_text()}));
        }
        let mut body = json!({
            "model": self.model,
            "messages": messages,
            "stream": true,
            "stream_options": {"include_usage": true},
        });
        if let Some(max_tokens) = self.max_tokens {
            body["max_tokens"] = json!(max_tokens);
        }
        if let Some(temperature) = self.temperature {
            body["temperature"] = json!(temperature);
        }
        body
    }

    fn anthropic_body(&self) -> Value {
        let messages: Vec<Value> = self
            .messages
            .iter()
            .map(|m| json!({"role": m.role, "content": m.content}))
            .collect();
        let mut body = json!({
            "model": self.model,
            "max_tokens": self.max_tokens.unwrap_or(DEFAULT_ANTHROPIC_MAX_TOKENS),
            "messages": messages,
            "stream": true,
        });
        if let Some(system) = self.system.as_deref().filter(|s| !s.is_empty()) {
            body["system"] = json!(system);
        }
        if let Some(temperature) = self.temperature {
            body["temperature"] = json!(temperature);
        }
        body
    }
}
