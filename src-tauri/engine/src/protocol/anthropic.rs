//! Anthropic Messages: the request and the stream.

use std::collections::BTreeMap;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::decoding::{self, stream_error, usage_count, Flow, StreamState};
use super::encoding::tool_arguments;
use super::wire::{base, Wire};
use crate::error::Error;
use crate::event::{Event, FinishReason, ToolCall, Usage};
use crate::request::{ChatRequest, Message, Part, DEFAULT_ANTHROPIC_MAX_TOKENS};
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
        let messages: Vec<Value> = request.messages.iter().map(message).collect();
        let mut body = json!({
            "model": request.model,
            "max_tokens": request.max_tokens.unwrap_or(DEFAULT_ANTHROPIC_MAX_TOKENS),
            "messages": messages,
            "stream": true,
        });
        if let Some(system) = request.system.as_deref().filter(|s| !s.is_empty()) {
            body["system"] = json!(system);
        }
        if let Some(temperature) = request.temperature {
            body["temperature"] = json!(temperature);
        }
        if !request.tools.is_empty() {
            let tools: Vec<Value> = request
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

/// A message in Anthropic's shape: one message whose content is its text as a plain
/// string, or a list of blocks where a block needs them (pictures, tool calls and
/// results). Some gateways (LiteLLM in front of llama.cpp) drop the text of a
/// text-only block list, so text alone always goes as a string.
fn message(message: &Message) -> Value {
    if message
        .content
        .iter()
        .all(|part| matches!(part, Part::Text { .. }))
    {
        return json!({"role": message.role, "content": message.joined_text()});
    }
    let blocks: Vec<Value> = message
        .content
        .iter()
        .map(|part| match part {
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
        })
        .collect();
    json!({"role": message.role, "content": blocks})
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
            emit(Event::Usage(Usage {
                input_tokens: usage_count(usage, "input_tokens"),
                output_tokens: usage_count(usage, "output_tokens"),
            }));
        }
    }

    fn state(&self) -> &StreamState {
        &self.state
    }
}
