//! The engine against the mock gateway over real loopback HTTP, for both protocols.

mod common;

use std::time::{Duration, Instant};

use foxtail_engine::resume::CONTINUE_INSTRUCTION;
use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Error, Event, Finish, FinishReason, Options, Protocol,
    SecretString, Usage,
};
use foxtail_mock_gateway::{
    answer_text, scenario, script, transcript, MockGateway, Reply, Step, COST, MARKDOWN_ANSWER,
    PIECES, USAGE,
};
use serde_json::json;

const KEY: &str = "sk-test-fake-gateway";

const PROTOCOLS: [Protocol; 2] = [Protocol::Openai, Protocol::Anthropic];

fn fast() -> Options {
    Options {
        max_retries: 3,
        ..common::fast_options(Duration::from_millis(300))
    }
}

fn anthropic(p: Protocol) -> bool {
    p == Protocol::Anthropic
}

struct Run {
    events: Vec<Event>,
    end: Result<Finish, Error>,
    gateway: MockGateway,
    elapsed: Duration,
}

impl Run {
    fn text(&self) -> String {
        common::text_of(&self.events)
    }

    fn error(&self) -> &Error {
        self.end
            .as_ref()
            .expect_err("the stream should have failed")
    }

    fn retries(&self) -> Vec<(u32, u64, String)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Retry {
                    attempt,
                    delay_ms,
                    reason,
                    ..
                } => Some((*attempt, *delay_ms, reason.clone())),
                _ => None,
            })
            .collect()
    }

    /// Each wait's attempt, the limit it counts towards, and whether it resumes.
    fn waits(&self) -> Vec<(u32, u32, bool)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Retry {
                    attempt,
                    max_attempts,
                    resume,
                    ..
                } => Some((*attempt, *max_attempts, *resume)),
                _ => None,
            })
            .collect()
    }

    fn requests(&self) -> usize {
        self.gateway.requests().len()
    }
}

async fn run_with(
    protocol: Protocol,
    replies: Vec<Reply>,
    options: Options,
    cancel: CancellationToken,
    cancel_on_text: bool,
) -> Run {
    let gateway = MockGateway::start(replies).await.unwrap();
    let mut request = ChatRequest::new(protocol, "Say hello");
    request.base_url = match protocol {
        Protocol::Openai => format!("{}/v1", gateway.url()),
        Protocol::Anthropic => format!("{}/anthropic", gateway.url()),
    };
    let client = Client::new(SecretString::from(KEY), options).unwrap();
    let mut events = Vec::new();
    let started = Instant::now();
    let end = {
        let cancel_inner = cancel.clone();
        let mut sink = |event: Event| {
            if cancel_on_text && matches!(event, Event::Text { .. }) {
                cancel_inner.cancel();
            }
            events.push(event);
        };
        client.stream_chat(&request, &cancel, &mut sink).await
    };
    let elapsed = started.elapsed();
    check_events(&events, &end);
    assert!(!format!("{client:?}").contains(KEY));
    Run {
        events,
        end,
        gateway,
        elapsed,
    }
}

async fn run(protocol: Protocol, replies: Vec<Reply>, options: Options) -> Run {
    run_with(protocol, replies, options, CancellationToken::new(), false).await
}

/// Every stream ends with exactly one finish or error, matching the returned value, and
/// the key appears nowhere.
fn check_events(events: &[Event], end: &Result<Finish, Error>) {
    let ends: Vec<_> = events.iter().filter(|e| e.is_end()).collect();
    assert_eq!(ends.len(), 1, "{events:?}");
    assert!(events.last().unwrap().is_end());
    match (events.last().unwrap(), end) {
        (Event::Finish { reason, raw }, Ok(f)) => {
            assert_eq!((reason, raw), (&f.reason, &f.raw));
        }
        (Event::Error(e), Err(err)) => assert_eq!(e, err),
        other => panic!("end event and result differ: {other:?}"),
    }
    let json = serde_json::to_string(events).unwrap();
    assert!(!json.contains(KEY), "the key leaked into events");
    assert!(
        !format!("{events:?} {end:?}").contains(KEY),
        "the key leaked"
    );
}

