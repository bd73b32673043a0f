//! What a stream's usage event says, from each protocol's usage object: every input
//! token in `input_tokens`, cached ones too, and reasoning in `output_tokens`.

use foxtail_engine::decode::decoder;
use foxtail_engine::sse::SseEvent;
use foxtail_engine::{Event, Protocol, Usage};
use serde_json::{json, Value};

/// The usage events a stream of these JSON events ends with.
fn usage_of(protocol: Protocol, events: &[Value]) -> Vec<Usage> {
    let mut decoder = decoder(protocol);
    let mut out = Vec::new();
    for data in events {
        let event = SseEvent {
            event: "message".into(),
            data: data.to_string(),
            id: String::new(),
            retry: None,
        };
        decoder.event(&event, &mut |e| out.push(e)).unwrap();
    }
    decoder.end(&mut |e| out.push(e));
    out.into_iter()
        .filter_map(|e| match e {
            Event::Usage(usage) => Some(usage),
            _ => None,
        })
        .collect()
}

fn openai(usage: Value) -> Vec<Usage> {
    usage_of(Protocol::Openai, &[json!({"choices": [], "usage": usage})])
}

fn anthropic(start: Value, delta: Value) -> Vec<Usage> {
    usage_of(
        Protocol::Anthropic,
        &[
            json!({"type": "message_start", "message": {"usage": start}}),
            json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": delta}),
        ],
    )
}

#[test]
fn openai_usage_with_every_detail() {
    let usage = openai(json!({
        "prompt_tokens": 2000,
        "completion_tokens": 120,
        "total_tokens": 2120,
        "prompt_tokens_details": {"cached_tokens": 1536, "cache_write_tokens": 256},
        "completion_tokens_details": {"reasoning_tokens": 40},
        "cost": 0.0123,
    }));
    assert_eq!(
        usage,
        [Usage {
            input_tokens: 2000,
            output_tokens: 120,
            cache_read_tokens: 1536,
            cache_write_tokens: 256,
            reasoning_tokens: 40,
            cost: Some(0.0123),
        }]
    );
}

#[test]
fn openai_usage_without_details_has_zeros_and_no_cost() {
    let usage = openai(json!({"prompt_tokens": 9, "completion_tokens": 3}));
    assert_eq!(
        usage,
        [Usage {
            input_tokens: 9,
            output_tokens: 3,
            ..Usage::default()
        }]
    );
    assert_eq!(usage[0].cost, None);
    // A cost that is no amount of money is left out rather than shown.
    for cost in [json!("0.01"), json!(-1.0), json!(null)] {
        let usage = openai(json!({"prompt_tokens": 1, "cost": cost}));
        assert_eq!(usage[0].cost, None, "{cost}");
    }
    assert_eq!(openai(json!({"cost": 0}))[0].cost, Some(0.0));
}

#[test]
fn xai_reasoning_outside_the_completion_count_is_added_to_the_output() {
    // From xAI's recording: the total is prompt + completion + reasoning.
    let usage = openai(json!({
        "prompt_tokens": 291, "completion_tokens": 26, "total_tokens": 513,
        "prompt_tokens_details": {"cached_tokens": 290},
        "completion_tokens_details": {"reasoning_tokens": 196},
    }));
    assert_eq!(usage[0].output_tokens, 222);
    assert_eq!(usage[0].reasoning_tokens, 196);
    // Where the total already holds the reasoning in the completion, it is not added twice.
    let usage = openai(json!({
        "prompt_tokens": 18, "completion_tokens": 219, "total_tokens": 237,
        "completion_tokens_details": {"reasoning_tokens": 205},
    }));
    assert_eq!(usage[0].output_tokens, 219);
}

#[test]
fn deepseeks_cache_hits_count_as_cache_reads() {
    let usage = openai(json!({
        "prompt_tokens": 339, "completion_tokens": 83,
        "prompt_cache_hit_tokens": 320, "prompt_cache_miss_tokens": 19,
    }));
    assert_eq!(usage[0].cache_read_tokens, 320);
}

#[test]
fn anthropic_cached_input_is_added_to_the_input() {
    let usage = anthropic(
        json!({"input_tokens": 208, "cache_read_input_tokens": 1536,
               "cache_creation_input_tokens": 256, "output_tokens": 1}),
        json!({"output_tokens": 120}),
    );
    assert_eq!(
        usage,
        [Usage {
            input_tokens: 2000,
            output_tokens: 120,
            cache_read_tokens: 1536,
            cache_write_tokens: 256,
            reasoning_tokens: 0,
            cost: None,
        }]
    );
    // A gateway's own cost, wherever in the merged usage it came.
    let usage = anthropic(
        json!({"input_tokens": 5, "output_tokens": 1}),
        json!({"output_tokens": 7, "cost": 0.5}),
    );
    assert_eq!(
        usage,
        [Usage {
            input_tokens: 5,
            output_tokens: 7,
            cost: Some(0.5),
            ..Usage::default()
        }]
    );
}

#[test]
fn absurd_counts_saturate_instead_of_overflowing() {
    let usage = anthropic(
        json!({"input_tokens": u64::MAX, "cache_read_input_tokens": u64::MAX}),
        json!({}),
    );
    assert_eq!(usage[0].input_tokens, u64::MAX);
    let usage = openai(json!({
        "prompt_tokens": u64::MAX, "completion_tokens": u64::MAX, "total_tokens": u64::MAX,
        "completion_tokens_details": {"reasoning_tokens": u64::MAX},
    }));
    assert_eq!(usage[0].output_tokens, u64::MAX);
}
