//! Property tests of the layers a gateway's bytes go through: the SSE parser and both
//! protocol decoders. Whatever bytes arrive, cut wherever the network cuts them, nothing
//! panics and no event grows past the limit; a valid stream decodes to the same events
//! however it is cut, and to what was sent.

use bytes::Bytes;
use foxtail_engine::decode::{decoder, Flow};
use foxtail_engine::sse::{self, SseEvent, MAX_EVENT_BYTES};
use foxtail_engine::{Error, Event, Protocol, ToolCall, Usage};
use foxtail_mock_gateway::transcript;
use futures_util::{FutureExt, StreamExt};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};

const PROTOCOLS: [Protocol; 2] = [Protocol::Openai, Protocol::Anthropic];

/// Few cases each, so that the suite stays quick on small machines; a failing case is
/// printed, not saved in the source tree.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// `body` cut at the given places, as the network might deliver it.
fn cut(body: &[u8], cuts: &[Index]) -> Vec<Bytes> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(body.len() + 1)).collect();
    at.push(0);
    at.push(body.len());
    at.sort_unstable();
    at.windows(2)
        .map(|w| Bytes::copy_from_slice(&body[w[0]..w[1]]))
        .collect()
}

/// The SSE events of a body arriving in `chunks`, up to and with the first error.
fn parse(chunks: Vec<Bytes>, limit: usize) -> Vec<Result<SseEvent, Error>> {
    let body = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, Error>));
    let mut events = Box::pin(sse::events(body, limit));
    let mut out = Vec::new();
    while let Some(item) = events.next().now_or_never().expect("the body never waits") {
        let failed = item.is_err();
        out.push(item);
        if failed {
            break;
        }
    }
    out
}

