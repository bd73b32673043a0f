//! Foxtail's streaming engine. It has no Tauri dependency, so the desktop app, the
//! `foxtail-cli` binary, tests and benchmarks all drive the same code.

/// The name and version that requests identify themselves with.
pub const USER_AGENT: &str = concat!("Foxtail/", env!("CARGO_PKG_VERSION"));
