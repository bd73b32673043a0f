//! Anthropic Messages streams.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::decode::{stream_error, Flow, StreamState};
use crate::error::Error;
use crate::event::{Event, ToolCall, Usage};
use crate::openai::{count, preview};
use crate::sse::SseEvent;

#[derive(Debug, Default)]
pub struct Decoder {
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

impl Decoder {
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

impl crate::decode::Decoder for Decoder {
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
                input_tokens: count(usage, "input_tokens"),
                output_tokens: count(usage, "output_tokens"),
            }));
        }
    }

    fn state(&self) -> &StreamState {
        &self.state
    }
}
