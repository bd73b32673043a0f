//! The built `foxtail-cli` binary against the mock gateway.

mod common;

use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{cli, run, start, stderr, stdout, KEY};
use foxtail_mock_gateway::{answer_text, MockGateway, PIECES};
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_is_printed_as_it_arrives() {
    for (protocol, anthropic) in [("openai", false), ("anthropic", true)] {
        let gateway = start("slow:100", anthropic).await;
        let started = Instant::now();
        let mut child = cli(&gateway, &["--protocol", protocol, "Hi"])
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut first = [0u8; 5];
        out.read_exact(&mut first).unwrap();
        let first_at = started.elapsed();
        assert_eq!(&first, b"Hello");
        let mut rest = String::new();
        out.read_to_string(&mut rest).unwrap();
        let status = child.wait().unwrap();
        let total = started.elapsed();
        assert!(status.success());
        assert_eq!(format!("Hello{rest}"), format!("{}\n", answer_text()));
        // Seven more events follow the first text at 100 ms intervals.
        assert!(
            total - first_at >= Duration::from_millis(600),
            "{first_at:?} of {total:?}"
        );
        let requests = gateway.requests();
        match anthropic {
            false => assert_eq!(
                requests[0].header("authorization"),
                Some(&*format!("Bearer {KEY}"))
            ),
            true => {
                assert_eq!(requests[0].header("x-api-key"), Some(KEY));
                assert_eq!(requests[0].path, "/v1/messages");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_prints_one_event_per_line() {
    let gateway = start("ok", false).await;
    let o = run(&gateway, &["--json", "Hi"]);
    assert_eq!(o.status.code(), Some(0));
    let events: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let texts: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "text")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, PIECES);
    // The end, then the answer's usage as the last line.
    let end = &events[events.len() - 2];
    assert_eq!(
        end,
        &serde_json::json!({"type": "finish", "reason": "stop", "raw": "stop"})
    );
    let usage = events.last().unwrap();
    assert_eq!(usage["type"], "usage");
    assert_eq!(
        usage["input_tokens"],
        foxtail_mock_gateway::USAGE.input_tokens
    );
    assert_eq!(stderr(&o), "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_go_to_stderr_in_plain_words_with_exit_code_1() {
    let gateway = start("unauthorized", false).await;
    let o = run(&gateway, &["Hi"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.contains("The gateway refused the API key"), "{err}");
    assert!(err.contains("Invalid API key provided."), "{err}");
    assert_eq!(gateway.requests().len(), 1);

    let gateway = gateway_json_error().await;
    let o = run(&gateway, &["--json", "Hi"]);
    assert_eq!(o.status.code(), Some(1));
    let last: Value = serde_json::from_str(stdout(&o).lines().last().unwrap()).unwrap();
    assert_eq!(last["type"], "error");
    assert_eq!(last["kind"], "bad_request");
    assert_eq!(last["status"], 400);
}

async fn gateway_json_error() -> MockGateway {
    start("bad-request", true).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_are_announced_on_stderr() {
    let gateway = start("unavailable", false).await;
    let o = run(&gateway, &["Hi"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), format!("{}\n", answer_text()));
    let err = stderr(&o);
    assert_eq!(err.matches("trying again in").count(), 2, "{err}");
    assert!(err.contains("Service unavailable."), "{err}");
    assert!(err.contains("(retry 2 of 3)"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_answer_keeps_its_text_and_exits_1() {
    let gateway = start("truncated", true).await;
    let o = run(&gateway, &["--protocol", "anthropic", "--no-resume", "Hi"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), PIECES[..4].concat());
    assert!(
        stderr(&o).contains("The answer is incomplete"),
        "{}",
        stderr(&o)
    );
    // With resume (the default) the same fault is invisible.
    let gateway = start("truncated", true).await;
    let o = run(&gateway, &["--protocol", "anthropic", "Hi"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), format!("{}\n", answer_text()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_usage_exits_2() {
    let gateway = start("ok", false).await;
    for args in [
        &["--protocol", "gopher", "Hi"][..],
        &["--max-tokens", "lots", "Hi"],
        &["--idle-timeout", "0", "Hi"],
        &["--no-such-flag", "Hi"],
        &["--tools", "/no/such/tools.json", "Hi"],
        &[],
    ] {
        let o = run(&gateway, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
    assert!(gateway.requests().is_empty());
    let o = run(&gateway, &["--help"]);
    assert_eq!(o.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prompt_comes_from_the_argument_or_stdin() {
    let gateway = start("ok", false).await;
    let o = run(
        &gateway,
        &[
            "--system",
            "Be brief.",
            "--max-tokens",
            "9",
            "--model",
            "m/x",
            "From the argument",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    for (arg, input) in [(Some("-"), "From stdin, dashed\n"), (None, "From stdin\n")] {
        let mut command = cli(&gateway, &[]);
        command.args(arg).stdin(Stdio::piped());
        let mut child = command.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0));
    }
    let bodies: Vec<Value> = gateway.requests().iter().map(|r| r.json()).collect();
    assert_eq!(bodies[0]["messages"][0]["content"], "Be brief.");
    assert_eq!(bodies[0]["messages"][1]["content"], "From the argument");
    assert_eq!(bodies[0]["max_tokens"], 9);
    assert_eq!(bodies[0]["model"], "m/x");
    assert_eq!(bodies[1]["messages"][0]["content"], "From stdin, dashed\n");
    assert_eq!(bodies[2]["messages"][0]["content"], "From stdin\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_it_says_so() {
    let gateway = start("ok", false).await;
    let o = cli(&gateway, &["Hi"])
        .env("OFOX_API_KEY", "")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("no API key for OfoxAI (ofox)"), "{err}");
    assert!(gateway.requests().is_empty());
}

fn wait_for_text(child: &mut Child, text: &str) -> String {
    let mut out = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains(text) {
        assert_eq!(out.read(&mut byte).unwrap(), 1, "stdout ended early");
        seen.push(byte[0]);
    }
    child.stdout = Some(out);
    String::from_utf8(seen).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_at_once_with_exit_code_130() {
    for (protocol, anthropic) in [("openai", false), ("anthropic", true)] {
        let gateway = start("stall", anthropic).await;
        let mut child = cli(&gateway, &["--protocol", protocol, "Hi"])
            .spawn()
            .unwrap();
        let shown = wait_for_text(&mut child, PIECES[0]);
        let sent = Instant::now();
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(child.id() as i32),
            nix::sys::signal::Signal::SIGINT,
        )
        .unwrap();
        let o = child.wait_with_output().unwrap();
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "{:?}",
            sent.elapsed()
        );
        assert_eq!(o.status.code(), Some(130));
        assert_eq!(shown, PIECES[0]);
        assert!(stderr(&o).contains("Cancelled."), "{}", stderr(&o));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builtin_tools_run_until_the_model_answers() {
    for (protocol, anthropic) in [("openai", false), ("anthropic", true)] {
        let gateway = start("tools:calculator", anthropic).await;
        let o = run(
            &gateway,
            &[
                "--protocol",
                protocol,
                "--tools",
                "builtin",
                "What is 12*7?",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("The answer is 84."), "{out}");
        assert_eq!(
            out,
            "Let me work that out.\n\
             [tool call calculator {\"expression\":\"12*7\"}]\n\
             [calculator → 84]\n\
             The answer is 84.\n"
        );
        let requests = gateway.requests();
        assert_eq!(requests.len(), 2);
        let names: Vec<Value> = requests[0].json()["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.get("function").unwrap_or(t)["name"].clone())
            .collect();
        assert_eq!(names, ["current_time", "calculator"]);
        assert!(String::from_utf8_lossy(&requests[1].body).contains("84"));
    }

    // --json prints the loop's events, with one end.
    let gateway = start("tools:unknown", false).await;
    let o = run(&gateway, &["--json", "--tools", "builtin", "Hi"]);
    assert_eq!(o.status.code(), Some(0));
    let events: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let result = events.iter().find(|e| e["type"] == "tool_result").unwrap();
    assert_eq!(result["name"], "no_such_tool");
    assert_eq!(result["is_error"], true);
    assert_eq!(events.iter().filter(|e| e["type"] == "finish").count(), 1);
    // The end, then one line of usage summed over the loop's two turns.
    assert_eq!(events[events.len() - 2]["type"], "finish");
    let usage = events.last().unwrap();
    assert_eq!(usage["type"], "usage");
    assert_eq!(
        usage["input_tokens"],
        2 * foxtail_mock_gateway::USAGE.input_tokens
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_tools_are_offered_and_their_calls_printed_not_run() {
    let file = std::env::temp_dir().join(format!("foxtail-cli-tools-{}.json", std::process::id()));
    std::fs::write(
        &file,
        r#"[{"name": "calculator", "description": "Does sums",
             "parameters": {"type": "object", "properties": {"expression": {"type": "string"}}}}]"#,
    )
    .unwrap();
    let path = file.to_str().unwrap();
    for (protocol, anthropic) in [("openai", false), ("anthropic", true)] {
        let gateway = start("tools:calculator", anthropic).await;
        let o = run(
            &gateway,
            &["--protocol", protocol, "--tools", path, "What is 12*7?"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            stdout(&o),
            "Let me work that out.\n[tool call calculator {\"expression\":\"12*7\"}]\n"
        );
        let requests = gateway.requests();
        assert_eq!(requests.len(), 1, "the call was not run");
        let tool = &requests[0].json()["tools"][0];
        let (name, schema) = if anthropic {
            (&tool["name"], &tool["input_schema"])
        } else {
            (&tool["function"]["name"], &tool["function"]["parameters"])
        };
        assert_eq!(name, "calculator");
        assert_eq!(schema["properties"]["expression"]["type"], "string");
    }

    let gateway = start("tools:parallel", false).await;
    let o = run(&gateway, &["--json", "--tools", path, "Hi"]);
    assert_eq!(o.status.code(), Some(0));
    let events: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let calls: Vec<&Value> = events.iter().filter(|e| e["type"] == "tool_call").collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["arguments"]["expression"], "(1+2)*3");
    assert!(events.iter().all(|e| e["type"] != "tool_result"));
    assert_eq!(
        events[events.len() - 2],
        serde_json::json!({"type": "finish", "reason": "tool_calls", "raw": "tool_calls"})
    );
    assert_eq!(events.last().unwrap()["type"], "usage");
    std::fs::remove_file(&file).unwrap();

    let gateway = start("ok", false).await;
    let o = run(&gateway, &["--tools", "/no/such/tools.json", "Hi"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read the tools file /no/such/tools.json"),
        "{}",
        stderr(&o)
    );
}
