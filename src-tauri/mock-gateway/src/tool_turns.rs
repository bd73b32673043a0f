//! Scripted tool-calling turns: a model that asks for tools until the request carries
//! their results, then answers with what they said. Each turn is chosen by what the
//! request holds, so one scenario serves a whole tool loop.

use bytes::Bytes;
use serde_json::{json, Value};

use crate::transcript::{self, named, openai_chunk};
use crate::usage::{anthropic_delta_usage, anthropic_start_usage};

/// How the model behaves (`--scenario tools:NAME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolPlay {
    /// Says "Let me work that out.", calls calculator `{"expression":"12*7"}`, then
    /// answers "The answer is RESULT."
    Calculator,
    /// Calls calculator `{"expression":"(1+2)*3"}` and current_time `{}` in one turn,
    /// then answers "The calculator says RESULT and the clock says RESULT."
    Parallel,
    /// Calls `no_such_tool`, then answers "Recovered: RESULT".
    Unknown,
    /// Calls calculator again on every turn.
    Loop,
    /// Calls calculator `{"expression":"1+1"}` this many times in one turn, then answers
    /// "Ran N tools."
    Many(usize),
    /// Says "Let me check.", calls the tool named first with the arguments second (as
    /// JSON text), then answers "The tool said: RESULT". A new call id for each message
    /// of the person's.
    Call(&'static str, &'static str),
}

impl ToolPlay {
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "calculator" => ToolPlay::Calculator,
            "parallel" => ToolPlay::Parallel,
            "unknown" => ToolPlay::Unknown,
            "loop" => ToolPlay::Loop,
            _ => match name.strip_prefix("many:") {
                Some(n) => ToolPlay::Many(n.parse().ok()?),
                None => {
                    // `call:NAME:ARGS`; the arguments may hold colons of their own.
                    let (tool, arguments) = name.strip_prefix("call:")?.split_once(':')?;
                    serde_json::from_str::<Value>(arguments).ok()?;
                    // The scenario lives as long as the gateway that plays it.
                    ToolPlay::Call(
                        Box::leak(tool.to_owned().into_boxed_str()),
                        Box::leak(arguments.to_owned().into_boxed_str()),
                    )
                }
            },
        })
    }
}

/// A call the scripted model makes.
struct Call {
    id: String,
    name: &'static str,
    arguments: &'static str,
}

/// The call ids: each protocol's own style, so that a test sees them travel back.
fn id(anthropic: bool, name: &str) -> String {
    if anthropic {
        format!("toolu_{name}")
    } else {
        format!("call_{name}")
    }
}

/// The tool results in the request, in order, as (call id, content).
fn results(request: &Value, anthropic: bool) -> Vec<(String, String)> {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let text = |v: &Value| v["content"].as_str().unwrap_or_default().to_owned();
    if !anthropic {
        return messages
            .iter()
            .filter(|m| m["role"] == "tool")
            .map(|m| {
                (
                    m["tool_call_id"].as_str().unwrap_or_default().into(),
                    text(m),
                )
            })
            .collect();
    }
    let mut found = Vec::new();
    for message in messages.iter().filter(|m| m["role"] == "user") {
        for block in message["content"].as_array().into_iter().flatten() {
            if block["type"] != "tool_result" {
                continue;
            }
            // The content may also be a list of text blocks.
            let content = match &block["content"] {
                Value::Array(blocks) => blocks.iter().filter_map(|b| b["text"].as_str()).collect(),
                other => other.as_str().unwrap_or_default().to_owned(),
            };
            found.push((
                block["tool_use_id"].as_str().unwrap_or_default().into(),
                content,
            ));
        }
    }
    found
}

fn result_for(results: &[(String, String)], id: &str) -> String {
    results
        .iter()
        .rev()
        .find(|(call, _)| call == id)
        .map_or_else(
            || format!("(no result for {id})"),
            |(_, content)| content.clone(),
        )
}

