//! OpenAI Chat Completions, as spoken by OpenAI and the many gateways that copy it
//! (OpenRouter, DeepSeek, Groq, xAI, vLLM, Azure): the request and the stream.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use serde::Deserialize;
use serde_json::{json, Value};

use super::decoding::{self, stream_error, usage_cost, usage_count, Flow, StreamState};
use super::encoding::tool_arguments;
use super::wire::{base, Wire};
use crate::error::Error;
use crate::event::{Event, FinishReason, ToolCall, Usage};
use crate::request::{ChatRequest, Message, Part, ReasoningFormat};
use crate::sse::SseEvent;
use crate::text::preview;

/// The instruction that follows the partial answer when asking to continue it: the
/// protocol cannot prefill an assistant turn.
pub const CONTINUE_INSTRUCTION: &str = "Your previous answer was cut off. Continue exactly where it stopped, without repeating anything and without any preamble.";

pub(crate) struct Openai;

impl Wire for Openai {
    fn chat_url(&self, base_url: &str) -> String {
        format!("{}/chat/completions", base(base_url))
    }

    fn body(&self, request: &ChatRequest) -> Value {
        let mut messages = Vec::with_capacity(request.messages.len() + 1);
        if let Some(system) = request.system.as_deref().filter(|s| !s.is_empty()) {
            messages.push(json!({"role": "system", "content": system}));
        }
        for message in &request.messages {
            push_message(message, &mut messages);
        }
        let mut body = json!({
            "model": request.model,
            "messages": messages,
            "stream": true,
            "stream_options": {"include_usage": true},
        });
        if let Some(max_tokens) = request.max_tokens {
            body["max_tokens"] = json!(max_tokens);
        }
        if let Some(temperature) = request.temperature {
            body["temperature"] = json!(temperature);
        }
        if let Some(effort) = request.reasoning {
            match request.reasoning_format {
                ReasoningFormat::Effort => body["reasoning_effort"] = json!(effort),
                ReasoningFormat::Object => body["reasoning"] = json!({"effort": effort}),
            }
        }
        if !request.tools.is_empty() {
            let tools: Vec<Value> = request
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

    fn headers(&self, key: &str) -> Result<HeaderMap, Error> {
        let mut value =
            HeaderValue::try_from(format!("Bearer {key}")).map_err(|_| Error::unsendable_key())?;
        value.set_sensitive(true);
        Ok(HeaderMap::from_iter([(AUTHORIZATION, value)]))
    }

    fn decoder(&self) -> Box<dyn decoding::Decoder> {
        Box::new(StreamDecoder::default())
    }

    fn continue_messages(&self, messages: &mut Vec<Message>, partial: &str) {
        messages.push(Message::assistant(partial));
        messages.push(Message::user(CONTINUE_INSTRUCTION));
    }

    fn continues_exactly(&self) -> bool {
        // Asked in words, models often start again a word or a sentence back.
        false
    }

    fn models_url(&self, base_url: &str) -> String {
        format!("{}/models", base(base_url))
    }

    fn finish_reason(&self, raw: &str) -> Option<FinishReason> {
        Some(match raw {
            "stop" => FinishReason::Stop,
            "length" => FinishReason::Length,
            "tool_calls" | "function_call" => FinishReason::ToolCalls,
            "content_filter" => FinishReason::ContentFilter,
            _ => return None,
        })
    }
}

/// A message in OpenAI's shape: possibly several messages, since each tool result is a
/// `role: "tool"` message of its own.
fn push_message(message: &Message, out: &mut Vec<Value>) {
    let text = message.joined_text();
    let calls: Vec<Value> = message
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
                "function": {"name": name, "arguments": tool_arguments(arguments).to_string()},
            })),
            _ => None,
        })
        .collect();
    let mut results = false;
    for part in &message.content {
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
    // The tool messages must come straight after the calls they answer, so a person's
    // words sent with results follow them as a user message of their own.
    if !calls.is_empty() {
        let content = if text.is_empty() {
            Value::Null
        } else {
            Value::String(text)
        };
        out.push(json!({"role": message.role, "content": content, "tool_calls": calls}));
    } else if message
        .content
        .iter()
        .any(|part| matches!(part, Part::Image { .. }))
    {
        // Pictures need content parts; text alone stays a plain string.
        let parts: Vec<Value> = message
            .content
            .iter()
            .filter_map(|part| match part {
                Part::Text { text } => Some(json!({"type": "text", "text": text})),
                Part::Image { mime, data } => Some(json!({
                    "type": "image_url",
                    "image_url": {"url": format!("data:{mime};base64,{data}")},
                })),
                _ => None,
            })
            .collect();
        out.push(json!({"role": message.role, "content": parts}));
    } else if !(results && text.is_empty()) {
        out.push(json!({"role": message.role, "content": text}));
    }
}

