//! What the CLI's tests share: the built binary, run so that it never reads a person's
//! settings or keys.

#![allow(dead_code)] // Each test file uses its own part.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use foxtail_mock_gateway::{scenario, MockGateway};

pub const KEY: &str = "sk-test-fake-cli";

/// The keychain service the CLI runs with in tests: never the app's own.
pub const KEYRING_SERVICE: &str = "foxtail-cli-tests";

/// A data folder with no settings in it, so that the CLI uses the defaults. The CLI only
/// reads its data folder, so one folder serves every test.
pub fn empty_data_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("foxtail-cli-no-settings");
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "{} is not empty",
        dir.display()
    );
    dir
}

/// The CLI with the app's defaults for settings and `OFOX_API_KEY` for the key, and no
/// gateway address given: quick retries, piped output, nothing on stdin.
pub fn bare_cli(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_foxtail-cli"));
    command
        .args(["--retry-delay-ms", "5", "--max-retry-delay-ms", "50"])
        .args(args)
        .env("FOXTAIL_DATA_DIR", empty_data_dir())
        .env("FOXTAIL_KEYRING_SERVICE", KEYRING_SERVICE)
        .env("OFOX_API_KEY", KEY)
        .env_remove("FOXTAIL_API_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// [`bare_cli`] sending to `gateway`.
pub fn cli(gateway: &MockGateway, args: &[&str]) -> Command {
    let mut command = bare_cli(&["--base-url", &gateway.url()]);
    command.args(args);
    command
}

/// Runs `command` and checks that the key was not printed.
pub fn output(command: &mut Command) -> Output {
    let output = command.output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!all.contains(KEY), "the key was printed");
    output
}

pub fn run(gateway: &MockGateway, args: &[&str]) -> Output {
    output(&mut cli(gateway, args))
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub async fn start(name: &str, anthropic: bool) -> MockGateway {
    MockGateway::start(scenario(name, anthropic).unwrap())
        .await
        .unwrap()
}
