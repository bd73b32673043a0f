//! Streams in each protocol's wire format, built from a list of text pieces. They copy
//! the shapes of real recordings (role-first chunk, usage-only last chunk, pings).

use bytes::Bytes;
use serde_json::json;

use crate::usage::{anthropic_delta_usage, anthropic_start_usage, openai_usage};

pub(crate) fn data(value: serde_json::Value) -> Bytes {
    Bytes::from(format!("data: {value}\n\n"))
}

pub(crate) fn named(event: &str, value: serde_json::Value) -> Bytes {
    Bytes::from(format!("event: {event}\ndata: {value}\n\n"))
}

pub fn openai_chunk(delta: serde_json::Value, finish: Option<&str>) -> Bytes {
    data(json!({
        "id": "chatcmpl-mock",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "gpt-4o-mock",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
    }))
}

/// The events up to (not including) the finish chunk.
pub fn openai_text(pieces: &[&str]) -> Vec<Bytes> {
    let mut events = vec![openai_chunk(
        json!({"role": "assistant", "content": ""}),
        None,
    )];
    events.extend(
        pieces
            .iter()
            .map(|p| openai_chunk(json!({"content": p}), None)),
    );
    events
}

/// The end: finish chunk, usage-only chunk ([`crate::USAGE`]) and `[DONE]`.
pub fn openai_end(finish: &str) -> Vec<Bytes> {
    openai_end_with(finish, None)
}

/// [`openai_end`] whose usage carries the gateway's own `cost`, if given.
pub fn openai_end_with(finish: &str, cost: Option<f64>) -> Vec<Bytes> {
    vec![
        openai_chunk(json!({}), Some(finish)),
        data(json!({
            "id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1_700_000_000,
            "model": "gpt-4o-mock", "choices": [],
            "usage": openai_usage(cost),
        })),
        Bytes::from_static(b"data: [DONE]\n\n"),
    ]
}

pub fn openai(pieces: &[&str]) -> Vec<Bytes> {
    let mut events = openai_text(pieces);
    events.extend(openai_end("stop"));
    events
}

pub fn openai_error(kind: &str, message: &str) -> Bytes {
    data(json!({"error": {"message": message, "type": kind, "param": null, "code": null}}))
}

pub fn anthropic_text(pieces: &[&str]) -> Vec<Bytes> {
    let mut events = vec![
        named(
            "message_start",
            json!({"type": "message_start", "message": {
                "id": "msg_mock", "type": "message", "role": "assistant", "content": [],
                "model": "claude-mock", "stop_reason": null, "stop_sequence": null,
                "usage": anthropic_start_usage(),
            }}),
        ),
        named(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        named("ping", json!({"type": "ping"})),
    ];
    events.extend(pieces.iter().map(|p| {
        named(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}}),
        )
    }));
    events
}

/// The end: block stop, message delta with the usage ([`crate::USAGE`]) and stop.
pub fn anthropic_end(stop_reason: &str) -> Vec<Bytes> {
    anthropic_end_with(stop_reason, None)
}

/// [`anthropic_end`] whose usage carries the gateway's own `cost`, if given.
pub fn anthropic_end_with(stop_reason: &str, cost: Option<f64>) -> Vec<Bytes> {
    vec![
        named(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 0}),
        ),
        named(
            "message_delta",
            json!({"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": null}, "usage": anthropic_delta_usage(cost)}),
        ),
        named("message_stop", json!({"type": "message_stop"})),
    ]
}

pub fn anthropic(pieces: &[&str]) -> Vec<Bytes> {
    let mut events = anthropic_text(pieces);
    events.extend(anthropic_end("end_turn"));
    events
}

pub fn anthropic_error(kind: &str, message: &str) -> Bytes {
    named(
        "error",
        json!({"type": "error", "error": {"details": null, "type": kind, "message": message}}),
    )
}

/// One text event in either protocol (used for generated and timed streams).
pub fn text_event(anthropic: bool, text: &str) -> Bytes {
    if anthropic {
        named(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}}),
        )
    } else {
        openai_chunk(json!({"content": text}), None)
    }
}

/// An error body as each protocol's API sends it with a 4xx/5xx status.
pub fn error_body(anthropic: bool, kind: &str, message: &str) -> Bytes {
    let value = if anthropic {
        json!({"type": "error", "error": {"type": kind, "message": message}})
    } else {
        json!({"error": {"message": message, "type": kind, "param": null, "code": null}})
    };
    Bytes::from(value.to_string())
}