#[tokio::test]
async fn a_complete_answer_streams_with_the_right_request() {
    for p in PROTOCOLS {
        let r = run(p, scenario("ok", anthropic(p)).unwrap(), fast()).await;
        assert_eq!(r.text(), answer_text());
        assert_eq!(
            r.end,
            Ok(Finish {
                reason: FinishReason::Stop,
                raw: if anthropic(p) { "end_turn" } else { "stop" }.into()
            })
        );
        let texts = r.events.iter().filter(|e| matches!(e, Event::Text { .. }));
        assert_eq!(texts.count(), PIECES.len(), "one text event per delta");
        let usage = r.events.iter().find_map(|e| match e {
            Event::Usage(u) => Some(*u),
            _ => None,
        });
        assert_eq!(usage, Some(mock_usage(p, None)));
        let requests = r.gateway.requests();
        assert_eq!(requests.len(), 1);
        let req = &requests[0];
        assert_eq!(req.method, "POST");
        assert!(req
            .header("content-type")
            .unwrap()
            .starts_with("application/json"));
        assert!(req.header("user-agent").unwrap().starts_with("Foxtail/"));
        let body = req.json();
        assert_eq!(body["stream"], json!(true));
        assert_eq!(body["model"], json!(p.default_model()));
        assert_eq!(body.get("tools"), None, "no tools, no field");
        match p {
            Protocol::Openai => {
                assert_eq!(req.path, "/v1/chat/completions");
                assert_eq!(req.header("authorization"), Some(&*format!("Bearer {KEY}")));
                assert_eq!(req.header("x-api-key"), None);
                assert_eq!(body["stream_options"], json!({"include_usage": true}));
                assert_eq!(
                    body["messages"],
                    json!([{"role": "user", "content": "Say hello"}])
                );
            }
            Protocol::Anthropic => {
                assert_eq!(req.path, "/anthropic/v1/messages");
                assert_eq!(req.header("x-api-key"), Some(KEY));
                assert_eq!(req.header("anthropic-version"), Some("2023-06-01"));
                assert_eq!(req.header("authorization"), None);
                assert_eq!(body["max_tokens"], json!(4096));
                assert_eq!(
                    body["messages"],
                    json!([{"role": "user", "content": "Say hello"}])
                );
            }
        }
    }
}

#[tokio::test]
async fn settings_reach_the_request_body() {
    for p in PROTOCOLS {
        let gateway = MockGateway::start(scenario("ok", anthropic(p)).unwrap())
            .await
            .unwrap();
        let mut request = ChatRequest::new(p, "Hi");
        request.base_url = gateway.url();
        request.system = Some("Be brief.".into());
        request.max_tokens = Some(77);
        request.temperature = Some(0.5);
        request.model = "some/model".into();
        let client = Client::new(SecretString::from(KEY), fast()).unwrap();
        let end = client
            .stream_chat(&request, &CancellationToken::new(), &mut |_: Event| {})
            .await;
        assert!(end.is_ok());
        let body = gateway.requests()[0].json();
        assert_eq!(body["max_tokens"], json!(77));
        assert_eq!(body["temperature"], json!(0.5));
        assert_eq!(body["model"], json!("some/model"));
        match p {
            Protocol::Openai => {
                assert_eq!(
                    body["messages"][0],
                    json!({"role": "system", "content": "Be brief."})
                )
            }
            Protocol::Anthropic => assert_eq!(body["system"], json!("Be brief.")),
        }
    }
}

