//! OpenAI Chat Completions streams (and the many gateways that copy them: OpenRouter,
//! DeepSeek, Groq, xAI, vLLM, Azure).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::decode::{stream_error, Flow, StreamState};
use crate::error::Error;
use crate::event::{Event, ToolCall, Usage};
use crate::sse::SseEvent;

#[derive(Debug, Default)]
pub struct Decoder {
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

impl Decoder {
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

impl crate::decode::Decoder for Decoder {
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
            emit(Event::Usage(Usage {
                input_tokens: count(usage, "prompt_tokens"),
                output_tokens: count(usage, "completion_tokens"),
            }));
        }
    }

    fn state(&self) -> &StreamState {
        &self.state
    }
}

pub(crate) fn count(usage: &Value, key: &str) -> u64 {
    usage.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// The start of a payload for an error message; whole payloads can be megabytes.
pub(crate) fn preview(data: &str) -> &str {
    match data.char_indices().nth(200) {
        Some((end, _)) => &data[..end],
        None => data,
    }
}
