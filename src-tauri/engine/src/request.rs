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

    fn joined_text(&self) -> String {
        self.content
            .iter()
            .filter_map(|part| match part {
                Part::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The message in OpenAI's shape: possibly several messages, since each tool result
    /// is a `role: "tool"` message of its own.
    fn openai(&self, out: &mut Vec<Value>) {
        let text = self.joined_text();
        let calls: Vec<Value> = self
            .content
            .iter()
            .filter_map(|part| match part {
                Part::ToolCall {
                    id,
                    name,
                    arguments,
                } => Some(json!({
                    "id": id,
                    "type": "function",
                    "function": {"name": name, "arguments": object(arguments).to_string()},
                })),
                _ => None,
            })
            .collect();
        let mut results = false;
        for part in &self.content {
            if let Part::ToolResult {
                tool_call_id,
                content,
                ..
            } = part
            {
                results = true;
                out.push(json!({"role": "tool", "tool_call_id": tool_call_id, "content": content}));
            }
        }
        // The tool messages must come straight after the calls they answer, so a
        // person's words sent with results follow them as a user message of their own.
        if !calls.is_empty() {
            let content = if text.is_empty() {
                Value::Null
            } else {
                Value::String(text)
            };
            out.push(json!({"role": self.role, "content": content, "tool_calls": calls}));
        } else if !(results && text.is_empty()) {
            out.push(json!({"role": self.role, "content": text}));
        }
    }

    /// The message in Anthropic's shape: one message whose content is a list of blocks.
    fn anthropic(&self) -> Value {
        let blocks: Vec<Value> = self
            .content
            .iter()
            .map(|part| match part {
                Part::Text { text } => json!({"type": "text", "text": text}),
                Part::ToolCall {
                    id,
                    name,
                    arguments,
                } => {
                    json!({"type": "tool_use", "id": id, "name": name, "input": object(arguments)})
                }
                Part::ToolResult {
                    tool_call_id,
                    content,
                    is_error,
                    ..
                } => json!({
                    "type": "tool_result",
                    "tool_use_id": tool_call_id,
                    "content": content,
                    "is_error": is_error,
                }),
            })
            .collect();
        json!({"role": self.role, "content": blocks})
    }
}

/// Both APIs reject tool arguments that are not an object; arguments that arrived cut
/// off (`null`) are sent as `{}`, and their error result tells the model what happened.
fn object(arguments: &Value) -> Value {
    if arguments.is_object() {
        arguments.clone()
    } else {
        Value::Object(Default::default())
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
            message.openai(&mut messages);
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
        if !self.tools.is_empty() {
            let tools: Vec<Value> = self
                .tools
                .iter()
                .map(|tool| {
                    json!({"type": "function", "function": {
                        "name": tool.name,
                        "description": tool.description,
                        "parameters": tool.parameters,
                    }})
                })
                .collect();
            body["tools"] = json!(tools);
        }
        body
    }

    fn anthropic_body(&self) -> Value {
        let messages: Vec<Value> = self.messages.iter().map(Message::anthropic).collect();
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
        if !self.tools.is_empty() {
            let tools: Vec<Value> = self
                .tools
                .iter()
                .map(|tool| {
                    json!({
                        "name": tool.name,
                        "description": tool.description,
                        "input_schema": tool.parameters,
                    })
                })
                .collect();
            body["tools"] = json!(tools);
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(protocol: Protocol) -> ChatRequest {
        let mut request = ChatRequest::new(protocol, "Add these");
        request.messages.push(Message {
            role: Role::Assistant,
            content: vec![Part::ToolCall {
                id: "c1".into(),
                name: "calculator".into(),
                arguments: Value::Null,
            }],
        });
        request.messages.push(Message {
            role: Role::User,
            content: vec![
                Part::ToolResult {
                    tool_call_id: "c1".into(),
                    name: "calculator".into(),
                    content: "cut off".into(),
                    is_error: true,
                },
                Part::Text {
                    text: "Also, hurry.".into(),
                },
            ],
        });
        request
    }

    #[test]
    fn cut_off_arguments_are_sent_as_an_empty_object() {
        let body = conversation(Protocol::Openai).body();
        assert_eq!(
            body["messages"][1]["tool_calls"][0]["function"]["arguments"],
            "{}"
        );
        let body = conversation(Protocol::Anthropic).body();
        assert_eq!(body["messages"][1]["content"][0]["input"], json!({}));
    }

    #[test]
    fn words_sent_with_results_follow_the_tool_messages() {
        let body = conversation(Protocol::Openai).body();
        assert_eq!(
            body["messages"].as_array().unwrap()[1..],
            [
                json!({"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function",
                     "function": {"name": "calculator", "arguments": "{}"}},
                ]}),
                json!({"role": "tool", "tool_call_id": "c1", "content": "cut off"}),
                json!({"role": "user", "content": "Also, hurry."}),
            ]
        );
        let body = conversation(Protocol::Anthropic).body();
        assert_eq!(
            body["messages"][2],
            json!({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "c1", "content": "cut off", "is_error": true},
                {"type": "text", "text": "Also, hurry."},
            ]})
        );
    }
}
