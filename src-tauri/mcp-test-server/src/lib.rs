//! Where the test server's binary is, for other crates' tests: built here first, so a
//! test never runs a stale server. (This crate's own tests use `CARGO_BIN_EXE_…`.)

use std::path::PathBuf;
use std::sync::OnceLock;

/// The path of the built `foxtail-mcp-test-server`.
pub fn binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let status = std::process::Command::new(cargo)
                .args(["build", "--quiet", "--package", "foxtail-mcp-test-server"])
                .current_dir(&root)
                .status()
                .expect("cargo runs");
            assert!(status.success(), "the MCP test server builds");
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("target"));
            let path = target.join("debug").join("foxtail-mcp-test-server");
            assert!(path.is_file(), "{} was not built", path.display());
            path
        })
        .clone()
}
