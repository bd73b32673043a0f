//! The tool loop against the mock gateway's tool-calling model, over real loopback
//! HTTP, for both protocols: what the requests carry, what the sink sees, and what the
//! conversation holds afterwards.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Error, Event, Finish, FinishReason, Message, Options,
    Part, Protocol, Registry, Role, SecretString, Tool, ToolCall, DEFAULT_MAX_TOOL_STEPS,
};
use foxtail_mock_gateway::{script, MockGateway};
use serde_json::{json, Value};

const KEY: &str = "sk-test-fake-tools";

const PROTOCOLS: [Protocol; 2] = [Protocol::Openai, Protocol::Anthropic];

fn options() -> Options {
    common::fast_options(Duration::from_millis(50))
}

fn client() -> Client {
    Client::new(SecretString::from(KEY), options()).unwrap()
}

struct Run {
    events: Vec<Event>,
    end: Result<Finish, Error>,
    /// The conversation after the loop: the question, then what the loop added.
    messages: Vec<Message>,
    gateway: MockGateway,
    elapsed: Duration,
}

impl Run {
    fn text(&self) -> String {
        common::text_of(&self.events)
    }

    fn calls(&self) -> Vec<&ToolCall> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ToolCall(call) => Some(call),
                _ => None,
            })
            .collect()
    }

    /// (id, name, content, is_error) of each `tool_result` event.
    fn results(&self) -> Vec<(&str, &str, &str, bool)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ToolResult {
                    id,
                    name,
                    content,
                    is_error,
                    ..
                } => Some((id.as_str(), name.as_str(), content.as_str(), *is_error)),
                _ => None,
            })
            .collect()
    }

    fn bodies(&self) -> Vec<Value> {
        self.gateway.requests().iter().map(|r| r.json()).collect()
    }
}

async fn converse_with(
    protocol: Protocol,
    scenario: &str,
    tools: &Registry,
    max_steps: usize,
    cancel: CancellationToken,
) -> Run {
    converse_using(options(), protocol, scenario, tools, max_steps, cancel).await
}

async fn converse_using(
    options: Options,
    protocol: Protocol,
    scenario: &str,
    tools: &Registry,
    max_steps: usize,
    cancel: CancellationToken,
) -> Run {
    let client = Client::new(SecretString::from(KEY), options).unwrap();
    let gateway = MockGateway::start_script(script(scenario).unwrap())
        .await
        .unwrap();
    let mut request = ChatRequest::new(protocol, "What is 12 times 7?");
    request.base_url = gateway.url();
    let mut events = Vec::new();
    let started = Instant::now();
    let end = client
        .converse(&mut request, tools, max_steps, &cancel, &mut |e| {
            events.push(e)
        })
        .await;
    let elapsed = started.elapsed();
    check_one_end(&events, &end);
    assert_eq!(
        request.tools,
        tools.specs(),
        "the request offered the tools"
    );
    Run {
        events,
        end,
        messages: request.messages,
        gateway,
        elapsed,
    }
}

async fn converse(protocol: Protocol, scenario: &str) -> Run {
    converse_with(
        protocol,
        scenario,
        &Registry::builtin(),
        DEFAULT_MAX_TOOL_STEPS,
        CancellationToken::new(),
    )
    .await
}

/// The whole conversation ends with exactly one `finish` or `error`, the last event,
/// matching what `converse` returned.
fn check_one_end(events: &[Event], end: &Result<Finish, Error>) {
    let ends: Vec<_> = events.iter().filter(|e| e.is_end()).collect();
    assert_eq!(ends.len(), 1, "{events:#?}");
    match (events.last().unwrap(), end) {
        (Event::Finish { reason, raw }, Ok(f)) => assert_eq!((reason, raw), (&f.reason, &f.raw)),
        (Event::Error(e), Err(err)) => assert_eq!(e, err),
        other => panic!("the end event and the result differ: {other:?}"),
    }
    assert!(!format!("{events:?}").contains(KEY));
}