/// The events of the turn that answers `request`.
pub(crate) fn turn(play: ToolPlay, anthropic: bool, request: &Value) -> Vec<Bytes> {
    let results = results(request, anthropic);
    let answered = !results.is_empty();
    let answer = |text: String| {
        let pieces = words(&text);
        if anthropic {
            transcript::anthropic(&pieces)
        } else {
            transcript::openai(&pieces)
        }
    };
    match play {
        ToolPlay::Calculator if answered => {
            let (_, last) = results.last().expect("answered");
            answer(format!("The answer is {last}."))
        }
        ToolPlay::Calculator => calls(
            anthropic,
            "Let me work that out.",
            vec![Call {
                id: id(anthropic, "calc_1"),
                name: "calculator",
                arguments: r#"{"expression":"12*7"}"#,
            }],
        ),
        ToolPlay::Parallel if answered => answer(format!(
            "The calculator says {} and the clock says {}.",
            result_for(&results, &id(anthropic, "calc_p")),
            result_for(&results, &id(anthropic, "time_p")),
        )),
        ToolPlay::Parallel => calls(
            anthropic,
            "",
            vec![
                Call {
                    id: id(anthropic, "calc_p"),
                    name: "calculator",
                    arguments: r#"{"expression":"(1+2)*3"}"#,
                },
                Call {
                    id: id(anthropic, "time_p"),
                    name: "current_time",
                    arguments: "{}",
                },
            ],
        ),
        ToolPlay::Unknown if answered => {
            let (_, last) = results.last().expect("answered");
            answer(format!("Recovered: {last}"))
        }
        ToolPlay::Unknown => calls(
            anthropic,
            "",
            vec![Call {
                id: id(anthropic, "unknown"),
                name: "no_such_tool",
                arguments: r#"{"query":"anything"}"#,
            }],
        ),
        ToolPlay::Many(n) if answered => answer(format!("Ran {} tools.", results.len().min(n))),
        ToolPlay::Many(n) => calls(
            anthropic,
            "",
            (0..n)
                .map(|i| Call {
                    id: id(anthropic, &format!("many_{i}")),
                    name: "calculator",
                    arguments: r#"{"expression":"1+1"}"#,
                })
                .collect(),
        ),
        ToolPlay::Call(_, _) if answered => {
            let (_, last) = results.last().expect("answered");
            answer(format!("The tool said: {last}"))
        }
        ToolPlay::Call(name, arguments) => {
            let asked = request["messages"]
                .as_array()
                .map_or(0, |m| m.iter().filter(|m| m["role"] == "user").count());
            calls(
                anthropic,
                "Let me check.",
                vec![Call {
                    id: id(anthropic, &format!("ask_{asked}")),
                    name,
                    arguments,
                }],
            )
        }
        ToolPlay::Loop => {
            // A new id each turn, as a real model gives.
            let turn = request["messages"]
                .as_array()
                .map_or(0, |m| m.iter().filter(|m| m["role"] == "assistant").count());
            calls(
                anthropic,
                "",
                vec![Call {
                    id: id(anthropic, &format!("loop_{}", turn + 1)),
                    name: "calculator",
                    arguments: r#"{"expression":"1+1"}"#,
                }],
            )
        }
    }
}

