//! The `foxtail-mock-gateway` binary as the app's end-to-end tests start it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 exchange; the whole response as text.
fn exchange(addr: &str, method: &str, path: &str, headers: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn the_first_line_is_the_url_and_each_path_gets_its_protocol() {
    let child = Command::new(env!("CARGO_BIN_EXE_foxtail-mock-gateway"))
        .args(["--scenario", "markdown:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let mut line = String::new();
    BufReader::new(running.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("http://127.0.0.1:")
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("first line {line:?}"));

    let openai = exchange(&addr, "POST", "/chat/completions", "");
    assert!(openai.starts_with("HTTP/1.1 200"), "{openai}");
    assert!(openai.contains("chat.completion.chunk") && openai.contains("[DONE]"));
    assert!(openai.contains(r##""content":"# Owne""##), "{openai}");

    let anthropic = exchange(&addr, "POST", "/v1/messages", "");
    assert!(
        anthropic.contains("event: content_block_delta"),
        "{anthropic}"
    );
    assert!(anthropic.contains("event: message_stop"));

    let models = exchange(&addr, "GET", "/models", "");
    assert!(models.contains("\"object\":\"list\""), "{models}");
    assert!(models.contains("mock/alpha") && models.contains("mock/beta"));
    let models = exchange(
        &addr,
        "GET",
        "/v1/models",
        "anthropic-version: 2023-06-01\r\n",
    );
    assert!(models.contains("\"has_more\":false"), "{models}");

    let image = exchange(&addr, "GET", "/image.png", "");
    assert!(image.contains("content-type: image/png"), "{image}");
}

#[test]
fn the_unauthorized_scenario_refuses_the_model_list_too() {
    let child = Command::new(env!("CARGO_BIN_EXE_foxtail-mock-gateway"))
        .args(["--scenario", "unauthorized", "--protocol", "anthropic"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut running = Running(child);
    let mut line = String::new();
    BufReader::new(running.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line.trim().trim_start_matches("http://").to_owned();
    let models = exchange(&addr, "GET", "/models", "");
    assert!(models.starts_with("HTTP/1.1 401"), "{models}");
    assert!(models.contains("Invalid API key provided."));
}

#[test]
fn help_lists_every_scenario() {
    let output = Command::new(env!("CARGO_BIN_EXE_foxtail-mock-gateway"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for (name, _) in foxtail_mock_gateway::SCENARIOS {
        assert!(
            help.contains(&format!("  {name} ")),
            "{name} missing:\n{help}"
        );
    }
    assert!(help.contains("The answer is RESULT."), "{help}");
}