/// What the APIs require of a conversation with tool calls: in OpenAI's, an assistant
/// message's `tool_calls` are followed by one `role: "tool"` message per call with its
/// id, in order; in Anthropic's, an assistant message's `tool_use` blocks are followed
/// by one user message whose `tool_result` blocks answer them, in order. Returns the
/// call ids in the order they appear.
fn check_tool_messages(protocol: Protocol, body: &Value) -> Vec<String> {
    let messages = body["messages"].as_array().unwrap();
    let mut ids = Vec::new();
    let mut i = 0;
    while i < messages.len() {
        let message = &messages[i];
        i += 1;
        match protocol {
            Protocol::Openai => {
                assert_ne!(message["role"], "tool", "a tool message without a call");
                let Some(calls) = message.get("tool_calls") else {
                    continue;
                };
                assert_eq!(message["role"], "assistant");
                for call in calls.as_array().unwrap() {
                    let id = call["id"].as_str().unwrap();
                    assert_eq!(call["type"], "function");
                    let arguments = call["function"]["arguments"].as_str().unwrap();
                    assert!(serde_json::from_str::<Value>(arguments)
                        .unwrap()
                        .is_object());
                    let answer = &messages[i];
                    assert_eq!(answer["role"], "tool", "{body:#}");
                    assert_eq!(answer["tool_call_id"], id, "{body:#}");
                    assert!(answer["content"].is_string());
                    ids.push(id.to_owned());
                    i += 1;
                }
            }
            Protocol::Anthropic => {
                // Text alone goes as a plain string; blocks only where they are needed.
                let Some(blocks) = message["content"].as_array() else {
                    assert!(message["content"].is_string(), "{body:#}");
                    continue;
                };
                let uses: Vec<&Value> = blocks.iter().filter(|b| b["type"] == "tool_use").collect();
                if message["role"] == "user" && i == 1 {
                    assert!(blocks.iter().all(|b| b["type"] != "tool_result"));
                }
                if uses.is_empty() {
                    continue;
                }
                assert_eq!(message["role"], "assistant");
                let first_use = blocks.iter().position(|b| b["type"] == "tool_use").unwrap();
                assert!(
                    blocks[first_use..].iter().all(|b| b["type"] == "tool_use"),
                    "text comes before the tool_use blocks"
                );
                let answer = &messages[i];
                assert_eq!(answer["role"], "user", "{body:#}");
                let results = answer["content"].as_array().unwrap();
                assert_eq!(results.len(), uses.len(), "{body:#}");
                for (call, result) in uses.iter().zip(results) {
                    assert!(call["input"].is_object());
                    assert_eq!(result["type"], "tool_result");
                    assert_eq!(result["tool_use_id"], call["id"], "{body:#}");
                    assert!(result["content"].is_string() && result["is_error"].is_boolean());
                    ids.push(call["id"].as_str().unwrap().to_owned());
                }
                i += 1;
            }
        }
    }
    ids
}

#[tokio::test]
async fn the_tools_are_offered_in_each_protocols_format_and_left_out_when_none() {
    for p in PROTOCOLS {
        let r = converse(p, "tools:calculator").await;
        let body = &r.bodies()[0];
        let expected: Vec<Value> = Registry::builtin()
            .specs()
            .into_iter()
            .map(|spec| match p {
                Protocol::Openai => json!({"type": "function", "function": {
                    "name": spec.name, "description": spec.description, "parameters": spec.parameters,
                }}),
                Protocol::Anthropic => json!({
                    "name": spec.name, "description": spec.description, "input_schema": spec.parameters,
                }),
            })
            .collect();
        assert_eq!(body["tools"], json!(expected), "{p}");
        assert_eq!(
            body["tools"][1]["name"]
                .as_str()
                .or(body["tools"][1]["function"]["name"].as_str()),
            Some("calculator")
        );

        let none = converse_with(
            p,
            "ok",
            &Registry::new(),
            DEFAULT_MAX_TOOL_STEPS,
            CancellationToken::new(),
        )
        .await;
        assert!(none.end.is_ok());
        assert_eq!(none.bodies()[0].get("tools"), None, "{p}");
    }
}