/// What the client makes of a body: the events, and the error it ends with, if any.
/// It stops at the protocol's end marker or at the first error, as the client does.
fn decode(protocol: Protocol, chunks: Vec<Bytes>) -> (Vec<Event>, Option<Error>) {
    let mut decoder = decoder(protocol);
    let mut events = Vec::new();
    let mut error = None;
    for item in parse(chunks, MAX_EVENT_BYTES) {
        let flow = item.and_then(|event| decoder.event(&event, &mut |e| events.push(e)));
        match flow {
            Ok(Flow::Continue) => {}
            Ok(Flow::Done) => break,
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    decoder.end(&mut |e| events.push(e));
    (events, error)
}

/// Bytes that look like a stream now and then: field names, line breaks of all three
/// kinds, JSON of both protocols, byte order marks, broken UTF-8 and plain noise.
fn stream_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..16),
        3 => "[ -~]{0,16}".prop_map(String::into_bytes),
        3 => prop::sample::select(vec!["\n", "\r", "\r\n", "\n\n"]).prop_map(|s| s.as_bytes().to_vec()),
        2 => prop::sample::select(vec![
            "data: ", "data:", "event: ", "id: ", "retry: 10", ": ping", "data: [DONE]",
            "\u{feff}", "é", "🦊", "{", "}", "\"", "null",
        ]).prop_map(|s| s.as_bytes().to_vec()),
        2 => prop::sample::select(vec![
            r#"data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}"#,
            r#"data: {"choices":[{"delta":{"tool_calls":[{"index":3,"id":"c","function":{"name":"f","arguments":"{\""}}]}}]}"#,
            r#"data: {"choices":[{"index":0,"finish_reason":"stop"}],"usage":{"prompt_tokens":1}}"#,
            r#"data: {"error":{"message":"no","type":"server_error"}}"#,
            r#"data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"f","input":{"a":1}}}"#,
            r#"data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{"}}"#,
            r#"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}"#,
            r#"data: {"type":"content_block_stop","index":1}"#,
            r#"data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}"#,
            r#"data: {"type":"message_stop"}"#,
        ]).prop_map(|s| s.as_bytes().to_vec()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// JSON of any shape, with the keys and words both protocols use, so that the decoders
/// meet each field with every type of value.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,8}".prop_map(Value::from),
        prop::sample::select(vec![
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
            "error",
            "text",
            "thinking",
            "tool_use",
            "text_delta",
            "thinking_delta",
            "input_json_delta",
            "ping",
            "stop",
            "tool_calls",
        ])
        .prop_map(Value::from),
    ];
    let key = prop::sample::select(vec![
        "type",
        "index",
        "choices",
        "delta",
        "content",
        "reasoning",
        "reasoning_content",
        "refusal",
        "tool_calls",
        "id",
        "function",
        "name",
        "arguments",
        "finish_reason",
        "usage",
        "error",
        "message",
        "content_block",
        "text",
        "thinking",
        "partial_json",
        "input",
        "stop_reason",
        "prompt_tokens",
        "input_tokens",
        "output_tokens",
        "code",
    ]);
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|map| Value::Object(
                map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(config(256))]

    /// Any bytes, cut anywhere: the same events as when they arrive whole, and none
    /// larger than the limit.
    #[test]
    fn sse_events_do_not_depend_on_how_the_bytes_are_cut(
        body in stream_bytes(),
        cuts in prop::collection::vec(any::<Index>(), 0..10),
        small in any::<bool>(),
    ) {
        let limit = if small { 48 } else { MAX_EVENT_BYTES };
        let whole = parse(vec![Bytes::from(body.clone())], limit);
        let pieces = parse(cut(&body, &cuts), limit);
        prop_assert_eq!(&whole, &pieces);
        for event in whole.iter().flatten() {
            // The type is "message" when the stream names none.
            let named = if event.event == "message" { 0 } else { event.event.len() };
            prop_assert!(event.data.len() + named + event.id.len() <= limit, "{event:?}");
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// No bytes, not even broken UTF-8, keep the events after them from being read:
    /// an event sent after any garbage still arrives, and nothing waits in a buffer.
    #[test]
    fn garbage_never_blocks_the_events_after_it(
        garbage in stream_bytes(),
        cuts in prop::collection::vec(any::<Index>(), 0..10),
    ) {
        let mut body = garbage;
        body.extend_from_slice(b"\n\ndata: after\n\n");
        let events = parse(cut(&body, &cuts), MAX_EVENT_BYTES);
        let last = events.last().map(|e| e.as_ref().map(|e| e.data.as_str()));
        prop_assert_eq!(last, Some(Ok("after")), "{:?}", events);
    }

    /// Both decoders take any bytes, cut anywhere, without panicking, and decode them
    /// the same however they are cut.
    #[test]
    fn decoders_take_any_bytes(
        body in stream_bytes(),
        cuts in prop::collection::vec(any::<Index>(), 0..10),
    ) {
        for protocol in PROTOCOLS {
            let whole = decode(protocol, vec![Bytes::from(body.clone())]);
            let pieces = decode(protocol, cut(&body, &cuts));
            prop_assert_eq!(whole, pieces);
        }
    }

    /// Both decoders take events of any JSON shape (wrong types, huge indexes, missing
    /// fields) without panicking.
    #[test]
    fn decoders_take_any_json(values in prop::collection::vec(json_value(), 1..6)) {
        for protocol in PROTOCOLS {
            let mut decoder = decoder(protocol);
            let mut events = Vec::new();
            for value in &values {
                let event = SseEvent { data: value.to_string(), ..SseEvent::default() };
                if decoder.event(&event, &mut |e| events.push(e)).is_err() {
                    break;
                }
            }
            decoder.end(&mut |e| events.push(e));
        }
    }
}

/// One block of an answer: text, reasoning or a tool call, each in pieces.
#[derive(Debug, Clone)]
enum Block {
    Text(Vec<String>),
    Reasoning(Vec<String>),
    Tool {
        id: String,
        name: String,
        arguments: Vec<String>,
    },
}

fn blocks() -> impl Strategy<Value = Vec<Block>> {
    let pieces = || prop::collection::vec(any::<String>(), 0..5);
    let block = prop_oneof![
        3 => pieces().prop_map(Block::Text),
        1 => pieces().prop_map(Block::Reasoning),
        2 => ("[A-Za-z0-9_]{1,12}", "[A-Za-z0-9_-]{1,12}", pieces())
            .prop_map(|(id, name, arguments)| Block::Tool { id, name, arguments }),
    ];
    prop::collection::vec(block, 0..6)
}

fn data(value: Value) -> Bytes {
    Bytes::from(format!("data: {value}\n\n"))
}

fn named(value: Value) -> Bytes {
    let name = value["type"].as_str().unwrap().to_owned();
    Bytes::from(format!("event: {name}\ndata: {value}\n\n"))
}

/// The blocks as an OpenAI stream: content and reasoning deltas, tool calls opened with
/// their id and name and then their argument pieces, the finish, usage and `[DONE]`.
fn openai_stream(blocks: &[Block], usage: (u32, u32)) -> Vec<Bytes> {
    let mut events = transcript::openai_text(&[]);
    let mut index = 0;
    for block in blocks {
        match block {
            Block::Text(pieces) => {
                events.extend(pieces.iter().map(|p| transcript::text_event(false, p)))
            }
            Block::Reasoning(pieces) => events.extend(
                pieces
                    .iter()
                    .map(|p| transcript::openai_chunk(json!({"reasoning_content": p}), None)),
            ),
            Block::Tool {
                id,
                name,
                arguments,
            } => {
                let delta =
                    |call: Value| transcript::openai_chunk(json!({"tool_calls": [call]}), None);
                events.push(delta(json!({"index": index, "id": id, "type": "function",
                    "function": {"name": name, "arguments": ""}})));
                for piece in arguments {
                    events.push(delta(
                        json!({"index": index, "function": {"arguments": piece}}),
                    ));
                }
                index += 1;
            }
        }
    }
    let finish = if index > 0 { "tool_calls" } else { "stop" };
    events.push(transcript::openai_chunk(json!({}), Some(finish)));
    events.push(data(json!({"choices": [],
        "usage": {"prompt_tokens": usage.0, "completion_tokens": usage.1}})));
    events.push(Bytes::from_static(b"data: [DONE]\n\n"));
    events
}

/// The blocks as an Anthropic stream: one content block each, opened, streamed in
/// deltas and closed, between message_start and message_stop.
fn anthropic_stream(blocks: &[Block], usage: (u32, u32)) -> Vec<Bytes> {
    let mut events = vec![named(json!({"type": "message_start", "message": {
        "id": "msg", "type": "message", "role": "assistant", "content": [],
        "usage": {"input_tokens": usage.0, "output_tokens": 1},
    }}))];
    let mut tools = false;
    for (index, block) in blocks.iter().enumerate() {
        let (start, deltas): (Value, Vec<Value>) = match block {
            Block::Text(pieces) => (
                json!({"type": "text", "text": ""}),
                pieces
                    .iter()
                    .map(|p| json!({"type": "text_delta", "text": p}))
                    .collect(),
            ),
            Block::Reasoning(pieces) => (
                json!({"type": "thinking", "thinking": ""}),
                pieces
                    .iter()
                    .map(|p| json!({"type": "thinking_delta", "thinking": p}))
                    .collect(),
            ),
            Block::Tool {
                id,
                name,
                arguments,
            } => {
                tools = true;
                (
                    json!({"type": "tool_use", "id": id, "name": name, "input": {}}),
                    arguments
                        .iter()
                        .map(|p| json!({"type": "input_json_delta", "partial_json": p}))
                        .collect(),
                )
            }
        };
        events.push(named(
            json!({"type": "content_block_start", "index": index, "content_block": start}),
        ));
        for delta in deltas {
            events.push(named(
                json!({"type": "content_block_delta", "index": index, "delta": delta}),
            ));
        }
        events.push(named(json!({"type": "content_block_stop", "index": index})));
    }
    let stop = if tools { "tool_use" } else { "end_turn" };
    events.push(named(
        json!({"type": "message_delta", "delta": {"stop_reason": stop},
        "usage": {"output_tokens": usage.1}}),
    ));
    events.push(named(json!({"type": "message_stop"})));
    events
}

/// The body with its line breaks made `\r\n` or `\r` (JSON holds no raw line breaks),
/// and a comment between events if asked.
fn framed(events: &[Bytes], line_break: &str, comments: bool) -> Vec<u8> {
    let mut body = Vec::new();
    for event in events {
        if comments {
            body.extend_from_slice(b": keep-alive\n\n");
        }
        body.extend_from_slice(event);
    }
    String::from_utf8(body)
        .unwrap()
        .replace('\n', line_break)
        .into_bytes()
}

fn joined(blocks: &[Block], reasoning: bool) -> String {
    blocks
        .iter()
        .filter_map(|b| match (b, reasoning) {
            (Block::Text(pieces), false) | (Block::Reasoning(pieces), true) => {
                Some(pieces.concat())
            }
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(config(128))]

    /// A valid stream of either protocol, whatever its text, tool calls and usage, with
    /// any line breaks and cut anywhere, decodes to the same events as when whole, and
    /// those say what was sent.
    #[test]
    fn valid_streams_decode_the_same_however_they_are_cut(
        blocks in blocks(),
        usage in (any::<u32>(), any::<u32>()),
        line_break in prop::sample::select(vec!["\n", "\r\n", "\r"]),
        comments in any::<bool>(),
        cuts in prop::collection::vec(any::<Index>(), 0..24),
    ) {
        for protocol in PROTOCOLS {
            let events = match protocol {
                Protocol::Openai => openai_stream(&blocks, usage),
                Protocol::Anthropic => anthropic_stream(&blocks, usage),
            };
            let body = framed(&events, line_break, comments);
            let (whole, error) = decode(protocol, vec![Bytes::from(body.clone())]);
            prop_assert!(error.is_none(), "{protocol}: {error:?}");
            prop_assert_eq!(&decode(protocol, cut(&body, &cuts)), &(whole.clone(), None));

            let text: String = whole.iter().filter_map(|e| match e {
                Event::Text { text } => Some(text.as_str()),
                _ => None,
            }).collect();
            prop_assert_eq!(text, joined(&blocks, false));
            let reasoning: String = whole.iter().filter_map(|e| match e {
                Event::Reasoning { text } => Some(text.as_str()),
                _ => None,
            }).collect();
            prop_assert_eq!(reasoning, joined(&blocks, true));
            let calls: Vec<&ToolCall> = whole.iter().filter_map(|e| match e {
                Event::ToolCall(call) => Some(call),
                _ => None,
            }).collect();
            let sent: Vec<(&str, &str, String)> = blocks.iter().filter_map(|b| match b {
                Block::Tool { id, name, arguments } => {
                    Some((id.as_str(), name.as_str(), arguments.concat()))
                }
                _ => None,
            }).collect();
            prop_assert_eq!(calls.len(), sent.len());
            for (i, (call, (id, name, arguments))) in calls.iter().zip(&sent).enumerate() {
                prop_assert_eq!(call.index, i);
                prop_assert_eq!((call.id.as_str(), call.name.as_str()), (*id, *name));
                prop_assert_eq!(&call.arguments_raw, arguments);
            }
            prop_assert_eq!(
                whole.last(),
                Some(&Event::Usage(Usage {
                    input_tokens: usage.0.into(),
                    output_tokens: usage.1.into(),
                    ..Usage::default()
                }))
            );
        }
    }
}
