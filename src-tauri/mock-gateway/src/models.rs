//! The model list each protocol's API returns, so that model pickers can be tested.

use bytes::Bytes;
use serde_json::json;

use crate::reply::Reply;

/// The models every scenario offers. The list is sent in this order, which is not
/// sorted, so that a client's sorting shows.
pub const MODEL_IDS: [&str; 2] = ["mock/beta", "mock/alpha"];

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
            // As OfoxAI and OpenRouter list them: what each reads at once, and
            // whether it takes pictures (alpha does, beta does not).
            "data": MODEL_IDS.iter().map(|id| json!({
                "id": id,
                "object": "model",
                "created": 1_700_000_000,
                "owned_by": "mock",
                "context_length": if *id == "mock/alpha" { 128_000 } else { 32_000 },
                "architecture": {
                    "input_modalities": if *id == "mock/alpha" { json!(["text", "image"]) } else { json!(["text"]) },
                    "output_modalities": ["text"],
                },
            })).collect::<Vec<_>>(),
        })
    };
    Reply::status(200, "application/json", Bytes::from(body.to_string()))
}
