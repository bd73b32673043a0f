//! What a protocol is made of, as far as the engine is concerned: every difference
//! between talking to an OpenAI-protocol gateway and an Anthropic-protocol one goes
//! through this trait, so the client, the model list and resume never match on the
//! protocol themselves.

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::decoding::Decoder;
use crate::error::Error;
use crate::event::FinishReason;
use crate::request::{ChatRequest, Message};

pub trait Wire: Send + Sync {
    /// Where chat requests go, from a gateway's base URL (`https://api.ofox.ai/v1`).
    fn chat_url(&self, base_url: &str) -> String;

    /// The JSON body of a streamed chat request.
    fn body(&self, request: &ChatRequest) -> Value;

    /// The headers that carry `key`, and any version header the protocol requires.
    fn headers(&self, key: &str) -> Result<HeaderMap, Error>;

    /// A fresh decoder for one response stream.
    fn decoder(&self) -> Box<dyn Decoder>;

    /// Adds to a conversation what asks the model to go on from `partial`, an answer
    /// that was cut off.
    fn continue_messages(&self, messages: &mut Vec<Message>, partial: &str);

    /// Whether a model asked to go on continues exactly where the partial answer stops
    /// (so only whitespace the request had to drop may come again), rather than
    /// possibly starting over a word or a sentence back.
    fn continues_exactly(&self) -> bool;

    /// Where the model list is, from a gateway's base URL.
    fn models_url(&self, base_url: &str) -> String;

    /// The model ids in a model-list body, sorted and without repeats; `None` when the
    /// body is not such a list. Both protocols list them as `data[].id`.
    fn model_ids(&self, body: &[u8]) -> Option<Vec<String>> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let mut ids: Vec<String> = value
            .get("data")?
            .as_array()?
            .iter()
            .filter_map(|model| model.get("id")?.as_str())
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect();
        ids.sort();
        ids.dedup();
        Some(ids)
    }

    /// What the protocol's own word for how an answer ended means; `None` for a word
    /// this protocol does not use.
    fn finish_reason(&self, raw: &str) -> Option<FinishReason>;
}

/// Trims the slashes a person may leave at the end of a base URL.
pub(crate) fn base(base_url: &str) -> &str {
    base_url.trim_end_matches('/')
}