#[tokio::test]
async fn a_stream_cut_at_any_byte_still_gives_the_whole_answer_once() {
    for p in PROTOCOLS {
        let a = anthropic(p);
        let full = Reply::sse(
            scenario("ok", a)
                .unwrap()
                .remove(0)
                .steps
                .into_iter()
                .filter_map(|s| match s {
                    Step::Bytes(b) => Some(b),
                    _ => None,
                })
                .collect(),
        );
        let len = full.body_len();
        for cut in 0..len {
            let replies = vec![
                full.clone().cut_at(cut),
                Reply::continuation(a, &answer_text()),
            ];
            let r = run(p, replies, fast()).await;
            assert_eq!(r.text(), answer_text(), "{p} cut at {cut} of {len}");
            assert!(r.end.is_ok(), "{p} cut at {cut}: {:?}", r.end);
            assert!(r.requests() <= 2, "{p} cut at {cut}");
        }
    }
}

#[tokio::test]
async fn errors_that_asking_again_cannot_fix_are_never_retried() {
    for p in PROTOCOLS {
        for (name, status, kind) in [
            ("unauthorized", 401, "auth"),
            ("forbidden", 403, "auth"),
            ("not-found", 404, "bad_request"),
            ("bad-request", 400, "bad_request"),
        ] {
            let r = run(p, scenario(name, anthropic(p)).unwrap(), fast()).await;
            let err = r.error();
            assert_eq!(err.kind(), kind, "{p} {name}");
            assert_eq!(err.status(), Some(status));
            assert_eq!(r.requests(), 1, "{p} {name} was retried");
            assert!(r.retries().is_empty());
            let expected_words = match name {
                "unauthorized" => "Invalid API key provided. Check your key at the gateway.",
                "forbidden" => "Your key may not use this model.",
                "not-found" => "The model `nope` does not exist.",
                _ => "max_tokens: must be at most 8192",
            };
            assert_eq!(err.message(), expected_words);
            let json = serde_json::to_value(r.events.last().unwrap()).unwrap();
            assert_eq!(
                json,
                json!({"type": "error", "kind": kind, "message": expected_words, "status": status})
            );
        }
    }
}

#[tokio::test]
async fn a_key_echoed_by_the_server_is_redacted() {
    for p in PROTOCOLS {
        let body = transcript::error_body(
            anthropic(p),
            "authentication_error",
            &format!("Incorrect API key provided: {KEY}"),
        );
        let r = run(
            p,
            vec![Reply::status(401, "application/json", body)],
            fast(),
        )
        .await;
        assert_eq!(
            r.error().message(),
            "Incorrect API key provided: [redacted]"
        );
    }
}

#[tokio::test]
async fn rate_limits_wait_as_long_as_the_server_asks_up_to_the_cap() {
    for p in PROTOCOLS {
        let a = anthropic(p);
        let limited = |name: &str, value: &str| {
            Reply::status(
                429,
                "application/json",
                transcript::error_body(a, "rate_limit_error", "Slow down"),
            )
            .header(name, value)
        };
        let ok = scenario("ok", a).unwrap().remove(0);
        let replies = vec![
            limited("retry-after-ms", "150"),
            limited("retry-after", "60"),
            ok,
        ];
        let r = run(p, replies, fast()).await;
        assert_eq!(r.text(), answer_text());
        let retries = r.retries();
        assert_eq!(retries.len(), 2);
        assert_eq!((retries[0].0, retries[0].1), (1, 150));
        assert_eq!(retries[0].2, "Slow down");
        assert_eq!((retries[1].0, retries[1].1), (2, 300), "capped");
        assert!(r.elapsed >= Duration::from_millis(450), "{:?}", r.elapsed);
        assert_eq!(r.requests(), 3);

        let mut options = fast();
        options.max_retries = 1;
        let r = run(p, vec![limited("retry-after-ms", "10")], options).await;
        assert_eq!(r.error().kind(), "rate_limit");
        assert_eq!(r.error().status(), Some(429));
        assert_eq!(r.requests(), 2);
    }
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff() {
    for p in PROTOCOLS {
        let r = run(p, scenario("unavailable", anthropic(p)).unwrap(), fast()).await;
        assert_eq!(r.text(), answer_text());
        assert!(r.end.is_ok());
        let retries = r.retries();
        assert_eq!(retries.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2]);
        assert!(retries.iter().all(|r| r.2 == "Service unavailable."));
        assert_eq!(r.waits(), vec![(1, 3, false), (2, 3, false)]);
        // Backoff with a 5 ms base: 2.5–5 ms, then 5–10 ms.
        assert!(
            retries[0].1 <= 5 && retries[1].1 >= 5 && retries[1].1 <= 10,
            "{retries:?}"
        );
        assert_eq!(r.requests(), 3);
        // Retry events come before any text.
        let first_text = r
            .events
            .iter()
            .position(|e| matches!(e, Event::Text { .. }))
            .unwrap();
        let last_retry = r
            .events
            .iter()
            .rposition(|e| matches!(e, Event::Retry { .. }))
            .unwrap();
        assert!(last_retry < first_text);
    }
}