#[tokio::test]
async fn a_tool_call_runs_and_its_result_reaches_the_model() {
    for p in PROTOCOLS {
        let r = converse(p, "tools:calculator").await;
        let id = match p {
            Protocol::Openai => "call_calc_1",
            Protocol::Anthropic => "toolu_calc_1",
        };
        // The arguments came in many pieces and were put back together.
        let deltas = r
            .events
            .iter()
            .filter(|e| matches!(e, Event::ToolCallDelta { .. }))
            .count();
        assert!(deltas >= 7, "{p}: {deltas} deltas");
        let calls = r.calls();
        assert_eq!(calls.len(), 1);
        assert_eq!(
            (calls[0].id.as_str(), calls[0].name.as_str()),
            (id, "calculator")
        );
        assert_eq!(calls[0].arguments, json!({"expression": "12*7"}));
        assert_eq!(r.results(), vec![(id, "calculator", "84", false)]);

        // One answer: the paragraphs of the two turns are parted, one end event.
        assert_eq!(
            r.text(),
            "Let me work that out.\n\nThe answer is 84.",
            "{p}"
        );
        assert_eq!(
            r.events
                .iter()
                .filter(|e| matches!(e, Event::Text { text } if text == "\n\n"))
                .count(),
            1
        );
        assert_eq!(
            r.end,
            Ok(Finish {
                reason: FinishReason::Stop,
                raw: if p == Protocol::Anthropic {
                    "end_turn"
                } else {
                    "stop"
                }
                .into(),
            })
        );
        // The result is shown after its call and before the second turn's text.
        let at = |pred: &dyn Fn(&Event) -> bool| r.events.iter().position(pred).unwrap();
        let call_at = at(&|e| matches!(e, Event::ToolCall(_)));
        let result_at = at(&|e| matches!(e, Event::ToolResult { .. }));
        let joint_at = at(&|e| matches!(e, Event::Text { text } if text == "\n\n"));
        assert!(
            call_at < result_at && result_at < joint_at,
            "{:#?}",
            r.events
        );

        // The follow-up request, as the APIs require it.
        let bodies = r.bodies();
        assert_eq!(bodies.len(), 2);
        assert_eq!(check_tool_messages(p, &bodies[1]), vec![id]);
        let messages = &bodies[1]["messages"];
        match p {
            Protocol::Openai => {
                assert_eq!(
                    messages,
                    &json!([
                        {"role": "user", "content": "What is 12 times 7?"},
                        {"role": "assistant", "content": "Let me work that out.", "tool_calls": [
                            {"id": id, "type": "function",
                             "function": {"name": "calculator", "arguments": "{\"expression\":\"12*7\"}"}},
                        ]},
                        {"role": "tool", "tool_call_id": id, "content": "84"},
                    ])
                );
            }
            Protocol::Anthropic => {
                assert_eq!(
                    messages,
                    &json!([
                        {"role": "user", "content": "What is 12 times 7?"},
                        {"role": "assistant", "content": [
                            {"type": "text", "text": "Let me work that out."},
                            {"type": "tool_use", "id": id, "name": "calculator",
                             "input": {"expression": "12*7"}},
                        ]},
                        {"role": "user", "content": [
                            {"type": "tool_result", "tool_use_id": id, "content": "84", "is_error": false},
                        ]},
                    ])
                );
            }
        }
        assert_eq!(
            bodies[1]["tools"], bodies[0]["tools"],
            "every turn offers the tools"
        );

        // What the loop added to the conversation, ready to be stored.
        assert_eq!(
            r.messages,
            vec![
                Message::user("What is 12 times 7?"),
                Message {
                    role: Role::Assistant,
                    content: vec![
                        Part::Text {
                            text: "Let me work that out.".into()
                        },
                        Part::ToolCall {
                            id: id.into(),
                            name: "calculator".into(),
                            arguments: json!({"expression": "12*7"}),
                        },
                    ],
                },
                Message {
                    role: Role::User,
                    content: vec![Part::ToolResult {
                        tool_call_id: id.into(),
                        name: "calculator".into(),
                        content: "84".into(),
                        is_error: false,
                    }],
                },
                Message::assistant("The answer is 84."),
            ]
        );
    }
}

