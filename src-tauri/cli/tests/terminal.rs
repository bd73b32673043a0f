//! Model text that a terminal would obey (clipboard writes, hidden links, screen clears,
//! cursor moves) is removed before it is written to a terminal; `--terminal` makes the
//! CLI treat its pipes as one.

mod common;

use common::{cli, output, stderr, stdout};
use foxtail_mock_gateway::transcript::{openai, openai_chunk, openai_end, openai_text};
use foxtail_mock_gateway::{MockGateway, Reply};
use serde_json::{json, Value};

/// A clipboard write, a hidden link, a screen clear, cursor moves and a carriage return,
/// some split across pieces, around Korean and emoji text.
const HOSTILE: [&str; 8] = [
    "Safe \x1b]52;c;cm0gLXJmIH4vKg==\x07text",
    ", a \x1b]8;;https://evil.example/steal\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[2J\x1b[H",
    " 안녕하세요 🦊👨‍👩‍👧",
    "\x1b[3A\x1b[10;5H",
    "\x1b]52;c;",
    "ZXZpbA==\x07 done\r",
    "\tend\n",
];

const CLEAN: &str = "Safe text, a link 안녕하세요 🦊👨‍👩‍👧 done\tend\n";

async fn hostile_gateway() -> MockGateway {
    MockGateway::start(vec![Reply::sse(openai(&HOSTILE))])
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_sequences_never_reach_a_terminal() {
    let gateway = hostile_gateway().await;
    let o = output(&mut cli(&gateway, &["--terminal", "Hi"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), CLEAN);
    assert!(!o
        .stdout
        .iter()
        .any(|&b| b == 0x1b || b == b'\r' || b == 0x07));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pipe_and_json_get_the_text_as_it_came() {
    let gateway = hostile_gateway().await;
    // Into a pipe (not a terminal) the bytes are passed on as they came.
    let o = output(&mut cli(&gateway, &["Hi"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), HOSTILE.concat());

    // --json escapes them, so it is left as it is even for a terminal.
    let o = output(&mut cli(&gateway, &["--json", "--terminal", "Hi"]));
    assert_eq!(o.status.code(), Some(0));
    assert!(!o.stdout.contains(&0x1b), "JSON escapes ESC");
    let text: String = stdout(&o)
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|event| event["type"] == "text")
        .map(|event| event["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(text, HOSTILE.concat());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reasoning_and_tool_lines_are_cleaned_too() {
    // Reasoning with a clipboard write, text with a screen clear, then a call to a tool
    // whose name carries a cursor move; the call is declared, printed and not run.
    let mut events = vec![
        openai_chunk(json!({"role": "assistant", "content": ""}), None),
        openai_chunk(
            json!({"reasoning_content": "Thinking\x1b]52;c;ZXZpbA==\x07 hard"}),
            None,
        ),
        openai_chunk(json!({"reasoning_content": "\x1b[2J…\n"}), None),
    ];
    events.extend(openai_text(&[
        "Let me\x1b[2J check",
        " \x1b]8;;https://x.example\x07",
    ]));
    events.push(openai_chunk(
        json!({"tool_calls": [{
            "index": 0, "id": "call_1", "type": "function",
            "function": {"name": "calcu\x1b[1Alator", "arguments": "{\"expression\":\"1+1\"}"},
        }]}),
        None,
    ));
    events.extend(openai_end("tool_calls"));
    let gateway = MockGateway::start(vec![Reply::sse(events)]).await.unwrap();

    let tools = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        tools.path(),
        r#"[{"name": "calculator", "description": "Does sums", "parameters": {"type": "object"}}]"#,
    )
    .unwrap();
    let path = tools.path().to_str().unwrap();
    let o = output(&mut cli(&gateway, &["--terminal", "--tools", path, "1+1?"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Let me check \n[tool call calculator {\"expression\":\"1+1\"}]\n"
    );
    assert_eq!(stderr(&o), "Thinking hard…\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_s_error_message_is_cleaned_for_a_terminal() {
    let body = json!({"error": {
        "message": "Bad key\x1b]52;c;ZXZpbA==\x07 \x1b[2Jgiven.",
        "type": "invalid_request_error",
    }});
    let gateway = MockGateway::start(vec![Reply::status(
        401,
        "application/json",
        body.to_string(),
    )])
    .await
    .unwrap();
    let o = output(&mut cli(&gateway, &["--terminal", "Hi"]));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("Bad key given."), "{err}");
    assert!(!err.contains('\x1b'), "{err:?}");
}
