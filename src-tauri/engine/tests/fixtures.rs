//! Transcripts written after the providers' documentation, replayed by the mock
//! gateway and read by the engine over HTTP, whole and cut at every event boundary.

use std::time::Duration;

use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Event, Options, Protocol, SecretString, Usage,
};
use foxtail_mock_gateway::{MockGateway, Reply};
use serde_json::{json, Value};

struct Expect {
    file: &'static str,
    protocol: Protocol,
    text: &'static str,
    reasoning: &'static str,
    finish: &'static str,
    usage: Usage,
    tool_calls: Value,
}

fn tokens(input_tokens: u64, output_tokens: u64) -> Usage {
    Usage {
        input_tokens,
        output_tokens,
        ..Usage::default()
    }
}

fn expectations() -> Vec<Expect> {
    vec![
        Expect {
            file: "openai_docs_chat_stream.sse",
            protocol: Protocol::Openai,
            text: "Hello! How can I assist you today?",
            reasoning: "",
            finish: "stop",
            usage: tokens(9, 9),
            tool_calls: json!([]),
        },
        Expect {
            file: "anthropic_docs_messages_stream.sse",
            protocol: Protocol::Anthropic,
            text: "Hello!",
            reasoning: "",
            finish: "end_turn",
            usage: tokens(25, 15),
            tool_calls: json!([]),
        },
        Expect {
            file: "anthropic_docs_tool_use_stream.sse",
            protocol: Protocol::Anthropic,
            text: "Okay, let me check the weather.",
            reasoning: "",
            finish: "tool_use",
            usage: tokens(472, 89),
            tool_calls: json!([{"type": "tool_call", "index": 0, "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                "name": "get_weather", "arguments": {"location": "San Francisco, CA"},
                "arguments_raw": "{\"location\": \"San Francisco, CA\"}"}]),
        },
        Expect {
            file: "openrouter_docs_stream_crlf.sse",
            protocol: Protocol::Openai,
            text: "Bonjour à tous !",
            reasoning: "",
            finish: "stop",
            usage: Usage {
                cost: Some(0.0000775),
                ..tokens(11, 5)
            },
            tool_calls: json!([]),
        },
        Expect {
            file: "deepseek_docs_reasoner_stream.sse",
            protocol: Protocol::Openai,
            text: "9.8 is greater.",
            reasoning: "9.11 has fewer tenths than 9.8.",
            finish: "stop",
            usage: Usage {
                reasoning_tokens: 20,
                ..tokens(13, 31)
            },
            tool_calls: json!([]),
        },
    ]
}

async fn stream(protocol: Protocol, resume: bool, replies: Vec<Reply>) -> Vec<Event> {
    let gateway = MockGateway::start(replies).await.unwrap();
    let mut request = ChatRequest::new(protocol, "hi");
    request.base_url = gateway.url();
    let options = Options {
        retry_base_delay: Duration::from_millis(1),
        resume,
        ..Options::default()
    };
    let client = Client::new(SecretString::from("sk-test-fake-fixture"), options).unwrap();
    let mut events = Vec::new();
    let _ = client
        .stream_chat(&request, &CancellationToken::new(), &mut |e| events.push(e))
        .await;
    events
}

fn joined(events: &[Event], reasoning: bool) -> String {
    events
        .iter()
        .filter_map(|e| match (e, reasoning) {
            (Event::Text { text }, false) | (Event::Reasoning { text }, true) => {
                Some(text.as_str())
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn documented_streams_decode_over_http() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for e in expectations() {
        let body = std::fs::read(dir.join(e.file)).unwrap();
        let events = stream(e.protocol, true, vec![Reply::replay(&body)]).await;
        assert_eq!(joined(&events, false), e.text, "{}", e.file);
        assert_eq!(joined(&events, true), e.reasoning, "{}", e.file);
        let tool_calls: Vec<Value> = events
            .iter()
            .filter(|ev| matches!(ev, Event::ToolCall(_)))
            .map(|ev| serde_json::to_value(ev).unwrap())
            .collect();
        assert_eq!(Value::from(tool_calls), e.tool_calls, "{}", e.file);
        let n = events.len();
        assert_eq!(events[n - 2], Event::Usage(e.usage), "{}", e.file);
        assert_eq!(
            serde_json::to_value(&events[n - 1]).unwrap()["raw"],
            json!(e.finish),
            "{}",
            e.file
        );

        // Cut after each event, with resume off: before any output the request is
        // retried and the answer comes whole; after it, what arrived is kept and the
        // end is a finish (when the model had already said it was done) or interrupted.
        let events_in_body = foxtail_mock_gateway::split_events(&body);
        let mut at = 0;
        for event in &events_in_body[..events_in_body.len() - 1] {
            at += event.len();
            let cut = Reply::replay(&body).cut_at(at);
            let events = stream(e.protocol, false, vec![cut, Reply::replay(&body)]).await;
            let text = joined(&events, false);
            let retried = events.iter().any(|ev| matches!(ev, Event::Retry { .. }));
            match events.last().unwrap() {
                Event::Finish { .. } => assert_eq!(text, e.text, "{} cut at {at}", e.file),
                Event::Error(err) => {
                    assert_eq!(err.kind(), "interrupted", "{} cut at {at}", e.file);
                    assert!(!retried);
                    assert!(e.text.starts_with(&text), "{} cut at {at}: {text}", e.file);
                    assert!(e.reasoning.starts_with(&joined(&events, true)));
                }
                other => panic!("{other:?}"),
            }
        }
    }
}
