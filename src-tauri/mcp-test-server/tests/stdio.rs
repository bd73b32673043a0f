//! The server over stdio, driven by rmcp's client through a child process.

mod common;

use std::collections::BTreeMap;

use base64::Engine;
use common::{args, call, connect_stdio, only_text, spawn_stdio, WAIT};
use rmcp::model::{CallToolRequest, CallToolRequestParams, ClientRequest, ResourceContents};
use rmcp::service::PeerRequestOptions;
use rmcp::{ServiceError, ServiceExt};
use serde_json::json;

#[tokio::test]
async fn handshake_names_the_server_and_lists_annotated_tools() {
    let (client, _stderr) = connect_stdio(&[]).await;

    let info = client.peer_info().expect("server info after the handshake");
    assert_eq!(
        info.server_info.as_ref().map(|i| i.name.as_str()),
        Some("foxtail-test")
    );
    assert_eq!(
        info.instructions.as_deref(),
        Some("Test server for Foxtail")
    );
    assert!(info.capabilities.tools.is_some());

    let tools: BTreeMap<String, _> = client
        .list_all_tools()
        .await
        .expect("tools/list")
        .into_iter()
        .map(|tool| (tool.name.to_string(), tool))
        .collect();
    let names: Vec<&str> = tools.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "crash",
            "delete_note",
            "huge",
            "lookup",
            "picture",
            "resource_ref",
            "slow"
        ]
    );

    let lookup = tools["lookup"]
        .annotations
        .as_ref()
        .expect("lookup annotations");
    assert_eq!(lookup.read_only_hint, Some(true));
    assert_eq!(lookup.destructive_hint, Some(false));
    let delete = tools["delete_note"]
        .annotations
        .as_ref()
        .expect("delete_note annotations");
    assert_eq!(delete.read_only_hint, Some(false));
    assert_eq!(delete.destructive_hint, Some(true));

    // The argument schemas name what the tools take.
    let schema = |name: &str| serde_json::Value::Object((*tools[name].input_schema).clone());
    assert_eq!(schema("lookup")["properties"]["key"]["type"], "string");
    assert_eq!(schema("lookup")["required"], json!(["key"]));
    assert_eq!(
        schema("delete_note")["properties"]["title"]["type"],
        "string"
    );
    assert_eq!(schema("slow")["properties"]["seconds"]["type"], "number");
    assert_eq!(schema("huge")["properties"]["bytes"]["type"], "integer");

    client.cancel().await.expect("close the client");
}

#[tokio::test]
async fn tools_answer_in_fixed_words() {
    let (client, _stderr) = connect_stdio(&[]).await;

    let answer = call(&client, "lookup", json!({"key": "answer"})).await;
    assert_eq!(only_text(&answer), "value of answer is 42");

    let deleted = call(&client, "delete_note", json!({"title": "groceries"})).await;
    assert_eq!(only_text(&deleted), "deleted note groceries");

    let slept = call(&client, "slow", json!({"seconds": 0.05})).await;
    assert_eq!(only_text(&slept), "slept 0.05 s");

    let huge = call(&client, "huge", json!({"bytes": 100_003})).await;
    let text = only_text(&huge);
    assert_eq!(text.len(), 100_003);
    assert!(text.starts_with("abcdefghijabc"));
    assert!(text.ends_with("abc"));

    let picture = call(&client, "picture", json!({})).await;
    assert_eq!(picture.content.len(), 2, "{picture:?}");
    let image = picture.content[0].as_image().expect("an image first");
    assert_eq!(image.mime_type, "image/png");
    let png = base64::engine::general_purpose::STANDARD
        .decode(&image.data)
        .expect("base64 image data");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    assert_eq!(&png[16..24], &[0, 0, 0, 2, 0, 0, 0, 2], "2x2 pixels");
    assert_eq!(
        picture.content[1].as_text().map(|t| t.text.as_str()),
        Some("a picture")
    );

    let resource = call(&client, "resource_ref", json!({})).await;
    assert_eq!(resource.content.len(), 1, "{resource:?}");
    let embedded = resource.content[0]
        .as_resource()
        .expect("an embedded resource");
    match &embedded.resource {
        ResourceContents::TextResourceContents { uri, text, .. } => {
            assert_eq!(uri, "note://example");
            assert_eq!(text, "resource text");
        }
        other => panic!("not a text resource: {other:?}"),
    }

    client.cancel().await.expect("close the client");
}

#[tokio::test]
async fn the_note_variable_reaches_the_server() {
    let (client, _stderr) = connect_stdio(&[("FOXTAIL_TEST_SERVER_NOTE", "from the env")]).await;
    let answer = call(&client, "lookup", json!({"key": "k"})).await;
    assert_eq!(only_text(&answer), "value of k is 42 (note: from the env)");
    client.cancel().await.expect("close the client");
}

#[tokio::test]
async fn told_to_fail_it_exits_3_before_the_handshake() {
    // Through rmcp: the handshake fails, and stderr says why.
    let (transport, mut stderr) = spawn_stdio(&[("FOXTAIL_TEST_SERVER_FAIL", "1")]);
    let handshake = tokio::time::timeout(WAIT, ().serve(transport))
        .await
        .expect("handshake ended in time");
    assert!(handshake.is_err(), "the handshake should fail");
    let lines = stderr.until_end().await;
    assert_eq!(
        lines.last().map(String::as_str),
        Some("fatal: the test server was told to fail"),
        "{lines:?}"
    );

    // And the exit code, which the rmcp transport does not hand out.
    let output = common::command(&["stdio"], &[("FOXTAIL_TEST_SERVER_FAIL", "1")])
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("run the test server");
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "foxtail-mcp-test-server started\nfatal: the test server was told to fail\n"
    );
}

#[tokio::test]
async fn crash_fails_the_call_with_a_transport_error() {
    let (client, mut stderr) = connect_stdio(&[]).await;
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
    stderr.expect("crash: exiting").await;
}

#[tokio::test]
async fn a_cancelled_slow_call_is_noticed_by_the_server() {
    let (client, mut stderr) = connect_stdio(&[]).await;
    let request = ClientRequest::CallToolRequest(CallToolRequest::new(
        CallToolRequestParams::new("slow").with_arguments(args(json!({"seconds": 30}))),
    ));
    let handle = client
        .send_cancellable_request(request, PeerRequestOptions::no_options())
        .await
        .expect("send the slow call");
    stderr.expect("slow: sleeping 30 s").await;
    handle
        .cancel(Some("the test gave up".into()))
        .await
        .expect("send notifications/cancelled");
    stderr.expect("slow: cancelled").await;

    // The server goes on serving after a cancellation.
    let answer = call(&client, "lookup", json!({"key": "after"})).await;
    assert_eq!(only_text(&answer), "value of after is 42");
    client.cancel().await.expect("close the client");
}

#[tokio::test]
async fn an_abandoned_call_is_cancelled_too() {
    // Dropping the future of `call_tool` (here by a timeout) sends `notifications/cancelled`.
    let (client, mut stderr) = connect_stdio(&[]).await;
    let call = client
        .call_tool(CallToolRequestParams::new("slow").with_arguments(args(json!({"seconds": 30}))));
    let outcome = tokio::time::timeout(std::time::Duration::from_millis(300), call).await;
    assert!(outcome.is_err(), "the slow call should still be running");
    stderr.expect("slow: cancelled").await;
    client.cancel().await.expect("close the client");
}
