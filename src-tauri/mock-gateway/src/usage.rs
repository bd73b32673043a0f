//! The token counts every mock turn reports, fixed so that other crates' tests can work
//! out by hand what a turn costs at the listed prices ([`crate::models_reply`]).

use serde_json::{json, Value};

/// What one turn used, in the engine's terms: `input_tokens` counts every input token,
/// cached ones included, and `output_tokens` counts the reasoning tokens too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_read_tokens: u64,
    pub cache_write_tokens: u64,
    /// Sent by the OpenAI protocol only: Anthropic's usage has no reasoning count.
    pub reasoning_tokens: u64,
}

impl TurnUsage {
    /// Anthropic's `input_tokens`, which leaves the cached tokens out.
    pub const fn uncached_input_tokens(&self) -> u64 {
        self.input_tokens - self.cache_read_tokens - self.cache_write_tokens
    }
}

/// Every answer and tool-calling turn, in both protocols, reports these counts: OpenAI as
/// `prompt_tokens` 2000 (`cached_tokens` 1536, `cache_write_tokens` 256),
/// `completion_tokens` 120 (`reasoning_tokens` 40); Anthropic as `input_tokens` 208,
/// `cache_read_input_tokens` 1536, `cache_creation_input_tokens` 256, `output_tokens` 120.
pub const USAGE: TurnUsage = TurnUsage {
    input_tokens: 2000,
    output_tokens: 120,
    cache_read_tokens: 1536,
    cache_write_tokens: 256,
    reasoning_tokens: 40,
};

// Reasoning is part of the output, and cached tokens part of the input.
const _: () = assert!(
    USAGE.reasoning_tokens <= USAGE.output_tokens
        && USAGE.cache_read_tokens + USAGE.cache_write_tokens <= USAGE.input_tokens
);

/// What the gateway says a turn cost in US dollars in the `ok:cost` scenario
/// (OpenRouter's `usage.cost`); chosen unlike any cost the listed prices give, so that a
/// test sees which figure was used.
pub const COST: f64 = 0.0123;

/// The usage object of OpenAI's last chunk, with the gateway's cost when it has one.
pub(crate) fn openai_usage(cost: Option<f64>) -> Value {
    let mut usage = json!({
        "prompt_tokens": USAGE.input_tokens,
        "completion_tokens": USAGE.output_tokens,
        "total_tokens": USAGE.input_tokens + USAGE.output_tokens,
        "prompt_tokens_details": {
            "cached_tokens": USAGE.cache_read_tokens,
            // OpenRouter's count; OpenAI itself does not report cache writes.
            "cache_write_tokens": USAGE.cache_write_tokens,
        },
        "completion_tokens_details": {"reasoning_tokens": USAGE.reasoning_tokens},
    });
    if let Some(cost) = cost {
        usage["cost"] = json!(cost);
    }
    usage
}

/// `message_start.message.usage`: the input is known up front, the output is not yet.
pub(crate) fn anthropic_start_usage() -> Value {
    json!({
        "input_tokens": USAGE.uncached_input_tokens(),
        "cache_creation_input_tokens": USAGE.cache_write_tokens,
        "cache_read_input_tokens": USAGE.cache_read_tokens,
        "output_tokens": 1,
    })
}

/// `message_delta.usage`, with the gateway's cost when it has one (where a gateway
/// that adds one to Anthropic's protocol puts it).
pub(crate) fn anthropic_delta_usage(cost: Option<f64>) -> Value {
    let mut usage = json!({"output_tokens": USAGE.output_tokens});
    if let Some(cost) = cost {
        usage["cost"] = json!(cost);
    }
    usage
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_protocols_add_up_to_the_same_input() {
        let start = anthropic_start_usage();
        let anthropic_input: u64 = [
            "input_tokens",
            "cache_read_input_tokens",
            "cache_creation_input_tokens",
        ]
        .iter()
        .map(|key| start[key].as_u64().unwrap())
        .sum();
        assert_eq!(anthropic_input, USAGE.input_tokens);
        assert_eq!(start["input_tokens"], 208);
        assert_eq!(openai_usage(None)["prompt_tokens"], 2000);
        assert_eq!(openai_usage(None)["total_tokens"], 2120);
    }

    #[test]
    fn the_cost_is_sent_only_when_asked_for() {
        assert_eq!(openai_usage(None).get("cost"), None);
        assert_eq!(openai_usage(Some(COST))["cost"], 0.0123);
        assert_eq!(anthropic_delta_usage(None).get("cost"), None);
        assert_eq!(anthropic_delta_usage(Some(COST))["cost"], 0.0123);
    }
}