#[tokio::test]
async fn parallel_calls_are_merged_by_index_and_answered_in_order() {
    for p in PROTOCOLS {
        let r = converse(p, "tools:parallel").await;
        let (calc, time) = match p {
            Protocol::Openai => ("call_calc_p", "call_time_p"),
            Protocol::Anthropic => ("toolu_calc_p", "toolu_time_p"),
        };
        let calls = r.calls();
        assert_eq!(calls.len(), 2, "{p}");
        assert_eq!((calls[0].index, calls[0].id.as_str()), (0, calc));
        assert_eq!(calls[0].arguments, json!({"expression": "(1+2)*3"}));
        assert_eq!((calls[1].index, calls[1].id.as_str()), (1, time));
        assert_eq!(calls[1].arguments, json!({}));
        let results = r.results();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0], (calc, "calculator", "9", false));
        let (id, name, now, is_error) = results[1];
        assert_eq!((id, name, is_error), (time, "current_time", false));
        assert!(now.contains("UTC"), "{now}");

        // The first turn had no text, so nothing parts the answer from it.
        assert_eq!(
            r.text(),
            format!("The calculator says 9 and the clock says {now}."),
            "{p}"
        );
        assert!(r.end.is_ok());
        let bodies = r.bodies();
        assert_eq!(check_tool_messages(p, &bodies[1]), vec![calc, time]);
        if p == Protocol::Openai {
            assert_eq!(bodies[1]["messages"][1]["content"], Value::Null, "no text");
        }
        assert_eq!(r.messages.len(), 4);
    }
}

#[tokio::test]
async fn an_unknown_tool_gives_an_error_result_and_the_model_goes_on() {
    for p in PROTOCOLS {
        let r = converse(p, "tools:unknown").await;
        let results = r.results();
        assert_eq!(results.len(), 1);
        let (_, name, content, is_error) = results[0];
        assert_eq!((name, is_error), ("no_such_tool", true));
        assert_eq!(
            content,
            "There is no tool named \"no_such_tool\". The tools are: current_time, calculator."
        );
        assert_eq!(r.text(), format!("Recovered: {content}"), "{p}");
        assert!(r.end.is_ok(), "{p}: {:?}", r.end);
        let follow_up = &r.bodies()[1];
        check_tool_messages(p, follow_up);
        if p == Protocol::Anthropic {
            assert_eq!(follow_up["messages"][2]["content"][0]["is_error"], true);
        }
    }
}

#[tokio::test]
async fn a_model_that_never_stops_asking_hits_the_step_limit() {
    for p in PROTOCOLS {
        let r = converse_with(
            p,
            "tools:loop",
            &Registry::builtin(),
            3,
            CancellationToken::new(),
        )
        .await;
        let error = r.end.as_ref().unwrap_err();
        assert_eq!(error.kind(), "tool_limit");
        assert_eq!(
            error.message(),
            "The model asked for tools 3 times without answering, so Foxtail stopped it."
        );
        assert_eq!(
            serde_json::to_value(r.events.last().unwrap()).unwrap(),
            json!({"type": "error", "kind": "tool_limit",
                   "message": "The model asked for tools 3 times without answering, so Foxtail stopped it."})
        );
        // Three turns, the tools of the first two run, the last turn's not.
        assert_eq!(r.gateway.requests().len(), 3, "{p}");
        assert_eq!(r.calls().len(), 3);
        assert_eq!(r.results().len(), 2);
        let ids = check_tool_messages(p, &r.bodies()[2]);
        assert_eq!(ids.len(), 2);
        assert_ne!(ids[0], ids[1], "each turn's call has its own id");
        // The conversation never ends with calls that have no results.
        assert_eq!(r.messages.len(), 5);
        assert_eq!(r.messages[4].role, Role::User);
    }
}

