//! The wire protocols, each behind [`Wire`], and the one place that says which
//! implementation speaks which [`Protocol`].

mod anthropic;
pub(crate) mod decoding;
mod encoding;
pub(crate) mod openai;
mod wire;

use std::borrow::Cow;

use serde_json::Value;

use crate::event::FinishReason;
use crate::request::{ChatRequest, Protocol};

pub use decoding::{Decoder, Flow, StreamState};
pub use wire::Wire;

/// The implementation of `protocol`: one line per protocol.
pub fn wire(protocol: Protocol) -> &'static dyn Wire {
    match protocol {
        Protocol::Openai => &openai::Openai,
        Protocol::Anthropic => &anthropic::Anthropic,
    }
}

/// Every protocol, for what must ask them all.
const PROTOCOLS: [Protocol; 2] = [Protocol::Openai, Protocol::Anthropic];

/// A fresh decoder for one `protocol` response stream.
pub fn decoder(protocol: Protocol) -> Box<dyn Decoder> {
    wire(protocol).decoder()
}

/// What a `protocol` stream's finish word means. Words of another protocol are
/// understood too: gateways that translate between protocols sometimes pass them on.
pub(crate) fn finish_reason(protocol: Protocol, raw: &str) -> FinishReason {
    wire(protocol)
        .finish_reason(raw)
        .unwrap_or_else(|| FinishReason::from_raw(raw))
}

impl FinishReason {
    /// Folds every protocol's words into one vocabulary; unknown words become `Other`
    /// and the provider's word stays available as `raw`.
    pub fn from_raw(raw: &str) -> Self {
        PROTOCOLS
            .iter()
            .find_map(|protocol| wire(*protocol).finish_reason(raw))
            .unwrap_or(FinishReason::Other)
    }
}

/// `request` made into the one that asks the model to go on from `partial`.
pub(crate) fn continuation(request: &ChatRequest, partial: &str) -> ChatRequest {
    let mut continued = request.clone();
    continued.continue_from = None;
    wire(request.protocol).continue_messages(&mut continued.messages, partial);
    continued
}

impl ChatRequest {
    pub fn url(&self) -> String {
        wire(self.protocol).chat_url(&self.base_url)
    }

    /// The JSON body sent for this request; for one that continues a partial answer
    /// ([`ChatRequest::continuing_from`]), the body that asks to go on from it.
    pub fn body(&self) -> Value {
        wire(self.protocol).body(&self.first_attempt())
    }

