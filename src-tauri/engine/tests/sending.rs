//! What reaches the gateway, and only the gateway: its own extra headers, and no
//! request (so no key) anywhere a redirect points.

mod common;

use std::time::Duration;

use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Error, Event, Protocol, SecretString,
};
use foxtail_mock_gateway::{answer_text, script, MockGateway, Recorded, Reply, Script};

const KEY: &str = "sk-test-sending-key";

const PROTOCOLS: [Protocol; 2] = [Protocol::Openai, Protocol::Anthropic];

fn client() -> Client {
    let options = common::fast_options(Duration::from_millis(50));
    Client::new(SecretString::from(KEY), options).unwrap()
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// Every value the request carried under `name`.
fn values<'a>(recorded: &'a Recorded, name: &str) -> Vec<&'a str> {
    recorded
        .headers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The key where the protocol sends it.
fn assert_keyed(p: Protocol, recorded: &Recorded) {
    match p {
        Protocol::Openai => {
            assert_eq!(values(recorded, "authorization"), [format!("Bearer {KEY}")])
        }
        Protocol::Anthropic => assert_eq!(values(recorded, "x-api-key"), [KEY]),
    }
}

async fn chat(request: &ChatRequest) -> (Vec<Event>, Result<foxtail_engine::Finish, Error>) {
    let mut events = Vec::new();
    let end = client()
        .stream_chat(request, &CancellationToken::new(), &mut |e| events.push(e))
        .await;
    (events, end)
}

fn request_to(p: Protocol, base_url: String, extra: &[(&str, &str)]) -> ChatRequest {
    let mut request = ChatRequest::new(p, "Say hello");
    request.base_url = base_url;
    request.extra_headers = headers(extra);
    request
}

#[tokio::test]
async fn a_gateways_extra_headers_go_with_chat_and_model_list_requests() {
    let extra = [
        ("HTTP-Referer", "https://foxtail.ai"),
        ("X-Title", "Foxtail"),
        // A version header the protocol sends too is replaced, not doubled.
        ("anthropic-version", "2099-01-01"),
    ];
    for p in PROTOCOLS {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let request = request_to(p, gateway.url(), &extra);
        let (events, end) = chat(&request).await;
        assert!(end.is_ok(), "{p}: {end:?}");
        assert_eq!(common::text_of(&events), answer_text());
        let ids = client()
            .list_models_with(&gateway.url(), p, &request.extra_headers)
            .await
            .unwrap();
        assert_eq!(ids, ["mock/alpha", "mock/beta"]);

        let requests = gateway.requests();
        assert_eq!(requests.len(), 2, "{p}");
        for recorded in &requests {
            let what = format!("{p} {} {}", recorded.method, recorded.path);
            assert_eq!(
                values(recorded, "http-referer"),
                ["https://foxtail.ai"],
                "{what}"
            );
            assert_eq!(values(recorded, "x-title"), ["Foxtail"], "{what}");
            assert_eq!(
                values(recorded, "anthropic-version"),
                ["2099-01-01"],
                "{what}"
            );
            assert_keyed(p, recorded);
        }
    }
}

#[tokio::test]
async fn without_extra_headers_the_protocols_own_are_sent() {
    for p in PROTOCOLS {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (_, end) = chat(&request_to(p, gateway.url(), &[])).await;
        assert!(end.is_ok(), "{p}: {end:?}");
        client().list_models(&gateway.url(), p).await.unwrap();
        for recorded in gateway.requests() {
            assert_keyed(p, &recorded);
            assert!(recorded.header("x-title").is_none());
            let version = values(&recorded, "anthropic-version");
            match p {
                Protocol::Openai => assert!(version.is_empty()),
                Protocol::Anthropic => assert_eq!(version, ["2023-06-01"]),
            }
        }
    }
}

#[tokio::test]
async fn extra_headers_that_would_replace_the_key_are_refused_before_sending() {
    for p in PROTOCOLS {
        for name in ["Authorization", "x-api-key", "X-Api-Key"] {
            let gateway = MockGateway::start_script(script("ok").unwrap())
                .await
                .unwrap();
            let extra = [(name, "Bearer sk-test-fake-someone-else")];
            let (events, end) = chat(&request_to(p, gateway.url(), &extra)).await;
            let err = end.unwrap_err();
            assert_eq!(err.kind(), "bad_request", "{p} {name}");
            assert!(err.message().contains("API key"), "{err}");
            assert_eq!(events.last(), Some(&Event::Error(err.clone())));
            assert_eq!(events.iter().filter(|e| e.is_end()).count(), 1);

            let err = client()
                .list_models_with(&gateway.url(), p, &headers(&extra))
                .await
                .unwrap_err();
            assert_eq!(err.kind(), "bad_request", "{p} {name}");
            assert!(gateway.requests().is_empty(), "{p} {name}: nothing sent");
        }
    }
}

/// A gateway that answers everything, chat and model list, with `status` and a
/// `Location` pointing at `to`.
async fn redirecting(status: u16, to: &str) -> MockGateway {
    let redirect = Reply::status(status, "text/plain", "moved").header("location", to);
    MockGateway::start_script(Script {
        openai: vec![redirect.clone()],
        anthropic: vec![redirect.clone()],
        openai_models: redirect.clone(),
        anthropic_models: redirect,
    })
    .await
    .unwrap()
}

fn assert_redirect_error(err: &Error, status: u16, to: &str) {
    assert_eq!(err.kind(), "redirect", "{err:?}");
    assert_eq!(err.status(), Some(status));
    assert!(
        err.message().contains(
            "Foxtail does not follow redirects so your key is only sent where you set it"
        ),
        "{err}"
    );
    assert!(err.message().contains(to), "{err}");
    assert!(!format!("{err:?}").contains(KEY));
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_key_goes_nowhere_else() {
    // The recorder is another loopback server on a port the OS chose: whatever reaches
    // it would have been sent on with the key and the conversation.
    let recorder = MockGateway::start_script(script("ok").unwrap())
        .await
        .unwrap();
    for status in [301, 302, 303, 307, 308] {
        for p in PROTOCOLS {
            let to = format!("{}/elsewhere", recorder.url());
            let gateway = redirecting(status, &to).await;

            let (events, end) = chat(&request_to(p, gateway.url(), &[])).await;
            let err = end.unwrap_err();
            assert_redirect_error(&err, status, &to);
            assert_eq!(events.last(), Some(&Event::Error(err.clone())));
            assert!(
                !events.iter().any(|e| matches!(e, Event::Retry { .. })),
                "{p} {status}: asking again would be redirected again"
            );

            let err = client().list_models(&gateway.url(), p).await.unwrap_err();
            assert_redirect_error(&err, status, &to);

            assert_eq!(gateway.requests().len(), 2, "{p} {status}: one each");
            assert_keyed(p, &gateway.requests()[0]);
            let followed = recorder.requests();
            assert!(followed.is_empty(), "{p} {status}: {followed:?}");
        }
    }
}
