//! The shared SSE conformance corpus (`shared/conformance` beside the repository), fed
//! through the engine's parser whole, one byte at a time and in random pieces.

use std::path::PathBuf;

use bytes::Bytes;
use foxtail_engine::decode::{decoder, Flow};
use foxtail_engine::sse::{self, SseEvent, MAX_EVENT_BYTES};
use foxtail_engine::{Error, Event, Protocol, Usage};
use futures_util::StreamExt;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

/// The corpus: `FOXTAIL_CONFORMANCE_DIR`, or `shared/conformance` beside the
/// repository. Missing, these tests fail in CI (`CI` set): a run that compared nothing
/// must not pass. Elsewhere they say so on stderr and compare nothing.
fn corpus() -> Option<PathBuf> {
    let dir = match std::env::var_os("FOXTAIL_CONFORMANCE_DIR") {
        Some(dir) => PathBuf::from(dir).join("cases"),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/cases"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    let missing = format!(
        "the conformance corpus is not at {} (set FOXTAIL_CONFORMANCE_DIR to its folder)",
        dir.display()
    );
    if std::env::var_os("CI").is_some() {
        panic!("{missing}: CI must compare it");
    }
    eprintln!("warning: {missing}: nothing compared");
    None
}

fn cases(protocols: &[&str]) -> Vec<(String, Value, Vec<u8>)> {
    let Some(dir) = corpus() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let case: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        if !protocols.contains(&case["protocol"].as_str().unwrap()) {
            continue;
        }
        let body = std::fs::read(path.with_extension("sse")).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        out.push((name, case, body));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The ways a body is cut into reads.
fn chunkings(body: &[u8]) -> Vec<(String, Vec<Bytes>)> {
    let mut ways = vec![
        ("whole".to_owned(), vec![Bytes::copy_from_slice(body)]),
        (
            "byte by byte".to_owned(),
            body.iter().map(|b| Bytes::copy_from_slice(&[*b])).collect(),
        ),
    ];
    for seed in 0..8u64 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut pieces = Vec::new();
        let mut at = 0;
        while at < body.len() {
            let len = rng.gen_range(1..=64).min(body.len() - at);
            pieces.push(Bytes::copy_from_slice(&body[at..at + len]));
            at += len;
        }
        ways.push((format!("random pieces (seed {seed})"), pieces));
    }
    ways
}

fn reads(pieces: Vec<Bytes>) -> impl futures_util::Stream<Item = Result<Bytes, Error>> {
    futures_util::stream::iter(pieces.into_iter().map(Ok))
}

/// What a whole stream amounted to, in the corpus's terms.
async fn decode(protocol: Protocol, pieces: Vec<Bytes>) -> (Value, Vec<Event>) {
    let mut events = Box::pin(sse::events(reads(pieces), MAX_EVENT_BYTES));
    let mut decoder = decoder(protocol);
    let mut out = Vec::new();
    let mut error = Value::Null;
    while let Some(event) = events.next().await {
        let event = event.expect("the SSE layer failed");
        match decoder.event(&event, &mut |e| out.push(e)) {
            Ok(Flow::Done) => break,
            Ok(Flow::Continue) => {}
            Err(err) => {
                error = json!(err.message());
                break;
            }
        }
    }
    decoder.end(&mut |e| out.push(e));
    let mut text = String::new();
    let mut reasoning = String::new();
    let mut refusal = String::new();
    let mut tool_calls = Vec::new();
    let mut usage_events = Vec::new();
    for event in &out {
        match event {
            Event::Text { text: t } => text.push_str(t),
            Event::Reasoning { text: t } => reasoning.push_str(t),
            Event::Refusal { text: t } => refusal.push_str(t),
            Event::ToolCall(call) => {
                let mut c = json!({"id": call.id, "name": call.name, "arguments": call.arguments});
                if call.arguments.is_null() {
                    c["arguments_raw"] = json!(call.arguments_raw);
                }
                tool_calls.push(c);
            }
            Event::Usage(u) => usage_events.push(*u),
            _ => {}
        }
    }
    let state = decoder.state();
    let summary = json!({
        "text": text,
        "reasoning": reasoning,
        "refusal": refusal,
        "tool_calls": tool_calls,
        "finish_reason": state.finish_raw,
        "usage": state.usage_raw,
        "error": error,
        "done": state.done,
    });
    // The usage event carries the counts of the provider's usage object.
    match &state.usage_raw {
        None => assert!(usage_events.is_empty()),
        Some(raw) => {
            assert_eq!(usage_events, [recorded_usage(protocol, raw)], "{raw}");
            let usage = usage_events[0];
            assert!(usage.cache_read_tokens + usage.cache_write_tokens <= usage.input_tokens);
            assert!(usage.reasoning_tokens <= usage.output_tokens);
        }
    }
    (summary, out)
}