fn check_resume_request(p: Protocol, gateway: &MockGateway, partial: &str) {
    let requests = gateway.requests();
    let body = requests[1].json();
    let messages = body["messages"].as_array().unwrap();
    match p {
        Protocol::Anthropic => {
            assert_eq!(messages.len(), 2);
            assert_eq!(
                messages[1],
                json!({"role": "assistant", "content": partial.trim_end()})
            );
        }
        Protocol::Openai => {
            assert_eq!(messages.len(), 3);
            assert_eq!(
                messages[1],
                json!({"role": "assistant", "content": partial})
            );
            assert_eq!(
                messages[2],
                json!({"role": "user", "content": CONTINUE_INSTRUCTION})
            );
        }
    }
    assert_eq!(body["stream"], json!(true));
}

#[tokio::test]
async fn a_reset_or_an_early_close_after_output_is_resumed_seamlessly() {
    for p in PROTOCOLS {
        for name in ["reset", "truncated"] {
            let r = run(p, scenario(name, anthropic(p)).unwrap(), fast()).await;
            assert_eq!(r.text(), answer_text(), "{p} {name}");
            assert!(r.end.is_ok(), "{p} {name}: {:?}", r.end);
            assert_eq!(r.requests(), 2);
            let retries = r.retries();
            assert_eq!(retries.len(), 1);
            assert!(retries[0].2.starts_with("resuming"), "{retries:?}");
            assert_eq!(
                r.waits(),
                vec![(1, 2, true)],
                "the resume limit, not the retry one"
            );
            check_resume_request(p, &r.gateway, &PIECES[..4].concat());
        }
    }
}

#[tokio::test]
async fn an_answer_that_cannot_be_resumed_is_interrupted_and_keeps_its_text() {
    for p in PROTOCOLS {
        let a = anthropic(p);
        let partial = scenario("truncated", a).unwrap().remove(0);
        // Resume turned off.
        let mut options = fast();
        options.resume = false;
        let r = run(p, vec![partial.clone()], options).await;
        assert_eq!(r.error().kind(), "interrupted");
        assert_eq!(r.text(), PIECES[..4].concat());
        assert_eq!(r.requests(), 1);
        // Every resume breaks again: two resumes, then interrupted, nothing repeated.
        let r = run(p, vec![partial.clone()], fast()).await;
        assert_eq!(r.error().kind(), "interrupted");
        assert_eq!(r.requests(), 3);
        assert_eq!(r.retries().len(), 2);
        // Each resume gets the same first four pieces again. The OpenAI joint sees them
        // repeat the shown text and drops them; Anthropic continues a prefill exactly,
        // so there they count as new text.
        let once = PIECES[..4].concat();
        let expected = match p {
            Protocol::Openai => once.clone(),
            Protocol::Anthropic => once.repeat(3),
        };
        assert_eq!(r.text(), expected);
    }
}