/// A calculator that blocks its thread (as a stuck tool would) until it is let go, or
/// for 30 s at most.
struct SlowCalculator {
    release: Arc<AtomicBool>,
}

/// Lets a [`SlowCalculator`] go when dropped, so that no test leaves a thread behind
/// (a runtime waits for its blocking threads when it shuts down).
struct Release(Arc<AtomicBool>);

impl Drop for Release {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl SlowCalculator {
    fn new() -> (Self, Release) {
        let release = Arc::new(AtomicBool::new(false));
        (
            SlowCalculator {
                release: release.clone(),
            },
            Release(release),
        )
    }
}

impl Tool for SlowCalculator {
    fn name(&self) -> &str {
        "calculator"
    }

    fn description(&self) -> &str {
        "slow"
    }

    fn parameters(&self) -> Value {
        json!({"type": "object"})
    }

    fn run(&self, _: &Value) -> Result<String, String> {
        let started = Instant::now();
        while !self.release.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok("84".into())
    }
}

// These tests run on one worker thread (`#[tokio::test]`'s default): a tool that blocked
// it would hold up the timers and the cancellation too.
#[tokio::test]
async fn cancelling_while_a_tool_runs_ends_at_once() {
    for p in PROTOCOLS {
        let (slow, _release) = SlowCalculator::new();
        let tools = Registry::builtin().with(slow);
        assert_eq!(
            tools.names(),
            ["current_time", "calculator"],
            "replaced in place"
        );
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            trigger.cancel();
        });
        let r = converse_with(p, "tools:calculator", &tools, 8, cancel).await;
        assert_eq!(r.end.as_ref().unwrap_err().kind(), "cancelled", "{p}");
        assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);
        assert_eq!(r.calls().len(), 1, "the call was seen");
        assert!(r.results().is_empty(), "but it gave no result");
        assert_eq!(r.gateway.requests().len(), 1);
        assert_eq!(r.text(), "Let me work that out.");
        assert_eq!(
            r.messages,
            vec![
                Message::user("What is 12 times 7?"),
                Message::assistant("Let me work that out.")
            ]
        );
    }
}

#[tokio::test]
async fn cancelling_before_the_next_turn_sends_no_more_requests() {
    for p in PROTOCOLS {
        let cancel = CancellationToken::new();
        let gateway = MockGateway::start_script(script("tools:calculator").unwrap())
            .await
            .unwrap();
        let mut request = ChatRequest::new(p, "What is 12 times 7?");
        request.base_url = gateway.url();
        let mut events = Vec::new();
        let trigger = cancel.clone();
        let end = client()
            .converse(
                &mut request,
                &Registry::builtin(),
                8,
                &cancel,
                &mut |e: Event| {
                    if matches!(e, Event::ToolResult { .. }) {
                        trigger.cancel();
                    }
                    events.push(e);
                },
            )
            .await;
        check_one_end(&events, &end);
        assert_eq!(end.unwrap_err().kind(), "cancelled");
        assert_eq!(gateway.requests().len(), 1, "{p}");
    }
}

#[test]
fn tool_results_serialise_as_documented() {
    let event = Event::ToolResult {
        id: "call_1".into(),
        name: "calculator".into(),
        content: "84".into(),
        is_error: false,
        images: Vec::new(),
    };
    assert_eq!(
        serde_json::to_value(event).unwrap(),
        json!({"type": "tool_result", "id": "call_1", "name": "calculator", "content": "84", "is_error": false})
    );
    let part = Part::ToolCall {
        id: "c".into(),
        name: "calculator".into(),
        arguments: json!({"expression": "1"}),
    };
    let text = serde_json::to_string(&part).unwrap();
    assert_eq!(serde_json::from_str::<Part>(&text).unwrap(), part);
}

