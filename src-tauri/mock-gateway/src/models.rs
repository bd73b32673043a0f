//! The model list each protocol's API returns, so that model pickers can be tested.

use bytes::Bytes;
use serde_json::{json, Value};

use crate::reply::Reply;

/// The models every scenario offers. The list is sent in this order, which is not
/// sorted, so that a client's sorting shows.
pub const MODEL_IDS: [&str; 2] = ["mock/beta", "mock/alpha"];

/// What the OpenAI-protocol list says of a model beyond its id, in OfoxAI's schema
/// (which is OpenRouter's): prices are strings of US dollars per token.
///
/// - mock/alpha, "Mock Alpha": 128,000 tokens, takes pictures; prompt "0.000003",
///   completion "0.000015", input_cache_read "0.0000003", input_cache_write_5m
///   "0.00000375"; calls tools and reasons.
/// - mock/beta, "Mock Beta": 32,000 tokens, text only; prompt "0.0000005", completion
///   "0.0000015", no cache prices; calls tools, does not reason.
fn openai_facts(id: &str) -> Value {
    if id == "mock/alpha" {
        json!({
            "name": "Mock Alpha",
            "context_length": 128_000,
            "architecture": {
                "modality": "text+image->text",
                "input_modalities": ["text", "image"],
                "output_modalities": ["text"],
            },
            "pricing": {
                "prompt": "0.000003",
                "completion": "0.000015",
                "input_cache_read": "0.0000003",
                "input_cache_write_5m": "0.00000375",
                "input_cache_write_1h": "0.000006",
            },
            "top_provider": {"context_length": 128_000, "max_completion_tokens": 16_384},
            "supported_parameters": ["temperature", "max_tokens", "tools", "tool_choice", "reasoning"],
        })
    } else {
        json!({
            "name": "Mock Beta",
            "context_length": 32_000,
            "architecture": {
                "modality": "text->text",
                "input_modalities": ["text"],
                "output_modalities": ["text"],
            },
            "pricing": {"prompt": "0.0000005", "completion": "0.0000015"},
            "top_provider": {"context_length": 32_000, "max_completion_tokens": 4_096},
            "supported_parameters": ["temperature", "max_tokens", "tools"],
        })
    }
}

/// `GET {base}/models` (OpenAI) or `GET {base}/v1/models` (Anthropic), shaped like the
/// real answers.
pub fn models_reply(anthropic: bool) -> Reply {
    let body = if anthropic {
        json!({
            "data": MODEL_IDS.iter().map(|id| json!({
                "type": "model",
                "id": id,
                "display_name": id,
                "created_at": "2025-01-01T00:00:00Z",
            })).collect::<Vec<_>>(),
            "has_more": false,
            "first_id": MODEL_IDS[0],
            "last_id": MODEL_IDS[MODEL_IDS.len() - 1],
        })
    } else {
        json!({
            "object": "list",
            "data": MODEL_IDS.iter().map(|id| {
                let mut model = json!({
                    "id": id,
                    "object": "model",
                    "created": 1_700_000_000,
                    "owned_by": "mock",
                });
                if let (Some(model), Value::Object(facts)) = (model.as_object_mut(), openai_facts(id)) {
                    model.extend(facts);
                }
                model
            }).collect::<Vec<_>>(),
        })
    };
    Reply::status(200, "application/json", Bytes::from(body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::Step;

    fn listed(anthropic: bool) -> Vec<Value> {
        let reply = models_reply(anthropic);
        let Step::Bytes(body) = &reply.steps[0] else {
            panic!("a plain body")
        };
        let list: Value = serde_json::from_slice(body).unwrap();
        list["data"].as_array().unwrap().clone()
    }

    #[test]
    fn the_openai_list_publishes_names_prices_and_parameters() {
        let models = listed(false);
        let ids: Vec<&str> = models.iter().map(|m| m["id"].as_str().unwrap()).collect();
        assert_eq!(ids, MODEL_IDS);
        let (beta, alpha) = (&models[0], &models[1]);
        assert_eq!(alpha["name"], "Mock Alpha");
        assert_eq!(alpha["object"], "model");
        assert_eq!(alpha["pricing"]["prompt"], "0.000003");
        assert_eq!(alpha["pricing"]["input_cache_read"], "0.0000003");
        assert_eq!(alpha["pricing"]["input_cache_write_5m"], "0.00000375");
        let supported = alpha["supported_parameters"].as_array().unwrap();
        assert!(supported.contains(&json!("tools")) && supported.contains(&json!("reasoning")));
        assert_eq!(beta["name"], "Mock Beta");
        assert_eq!(
            beta["pricing"],
            json!({"prompt": "0.0000005", "completion": "0.0000015"})
        );
        assert_eq!(
            beta["supported_parameters"],
            json!(["temperature", "max_tokens", "tools"])
        );
    }

    #[test]
    fn the_anthropic_list_has_display_names_and_no_prices() {
        for model in listed(true) {
            assert_eq!(model["display_name"], model["id"]);
            assert_eq!(model.get("pricing"), None);
        }
    }
}