#[tokio::test]
async fn a_stalled_stream_times_out_and_a_slow_first_byte_does_not() {
    for p in PROTOCOLS {
        let a = anthropic(p);
        let mut options = fast();
        options.idle_timeout = Duration::from_millis(400);
        options.max_retries = 1;
        // Silence before any output: retried once, then a timeout.
        let r = run(
            p,
            vec![Reply::sse(vec![]).then(Step::Stall)],
            options.clone(),
        )
        .await;
        assert_eq!(r.error().kind(), "timeout");
        assert_eq!(r.requests(), 2);
        assert!(
            r.elapsed >= Duration::from_millis(800) && r.elapsed < Duration::from_secs(10),
            "{:?}",
            r.elapsed
        );
        // Silence after output: resumed.
        let replies = vec![
            scenario("stall", a).unwrap().remove(0),
            Reply::continuation(a, &answer_text()),
        ];
        let r = run(p, replies, options.clone()).await;
        assert_eq!(r.text(), answer_text());
        assert!(r.end.is_ok());
        // A first byte slower than nothing but faster than the idle timeout is fine.
        let r = run(
            p,
            scenario("slow-first-byte:250", a).unwrap(),
            options.clone(),
        )
        .await;
        assert_eq!(r.text(), answer_text());
        assert!(r.retries().is_empty());
        assert!(r.elapsed >= Duration::from_millis(250));
        // Slow between events, each gap under the idle timeout: fine too.
        let r = run(p, scenario("slow:100", a).unwrap(), options).await;
        assert_eq!(r.text(), answer_text());
        assert!(r.retries().is_empty());
    }
}

#[tokio::test]
async fn broken_bodies_are_protocol_errors() {
    for p in PROTOCOLS {
        let a = anthropic(p);
        let r = run(p, scenario("html", a).unwrap(), fast()).await;
        assert_eq!(r.error().kind(), "protocol");
        assert!(r.error().message().contains("text/html"), "{}", r.error());
        assert!(
            r.error().message().contains("Welcome to nginx!"),
            "{}",
            r.error()
        );
        assert_eq!(r.requests(), 1);

        let r = run(p, scenario("malformed", a).unwrap(), fast()).await;
        assert_eq!(r.error().kind(), "protocol");
        assert_eq!(r.text(), PIECES[..4].concat(), "partial text kept");
        assert_eq!(r.requests(), 1);
    }
}

#[tokio::test]
async fn an_endless_line_stops_at_the_event_size_limit() {
    for p in PROTOCOLS {
        let mut options = fast();
        options.max_retries = 0;
        let r = run(p, scenario("endless", anthropic(p)).unwrap(), options).await;
        assert_eq!(r.error().kind(), "protocol");
        assert!(r.error().message().contains("16 MiB"), "{}", r.error());
        assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
    }
}

#[tokio::test]
async fn an_endless_answer_stops_at_the_answer_limit_without_resuming() {
    for p in PROTOCOLS {
        let options = Options {
            max_answer_bytes: 64 * 1024,
            ..fast()
        };
        // 300,000 pieces of "tok ", over 40 MB of events, were it all read.
        let r = run(p, scenario("bench:300000", anthropic(p)).unwrap(), options).await;
        assert_eq!(r.error().kind(), "too_large", "{p}");
        assert_eq!(
            r.error().message(),
            "The answer grew past 64 KiB, so Foxtail stopped it. The text so far is kept."
        );
        let text = r.text();
        assert_eq!(text.len(), 64 * 1024, "the text up to the limit is kept");
        assert!(text.starts_with("tok tok "));
        assert_eq!(r.requests(), 1, "neither retried nor resumed");
        assert!(r.waits().is_empty());
        let sent = r.gateway.body_bytes_sent();
        assert!(sent < 32 * 1024 * 1024, "{p}: {sent} bytes were sent");
        assert!(r.elapsed < Duration::from_secs(10), "{:?}", r.elapsed);
    }
}