#[test]
fn the_loop_can_run_on_any_thread() {
    fn spawnable<T: Send + 'static>(_: T) {}
    let mut request = ChatRequest::new(Protocol::Openai, "hi");
    let tools = Registry::builtin();
    let cancel = CancellationToken::new();
    let client = client();
    spawnable(async move {
        let mut events = Vec::new();
        client
            .converse(&mut request, &tools, 1, &cancel, &mut |e| events.push(e))
            .await
    });
}

#[tokio::test]
async fn a_tool_that_takes_too_long_gives_the_model_an_error_result() {
    for p in PROTOCOLS {
        let (slow, _release) = SlowCalculator::new();
        let tools = Registry::builtin().with(slow);
        let options = Options {
            tool_timeout: Duration::from_millis(300),
            ..options()
        };
        let r = converse_using(
            options,
            p,
            "tools:calculator",
            &tools,
            8,
            CancellationToken::new(),
        )
        .await;
        let waited = "The tool calculator did not finish within 0.3 s, so Foxtail stopped \
                      waiting for it.";
        let id = r.calls()[0].id.clone();
        assert_eq!(
            r.results(),
            vec![(id.as_str(), "calculator", waited, true)],
            "{p}"
        );
        // The model read why and answered; the answer ended promptly.
        assert!(r.end.is_ok(), "{p}: {:?}", r.end);
        assert_eq!(
            r.text(),
            format!("Let me work that out.\n\nThe answer is {waited}.")
        );
        assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);
        assert_eq!(r.gateway.requests().len(), 2);
    }
}

#[tokio::test]
async fn the_tools_of_a_turn_that_asks_for_too_many_never_run() {
    for p in PROTOCOLS {
        // The limit itself is allowed.
        let r = converse(p, "tools:many:32").await;
        assert!(r.end.is_ok(), "{p}: {:?}", r.end);
        assert_eq!(r.results().len(), 32);
        assert_eq!(r.text(), "Ran 32 tools.");

        for (scenario, limit, options) in [
            ("tools:many:33", 32, options()),
            ("tools:many:5000", 32, options()),
            (
                "tools:many:3",
                2,
                Options {
                    max_tool_calls: 2,
                    ..options()
                },
            ),
        ] {
            let r = converse_using(
                options,
                p,
                scenario,
                &Registry::builtin(),
                DEFAULT_MAX_TOOL_STEPS,
                CancellationToken::new(),
            )
            .await;
            let error = r.end.as_ref().unwrap_err();
            assert_eq!(error.kind(), "tool_limit", "{p} {scenario}");
            assert_eq!(
                error.message(),
                format!(
                    "The model asked for more than {limit} tools at once, so Foxtail stopped \
                     the answer. The text so far is kept."
                )
            );
            assert!(r.results().is_empty(), "{p} {scenario}: no tool ran");
            assert_eq!(r.gateway.requests().len(), 1, "nothing was sent back");
            // Deltas of the calls past the limit were not passed on.
            let max_index = r
                .events
                .iter()
                .filter_map(|e| match e {
                    Event::ToolCallDelta { index, .. } => Some(*index),
                    _ => None,
                })
                .max();
            assert_eq!(max_index, Some(limit - 1), "{p} {scenario}");
            assert_eq!(r.messages, vec![Message::user("What is 12 times 7?")]);
            assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
        }
    }
}

