//! Listing a gateway's models, against the mock gateway over real loopback HTTP.

use std::time::{Duration, Instant};

use foxtail_engine::{Client, ModelFacts, Options, Pricing, Protocol, SecretString};
use foxtail_mock_gateway::{script, transcript, MockGateway, Reply, Script};

const KEY: &str = "sk-test-fake-models";

fn client() -> Client {
    let options = Options {
        connect_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_millis(300),
        ..Options::default()
    };
    Client::new(SecretString::from(KEY), options).unwrap()
}

fn anthropic(p: Protocol) -> bool {
    p == Protocol::Anthropic
}

/// A gateway whose model list answers with `reply` in both protocols.
async fn models_gateway(reply: Reply) -> MockGateway {
    let mut script = script("ok").unwrap();
    script.openai_models = reply.clone();
    script.anthropic_models = reply;
    MockGateway::start_script(script).await.unwrap()
}

#[tokio::test]
async fn both_protocols_list_sorted_ids_with_their_own_headers() {
    let gateway = MockGateway::start_script(script("ok").unwrap())
        .await
        .unwrap();
    for (p, base, path) in [
        (Protocol::Openai, gateway.url(), "/models"),
        (
            Protocol::Openai,
            format!("{}/v1/", gateway.url()),
            "/v1/models",
        ),
        (Protocol::Anthropic, gateway.url(), "/v1/models"),
        (
            Protocol::Anthropic,
            format!("{}/anthropic", gateway.url()),
            "/anthropic/v1/models",
        ),
    ] {
        let ids = client().list_models(&base, p).await.unwrap();
        assert_eq!(ids, vec!["mock/alpha", "mock/beta"], "{p} {base}");
        let requests = gateway.requests();
        let request = requests.last().unwrap();
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("GET", path)
        );
        match p {
            Protocol::Openai => {
                assert_eq!(
                    request.header("authorization"),
                    Some(&*format!("Bearer {KEY}"))
                );
                assert_eq!(request.header("x-api-key"), None);
            }
            Protocol::Anthropic => {
                assert_eq!(request.header("x-api-key"), Some(KEY));
                assert_eq!(request.header("anthropic-version"), Some("2023-06-01"));
                assert_eq!(request.header("authorization"), None);
            }
        }
    }
}

#[tokio::test]
async fn a_refused_key_is_an_auth_error_in_the_providers_words() {
    let gateway = MockGateway::start_script(script("unauthorized").unwrap())
        .await
        .unwrap();
    for p in [Protocol::Openai, Protocol::Anthropic] {
        let err = client().list_models(&gateway.url(), p).await.unwrap_err();
        assert_eq!(err.kind(), "auth", "{p}");
        assert_eq!(err.status(), Some(401));
        assert_eq!(
            err.message(),
            "Invalid API key provided. Check your key at the gateway."
        );
    }
}

#[tokio::test]
async fn failures_have_the_same_kinds_as_chat_and_never_show_the_key() {
    for p in [Protocol::Openai, Protocol::Anthropic] {
        let a = anthropic(p);
        let cases = [
            (
                Reply::status(
                    401,
                    "application/json",
                    transcript::error_body(a, "authentication_error", &format!("Bad key {KEY}")),
                ),
                "auth",
            ),
            (
                Reply::status(
                    429,
                    "application/json",
                    transcript::error_body(a, "rate_limit_error", "Slow down"),
                ),
                "rate_limit",
            ),
            (Reply::status(503, "text/plain", "busy"), "server"),
            (
                Reply::status(404, "text/html", "<h1>Not Found</h1>"),
                "bad_request",
            ),
            (
                Reply::status(200, "text/html", "<!DOCTYPE html><p>Welcome to nginx!</p>"),
                "protocol",
            ),
            (
                Reply::status(200, "application/json", "{\"data\": []}")
                    .delayed(Duration::from_secs(10)),
                "timeout",
            ),
        ];
        for (reply, kind) in cases {
            let gateway = models_gateway(reply).await;
            let started = Instant::now();
            let err = client().list_models(&gateway.url(), p).await.unwrap_err();
            assert_eq!(err.kind(), kind, "{p}: {err:?}");
            assert!(!format!("{err:?} {err}").contains(KEY), "{p}: {err:?}");
            // Each failure is quicker than the 10 s delay above by far.
            assert!(started.elapsed() < Duration::from_secs(5), "{p} {kind}");
        }
    }
    let gateway = models_gateway(Reply::status(
        401,
        "application/json",
        transcript::error_body(false, "authentication_error", &format!("Bad key {KEY}")),
    ))
    .await;
    let err = client()
        .list_models(&gateway.url(), Protocol::Openai)
        .await
        .unwrap_err();
    assert_eq!(err.message(), "Bad key [redacted]");
}

#[tokio::test]
async fn an_unreachable_gateway_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let err = client()
        .list_models(&format!("http://{addr}"), Protocol::Openai)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), "network");
}

#[tokio::test]
async fn the_script_for_one_protocol_serves_the_model_list_too() {
    let gateway = MockGateway::start_script(Script::same(vec![Reply::status(
        500,
        "text/plain",
        "chat only",
    )]))
    .await
    .unwrap();
    let ids = client()
        .list_models(&gateway.url(), Protocol::Anthropic)
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
}

#[tokio::test]
async fn the_facts_of_each_model_come_with_the_openai_list() {
    let gateway = MockGateway::start_script(script("ok").unwrap())
        .await
        .unwrap();
    let facts = client()
        .model_facts(&gateway.url(), Protocol::Openai, &[])
        .await
        .unwrap();
    assert_eq!(
        facts,
        vec![
            ModelFacts {
                id: "mock/alpha".into(),
                name: Some("Mock Alpha".into()),
                context_length: Some(128_000),
                image_input: Some(true),
                tools: Some(true),
                reasoning: Some(true),
                pricing: Some(Pricing {
                    prompt: 0.000003,
                    completion: 0.000015,
                    cache_read: Some(0.0000003),
                    cache_write: Some(0.00000375),
                }),
            },
            ModelFacts {
                id: "mock/beta".into(),
                name: Some("Mock Beta".into()),
                context_length: Some(32_000),
                image_input: Some(false),
                tools: Some(true),
                reasoning: Some(false),
                pricing: Some(Pricing {
                    prompt: 0.0000005,
                    completion: 0.0000015,
                    cache_read: None,
                    cache_write: None,
                }),
            },
        ]
    );
    // Anthropic's list names its models and says nothing more of them.
    let facts = client()
        .model_facts(&gateway.url(), Protocol::Anthropic, &[])
        .await
        .unwrap();
    assert_eq!(
        facts[0],
        ModelFacts {
            id: "mock/alpha".into(),
            name: Some("mock/alpha".into()),
            ..ModelFacts::default()
        }
    );
}
