//! What an answer showed besides its text: tool calls with their results, and a
//! refusal. Saved with the answer (as JSON) so that a reopened conversation shows the
//! same cards; the window reads the same shape.

use foxtail_engine::{Event, ToolImage, ToolStage};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ToolActivity {
    /// The call's place in its model turn; turns of a tool loop each count from 0.
    pub index: usize,
    /// How much of the answer's text came before the call, in UTF-16 units as the
    /// window counts, so the card shows where it happened.
    pub at: usize,
    pub id: String,
    pub name: String,
    /// The arguments as the model wrote them (JSON text, possibly cut off).
    pub arguments: String,
    pub done: bool,
    pub result: Option<String>,
    pub is_error: bool,
    /// Where the tool comes from (an MCP server's name); empty for Foxtail's own.
    pub source: String,
    /// Where a call that runs elsewhere stands: asking, running or declined.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<ToolStage>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ToolImage>>", optional)]
    pub images: Vec<ToolImage>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AnswerExtras {
    pub refusal: String,
    pub tools: Vec<ToolActivity>,
    /// What the person should know about how the answer was made, such as a tool
    /// server that could not start (so its tools were not offered).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub notices: Vec<String>,
    /// Tokens and cost, once the provider reported them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub usage: Option<crate::usage::AnswerUsage>,
}

impl AnswerExtras {
    /// Takes in one event of an answer whose text so far is `text`; returns whether
    /// anything changed.
    pub fn apply(&mut self, event: &Event, text: &str) -> bool {
        match event {
            Event::Refusal { text } => self.refusal.push_str(text),
            Event::ToolCallDelta {
                index,
                id,
                name,
                arguments_delta,
            } => {
                let call = self.open_call(*index, text);
                if let Some(id) = id.as_deref().filter(|id| !id.is_empty()) {
                    call.id = id.to_string();
                }
                if let Some(name) = name.as_deref().filter(|name| !name.is_empty()) {
                    call.name = name.to_string();
                }
                call.arguments.push_str(arguments_delta);
            }
            Event::ToolCall(done) => {
                let call = self.open_call(done.index, text);
                call.id = done.id.clone();
                call.name = done.name.clone();
                call.arguments = done.arguments_raw.clone();
                call.done = true;
            }
            Event::ToolResult {
                id,
                name,
                content,
                is_error,
                images,
            } => {
                let found = self.tools.iter_mut().rev().find(|call| &call.id == id);
                let call = match found {
                    Some(call) => call,
                    None => {
                        self.tools.push(ToolActivity {
                            at: text.encode_utf16().count(),
                            id: id.clone(),
                            name: name.clone(),
                            done: true,
                            ..ToolActivity::default()
                        });
                        self.tools.last_mut().expect("just pushed")
                    }
                };
                call.result = Some(content.clone());
                call.is_error = *is_error;
                call.images = images.clone();
                // Declined stays on the card; asking and running are over.
                call.stage = call.stage.filter(|stage| *stage == ToolStage::Declined);
            }
            Event::ToolStage { id, source, stage } => {
                let Some(call) = self.tools.iter_mut().rev().find(|call| &call.id == id) else {
                    return false;
                };
                call.source = source.clone();
                call.stage = Some(*stage);
            }
            _ => return false,
        }
        true
    }

    /// The call still being written at `index`; a finished one at the same index
    /// belongs to an earlier turn, so a new call starts.
    fn open_call(&mut self, index: usize, text: &str) -> &mut ToolActivity {
        let open = self
            .tools
            .iter()
            .rposition(|call| call.index == index && !call.done);
        let at = match open {
            Some(at) => at,
            None => {
                self.tools.push(ToolActivity {
                    index,
                    at: text.encode_utf16().count(),
                    ..ToolActivity::default()
                });
                self.tools.len() - 1
            }
        };
        &mut self.tools[at]
    }

    /// What was saved; anything unreadable counts as nothing, since the text is what
    /// matters and it is kept apart.
    pub fn from_json(saved: &str) -> Self {
        serde_json::from_str(saved).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        if self.refusal.is_empty()
            && self.tools.is_empty()
            && self.notices.is_empty()
            && self.usage.is_none()
        {
            return String::new();
        }
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use foxtail_engine::ToolCall;
    use serde_json::json;

    fn delta(index: usize, id: Option<&str>, name: Option<&str>, args: &str) -> Event {
        Event::ToolCallDelta {
            index,
            id: id.map(str::to_string),
            name: name.map(str::to_string),
            arguments_delta: args.to_string(),
        }
    }

    fn call(index: usize, id: &str, args: &str) -> Event {
        Event::ToolCall(ToolCall {
            index,
            id: id.into(),
            name: "calculator".into(),
            arguments: serde_json::from_str(args).unwrap(),
            arguments_raw: args.into(),
        })
    }

    #[test]
    fn calls_of_later_turns_do_not_overwrite_earlier_ones() {
        let mut extras = AnswerExtras::default();
        assert!(!extras.apply(&Event::Text { text: "x".into() }, ""));
        extras.apply(
            &delta(0, Some("a"), Some("calculator"), "{\"expression\""),
            "Let me see.",
        );
        extras.apply(&delta(0, Some(""), None, ":\"1+1\"}"), "Let me see.");
        extras.apply(&call(0, "a", "{\"expression\":\"1+1\"}"), "Let me see.");
        extras.apply(
            &Event::ToolResult {
                id: "a".into(),
                name: "calculator".into(),
                content: "2".into(),
                is_error: false,
                images: Vec::new(),
            },
            "Let me see.",
        );
        // The next turn counts from 0 again.
        extras.apply(
            &delta(0, Some("b"), Some("calculator"), "{}"),
            "Let me see.\n\n정답은",
        );
        assert_eq!(extras.tools.len(), 2);
        assert_eq!(
            extras.tools[0].at, 11,
            "the card sits after the text before it"
        );
        assert_eq!(
            extras.tools[1].at, 16,
            "counted in UTF-16 units, as the window does"
        );
        assert_eq!(extras.tools[0].arguments, "{\"expression\":\"1+1\"}");
        assert_eq!(extras.tools[0].result.as_deref(), Some("2"));
        assert_eq!(extras.tools[1].id, "b");
        assert!(!extras.tools[1].done);
    }

    #[test]
    fn nothing_extra_saves_as_empty_and_a_refusal_is_kept() {
        let mut extras = AnswerExtras::default();
        assert_eq!(extras.to_json(), "");
        extras.apply(
            &Event::Refusal {
                text: "I can't help with that.".into(),
            },
            "",
        );
        let saved: serde_json::Value = serde_json::from_str(&extras.to_json()).unwrap();
        assert_eq!(
            saved,
            json!({"refusal": "I can't help with that.", "tools": []})
        );
        assert_eq!(AnswerExtras::from_json(&extras.to_json()), extras);
        assert_eq!(AnswerExtras::from_json("not json"), AnswerExtras::default());
    }
}