#[tokio::test]
async fn in_stream_errors_are_retried_before_output_and_reported_after() {
    for p in PROTOCOLS {
        let a = anthropic(p);
        let r = run(p, scenario("overloaded", a).unwrap(), fast()).await;
        assert_eq!(r.text(), answer_text());
        let retries = r.retries();
        assert_eq!(retries.len(), 1);
        assert_eq!(retries[0].2, "overloaded_error: Overloaded");
        assert_eq!(r.requests(), 2);

        let r = run(p, scenario("error-after-output", a).unwrap(), fast()).await;
        assert_eq!(r.error().kind(), "server");
        assert_eq!(
            r.error().message(),
            "server_error: stream failed after output"
        );
        assert_eq!(r.text(), PIECES[..4].concat());
        assert_eq!(r.requests(), 1);
    }
}

/// The usage every mock answer reports, as the engine reads it in protocol `p`.
fn mock_usage(p: Protocol, cost: Option<f64>) -> Usage {
    Usage {
        input_tokens: USAGE.input_tokens,
        output_tokens: USAGE.output_tokens,
        cache_read_tokens: USAGE.cache_read_tokens,
        cache_write_tokens: USAGE.cache_write_tokens,
        // Anthropic's usage has no reasoning count.
        reasoning_tokens: if anthropic(p) {
            0
        } else {
            USAGE.reasoning_tokens
        },
        cost,
    }
}

#[tokio::test]
async fn the_gateways_own_cost_reaches_the_usage_event() {
    for p in PROTOCOLS {
        let r = run(p, scenario("ok:cost", anthropic(p)).unwrap(), fast()).await;
        assert_eq!(r.text(), answer_text());
        let usage: Vec<Usage> = r
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Usage(u) => Some(*u),
                _ => None,
            })
            .collect();
        assert_eq!(usage, [mock_usage(p, Some(COST))], "{p}");
    }
}

#[tokio::test]
async fn cancelling_ends_at_once_and_keeps_the_text() {
    for p in PROTOCOLS {
        let a = anthropic(p);
        // Cancelled by the sink on the first text, while the server paces its events.
        let events = if a {
            transcript::anthropic(&PIECES)
        } else {
            transcript::openai(&PIECES)
        };
        let (head, tail) = events.split_at(events.len() - PIECES.len() - 3 + 1);
        // The pause is far longer than the bound below, so only a cancel can end in time.
        let mut reply = Reply::sse(head.to_vec()).then(Step::Pause(Duration::from_secs(30)));
        for event in tail {
            reply = reply.then(Step::Bytes(event.clone()));
        }
        let r = run_with(p, vec![reply], fast(), CancellationToken::new(), true).await;
        assert_eq!(r.error().kind(), "cancelled");
        assert_eq!(r.text(), PIECES[0]);
        assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);
        let json = serde_json::to_value(r.events.last().unwrap()).unwrap();
        assert_eq!(json["type"], "error");
        assert_eq!(json["kind"], "cancelled");

        // Cancelled from elsewhere while the engine waits on a stalled server.
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            trigger.cancel();
        });
        // A silence timeout far beyond the bound: only the cancel can end it in time.
        let mut patient = fast();
        patient.idle_timeout = Duration::from_secs(60);
        let r = run_with(p, scenario("stall", a).unwrap(), patient, cancel, false).await;
        assert_eq!(r.error().kind(), "cancelled");
        assert_eq!(r.text(), PIECES[0]);
        assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);

        // Cancelled during a retry wait.
        let cancel = CancellationToken::new();
        let trigger = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            trigger.cancel();
        });
        let mut options = fast();
        options.retry_max_delay = Duration::from_secs(30);
        let replies = vec![Reply::status(503, "text/plain", "busy").header("retry-after", "20")];
        let r = run_with(p, replies, options, cancel, false).await;
        assert_eq!(r.error().kind(), "cancelled");
        assert!(r.elapsed < Duration::from_secs(5), "{:?}", r.elapsed);
    }
}