/// The usage a recording's usage object reports, worked out from its own numbers: the
/// input counts the cached tokens (Anthropic's `input_tokens` leaves them out), and the
/// output is what the recorded total counts beyond the prompt, so every output token,
/// reasoning included (xAI's `completion_tokens` leaves its reasoning out).
fn recorded_usage(protocol: Protocol, raw: &Value) -> Usage {
    let count = |path: &str| raw.pointer(path).and_then(Value::as_u64).unwrap_or(0);
    let cost = raw["cost"].as_f64();
    match protocol {
        Protocol::Openai => {
            let input = count("/prompt_tokens");
            Usage {
                input_tokens: input,
                output_tokens: match raw["total_tokens"].as_u64() {
                    Some(total) => total - input,
                    None => count("/completion_tokens"),
                },
                cache_read_tokens: count("/prompt_tokens_details/cached_tokens"),
                cache_write_tokens: count("/prompt_tokens_details/cache_write_tokens"),
                reasoning_tokens: count("/completion_tokens_details/reasoning_tokens"),
                cost,
            }
        }
        Protocol::Anthropic => {
            let read = count("/cache_read_input_tokens");
            let written = count("/cache_creation_input_tokens");
            Usage {
                input_tokens: count("/input_tokens") + read + written,
                output_tokens: count("/output_tokens"),
                cache_read_tokens: read,
                cache_write_tokens: written,
                reasoning_tokens: 0,
                cost,
            }
        }
    }
}

/// The recordings whose usage has cache or reasoning counts, checked by hand.
#[tokio::test]
async fn recorded_cache_and_reasoning_counts_reach_the_usage_event() {
    let cases = cases(&["openai"]);
    // (input, output, cache read, reasoning)
    let known = [
        ("azure_prompt_filter_first_chunk", (15, 78, 0, 64)),
        ("deepseek_reasoning", (18, 219, 0, 205)),
        ("deepseek_tool_call_reasoning", (339, 83, 320, 39)),
        ("vllm_tool_call_empty_name_delta", (171, 14, 128, 0)),
        ("xai_reasoning_tool_call", (291, 222, 290, 196)),
    ];
    for (name, case, body) in &cases {
        let Some((_, (input, output, read, reasoning))) = known.iter().find(|(n, _)| n == name)
        else {
            continue;
        };
        let protocol: Protocol = case["protocol"].as_str().unwrap().parse().unwrap();
        let (_, events) = decode(protocol, vec![Bytes::from(body.clone())]).await;
        let usage = events.iter().find_map(|e| match e {
            Event::Usage(u) => Some(*u),
            _ => None,
        });
        let expected = Usage {
            input_tokens: *input,
            output_tokens: *output,
            cache_read_tokens: *read,
            reasoning_tokens: *reasoning,
            ..Usage::default()
        };
        assert_eq!(usage, Some(expected), "{name}");
    }
    if !cases.is_empty() {
        let found = known
            .iter()
            .filter(|(n, _)| cases.iter().any(|c| c.0 == *n));
        assert_eq!(found.count(), known.len(), "every case is in the corpus");
    }
}

