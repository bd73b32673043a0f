//! Anthropic Messages: the request and the stream.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::decoding::{self, stream_error, usage_cost, usage_count, Flow, StreamState};
use super::encoding::tool_arguments;
use super::wire::{base, Wire};
use crate::error::Error;
use crate::event::{Event, FinishReason, ToolCall, Usage};
use crate::request::{
    ChatRequest, Message, Part, ReasoningEffort, Role, DEFAULT_ANTHROPIC_MAX_TOKENS,
};
use crate::sse::SseEvent;
use crate::text::preview;

/// The API version requests ask for; a gateway's extra headers may ask for another.
const API_VERSION: &str = "2023-06-01";

pub(crate) struct Anthropic;

impl Wire for Anthropic {
    fn chat_url(&self, base_url: &str) -> String {
        format!("{}/v1/messages", base(base_url))
    }

    fn body(&self, request: &ChatRequest) -> Value {
        let mut cache = Breakpoints::new(request.prompt_cache);
        let thinking = thinking_budget(request);
        let mut max_tokens = request.max_tokens.unwrap_or(DEFAULT_ANTHROPIC_MAX_TOKENS);
        if let Some(budget) = thinking {
            // The budget is part of max_tokens, which must exceed it.
            max_tokens = max_tokens.max(budget + ANSWER_ROOM);
        }
        let mut body = json!({
            "model": request.model,
            "max_tokens": max_tokens,
            "stream": true,
        });
        // The cache holds a prefix in this order: tools, system, messages.
        if !request.tools.is_empty() {
            let mut tools: Vec<Value> = request
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
            if let Some(last) = tools.last_mut() {
                cache.mark(last);
            }
            body["tools"] = json!(tools);
        }
        if let Some(system) = request.system.as_deref().filter(|s| !s.is_empty()) {
            let mut block = json!({"type": "text", "text": system});
            body["system"] = if cache.mark(&mut block) {
                json!([block])
            } else {
                json!(system)
            };
        }
        // The last two user messages: the newest ends the prefix this turn writes, the
        // one before ends the prefix the previous turn wrote, which this one reads.
        let cached: Vec<usize> = if request.prompt_cache {
            let users = request.messages.iter().enumerate();
            let users = users.filter(|(_, m)| m.role == Role::User);
            users.map(|(i, _)| i).rev().take(2).collect()
        } else {
            Vec::new()
        };
        let messages: Vec<Value> = request
            .messages
            .iter()
            .enumerate()
            .map(|(i, m)| message(m, cached.contains(&i).then_some(&mut cache)))
            .collect();
        body["messages"] = json!(messages);
        match thinking {
            Some(budget) => {
                body["thinking"] = json!({"type": "enabled", "budget_tokens": budget});
            }
            // The API refuses any temperature but the default with thinking on.
            None => {
                if let Some(temperature) = request.temperature {
                    body["temperature"] = json!(temperature);
                }
            }
        }
        body
    }

    fn headers(&self, key: &str) -> Result<HeaderMap, Error> {
        let mut key = HeaderValue::from_str(key).map_err(|_| Error::unsendable_key())?;
        key.set_sensitive(true);
        Ok(HeaderMap::from_iter([
            (HeaderName::from_static("x-api-key"), key),
            (
                HeaderName::from_static("anthropic-version"),
                HeaderValue::from_static(API_VERSION),
            ),
        ]))
    }

    fn decoder(&self) -> Box<dyn decoding::Decoder> {
        Box::new(StreamDecoder::default())
    }

    fn continue_messages(&self, messages: &mut Vec<Message>, partial: &str) {
        // The API continues a final assistant message (a prefill), but rejects one that
        // ends in whitespace; the joint puts the whitespace back.
        messages.push(Message::assistant(partial.trim_end()));
    }

    fn continues_exactly(&self) -> bool {
        true
    }

    fn models_url(&self, base_url: &str) -> String {
        // The API pages its list 20 at a time unless asked for more; 1000 is its largest
        // page, more than any gateway offers through this protocol.
        format!("{}/v1/models?limit=1000", base(base_url))
    }

    fn finish_reason(&self, raw: &str) -> Option<FinishReason> {
        Some(match raw {
            "end_turn" | "stop_sequence" => FinishReason::Stop,
            "max_tokens" | "model_context_window_exceeded" => FinishReason::Length,
            "tool_use" => FinishReason::ToolCalls,
            "refusal" => FinishReason::Refusal,
            _ => return None,
        })
    }
}

/// Anthropic refuses a request with more `cache_control` breakpoints than this.
const MAX_CACHE_BREAKPOINTS: usize = 4;

/// Room for the answer beyond the thinking budget, within `max_tokens`.
const ANSWER_ROOM: u32 = 4096;

