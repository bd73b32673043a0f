//! The server over Streamable HTTP, driven by rmcp's reqwest client.

mod common;

use common::{args, call, connect_http, only_text, spawn_http, WAIT};
use rmcp::model::{CallToolRequest, CallToolRequestParams, ClientRequest};
use rmcp::service::PeerRequestOptions;
use rmcp::ServiceError;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The status line of a bare POST to `url`, with an optional `Authorization` header.
async fn raw_post_status(url: &str, authorization: Option<&str>) -> String {
    let rest = url.strip_prefix("http://").expect("an http url");
    let (authority, path) = rest.split_at(rest.find('/').expect("a path"));
    let mut stream = tokio::net::TcpStream::connect(authority)
        .await
        .expect("connect");
    let auth = authorization.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\n{auth}Content-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nContent-Length: 2\r\n\
         Connection: close\r\n\r\n{{}}"
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    tokio::time::timeout(WAIT, stream.read_to_end(&mut response))
        .await
        .expect("response in time")
        .expect("read");
    let response = String::from_utf8_lossy(&response);
    response.lines().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn without_a_token_it_serves_anyone() {
    let server = spawn_http(None).await;
    let client = connect_http(&server.url, None).await.expect("handshake");
    assert_eq!(client.list_all_tools().await.expect("tools/list").len(), 7);
    let answer = call(&client, "lookup", json!({"key": "http"})).await;
    assert_eq!(only_text(&answer), "value of http is 42");
    client.cancel().await.expect("close the client");
}

#[tokio::test]
async fn with_a_token_only_its_bearer_gets_in() {
    let server = spawn_http(Some("s3cret")).await;

    let client = connect_http(&server.url, Some("s3cret"))
        .await
        .expect("handshake with the token");
    let answer = call(&client, "lookup", json!({"key": "secret"})).await;
    assert_eq!(only_text(&answer), "value of secret is 42");
    client.cancel().await.expect("close the client");

    for token in [None, Some("wrong")] {
        let refused = connect_http(&server.url, token)
            .await
            .err()
            .unwrap_or_else(|| panic!("a handshake with token {token:?} should fail"));
        // rmcp reports the 401 as an authorization challenge, with our `WWW-Authenticate`.
        assert!(refused.is_authorization_required(), "{refused:?}");
        assert_eq!(refused.auth_challenge(), Some("Bearer"), "{refused:?}");
    }

    assert_eq!(
        raw_post_status(&server.url, None).await,
        "HTTP/1.1 401 Unauthorized"
    );
    assert_eq!(
        raw_post_status(&server.url, Some("Bearer wrong")).await,
        "HTTP/1.1 401 Unauthorized"
    );
    assert_eq!(
        raw_post_status(&server.url, Some("s3cret")).await,
        "HTTP/1.1 401 Unauthorized",
        "the token without `Bearer ` is not enough"
    );
    // With the token the request reaches rmcp, which refuses the body `{}` in its own way.
    assert_ne!(
        raw_post_status(&server.url, Some("Bearer s3cret")).await,
        "HTTP/1.1 401 Unauthorized"
    );
}

#[tokio::test]
async fn crash_ends_the_process_with_code_7() {
    let mut server = spawn_http(None).await;
    let client = connect_http(&server.url, None).await.expect("handshake");
    let result = tokio::time::timeout(
        WAIT,
        client.call_tool(CallToolRequestParams::new("crash").with_arguments(args(json!({})))),
    )
    .await
    .expect("the call ended in time");
    match result {
        Err(ServiceError::TransportClosed | ServiceError::TransportSend(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
    server.stderr.expect("crash: exiting").await;
    let status = tokio::time::timeout(WAIT, server.child.wait())
        .await
        .expect("the server exited in time")
        .expect("wait");
    assert_eq!(status.code(), Some(7));
}

#[tokio::test]
async fn a_cancelled_slow_call_is_noticed_over_http() {
    let mut server = spawn_http(None).await;
    let client = connect_http(&server.url, None).await.expect("handshake");
    let request = ClientRequest::CallToolRequest(CallToolRequest::new(
        CallToolRequestParams::new("slow").with_arguments(args(json!({"seconds": 30}))),
    ));
    let handle = client
        .send_cancellable_request(request, PeerRequestOptions::no_options())
        .await
        .expect("send the slow call");
    server.stderr.expect("slow: sleeping 30 s").await;
    handle
        .cancel(Some("the test gave up".into()))
        .await
        .expect("send notifications/cancelled");
    server.stderr.expect("slow: cancelled").await;
    client.cancel().await.expect("close the client");
}
