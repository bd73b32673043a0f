//! The models a gateway offers, so that a person can pick one instead of typing it.

use futures_util::StreamExt;

use crate::client::{
    body_with_idle_timeout, provider_message, redirect_error, seconds, send_error, Client,
};
use crate::error::Error;
use crate::protocol::wire;
use crate::request::Protocol;
use crate::text::preview;

/// OpenRouter's full list with descriptions is a few megabytes; anything far larger is
/// not a model list.
const MAX_LIST_BYTES: usize = 32 * 1024 * 1024;
/// An error page needs no more than this to say what went wrong.
const MAX_ERROR_BYTES: usize = 64 * 1024;

impl Client {
    /// The model ids the gateway at `base_url` offers, sorted and without repeats.
    /// Failures have the same kinds, the provider's own words and the same timeouts as
    /// a chat stream.
    pub async fn list_models(
        &self,
        base_url: &str,
        protocol: Protocol,
    ) -> Result<Vec<String>, Error> {
        self.list_models_with(base_url, protocol, &[]).await
    }

    /// [`Client::list_models`] with a gateway's own headers, as
    /// [`crate::ChatRequest::extra_headers`] holds them for chat requests.
    pub async fn list_models_with(
        &self,
        base_url: &str,
        protocol: Protocol,
        extra_headers: &[(String, String)],
    ) -> Result<Vec<String>, Error> {
        let facts = self.model_facts(base_url, protocol, extra_headers).await?;
        Ok(facts.into_iter().map(|model| model.id).collect())
    }

    /// The models a gateway offers, with what its list says of each (OfoxAI and
    /// OpenRouter publish context sizes and input modalities; others say less).
    pub async fn model_facts(
        &self,
        base_url: &str,
        protocol: Protocol,
        extra_headers: &[(String, String)],
    ) -> Result<Vec<ModelFacts>, Error> {
        self.fetch_models(base_url, protocol, extra_headers)
            .await
            .map_err(|error| self.redact(error))
    }

    async fn fetch_models(
        &self,
        base_url: &str,
        protocol: Protocol,
        extra_headers: &[(String, String)],
    ) -> Result<Vec<ModelFacts>, Error> {
        let wire = wire(protocol);
        let headers = self.headers(protocol, "application/json", extra_headers)?;
        let builder = self
            .http
            .get(wire.models_url(base_url.trim()))
            .headers(headers);
        let idle = self.options().idle_timeout;
        let response = match tokio::time::timeout(idle, builder.send()).await {
            Err(_) => {
                return Err(Error::Timeout {
                    message: format!("the gateway sent no answer for {}", seconds(idle)),
                })
            }
            Ok(Err(err)) => return Err(send_error(&err)),
            Ok(Ok(response)) => response,
        };

        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(&response));
        }
        if !status.is_success() {
            let (body, _) = read_limited(response, idle, MAX_ERROR_BYTES).await;
            let body = String::from_utf8_lossy(&body);
            let message = provider_message(&body).unwrap_or_else(|| {
                format!(
                    "HTTP {} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or_default()
                )
            });
            return Err(Error::from_status(status.as_u16(), message));
        }
        let (body, end) = read_limited(response, idle, MAX_LIST_BYTES).await;
        match end {
            BodyEnd::Complete => {}
            BodyEnd::TooLarge => {
                return Err(Error::protocol(format!(
                    "the gateway's model list is larger than {} MB",
                    MAX_LIST_BYTES / (1024 * 1024)
                )))
            }
            BodyEnd::Failed(error) => return Err(error),
        }
        let ids = wire.model_ids(&body).ok_or_else(|| {
            Error::protocol(format!(
                "the gateway's model list was not understood: {}",
                preview(String::from_utf8_lossy(&body).trim())
            ))
        })?;
        Ok(facts_of(ids, &body))
    }
}

/// A model, and what the gateway's list says of it; `None` where it says nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFacts {
    pub id: String,
    /// The most tokens it reads at once.
    pub context_length: Option<u64>,
    /// Whether it takes pictures.
    pub image_input: Option<bool>,
}

/// The facts of each of `ids` in a model list's JSON: `context_length` (also under
/// `top_provider`), and the input modalities of `architecture.input_modalities`
/// (OpenRouter, OfoxAI) or `input_modalities`, or the older `architecture.modality`
/// ("text+image->text").
fn facts_of(ids: Vec<String>, body: &[u8]) -> Vec<ModelFacts> {
    let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let entries = json["data"].as_array().cloned().unwrap_or_default();
    ids.into_iter()
        .map(|id| {
            let entry = entries
                .iter()
                .find(|e| e["id"].as_str() == Some(&id))
                .cloned()
                .unwrap_or_default();
            let context_length = entry["context_length"]
                .as_u64()
                .or_else(|| entry["top_provider"]["context_length"].as_u64());
            let modalities = entry["architecture"]["input_modalities"]
                .as_array()
                .or_else(|| entry["input_modalities"].as_array());
            let image_input = match modalities {
                Some(list) => Some(list.iter().any(|m| m == "image")),
                None => entry["architecture"]["modality"]
                    .as_str()
                    .and_then(|m| m.split("->").next())
                    .map(|inputs| inputs.split('+').any(|m| m == "image")),
            };
            ModelFacts {
                id,
                context_length,
                image_input,
            }
        })
        .collect()
}

enum BodyEnd {
    Complete,
    TooLarge,
    Failed(Error),
}

/// Reads at most `limit` bytes of the body, with the idle timeout between pieces.
async fn read_limited(
    response: reqwest::Response,
    idle: std::time::Duration,
    limit: usize,
) -> (Vec<u8>, BodyEnd) {
    let mut body = Vec::new();
    let mut stream = Box::pin(body_with_idle_timeout(response, idle));
    while let Some(next) = stream.next().await {
        match next {
            Ok(bytes) => {
                if body.len() + bytes.len() > limit {
                    let room = limit - body.len();
                    body.extend_from_slice(&bytes[..room]);
                    return (body, BodyEnd::TooLarge);
                }
                body.extend_from_slice(&bytes);
            }
            Err(error) => return (body, BodyEnd::Failed(error)),
        }
    }
    (body, BodyEnd::Complete)
}

#[cfg(test)]
mod facts_tests {
    use super::*;

    #[test]
    fn what_a_gateway_publishes_is_read_and_silence_stays_unknown() {
        let body = br#"{"data": [
            {"id": "a", "context_length": 128000, "architecture": {"input_modalities": ["text", "image"]}},
            {"id": "b", "top_provider": {"context_length": 32000}, "architecture": {"modality": "text->text"}},
            {"id": "c"}
        ]}"#;
        let facts = facts_of(vec!["a".into(), "b".into(), "c".into()], body);
        assert_eq!(facts[0].context_length, Some(128_000));
        assert_eq!(facts[0].image_input, Some(true));
        assert_eq!(facts[1].context_length, Some(32_000));
        assert_eq!(facts[1].image_input, Some(false));
        assert_eq!(facts[2].context_length, None);
        assert_eq!(facts[2].image_input, None);
    }
}