/// The prompt-cache breakpoints a body may still place: none when caching is off.
struct Breakpoints {
    left: usize,
}

impl Breakpoints {
    fn new(prompt_cache: bool) -> Self {
        Breakpoints {
            left: if prompt_cache {
                MAX_CACHE_BREAKPOINTS
            } else {
                0
            },
        }
    }

    /// Makes `block` the end of a cached prefix, if a breakpoint is left; says whether
    /// it did.
    fn mark(&mut self, block: &mut Value) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        block["cache_control"] = json!({"type": "ephemeral"});
        true
    }
}

/// How many tokens the model may think for, when the request asks it to think and may.
///
/// Answering tool results goes without: with thinking on, the API wants the assistant
/// turn that made the calls to begin with its thinking blocks, signatures and all, and
/// those are not kept. So does continuing a cut-off answer: the API refuses to continue
/// a prefilled assistant turn with thinking on.
fn thinking_budget(request: &ChatRequest) -> Option<u32> {
    let effort = request.reasoning?;
    let last = request.messages.last();
    let answers_tools = last.is_some_and(|m| {
        m.content
            .iter()
            .any(|part| matches!(part, Part::ToolResult { .. }))
    });
    let prefilled = last.is_some_and(|m| m.role == Role::Assistant);
    if answers_tools || prefilled {
        return None;
    }
    Some(match effort {
        ReasoningEffort::Low => 2048,
        ReasoningEffort::Medium => 8192,
        ReasoningEffort::High => 24576,
    })
}

/// A message in Anthropic's shape: one message whose content is its text as a plain
/// string, or a list of blocks where a block needs them (pictures, tool calls and
/// results, a cache breakpoint). Some gateways (LiteLLM in front of llama.cpp) drop the
/// text of a text-only block list, so text alone goes as a string unless it carries
/// the breakpoint that `cache` offers.
fn message(message: &Message, cache: Option<&mut Breakpoints>) -> Value {
    let cache = cache.filter(|cache| cache.left > 0);
    let mut blocks: Vec<Value> = if message
        .content
        .iter()
        .all(|part| matches!(part, Part::Text { .. }))
    {
        let text = message.joined_text();
        if cache.is_none() || text.is_empty() {
            return json!({"role": message.role, "content": text});
        }
        vec![json!({"type": "text", "text": text})]
    } else {
        message.content.iter().map(block).collect()
    };
    // The API refuses a breakpoint on an empty text block.
    let last = blocks
        .iter_mut()
        .rev()
        .find(|b| !(b["type"] == "text" && b["text"] == ""));
    if let (Some(cache), Some(last)) = (cache, last) {
        cache.mark(last);
    }
    json!({"role": message.role, "content": blocks})
}

