//! The models a gateway offers, so that a person can pick one instead of typing it.

use futures_util::StreamExt;
use serde_json::Value;

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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelFacts {
    pub id: String,
    /// The name the list shows people (`name`, or Anthropic's `display_name`).
    pub name: Option<String>,
    /// The most tokens it reads at once.
    pub context_length: Option<u64>,
    /// Whether it takes pictures.
    pub image_input: Option<bool>,
    /// Whether it can call tools, and whether it can be asked to reason, from
    /// `supported_parameters` (`tools`; `reasoning` or `reasoning_effort`).
    pub tools: Option<bool>,
    pub reasoning: Option<bool>,
    /// What it costs, where the list publishes prices.
    pub pricing: Option<Pricing>,
}

/// A model's prices in US dollars per token, as OfoxAI and OpenRouter publish them
/// (`pricing.prompt`, `completion`, `input_cache_read`, `input_cache_write` or
/// `input_cache_write_5m`). A cache price the list leaves out is `None`.
#[derive(
    Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
pub struct Pricing {
    pub prompt: f64,
    pub completion: f64,
    #[ts(type = "number | null")]
    pub cache_read: Option<f64>,
    #[ts(type = "number | null")]
    pub cache_write: Option<f64>,
}

impl Pricing {
    /// What `usage` costs at these prices. Cached input is billed at the cache prices
    /// where known, and at the prompt price otherwise.
    pub fn cost_of(&self, usage: &crate::Usage) -> f64 {
        let cached = usage.cache_read_tokens + usage.cache_write_tokens;
        let plain_input = usage.input_tokens.saturating_sub(cached);
        plain_input as f64 * self.prompt
            + usage.cache_read_tokens as f64 * self.cache_read.unwrap_or(self.prompt)
            + usage.cache_write_tokens as f64 * self.cache_write.unwrap_or(self.prompt)
            + usage.output_tokens as f64 * self.completion
    }

    /// What reading from the cache saved against the prompt price, in US dollars.
    pub fn cache_saving(&self, usage: &crate::Usage) -> f64 {
        let read = self.cache_read.unwrap_or(self.prompt);
        usage.cache_read_tokens as f64 * (self.prompt - read).max(0.0)
    }
}

/// The facts of each of `ids` in a model list's JSON: `name` (Anthropic's
/// `display_name`), `context_length` (also under `top_provider`), the input modalities
/// of `architecture.input_modalities` (OpenRouter, OfoxAI) or `input_modalities`, or the
/// older `architecture.modality` ("text+image->text"), `supported_parameters` and
/// `pricing`.
fn facts_of(ids: Vec<String>, body: &[u8]) -> Vec<ModelFacts> {
    let json: Value = serde_json::from_slice(body).unwrap_or_default();
    let entries = json["data"].as_array().cloned().unwrap_or_default();
    ids.into_iter()
        .map(|id| {
            let entry = entries
                .iter()
                .find(|e| e["id"].as_str().map(str::trim) == Some(&id))
                .cloned()
                .unwrap_or_default();
            let name = entry["name"]
                .as_str()
                .or_else(|| entry["display_name"].as_str())
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned);
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
            let parameters = entry["supported_parameters"].as_array();
            let supports = |names: &[&str]| {
                parameters.map(|list| list.iter().any(|p| names.iter().any(|n| p == n)))
            };
            ModelFacts {
                id,
                name,
                context_length,
                image_input,
                tools: supports(&["tools"]),
                reasoning: supports(&["reasoning", "reasoning_effort"]),
                pricing: pricing_of(&entry["pricing"]),
            }
        })
        .collect()
}