/// The engine's usage from an OpenAI-protocol usage object.
fn usage_of(usage: &Value) -> Usage {
    let input = usage_count(usage, "prompt_tokens");
    let mut output = usage_count(usage, "completion_tokens");
    let reasoning = usage_count(usage, "completion_tokens_details.reasoning_tokens");
    // xAI counts reasoning apart from `completion_tokens` (its total is the sum of all
    // three); it is added in, so that output counts reasoning as with everyone else.
    let total = usage.get("total_tokens").and_then(Value::as_u64);
    if reasoning > 0 && total == Some(input.saturating_add(output).saturating_add(reasoning)) {
        output = output.saturating_add(reasoning);
    }
    // DeepSeek's older responses name the cached tokens only as cache hits.
    let cache_read = match usage_count(usage, "prompt_tokens_details.cached_tokens") {
        0 => usage_count(usage, "prompt_cache_hit_tokens"),
        cached => cached,
    };
    Usage {
        input_tokens: input,
        output_tokens: output,
        cache_read_tokens: cache_read,
        cache_write_tokens: usage_count(usage, "prompt_tokens_details.cache_write_tokens"),
        reasoning_tokens: reasoning,
        cost: usage_cost(usage),
    }
}

/// Turns an OpenAI chunk stream into engine events.
#[derive(Debug, Default)]
struct StreamDecoder {
    state: StreamState,
    tools: BTreeMap<usize, PendingTool>,
}

#[derive(Debug, Default)]
struct PendingTool {
    id: String,
    name: String,
    arguments: String,
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    index: u32,
    #[serde(default)]
    delta: Option<Delta>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Delta {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    reasoning: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ToolDelta>>,
}

#[derive(Deserialize)]
struct ToolDelta {
    #[serde(default)]
    index: usize,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<FunctionDelta>,
}

#[derive(Deserialize)]
struct FunctionDelta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

impl StreamDecoder {
    fn delta(&mut self, delta: Delta, emit: &mut dyn FnMut(Event)) {
        // Some gateways send both spellings of reasoning; the first non-empty one wins so
        // that the same thought is not shown twice.
        if let Some(text) = non_empty(delta.reasoning_content).or(non_empty(delta.reasoning)) {
            emit(Event::Reasoning { text });
        }
        if let Some(text) = non_empty(delta.content) {
            emit(Event::Text { text });
        }
        if let Some(text) = non_empty(delta.refusal) {
            emit(Event::Refusal { text });
        }
        for call in delta.tool_calls.unwrap_or_default() {
            let (name, arguments) = match call.function {
                Some(f) => (non_empty(f.name), f.arguments.unwrap_or_default()),
                None => (None, String::new()),
            };
            let id = non_empty(call.id);
            let pending = self.tools.entry(call.index).or_default();
            // Only the first id and name count: later deltas may repeat them or send "".
            let id = id.filter(|_| pending.id.is_empty());
            let name = name.filter(|_| pending.name.is_empty());
            if let Some(id) = &id {
                pending.id = id.clone();
            }
            if let Some(name) = &name {
                pending.name = name.clone();
            }
            pending.arguments.push_str(&arguments);
            emit(Event::ToolCallDelta {
                index: call.index,
                id,
                name,
                arguments_delta: arguments,
            });
        }
    }
}

impl decoding::Decoder for StreamDecoder {
    fn event(&mut self, event: &SseEvent, emit: &mut dyn FnMut(Event)) -> Result<Flow, Error> {
        let data = event.data.trim_end();
        if data == "[DONE]" {
            self.state.done = true;
            return Ok(Flow::Done);
        }
        if data.is_empty() {
            return Ok(Flow::Continue);
        }
        let chunk: Chunk = serde_json::from_str(data).map_err(|err| {
            Error::protocol(format!(
                "the server sent an event that is not an OpenAI chunk ({err}): {}",
                preview(data)
            ))
        })?;
        for choice in chunk.choices {
            if choice.index != 0 {
                continue;
            }
            if let Some(delta) = choice.delta {
                self.delta(delta, emit);
            }
            if let Some(reason) = choice.finish_reason {
                self.state.finish_raw = Some(reason);
            }
        }
        if let Some(usage) = chunk.usage.filter(|u| !u.is_null()) {
            self.state.usage_raw = Some(usage);
        }
        if let Some(error) = chunk.error.filter(|e| !e.is_null()) {
            return Err(stream_error(&error));
        }
        Ok(Flow::Continue)
    }

    fn end(&mut self, emit: &mut dyn FnMut(Event)) {
        for (index, tool) in std::mem::take(&mut self.tools) {
            emit(Event::ToolCall(ToolCall::new(
                index,
                tool.id,
                tool.name,
                tool.arguments,
            )));
        }
        if let Some(usage) = &self.state.usage_raw {
            emit(Event::Usage(usage_of(usage)));
        }
    }

    fn state(&self) -> &StreamState {
        &self.state
    }
}