fn block(part: &Part) -> Value {
    match part {
        Part::Text { text } => json!({"type": "text", "text": text}),
        Part::ToolCall {
            id,
            name,
            arguments,
        } => {
            json!({"type": "tool_use", "id": id, "name": name, "input": tool_arguments(arguments)})
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
        Part::Image { mime, data } => json!({
            "type": "image",
            "source": {"type": "base64", "media_type": mime, "data": data},
        }),
    }
}

/// The engine's usage from Anthropic's merged usage object, whose `input_tokens` leaves
/// out what was read from or written to the cache.
fn usage_of(usage: &Value) -> Usage {
    let cache_read = usage_count(usage, "cache_read_input_tokens");
    let cache_write = usage_count(usage, "cache_creation_input_tokens");
    Usage {
        input_tokens: usage_count(usage, "input_tokens")
            .saturating_add(cache_read)
            .saturating_add(cache_write),
        output_tokens: usage_count(usage, "output_tokens"),
        cache_read_tokens: cache_read,
        cache_write_tokens: cache_write,
        reasoning_tokens: 0,
        cost: usage_cost(usage),
    }
}

/// Turns an Anthropic message-event stream into engine events.
#[derive(Debug, Default)]
struct StreamDecoder {
    state: StreamState,
    /// Open tool_use blocks by block index.
    tools: BTreeMap<usize, PendingTool>,
    tool_count: usize,
}

#[derive(Debug)]
struct PendingTool {
    ordinal: usize,
    id: String,
    name: String,
    input: Value,
    arguments: String,
}

/// One event of the Anthropic stream, named by its `type`.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(clippy::enum_variant_names)] // the wire names them so
enum StreamEvent {
    MessageStart {
        message: StartMessage,
    },
    ContentBlockStart {
        index: usize,
        content_block: Block,
    },
    ContentBlockDelta {
        index: usize,
        delta: BlockDelta,
    },
    ContentBlockStop {
        index: usize,
    },
    MessageDelta {
        #[serde(default)]
        delta: Option<MessageDeltaBody>,
        #[serde(default)]
        usage: Option<Map<String, Value>>,
    },
    MessageStop,
    Error {
        error: Value,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct StartMessage {
    #[serde(default)]
    usage: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct MessageDeltaBody {
    #[serde(default)]
    stop_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Block {
    Text {
        #[serde(default)]
        text: String,
    },
    Thinking {
        #[serde(default)]
        thinking: String,
    },
    ToolUse {
        id: String,
        name: String,
        #[serde(default)]
        input: Value,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum BlockDelta {
    TextDelta {
        text: String,
    },
    ThinkingDelta {
        thinking: String,
    },
    InputJsonDelta {
        partial_json: String,
    },
    #[serde(other)]
    Other,
}

impl StreamDecoder {
    fn merge_usage(&mut self, usage: Map<String, Value>) {
        // message_delta counts are cumulative, so later values replace earlier ones key by key.
        match &mut self.state.usage_raw {
            Some(Value::Object(known)) => known.extend(usage),
            _ => self.state.usage_raw = Some(Value::Object(usage)),
        }
    }

    fn close_tool(&mut self, index: usize, emit: &mut dyn FnMut(Event)) {
        if let Some(tool) = self.tools.remove(&index) {
            emit(Event::ToolCall(tool.into_call()));
        }
    }
}

impl PendingTool {
    fn into_call(self) -> ToolCall {
        // A tool_use block may carry its whole input up front and stream nothing.
        let raw =
            if self.arguments.is_empty() && self.input.as_object().is_some_and(|o| !o.is_empty()) {
                self.input.to_string()
            } else {
                self.arguments
            };
        ToolCall::new(self.ordinal, self.id, self.name, raw)
    }
}

impl decoding::Decoder for StreamDecoder {
    fn event(&mut self, event: &SseEvent, emit: &mut dyn FnMut(Event)) -> Result<Flow, Error> {
        let data = event.data.as_str();
        if data.trim().is_empty() {
            return Ok(Flow::Continue);
        }
        let message: StreamEvent = serde_json::from_str(data).map_err(|err| {
            Error::protocol(format!(
                "the server sent an event that is not an Anthropic message event ({err}): {}",
                preview(data)
            ))
        })?;
        match message {
            StreamEvent::MessageStart { message } => {
                if let Some(usage) = message.usage {
                    self.merge_usage(usage);
                }
            }
            StreamEvent::ContentBlockStart {
                index,
                content_block,
            } => match content_block {
                Block::Text { text } if !text.is_empty() => emit(Event::Text { text }),
                Block::Thinking { thinking } if !thinking.is_empty() => {
                    emit(Event::Reasoning { text: thinking })
                }
                Block::ToolUse { id, name, input } => {
                    let ordinal = self.tool_count;
                    self.tool_count += 1;
                    emit(Event::ToolCallDelta {
                        index: ordinal,
                        id: Some(id.clone()),
                        name: Some(name.clone()),
                        arguments_delta: String::new(),
                    });
                    self.tools.insert(
                        index,
                        PendingTool {
                            ordinal,
                            id,
                            name,
                            input,
                            arguments: String::new(),
                        },
                    );
                }
                _ => {}
            },
            StreamEvent::ContentBlockDelta { index, delta } => match delta {
                BlockDelta::TextDelta { text } if !text.is_empty() => emit(Event::Text { text }),
                BlockDelta::ThinkingDelta { thinking } if !thinking.is_empty() => {
                    emit(Event::Reasoning { text: thinking })
                }
                BlockDelta::InputJsonDelta { partial_json } => {
                    if let Some(tool) = self.tools.get_mut(&index) {
                        tool.arguments.push_str(&partial_json);
                        emit(Event::ToolCallDelta {
                            index: tool.ordinal,
                            id: None,
                            name: None,
                            arguments_delta: partial_json,
                        });
                    }
                }
                _ => {}
            },
            StreamEvent::ContentBlockStop { index } => self.close_tool(index, emit),
            StreamEvent::MessageDelta { delta, usage } => {
                if let Some(reason) = delta.and_then(|d| d.stop_reason) {
                    self.state.finish_raw = Some(reason);
                }
                if let Some(usage) = usage {
                    self.merge_usage(usage);
                }
            }
            StreamEvent::MessageStop => {
                self.state.done = true;
                return Ok(Flow::Done);
            }
            StreamEvent::Error { error } => return Err(stream_error(&error)),
            StreamEvent::Other => {}
        }
        Ok(Flow::Continue)
    }

    fn end(&mut self, emit: &mut dyn FnMut(Event)) {
        let open: Vec<usize> = self.tools.keys().copied().collect();
        for index in open {
            self.close_tool(index, emit);
        }
        if let Some(usage) = &self.state.usage_raw {
            emit(Event::Usage(usage_of(usage)));
        }
    }

    fn state(&self) -> &StreamState {
        &self.state
    }
}
