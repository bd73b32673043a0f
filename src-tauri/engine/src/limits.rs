//! The limits on what one answer may hold ([`Options::max_tool_calls`],
//! [`Options::max_tool_argument_bytes`], [`Options::max_answer_bytes`]): every event a
//! decoder gives passes through a [`Budget`] before it reaches the sink, so that a
//! gateway that streams without end, or a model that asks for thousands of tools, is
//! stopped after a bounded amount of work and memory.

use std::collections::BTreeMap;

use crate::error::Error;
use crate::event::Event;
use crate::options::Options;

/// What an answer has used of its limits. One budget serves a whole tool loop, so the
/// answer's size adds up over its turns; the tool calls are counted per attempt, since
/// a new attempt's decoder numbers them afresh.
#[derive(Debug)]
pub(crate) struct Budget {
    max_tool_calls: usize,
    max_call_bytes: usize,
    max_answer_bytes: usize,
    answer_bytes: usize,
    /// The bytes of the attempt's tool calls so far, by index, and of their arguments.
    calls: BTreeMap<usize, CallSize>,
}

#[derive(Debug, Default, Clone, Copy)]
struct CallSize {
    total: usize,
    arguments: usize,
}

impl Budget {
    pub(crate) fn new(options: &Options) -> Self {
        Budget {
            max_tool_calls: options.max_tool_calls,
            max_call_bytes: options.max_tool_argument_bytes,
            max_answer_bytes: options.max_answer_bytes,
            answer_bytes: 0,
            calls: BTreeMap::new(),
        }
    }

    /// A new attempt at the same turn: its decoder starts counting calls from scratch.
    pub(crate) fn new_attempt(&mut self) {
        self.calls.clear();
    }

    /// Counts `event`, or says which limit it would go past.
    pub(crate) fn admit(&mut self, event: &Event) -> Result<(), Error> {
        match event {
            Event::Text { text } | Event::Reasoning { text } | Event::Refusal { text } => {
                self.grow(text.len())
            }
            Event::ToolCallDelta {
                index,
                id,
                name,
                arguments_delta,
            } => {
                let bytes = id.as_ref().map_or(0, String::len)
                    + name.as_ref().map_or(0, String::len)
                    + arguments_delta.len();
                let call = self.call(*index)?;
                call.total += bytes;
                call.arguments += arguments_delta.len();
                if call.total > self.max_call_bytes {
                    return Err(Error::tool_call_too_large(self.max_call_bytes));
                }
                self.grow(bytes)
            }
            Event::ToolCall(call) => {
                // Arguments may also arrive whole with the call's start (an Anthropic
                // tool_use block's `input`) rather than as deltas.
                let (total, streamed) = {
                    let size = self.call(call.index)?;
                    (size.total, size.arguments)
                };
                let unseen = call.arguments_raw.len().saturating_sub(streamed);
                if total + unseen > self.max_call_bytes {
                    return Err(Error::tool_call_too_large(self.max_call_bytes));
                }
                self.grow(unseen)
            }
            _ => Ok(()),
        }
    }

    /// The call at `index`, counted as a new one if it is.
    fn call(&mut self, index: usize) -> Result<&mut CallSize, Error> {
        let known = self.calls.len();
        match self.calls.entry(index) {
            std::collections::btree_map::Entry::Occupied(call) => Ok(call.into_mut()),
            std::collections::btree_map::Entry::Vacant(call) => {
                if known >= self.max_tool_calls {
                    return Err(Error::too_many_tool_calls(self.max_tool_calls));
                }
                Ok(call.insert(CallSize::default()))
            }
        }
    }

    fn grow(&mut self, bytes: usize) -> Result<(), Error> {
        self.answer_bytes = self.answer_bytes.saturating_add(bytes);
        if self.answer_bytes > self.max_answer_bytes {
            return Err(Error::answer_too_large(self.max_answer_bytes));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::ToolCall;

    fn budget(calls: usize, call_bytes: usize, answer_bytes: usize) -> Budget {
        Budget::new(&Options {
            max_tool_calls: calls,
            max_tool_argument_bytes: call_bytes,
            max_answer_bytes: answer_bytes,
            ..Options::default()
        })
    }

    fn delta(index: usize, arguments: &str) -> Event {
        Event::ToolCallDelta {
            index,
            id: None,
            name: None,
            arguments_delta: arguments.into(),
        }
    }

    fn text(text: &str) -> Event {
        Event::Text { text: text.into() }
    }

    #[test]
    fn text_reasoning_and_calls_add_up_to_the_answer_limit() {
        let mut b = budget(8, 100, 10);
        assert!(b.admit(&text("12345")).is_ok());
        assert!(b.admit(&Event::Reasoning { text: "123".into() }).is_ok());
        assert!(b.admit(&delta(0, "12")).is_ok());
        let error = b.admit(&text("1")).unwrap_err();
        assert_eq!(error.kind(), "too_large");
        assert!(error.message().contains("10 bytes"), "{error}");
        // Other events cost nothing.
        let mut b = budget(8, 100, 0);
        assert!(b.admit(&Event::Usage(Default::default())).is_ok());
        assert!(b.admit(&text("")).is_ok());
    }

    #[test]
    fn one_call_may_not_grow_past_its_limit() {
        let mut b = budget(8, 10, 1000);
        let start = Event::ToolCallDelta {
            index: 3,
            id: Some("id".into()),
            name: Some("calc".into()),
            arguments_delta: String::new(),
        };
        assert!(b.admit(&start).is_ok());
        assert!(b.admit(&delta(3, "1234")).is_ok());
        assert!(b.admit(&delta(4, "123456789")).is_ok(), "another call");
        assert_eq!(b.admit(&delta(3, "1")).unwrap_err().kind(), "too_large");

        // Arguments that come whole with the call count once.
        let mut b = budget(8, 10, 1000);
        let call =
            |raw: &str| Event::ToolCall(ToolCall::new(0, "i".into(), "n".into(), raw.into()));
        assert!(b.admit(&delta(0, "{}")).is_ok());
        assert!(b.admit(&call("{}")).is_ok());
        assert_eq!(b.answer_bytes, 2);
        let mut b = budget(8, 10, 1000);
        assert_eq!(
            b.admit(&call("{\"a\":\"long\"}")).unwrap_err().kind(),
            "too_large"
        );
    }

    #[test]
    fn a_turn_may_not_ask_for_more_calls_than_the_limit() {
        let mut b = budget(2, 100, 1000);
        assert!(b.admit(&delta(0, "")).is_ok());
        assert!(b.admit(&delta(7, "")).is_ok());
        assert!(b.admit(&delta(0, "more")).is_ok(), "a known call");
        let error = b.admit(&delta(1, "")).unwrap_err();
        assert_eq!(error.kind(), "tool_limit");
        assert!(error.message().contains("more than 2 tools"), "{error}");
        b.new_attempt();
        assert!(b.admit(&delta(1, "")).is_ok(), "counted per attempt");
    }
}