/// A turn that says "Let me work that out." and starts a calculator call whose
/// arguments go on for `pieces` events of `piece_bytes` bytes each (`+1+1+1…`), for a
/// client's limits to stop. The same event is sent again and again, so even a gigabyte
/// costs the gateway nothing to hold.
pub fn endless_arguments(anthropic: bool, pieces: usize, piece_bytes: usize) -> Vec<Bytes> {
    let piece = "+1".repeat(piece_bytes / 2);
    let call = Call {
        id: id(anthropic, "endless"),
        name: "calculator",
        arguments: "",
    };
    let mut events = calls(anthropic, "Let me work that out.", vec![call]);
    // The end of the turn, in both protocols its last three events (Anthropic's closes
    // the tool_use block first).
    let end = events.split_off(events.len() - 3);
    let argument = |text: &str| {
        if anthropic {
            named(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": 1,
                       "delta": {"type": "input_json_delta", "partial_json": text}}),
            )
        } else {
            openai_chunk(
                json!({"tool_calls": [{"index": 0, "function": {"arguments": text}}]}),
                None,
            )
        }
    };
    events.push(argument(r#"{"expression":"1"#));
    let repeated = argument(&piece);
    events.extend(std::iter::repeat_n(repeated, pieces));
    events.push(argument(r#""}"#));
    events.extend(end);
    events
}

/// Text in pieces of a word or so, like a model's tokens.
fn words(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices(' ') {
        if i > start {
            pieces.push(&text[start..i]);
            start = i;
        }
    }
    pieces.push(&text[start..]);
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// Arguments in pieces of three bytes, so that no piece is valid JSON on its own.
fn pieces(arguments: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = arguments;
    while !rest.is_empty() {
        let mut end = rest.len().min(3);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

fn calls(anthropic: bool, text: &str, calls: Vec<Call>) -> Vec<Bytes> {
    if anthropic {
        anthropic_calls(text, &calls)
    } else {
        openai_calls(text, &calls)
    }
}

/// OpenAI sends each call's id and name in its first delta and then only argument
/// pieces, keyed by index; parallel calls' pieces may interleave, and some gateways
/// repeat the id in a later delta.
fn openai_calls(text: &str, calls: &[Call]) -> Vec<Bytes> {
    let mut events = if text.is_empty() {
        vec![openai_chunk(
            json!({"role": "assistant", "content": null}),
            None,
        )]
    } else {
        transcript::openai_text(&words(text))
    };
    let tool_delta = |delta: Value| openai_chunk(json!({"tool_calls": [delta]}), None);
    for (index, call) in calls.iter().enumerate() {
        events.push(tool_delta(json!({
            "index": index, "id": call.id, "type": "function",
            "function": {"name": call.name, "arguments": ""},
        })));
    }
    let mut queues: Vec<Vec<&str>> = calls.iter().map(|c| pieces(c.arguments)).collect();
    let mut round = 0;
    while queues.iter().any(|q| !q.is_empty()) {
        // The first round carries one piece of every call in a single chunk.
        if round == 0 && calls.len() > 1 {
            let deltas: Vec<Value> = queues
                .iter_mut()
                .enumerate()
                .map(|(index, q)| json!({"index": index, "function": {"arguments": q.remove(0)}}))
                .collect();
            events.push(openai_chunk(json!({"tool_calls": deltas}), None));
        } else {
            for (index, queue) in queues.iter_mut().enumerate() {
                if queue.is_empty() {
                    continue;
                }
                let mut delta = json!({"index": index, "function": {"arguments": queue.remove(0)}});
                if round == 2 {
                    delta["id"] = json!(calls[index].id);
                }
                events.push(tool_delta(delta));
            }
        }
        round += 1;
    }
    events.extend(transcript::openai_end("tool_calls"));
    events
}

/// Anthropic sends blocks one after the other: text first, then each tool_use block
/// with its input as input_json_delta pieces (the first one empty, as the API does).
fn anthropic_calls(text: &str, calls: &[Call]) -> Vec<Bytes> {
    let mut events = vec![named(
        "message_start",
        json!({"type": "message_start", "message": {
            "id": "msg_mock_tools", "type": "message", "role": "assistant", "content": [],
            "model": "claude-mock", "stop_reason": null, "stop_sequence": null,
            "usage": anthropic_start_usage(),
        }}),
    )];
    let mut block = 0;
    if !text.is_empty() {
        events.push(named(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ));
        for piece in words(text) {
            events.push(transcript::text_event(true, piece));
        }
        events.push(named(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 0}),
        ));
        block = 1;
    }
    for call in calls {
        events.push(named(
            "content_block_start",
            json!({"type": "content_block_start", "index": block, "content_block": {
                "type": "tool_use", "id": call.id, "name": call.name, "input": {},
            }}),
        ));
        for piece in std::iter::once("").chain(pieces(call.arguments)) {
            events.push(named(
                "content_block_delta",
                json!({"type": "content_block_delta", "index": block,
                       "delta": {"type": "input_json_delta", "partial_json": piece}}),
            ));
        }
        events.push(named(
            "content_block_stop",
            json!({"type": "content_block_stop", "index": block}),
        ));
        block += 1;
    }
    events.push(named(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": null}, "usage": anthropic_delta_usage(None)}),
    ));
    events.push(named("message_stop", json!({"type": "message_stop"})));
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(events: &[Bytes]) -> String {
        events.iter().map(|e| String::from_utf8_lossy(e)).collect()
    }

    #[test]
    fn arguments_are_split_into_pieces_that_join_up() {
        let args = r#"{"expression":"(1+2)*3"}"#;
        let split = pieces(args);
        assert!(split.len() > 5);
        assert_eq!(split.concat(), args);
    }

    #[test]
    fn endless_arguments_make_one_long_call() {
        for anthropic in [false, true] {
            let events = endless_arguments(anthropic, 3, 8);
            let text = body(&events);
            assert!(
                text.contains("\"Let\"") && text.contains("\" work\""),
                "{text}"
            );
            assert_eq!(text.matches("+1+1+1+1").count(), 3, "{text}");
            let end = if anthropic { "message_stop" } else { "[DONE]" };
            assert!(body(&events[events.len() - 1..]).contains(end), "{text}");
            if anthropic {
                // The empty first piece, the opening, the three pieces and the close.
                assert_eq!(text.matches("input_json_delta").count(), 6, "{text}");
            }
        }
    }

    #[test]
    fn many_calls_come_in_one_turn() {
        assert_eq!(ToolPlay::from_name("many:40"), Some(ToolPlay::Many(40)));
        assert_eq!(ToolPlay::from_name("many:x"), None);
        for anthropic in [false, true] {
            let text = body(&turn(
                ToolPlay::Many(40),
                anthropic,
                &json!({"messages": []}),
            ));
            assert_eq!(text.matches("\"name\":\"calculator\"").count(), 40);
            assert!(text.contains("many_39") && !text.contains("many_40"));
        }
    }

    #[test]
    fn a_tool_calling_turn_reports_the_usage_every_turn_does() {
        let request = json!({"messages": []});
        let text = body(&turn(ToolPlay::Calculator, true, &request));
        assert!(
            text.contains(&anthropic_start_usage().to_string()),
            "{text}"
        );
        assert!(
            text.contains(&anthropic_delta_usage(None).to_string()),
            "{text}"
        );
        let text = body(&turn(ToolPlay::Calculator, false, &request));
        let usage = crate::usage::openai_usage(None).to_string();
        assert!(text.contains(&usage), "{text}");
    }

    #[test]
    fn a_request_with_results_gets_the_answer() {
        let first = turn(ToolPlay::Calculator, false, &json!({"messages": []}));
        let text = body(&first);
        assert!(text.contains("\"finish_reason\":\"tool_calls\""), "{text}");
        assert!(text.contains("call_calc_1"));
        let follow_up = json!({"messages": [
            {"role": "user", "content": "What is 12*7?"},
            {"role": "assistant", "content": null, "tool_calls": []},
            {"role": "tool", "tool_call_id": "call_calc_1", "content": "84"},
        ]});
        let text = body(&turn(ToolPlay::Calculator, false, &follow_up));
        assert!(text.contains("\"finish_reason\":\"stop\""), "{text}");
        for word in ["The", " answer", " is", " 84."] {
            assert!(text.contains(&format!("\"content\":\"{word}\"")), "{text}");
        }
        let follow_up = json!({"messages": [
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_unknown",
              "content": [{"type": "text", "text": "no"}], "is_error": true}]},
        ]});
        let text = body(&turn(ToolPlay::Unknown, true, &follow_up));
        assert!(text.contains("\"stop_reason\":\"end_turn\""), "{text}");
        assert!(text.contains("\"text\":\" no\""), "{text}");
    }
}
