//! Continue: a request that goes on from a cut-off answer, against the mock gateway. The
//! engine asks in the protocol's way and drops what the model repeats, so callers need
//! nothing of their own at the joint.

mod common;

use std::time::Duration;

use foxtail_engine::resume::CONTINUE_INSTRUCTION;
use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Event, Message, Protocol, Registry, SecretString,
    DEFAULT_MAX_TOOL_STEPS,
};
use foxtail_mock_gateway::{answer_text, script, MockGateway, Recorded, Reply};
use serde_json::json;

const PROTOCOLS: [Protocol; 2] = [Protocol::Openai, Protocol::Anthropic];

fn anthropic(p: Protocol) -> bool {
    p == Protocol::Anthropic
}

fn client() -> Client {
    let options = common::fast_options(Duration::from_millis(50));
    Client::new(SecretString::from("sk-test"), options).unwrap()
}

/// A request to `gateway` that continues `partial`.
fn continuing(p: Protocol, gateway: &MockGateway, partial: &str) -> ChatRequest {
    let mut request = ChatRequest::new(p, "Say hello").continuing_from(partial);
    request.base_url = gateway.url();
    request
}

/// Streams `request` and gives its events, checking it finished.
async fn stream(request: &ChatRequest) -> Vec<Event> {
    let mut events = Vec::new();
    let end = client()
        .stream_chat(request, &CancellationToken::new(), &mut |e| events.push(e))
        .await;
    assert!(end.is_ok(), "{end:?} {events:?}");
    events
}

/// The request carried the partial answer for the model to go on from, in the
/// protocol's way: a prefill (without its trailing whitespace) or the answer and an
/// instruction.
fn assert_asks_to_continue(p: Protocol, recorded: &Recorded, partial: &str) {
    let body = recorded.json();
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages[0]["role"], "user", "{p}");
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
}

#[tokio::test]
async fn a_model_that_starts_over_is_not_shown_twice() {
    // Asked to continue, the mock starts the whole answer again from its beginning, as
    // OpenAI-protocol models may.
    let p = Protocol::Openai;
    let gateway = MockGateway::start_script(script("ok").unwrap())
        .await
        .unwrap();
    let partial = "Hello from the";
    let events = stream(&continuing(p, &gateway, partial)).await;
    let shown = common::text_of(&events);
    assert_eq!(shown, " mock gateway. Nice day!");
    assert_eq!(format!("{partial}{shown}"), answer_text());
    let requests = gateway.requests();
    assert_eq!(requests.len(), 1);
    assert_asks_to_continue(p, &requests[0], partial);
}

#[tokio::test]
async fn a_continuation_joins_the_partial_answer_in_both_protocols() {
    // The mock goes on as each protocol's models do: exactly after an Anthropic
    // prefill, from the last word after an OpenAI request to continue.
    for p in PROTOCOLS {
        for partial in ["Hello from the mock", "Hello from the mock "] {
            let gateway =
                MockGateway::start(vec![Reply::continuation(anthropic(p), &answer_text())])
                    .await
                    .unwrap();
            let events = stream(&continuing(p, &gateway, partial)).await;
            let shown = common::text_of(&events);
            assert_eq!(
                format!("{partial}{shown}"),
                answer_text(),
                "{p} {partial:?}"
            );
            assert_eq!(events.iter().filter(|e| e.is_end()).count(), 1);
            let requests = gateway.requests();
            assert_eq!(requests.len(), 1, "{p}");
            assert_asks_to_continue(p, &requests[0], partial);
        }
    }
}

#[tokio::test]
async fn a_retried_continuation_still_goes_on_from_the_partial_answer() {
    for p in PROTOCOLS {
        let gateway = MockGateway::start(vec![
            Reply::status(503, "text/plain", "busy"),
            Reply::continuation(anthropic(p), &answer_text()),
        ])
        .await
        .unwrap();
        let partial = "Hello from the ";
        let events = stream(&continuing(p, &gateway, partial)).await;
        assert!(
            events.iter().any(|e| matches!(e, Event::Retry { .. })),
            "{p}"
        );
        let shown = common::text_of(&events);
        assert_eq!(format!("{partial}{shown}"), answer_text(), "{p}");
        let requests = gateway.requests();
        assert_eq!(requests.len(), 2, "{p}");
        for recorded in &requests {
            assert_asks_to_continue(p, recorded, partial);
        }
    }
}

#[tokio::test]
async fn a_continuation_cut_off_again_resumes_from_all_the_text_so_far() {
    // The first continuation starts over from the beginning and breaks off after
    // "Hello from the mock"; the resume carries the partial answer and the new text.
    let p = Protocol::Openai;
    let gateway = MockGateway::start_script(script("reset").unwrap())
        .await
        .unwrap();
    let partial = "Hello";
    let events = stream(&continuing(p, &gateway, partial)).await;
    let shown = common::text_of(&events);
    assert_eq!(format!("{partial}{shown}"), answer_text());
    let requests = gateway.requests();
    assert_eq!(requests.len(), 2);
    assert_asks_to_continue(p, &requests[0], partial);
    assert_asks_to_continue(p, &requests[1], "Hello from the mock");
}

#[tokio::test]
async fn converse_keeps_the_continued_answer_as_one_message() {
    for p in PROTOCOLS {
        let gateway = MockGateway::start(vec![Reply::continuation(anthropic(p), &answer_text())])
            .await
            .unwrap();
        let partial = "Hello from the ";
        let mut request = continuing(p, &gateway, partial);
        let asked = request.messages.len();
        let mut events = Vec::new();
        let end = client()
            .converse(
                &mut request,
                &Registry::new(),
                DEFAULT_MAX_TOOL_STEPS,
                &CancellationToken::new(),
                &mut |e| events.push(e),
            )
            .await;
        assert!(end.is_ok(), "{p}: {end:?}");
        let shown = common::text_of(&events);
        assert_eq!(format!("{partial}{shown}"), answer_text(), "{p}");
        assert_eq!(
            request.messages[asked..],
            [Message::assistant(answer_text())],
            "{p}"
        );
        assert_eq!(
            request.continue_from, None,
            "{p}: the conversation moved on"
        );
        assert_asks_to_continue(p, &gateway.requests()[0], partial);
    }
}

#[tokio::test]
async fn a_blank_partial_answer_is_asked_afresh() {
    for p in PROTOCOLS {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let events = stream(&continuing(p, &gateway, " \n")).await;
        assert_eq!(common::text_of(&events), answer_text(), "{p}");
        let body = gateway.requests()[0].json();
        assert_eq!(body["messages"].as_array().unwrap().len(), 1, "{p}");
    }
}
