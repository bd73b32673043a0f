//! For tests of what happens on a computer without a Secret Service. The session bus
//! is per process, so such a test runs again in a copy of its own test binary whose
//! bus address leads nowhere; the other tests keep their keychain.

/// Set in the copy of the test binary that runs without a D-Bus session.
const CHILD: &str = "FOXTAIL_TEST_WITHOUT_SECRET_SERVICE";

/// In the normal run: runs the test `exact_name` again without a Secret Service,
/// panics unless it passed, and returns `false` (the caller returns). In that copy:
/// returns `true`, and the caller goes on to check the keychain-less behaviour.
pub fn in_copy_without_secret_service(exact_name: &str) -> bool {
    if std::env::var_os(CHILD).is_some() {
        return true;
    }
    let output = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", exact_name, "--nocapture"])
        .env(CHILD, "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/foxtail-test-bus",
        )
        .output()
        .expect("the test binary runs again");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success() && all.contains("1 passed"), "{all}");
    false
}