/// A list entry's `pricing`, when it gives the prompt and completion prices. A
/// negative price is no price: OpenRouter lists "-1" for routers whose price depends on
/// the model they pick.
fn pricing_of(pricing: &Value) -> Option<Pricing> {
    // Prices come as strings, so that no float rounding creeps in on the way; some
    // lists send numbers.
    let price = |key: &str| {
        match &pricing[key] {
            Value::String(text) => text.trim().parse::<f64>().ok(),
            other => other.as_f64(),
        }
        .filter(|price| price.is_finite())
    };
    let cache_write = price("input_cache_write").or_else(|| price("input_cache_write_5m"));
    let found = Pricing {
        prompt: price("prompt")?,
        completion: price("completion")?,
        cache_read: price("input_cache_read"),
        cache_write,
    };
    let prices = [found.prompt, found.completion];
    let cache_prices = [found.cache_read, found.cache_write];
    if prices
        .into_iter()
        .chain(cache_prices.into_iter().flatten())
        .any(|p| p < 0.0)
    {
        return None;
    }
    Some(found)
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
        assert_eq!(
            facts[2],
            ModelFacts {
                id: "c".into(),
                ..ModelFacts::default()
            }
        );
    }

    #[test]
    fn an_ofoxai_entry_gives_name_parameters_and_prices() {
        let body = br#"{"data": [{"id":"anthropic/claude-sonnet-4.5","name":"Claude Sonnet 4.5","context_length":200000,"architecture":{"modality":"text+image+file->text","input_modalities":["text","image","file"]},"pricing":{"prompt":"0.000003","completion":"0.000015","input_cache_read":"0.0000003","input_cache_write_5m":"0.00000375","input_cache_write_1h":"0.000006"},"top_provider":{"context_length":200000,"max_completion_tokens":16384},"supported_parameters":["temperature","max_tokens","tools","tool_choice","reasoning"]}]}"#;
        let facts = facts_of(vec!["anthropic/claude-sonnet-4.5".into()], body);
        assert_eq!(
            facts,
            vec![ModelFacts {
                id: "anthropic/claude-sonnet-4.5".into(),
                name: Some("Claude Sonnet 4.5".into()),
                context_length: Some(200_000),
                image_input: Some(true),
                tools: Some(true),
                reasoning: Some(true),
                pricing: Some(Pricing {
                    prompt: 0.000003,
                    completion: 0.000015,
                    cache_read: Some(0.0000003),
                    cache_write: Some(0.00000375),
                }),
            }]
        );
    }

    #[test]
    fn parameters_say_what_a_model_can_do_only_where_listed() {
        let body = br#"{"data": [
            {"id": "a", "supported_parameters": ["temperature", "reasoning_effort"]},
            {"id": "b", "supported_parameters": []},
            {"id": "c", "display_name": "Claude C"},
            {"id": "d", "name": "  ", "display_name": "ignored"}
        ]}"#;
        let ids = ["a", "b", "c", "d"].map(String::from).to_vec();
        let facts = facts_of(ids, body);
        assert_eq!(
            (facts[0].tools, facts[0].reasoning),
            (Some(false), Some(true))
        );
        assert_eq!(
            (facts[1].tools, facts[1].reasoning),
            (Some(false), Some(false))
        );
        assert_eq!((facts[2].tools, facts[2].reasoning), (None, None));
        assert_eq!(facts[2].name.as_deref(), Some("Claude C"));
        assert_eq!(facts[3].name, None, "a blank name is no name");
    }

    #[test]
    fn prices_are_read_from_strings_or_numbers_and_refused_when_unknowable() {
        let pricing = |json: &str| pricing_of(&serde_json::from_str(json).unwrap());
        assert_eq!(
            pricing(
                r#"{"prompt": 0.0000005, "completion": "0.0000015", "input_cache_write": "0.000001", "input_cache_write_5m": "0.000009"}"#
            ),
            Some(Pricing {
                prompt: 0.0000005,
                completion: 0.0000015,
                cache_read: None,
                cache_write: Some(0.000001),
            })
        );
        assert_eq!(
            pricing(r#"{"prompt": "0", "completion": "0"}"#),
            Some(Pricing::default()),
            "free is a price"
        );
        // OpenRouter's auto router, whose price depends on the model it picks.
        assert_eq!(pricing(r#"{"prompt": "-1", "completion": "-1"}"#), None);
        assert_eq!(
            pricing(
                r#"{"prompt": "0.000001", "completion": "0.000002", "input_cache_read": "-1"}"#
            ),
            None
        );
        assert_eq!(pricing(r#"{"prompt": "0.000001"}"#), None);
        assert_eq!(pricing(r#"{"prompt": "free", "completion": "0"}"#), None);
        assert_eq!(pricing(r#"{"prompt": "NaN", "completion": "0"}"#), None);
        assert_eq!(pricing("null"), None);
    }

    /// Sonnet's prices: $3 and $15 per million tokens, cache reads $0.30, writes $3.75.
    const SONNET: Pricing = Pricing {
        prompt: 0.000003,
        completion: 0.000015,
        cache_read: Some(0.0000003),
        cache_write: Some(0.00000375),
    };

    fn assert_dollars(got: f64, expected: f64) {
        assert!((got - expected).abs() < 1e-12, "{got} != {expected}");
    }

    #[test]
    fn cost_bills_cached_input_at_the_cache_prices() {
        let usage = crate::Usage {
            input_tokens: 2000,
            output_tokens: 120,
            cache_read_tokens: 1536,
            cache_write_tokens: 256,
            reasoning_tokens: 40,
            cost: None,
        };
        // 208 plain input tokens × $0.000003 = $0.000624, 1536 read × $0.0000003 =
        // $0.0004608, 256 written × $0.00000375 = $0.00096, 120 out × $0.000015 = $0.0018.
        assert_dollars(SONNET.cost_of(&usage), 0.0038448);
        // 1536 × ($0.000003 - $0.0000003)
        assert_dollars(SONNET.cache_saving(&usage), 0.0041472);

        // Without cache prices, cached input costs what any input does and saves nothing.
        let plain = Pricing {
            prompt: 0.0000005,
            completion: 0.0000015,
            cache_read: None,
            cache_write: None,
        };
        // 2000 × $0.0000005 + 120 × $0.0000015
        assert_dollars(plain.cost_of(&usage), 0.00118);
        assert_dollars(plain.cache_saving(&usage), 0.0);
    }

    #[test]
    fn cost_without_caching_is_tokens_times_prices() {
        let usage = crate::Usage {
            input_tokens: 1_000_000,
            output_tokens: 1_000_000,
            ..crate::Usage::default()
        };
        assert_dollars(SONNET.cost_of(&usage), 18.0);
        assert_dollars(SONNET.cache_saving(&usage), 0.0);
    }
}
