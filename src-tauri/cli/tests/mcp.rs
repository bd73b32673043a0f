//! `--mcp`: the servers of an `mcpServers` file in the CLI's tool loop, with a real MCP
//! server (the suite's own).

mod common;

use std::os::unix::process::CommandExt;

use common::{cli, output, start, stderr, stdout};
use serde_json::Value;

fn config(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("servers.json");
    let config = serde_json::json!({"mcpServers": {"test": {
        "command": foxtail_mcp_test_server::binary(),
        "args": ["stdio"],
        "env": {"FOXTAIL_TEST_SERVER_NOTE": "cli"},
    }}});
    std::fs::write(&path, config.to_string()).unwrap();
    path.display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_yes_the_servers_tools_run_in_the_loop_beside_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(&dir);
    for anthropic in [false, true] {
        let gateway = start(r#"tools:call:lookup:{"key":"c"}"#, anthropic).await;
        let protocol = if anthropic { "anthropic" } else { "openai" };
        let o = output(cli(&gateway, &["--protocol", protocol]).args([
            "--mcp",
            &file,
            "--yes",
            "--tools",
            "builtin",
            "Look it up",
        ]));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains("[lookup → value of c is 42 (note: cli)]"),
            "{out}"
        );
        assert!(
            out.contains("The tool said: value of c is 42 (note: cli)"),
            "{out}"
        );
        let requests = gateway.requests();
        let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
        let names: Vec<String> = body["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                t.get("function").unwrap_or(t)["name"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        for name in ["current_time", "calculator", "lookup", "delete_note"] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_yes_and_without_a_terminal_it_refuses_before_sending() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(&dir);
    let gateway = start(r#"tools:call:lookup:{"key":"c"}"#, false).await;
    let mut command = cli(&gateway, &["--mcp", &file, "Look it up"]);
    // A session of its own has no controlling terminal to ask on.
    unsafe {
        command.pre_exec(|| {
            nix::unistd::setsid().map_err(std::io::Error::from)?;
            Ok(())
        });
    }
    let o = output(&mut command);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("there is no terminal to ask on: give --yes to allow every call"),
        "{}",
        stderr(&o)
    );
    assert!(gateway.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_mcp_file_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.json");
    std::fs::write(&path, r#"{"mcpServers": {"x": {"args": []}}}"#).unwrap();
    let gateway = start("ok", false).await;
    let o = output(&mut cli(
        &gateway,
        &["--mcp", path.to_str().unwrap(), "--yes", "Hi"],
    ));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("needs either a “command”"),
        "{}",
        stderr(&o)
    );
}

/// Runs the CLI with `args` on a terminal of its own (`script` gives it a pty), typing
/// `typed` there, and returns everything the terminal showed.
fn on_a_terminal(
    gateway: &foxtail_mock_gateway::MockGateway,
    args: &[&str],
    typed: &str,
) -> String {
    use std::io::Write;
    let command = cli(gateway, args);
    let quote = |s: &std::ffi::OsStr| format!("'{}'", s.to_string_lossy().replace('\'', "'\\''"));
    let line: Vec<String> = std::iter::once(quote(command.get_program()))
        .chain(command.get_args().map(quote))
        .collect();
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &line.join(" "), "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (key, value) in command.get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    let mut child = script.spawn().expect("script runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_yes_each_call_is_asked_about_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(&dir);
    let gateway = start(r#"tools:call:lookup:{"key":"t"}"#, false).await;
    let shown = on_a_terminal(&gateway, &["--mcp", &file, "Look it up"], "y\n");
    assert!(
        shown.contains("Run lookup from test with {\"key\":\"t\"}?"),
        "{shown}"
    );
    assert!(
        shown.contains("[y] once, [a] for this run, [n] no"),
        "{shown}"
    );
    assert!(
        shown.contains("The tool said: value of t is 42 (note: cli)"),
        "{shown}"
    );

    let gateway = start(r#"tools:call:delete_note:{"title":"x"}"#, false).await;
    let shown = on_a_terminal(&gateway, &["--mcp", &file, "Delete it"], "n\n");
    assert!(
        shown.contains("(it says it can change or delete things)"),
        "{shown}"
    );
    assert!(
        shown.contains("The tool said: The person declined"),
        "{shown}"
    );
}