#[tokio::test]
async fn an_unreachable_gateway_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut request = ChatRequest::new(Protocol::Openai, "hi");
    request.base_url = format!("http://{addr}");
    let mut options = fast();
    options.max_retries = 2;
    let client = Client::new(SecretString::from(KEY), options).unwrap();
    let mut events = Vec::new();
    let end = client
        .stream_chat(&request, &CancellationToken::new(), &mut |e| events.push(e))
        .await;
    check_events(&events, &end);
    assert_eq!(end.unwrap_err().kind(), "network");
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::Retry { .. }))
            .count(),
        2
    );
}

#[tokio::test]
async fn events_serialise_as_documented() {
    let cases = [
        (
            Event::Text { text: "hi".into() },
            json!({"type": "text", "text": "hi"}),
        ),
        (
            Event::Reasoning { text: "hm".into() },
            json!({"type": "reasoning", "text": "hm"}),
        ),
        (
            Event::Refusal { text: "no".into() },
            json!({"type": "refusal", "text": "no"}),
        ),
        (
            Event::ToolCallDelta {
                index: 0,
                id: Some("c1".into()),
                name: Some("f".into()),
                arguments_delta: "{".into(),
            },
            json!({"type": "tool_call_delta", "index": 0, "id": "c1", "name": "f", "arguments_delta": "{"}),
        ),
        (
            Event::ToolCallDelta {
                index: 1,
                id: None,
                name: None,
                arguments_delta: "}".into(),
            },
            json!({"type": "tool_call_delta", "index": 1, "arguments_delta": "}"}),
        ),
        (
            Event::Retry {
                attempt: 2,
                max_attempts: 3,
                delay_ms: 1500,
                reason: "Overloaded".into(),
                resume: false,
            },
            json!({"type": "retry", "attempt": 2, "max_attempts": 3, "delay_ms": 1500, "reason": "Overloaded", "resume": false}),
        ),
        (
            Event::Retry {
                attempt: 1,
                max_attempts: 2,
                delay_ms: 20,
                reason: "resuming the interrupted answer (cut)".into(),
                resume: true,
            },
            json!({"type": "retry", "attempt": 1, "max_attempts": 2, "delay_ms": 20, "reason": "resuming the interrupted answer (cut)", "resume": true}),
        ),
        (
            Event::Finish {
                reason: FinishReason::ToolCalls,
                raw: "tool_use".into(),
            },
            json!({"type": "finish", "reason": "tool_calls", "raw": "tool_use"}),
        ),
        (
            Event::Error(Error::Interrupted {
                message: "cut".into(),
            }),
            json!({"type": "error", "kind": "interrupted", "message": "cut"}),
        ),
    ];
    for (event, expected) in cases {
        assert_eq!(serde_json::to_value(&event).unwrap(), expected);
    }
}

#[tokio::test]
async fn one_scenario_gateway_answers_each_protocol_by_its_path() {
    let gateway = MockGateway::start_script(script("markdown:1").unwrap())
        .await
        .unwrap();
    for p in PROTOCOLS {
        let mut request = ChatRequest::new(p, "Show me Markdown");
        request.base_url = gateway.url();
        let client = Client::new(SecretString::from(KEY), fast()).unwrap();
        let mut text = String::new();
        let end = client
            .stream_chat(&request, &CancellationToken::new(), &mut |e: Event| {
                if let Event::Text { text: t } = e {
                    text.push_str(&t);
                }
            })
            .await;
        assert!(end.is_ok(), "{p}: {end:?}");
        assert_eq!(text, MARKDOWN_ANSWER, "{p}");
        assert!(text.ends_with("FOXTAIL-DONE"));
    }
}