    /// What the first attempt sends: the continuation when there is a partial answer
    /// to go on from. Whitespace alone is no answer to continue.
    fn first_attempt(&self) -> Cow<'_, ChatRequest> {
        match self.partial_answer() {
            Some(partial) => Cow::Owned(continuation(self, partial)),
            None => Cow::Borrowed(self),
        }
    }

    /// The partial answer this request continues, if it continues one.
    pub(crate) fn partial_answer(&self) -> Option<&str> {
        self.continue_from
            .as_deref()
            .filter(|partial| !partial.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::request::{Message, Part, Role};

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

    #[test]
    fn pictures_go_in_each_protocols_shape_and_text_alone_as_a_string() {
        let picture = Message {
            role: Role::User,
            content: vec![
                Part::Image {
                    mime: "image/png".into(),
                    data: "iVBORw0KGgo=".into(),
                },
                Part::Text {
                    text: "What is this?".into(),
                },
            ],
        };
        for protocol in [Protocol::Openai, Protocol::Anthropic] {
            let mut request = ChatRequest::new(protocol, "m");
            request.messages = vec![Message::user("Hello"), picture.clone()];
            let body = request.body();
            let messages = body["messages"].as_array().unwrap();
            assert_eq!(messages[0]["content"], "Hello", "{protocol:?}");
            let expected = match protocol {
                Protocol::Openai => json!([
                    {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
                    {"type": "text", "text": "What is this?"},
                ]),
                Protocol::Anthropic => json!([
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                    {"type": "text", "text": "What is this?"},
                ]),
            };
            assert_eq!(messages[1]["content"], expected, "{protocol:?}");
        }
    }

    #[test]
    fn each_protocol_has_its_addresses() {
        let openai = wire(Protocol::Openai);
        assert_eq!(
            openai.chat_url("https://gw/v1/"),
            "https://gw/v1/chat/completions"
        );
        assert_eq!(openai.models_url("https://gw/v1"), "https://gw/v1/models");
        let anthropic = wire(Protocol::Anthropic);
        assert_eq!(
            anthropic.chat_url("https://gw/anthropic//"),
            "https://gw/anthropic/v1/messages"
        );
        assert_eq!(
            anthropic.models_url("https://gw/anthropic"),
            "https://gw/anthropic/v1/models?limit=1000"
        );
    }

    #[test]
    fn each_protocol_sends_the_key_its_own_way() {
        let headers = wire(Protocol::Openai).headers("sk-1").unwrap();
        assert_eq!(headers["authorization"], "Bearer sk-1");
        assert!(headers["authorization"].is_sensitive());
        let headers = wire(Protocol::Anthropic).headers("sk-1").unwrap();
        assert_eq!(headers["x-api-key"], "sk-1");
        assert!(headers["x-api-key"].is_sensitive());
        assert_eq!(headers["anthropic-version"], "2023-06-01");
        for protocol in PROTOCOLS {
            let err = wire(protocol).headers("sk-\n1").unwrap_err();
            assert_eq!(err.kind(), "auth", "{protocol}");
        }
    }

    #[test]
    fn finish_words_fold_into_one_vocabulary() {
        for (raw, reason) in [
            ("stop", FinishReason::Stop),
            ("end_turn", FinishReason::Stop),
            ("stop_sequence", FinishReason::Stop),
            ("length", FinishReason::Length),
            ("max_tokens", FinishReason::Length),
            ("model_context_window_exceeded", FinishReason::Length),
            ("tool_calls", FinishReason::ToolCalls),
            ("function_call", FinishReason::ToolCalls),
            ("tool_use", FinishReason::ToolCalls),
            ("content_filter", FinishReason::ContentFilter),
            ("refusal", FinishReason::Refusal),
            ("", FinishReason::Other),
            ("pause_turn", FinishReason::Other),
        ] {
            assert_eq!(FinishReason::from_raw(raw), reason, "{raw:?}");
            // A gateway may pass the other protocol's words through.
            for protocol in PROTOCOLS {
                assert_eq!(finish_reason(protocol, raw), reason, "{protocol} {raw:?}");
            }
        }
        assert_eq!(wire(Protocol::Openai).finish_reason("end_turn"), None);
        assert_eq!(wire(Protocol::Anthropic).finish_reason("stop"), None);
    }

    #[test]
    fn a_continuing_request_sends_the_continuation() {
        let request = ChatRequest::new(Protocol::Anthropic, "hi").continuing_from("Hello,  ");
        let body = request.body();
        assert_eq!(body["messages"].as_array().unwrap().len(), 2);
        assert_eq!(
            body["messages"][1],
            json!({"role": "assistant", "content": "Hello,"})
        );
        let request = ChatRequest::new(Protocol::Openai, "hi").continuing_from(" \n");
        assert_eq!(
            request.body(),
            ChatRequest::new(Protocol::Openai, "hi").body()
        );
    }

    #[test]
    fn ids_are_sorted_without_repeats_or_blanks() {
        let body = br#"{"object":"list","data":[
            {"id":"openai/gpt-4o","object":"model"},
            {"id":"anthropic/claude-sonnet-4.5"},
            {"id":"openai/gpt-4o"},
            {"id":"  "},
            {"name":"no id"}
        ]}"#;
        for protocol in PROTOCOLS {
            let wire = wire(protocol);
            assert_eq!(
                wire.model_ids(body),
                Some(vec![
                    "anthropic/claude-sonnet-4.5".to_owned(),
                    "openai/gpt-4o".to_owned()
                ])
            );
            assert_eq!(wire.model_ids(br#"{"data":[]}"#), Some(Vec::new()));
        }
    }

    #[test]
    fn a_body_that_is_not_a_list_is_refused() {
        for protocol in PROTOCOLS {
            let wire = wire(protocol);
            assert_eq!(wire.model_ids(b"<html>Welcome to nginx!</html>"), None);
            assert_eq!(wire.model_ids(br#"{"models":["a"]}"#), None);
            assert_eq!(wire.model_ids(br#"{"data":"a"}"#), None);
        }
    }
}