#[tokio::test]
async fn arguments_that_never_end_stop_at_the_call_limit_at_once() {
    const MIB: u64 = 1024 * 1024;
    for p in PROTOCOLS {
        let options = Options {
            max_tool_argument_bytes: MIB as usize,
            ..options()
        };
        // 1 GiB of arguments in 64 KiB pieces, were it all read.
        let r = converse_using(
            options,
            p,
            "tools:endless:1024",
            &Registry::builtin(),
            DEFAULT_MAX_TOOL_STEPS,
            CancellationToken::new(),
        )
        .await;
        let error = r.end.as_ref().unwrap_err();
        assert_eq!(error.kind(), "too_large", "{p}");
        assert_eq!(
            error.message(),
            "The model wrote more than 1 MiB for one tool call, so Foxtail stopped the \
             answer. The text so far is kept."
        );
        // Stopped at the limit: what the gateway could write is what was read plus the
        // connection's buffers, nowhere near the gigabyte.
        let sent = r.gateway.body_bytes_sent();
        assert!(sent < 32 * MIB, "{p}: {sent} bytes were sent");
        assert!(r.elapsed < Duration::from_secs(10), "{p}: {:?}", r.elapsed);
        // What was passed on of the call stayed under the limit.
        let arguments: usize = r
            .events
            .iter()
            .map(|e| match e {
                Event::ToolCallDelta {
                    arguments_delta, ..
                } => arguments_delta.len(),
                _ => 0,
            })
            .sum();
        assert!(arguments <= MIB as usize, "{arguments}");
        assert!(r.calls().is_empty() && r.results().is_empty(), "{p}");
        assert_eq!(r.gateway.requests().len(), 1);
        // The text so far is kept, in the events and in the conversation.
        assert_eq!(r.text(), "Let me work that out.");
        assert_eq!(
            r.messages,
            vec![
                Message::user("What is 12 times 7?"),
                Message::assistant("Let me work that out.")
            ]
        );
    }
}

#[tokio::test]
async fn the_answer_limit_adds_up_over_the_turns() {
    for p in PROTOCOLS {
        // The first turn (its text and its call, 63 or 64 bytes) fits; the second turn's
        // text goes past 70 bytes at its second word.
        let options = Options {
            max_answer_bytes: 70,
            ..options()
        };
        let r = converse_using(
            options,
            p,
            "tools:calculator",
            &Registry::builtin(),
            DEFAULT_MAX_TOOL_STEPS,
            CancellationToken::new(),
        )
        .await;
        let error = r.end.as_ref().unwrap_err();
        assert_eq!(error.kind(), "too_large", "{p}");
        assert_eq!(
            error.message(),
            "The answer grew past 70 bytes, so Foxtail stopped it. The text so far is kept."
        );
        assert_eq!(r.results().len(), 1, "the first turn's tool ran");
        assert_eq!(r.gateway.requests().len(), 2);
        assert_eq!(r.text(), "Let me work that out.\n\nThe");
        assert_eq!(r.messages.len(), 4, "{:#?}", r.messages);
        assert_eq!(r.messages[3], Message::assistant("The"));
    }
}

/// Anthropic's follow-up turns of a tool loop leave thinking out (the thinking blocks
/// that the API would want back are not kept), and caching stays within the API's limit
/// of four breakpoints on every turn.
#[tokio::test]
async fn anthropic_thinks_before_calling_tools_but_not_when_answering_their_results() {
    let gateway = MockGateway::start_script(script("tools:calculator").unwrap())
        .await
        .unwrap();
    let mut request = ChatRequest::new(Protocol::Anthropic, "What is 12 times 7?");
    request.base_url = gateway.url();
    request.system = Some("Use the calculator.".into());
    request.prompt_cache = true;
    request.reasoning = Some(foxtail_engine::ReasoningEffort::Medium);
    let mut events = Vec::new();
    let end = client()
        .converse(
            &mut request,
            &Registry::builtin(),
            DEFAULT_MAX_TOOL_STEPS,
            &CancellationToken::new(),
            &mut |e| events.push(e),
        )
        .await;
    assert!(end.is_ok(), "{end:?}");
    assert!(common::text_of(&events).contains("The answer is 84."));
    let bodies: Vec<Value> = gateway.requests().iter().map(|r| r.json()).collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(
        bodies[0]["thinking"],
        json!({"type": "enabled", "budget_tokens": 8192})
    );
    assert_eq!(bodies[1].get("thinking"), None);
    for body in &bodies {
        let marks = body.to_string().matches("\"cache_control\"").count();
        assert!((1..=4).contains(&marks), "{marks} breakpoints: {body:#}");
    }
}