#[tokio::test]
async fn llm_cases_decode_the_same_however_the_body_is_cut() {
    let cases = cases(&["openai", "anthropic"]);
    let mut checked = 0;
    for (name, case, body) in &cases {
        let protocol: Protocol = case["protocol"].as_str().unwrap().parse().unwrap();
        let mut expect = case["expect"].clone();
        // The corpus leaves arguments_raw out when the arguments parsed.
        for call in expect["tool_calls"].as_array_mut().unwrap() {
            if !call["arguments"].is_null() {
                call.as_object_mut().unwrap().remove("arguments_raw");
            }
        }
        for (how, pieces) in chunkings(body) {
            let (got, _) = decode(protocol, pieces).await;
            assert_eq!(got, expect, "case {name}, fed {how}");
            checked += 1;
        }
    }
    if !cases.is_empty() {
        let count = |protocol: &str| {
            cases
                .iter()
                .filter(|(_, case, _)| case["protocol"] == protocol)
                .count()
        };
        assert_eq!(count("openai"), 20, "openai cases compared");
        assert_eq!(count("anthropic"), 15, "anthropic cases compared");
        assert_eq!(checked, 35 * 10, "each case fed ten ways");
    }
}

#[tokio::test]
async fn tool_call_deltas_add_up_to_the_tool_calls() {
    let cases = cases(&["openai", "anthropic"]);
    let mut with_calls = 0;
    for (name, case, body) in cases.iter().cloned() {
        let protocol: Protocol = case["protocol"].as_str().unwrap().parse().unwrap();
        let (_, events) = decode(protocol, vec![Bytes::from(body)]).await;
        let mut args: std::collections::BTreeMap<usize, String> = Default::default();
        for event in &events {
            match event {
                Event::ToolCallDelta {
                    index,
                    arguments_delta,
                    ..
                } => args.entry(*index).or_default().push_str(arguments_delta),
                Event::ToolCall(call) => {
                    assert_eq!(args.get(&call.index), Some(&call.arguments_raw), "{name}");
                }
                _ => {}
            }
        }
        with_calls += usize::from(!case["expect"]["tool_calls"].as_array().unwrap().is_empty());
    }
    if !cases.is_empty() {
        assert!(
            with_calls >= 5,
            "only {with_calls} cases with tool calls compared"
        );
    }
}

/// What the SSE layer dispatches, as the corpus writes it down.
async fn sse_summary(pieces: Vec<Bytes>) -> Value {
    let mut events = Box::pin(sse::events(reads(pieces), MAX_EVENT_BYTES));
    let mut out = Vec::new();
    let mut retry = Value::Null;
    while let Some(event) = events.next().await {
        let SseEvent {
            event,
            data,
            id,
            retry: r,
        } = event.expect("the SSE layer failed");
        if let Some(r) = r {
            retry = json!(r.as_millis() as u64);
        }
        out.push(json!({"event": event, "data": data, "id": id}));
    }
    json!({"events": out, "retry": retry})
}

/// The cases that start with a byte order mark are among them: a body may begin with
/// one, and only that one is dropped.
#[tokio::test]
async fn sse_cases_dispatch_the_whatwg_events() {
    let cases = cases(&["sse-only"]);
    let mut checked = 0;
    for (name, case, body) in &cases {
        let expect = &case["expect"];
        for (how, pieces) in chunkings(body) {
            let got = sse_summary(pieces).await;
            assert_eq!(&got, expect, "case {name}, fed {how}");
            checked += 1;
        }
    }
    if !cases.is_empty() {
        assert_eq!(cases.len(), 19, "sse-only cases compared");
        assert_eq!(checked, 19 * 10, "each case fed ten ways");
    }
}
