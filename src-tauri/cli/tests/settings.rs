//! The CLI sends the request the app would: the app's saved settings, the flags applied
//! under the app's rules, the provider's quirks and the key saved for the provider.

mod common;

use std::path::Path;
use std::process::Command;

use common::{bare_cli, cli, output, run, start, stderr, stdout, KEY, KEYRING_SERVICE};
use foxtail_core::keys::Keys;
use foxtail_keychain::{Keychain, SecretString};
use foxtail_mock_gateway::{answer_text, MockGateway};
use serde_json::{json, Value};

/// A data folder holding `settings` as the app saves them.
fn data_dir_with(settings: Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("settings.json"),
        serde_json::to_vec_pretty(&settings).unwrap(),
    )
    .unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_settings_shape_the_request() {
    let gateway = start("ok", false).await;
    let data = data_dir_with(json!({
        "provider": "ofox",
        "protocol": "openai",
        "base_url": gateway.url(),
        "model": "mock/saved-model",
        "system_prompt": "Answer like a fox.",
        "temperature": 0.25,
        "max_tokens": 77,
        "language": "ko",
    }));
    let before = std::fs::read(data.path().join("settings.json")).unwrap();
    // No --base-url: the saved address is used.
    let o = output(bare_cli(&["What is a fox?"]).env("FOXTAIL_DATA_DIR", data.path()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{}\n", answer_text()));
    let requests = gateway.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path, "/chat/completions");
    let body = requests[0].json();
    assert_eq!(body["model"], "mock/saved-model");
    assert_eq!(body["temperature"], 0.25);
    assert_eq!(body["max_tokens"], 77);
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": "Answer like a fox."},
            {"role": "user", "content": "What is a fox?"},
        ])
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some(&*format!("Bearer {KEY}"))
    );

    // Flags change the saved settings for this run only.
    let o = output(
        cli(
            &gateway,
            &[
                "--model",
                "mock/flag",
                "--system",
                "Be brief.",
                "--temperature",
                "1.5",
                "Hi",
            ],
        )
        .env("FOXTAIL_DATA_DIR", data.path()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let body = gateway.requests()[1].json();
    assert_eq!(body["model"], "mock/flag");
    assert_eq!(body["temperature"], 1.5);
    assert_eq!(body["max_tokens"], 77);
    assert_eq!(body["messages"][0]["content"], "Be brief.");

    // The app's settings are read, never written.
    assert_eq!(files_in(data.path()), ["settings.json"]);
    assert_eq!(
        std::fs::read(data.path().join("settings.json")).unwrap(),
        before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_protocol_and_a_saved_tool_switch_are_followed() {
    let gateway = start("tools:calculator", true).await;
    let data = data_dir_with(json!({
        "protocol": "anthropic",
        "base_url": gateway.url(),
        "model": "mock/claude",
        "disabled_tools": ["current_time"],
    }));
    let o = output(
        bare_cli(&["--tools", "builtin", "What is 12*7?"]).env("FOXTAIL_DATA_DIR", data.path()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("The answer is 84."), "{}", stdout(&o));
    let requests = gateway.requests();
    assert_eq!(requests[0].path, "/v1/messages");
    assert_eq!(requests[0].header("x-api-key"), Some(KEY));
    let body = requests[0].json();
    assert_eq!(body["model"], "mock/claude");
    let names: Vec<&Value> = body["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["name"])
        .collect();
    assert_eq!(names, ["calculator"], "switched-off tools stay off");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_provider_sends_its_own_headers() {
    let gateway = start("ok", false).await;
    let o = run(&gateway, &["--provider", "openrouter", "Hi"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let requests = gateway.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("x-title"), Some("Foxtail"));
    assert_eq!(
        requests[0].header("http-referer"),
        Some("https://foxtail.ai")
    );
    assert_eq!(
        requests[0].header("authorization"),
        Some(&*format!("Bearer {KEY}"))
    );
    // OpenRouter's default model, not the saved provider's.
    assert_eq!(requests[0].json()["model"], "openai/gpt-4o");

    // The saved provider (OfoxAI) has no such headers.
    let o = run(&gateway, &["Hi"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(gateway.requests()[1].header("x-title"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_http_address_elsewhere_is_refused_before_anything_is_sent() {
    let gateway = start("ok", false).await;
    for args in [
        &["--base-url", "http://example.com/v1", "Hi"][..],
        &[
            "--provider",
            "openrouter",
            "--base-url",
            "http://example.com/v1",
            "Hi",
        ],
    ] {
        let o = output(&mut bare_cli(args));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert_eq!(stdout(&o), "");
        let err = stderr(&o);
        assert!(err.contains("Base URL"), "{err}");
        assert!(err.contains("https://"), "{err}");
        assert!(!err.contains("Network"), "{err}");
    }
    // The prompt is not even read: stdin is left waiting.
    let mut child = bare_cli(&["--base-url", "http://example.com/v1"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    let o = child.wait_with_output().unwrap();
    drop(stdin);
    assert_eq!(o.status.code(), Some(2));
    assert!(gateway.requests().is_empty());

    // The same rules as the app's settings screen for the other flags.
    for (args, words) in [
        (&["--temperature", "3", "Hi"][..], "Temperature"),
        (&["--max-tokens", "0", "Hi"], "Maximum answer length"),
        (&["--provider", "custom", "Hi"], "--base-url"),
        (
            &["--provider", "openrouter", "--protocol", "anthropic", "Hi"],
            "OpenRouter",
        ),
    ] {
        let o = output(&mut bare_cli(args));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(words), "{args:?}: {}", stderr(&o));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_without_a_key_is_named() {
    let gateway = start("ok", false).await;
    let unknown_service = format!("foxtail-cli-tests-empty-{}", std::process::id());
    // With a keychain that has no key for it, and with no keychain at all.
    for no_keychain in [false, true] {
        let mut command = cli(&gateway, &["--provider", "openai", "Hi"]);
        command
            .env_remove("OFOX_API_KEY")
            .env("FOXTAIL_API_KEY", "  ")
            .env("FOXTAIL_KEYRING_SERVICE", &unknown_service);
        if no_keychain {
            command.env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/foxtail-test-bus",
            );
        }
        let o = output(&mut command);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("no API key for OpenAI (openai)"), "{err}");
        assert!(err.contains("OFOX_API_KEY"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert!(gateway.requests().is_empty());
}

/// A key saved as the app saves it, in a keychain service of the test's own, deleted
/// when the test ends.
struct SavedKey {
    keys: Keys,
    service: String,
    provider: &'static str,
}

impl SavedKey {
    /// Saved for `address`, or without one (then it may go to its preset's addresses), in
    /// a service named after `test`, so that tests running at once do not share it.
    fn new(test: &str, provider: &'static str, key: &str, address: Option<&str>) -> Self {
        let service = format!("{KEYRING_SERVICE}-{test}-{}", std::process::id());
        let keys = Keys::new(Keychain::new(&service));
        keys.save(provider, SecretString::from(key.to_owned()), false, address)
            .expect("this test needs a Secret Service (scripts/test.sh starts one)");
        SavedKey {
            keys,
            service,
            provider,
        }
    }

    /// The CLI, with this keychain service and no key in the environment.
    fn cli(&self, gateway: &MockGateway, args: &[&str]) -> Command {
        let mut command = cli(gateway, args);
        command
            .env_remove("OFOX_API_KEY")
            .env("FOXTAIL_KEYRING_SERVICE", &self.service);
        command
    }
}

impl Drop for SavedKey {
    fn drop(&mut self) {
        let _ = self.keys.delete(self.provider);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_saved_for_the_provider_is_used_unless_one_is_given() {
    let gateway = start("ok", false).await;
    let saved = SavedKey::new(
        "used",
        "openrouter",
        "sk-test-saved-openrouter",
        Some(&gateway.url()),
    );
    for env in [
        &[][..],
        &[("OFOX_API_KEY", "sk-test-from-ofox-env")],
        &[
            ("FOXTAIL_API_KEY", "sk-test-from-foxtail-env"),
            ("OFOX_API_KEY", "sk-test-from-ofox-env"),
        ],
    ] {
        let o = output(
            saved
                .cli(&gateway, &["--provider", "openrouter", "Hi"])
                .envs(env.iter().copied()),
        );
        assert_eq!(o.status.code(), Some(0), "{env:?}: {}", stderr(&o));
    }
    let requests = gateway.requests();
    let keys: Vec<Option<&str>> = requests.iter().map(|r| r.header("authorization")).collect();
    assert_eq!(
        keys,
        [
            Some("Bearer sk-test-saved-openrouter"),
            Some("Bearer sk-test-from-ofox-env"),
            Some("Bearer sk-test-from-foxtail-env"),
        ]
    );

    // Only OpenRouter's key is saved: the default provider, OfoxAI, has none.
    let o = output(&mut saved.cli(&gateway, &["Hi"]));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("OfoxAI (ofox)"), "{}", stderr(&o));

    // Ollama needs no key.
    let o = output(&mut saved.cli(&gateway, &["--provider", "ollama", "Hi"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let requests = gateway.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(requests[3].json()["model"], "llama3.2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_key_goes_only_to_the_address_it_was_saved_for() {
    let gateway = start("ok", false).await;
    // Saved without an address: it may go to OpenRouter's own address only.
    let saved = SavedKey::new("origin", "openrouter", "sk-test-saved-openrouter", None);
    let o = output(&mut saved.cli(&gateway, &["--provider", "openrouter", "Hi"]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("OpenRouter (openrouter)"), "{err}");
    assert!(err.contains(&gateway.url()), "{err}");
    assert!(err.contains("FOXTAIL_API_KEY"), "{err}");
    assert!(gateway.requests().is_empty());

    // A key given for this run goes where this run sends.
    let o = output(
        saved
            .cli(&gateway, &["--provider", "openrouter", "Hi"])
            .env("FOXTAIL_API_KEY", KEY),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(gateway.requests().len(), 1);
}
