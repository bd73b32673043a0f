//! Where to look for a server's command. An app started from the desktop gets a short
//! PATH without what a person's shell profile adds (nvm's node, `~/.local/bin`'s uvx),
//! so servers that start from a terminal would fail from the menu. Like other desktop
//! apps, Foxtail asks the login shell once for its PATH.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const MARKER: &str = "__FOXTAIL_PATH__=";

/// The folders searched for a command: the login shell's PATH, this process's PATH,
/// then the usual folders for tools a person installs.
pub fn search_path() -> &'static OsString {
    static PATH: OnceLock<OsString> = OnceLock::new();
    PATH.get_or_init(|| {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(login) = login_shell_path() {
            dirs.extend(std::env::split_paths(&login));
        }
        if let Some(own) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&own));
        }
        if let Some(home) = dirs::home_dir() {
            for sub in [".local/bin", ".cargo/bin", ".volta/bin", ".bun/bin", "bin"] {
                dirs.push(home.join(sub));
            }
        }
        for dir in ["/usr/local/bin", "/opt/homebrew/bin", "/usr/bin", "/bin"] {
            dirs.push(PathBuf::from(dir));
        }
        let mut unique: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            if !dir.as_os_str().is_empty() && !unique.contains(&dir) {
                unique.push(dir);
            }
        }
        std::env::join_paths(unique).unwrap_or_default()
    })
}

/// The full path of `command`, or the folders that were searched.
pub fn find(command: &str) -> Result<PathBuf, String> {
    let path = search_path();
    let expanded = expand_home(command);
    if expanded.components().count() > 1 {
        return match expanded.is_file() {
            true => Ok(expanded),
            false => Err(format!("{} does not exist", expanded.display())),
        };
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    which::which_in(command, Some(path), cwd).map_err(|_| {
        let searched: Vec<String> = std::env::split_paths(path)
            .map(|dir| dir.display().to_string())
            .collect();
        format!(
            "“{command}” was not found in any of these folders: {}",
            searched.join(", ")
        )
    })
}

/// `~/x` as the home folder's `x`, as a shell would read it.
pub fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(text),
    }
}

/// The PATH a login shell sets up, or `None` when it cannot be had within a few
/// seconds (a profile that waits for input, say).
fn login_shell_path() -> Option<String> {
    if cfg!(windows) {
        return None;
    }
    let shell = std::env::var("SHELL")
        .ok()
        .filter(|s| Path::new(s).is_absolute())
        .unwrap_or_else(|| "/bin/sh".into());
    let mut child = std::process::Command::new(shell)
        .args(["-l", "-c", &format!("printf '\\n{MARKER}%s\\n' \"$PATH\"")])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() < Duration::from_secs(3) => {
                std::thread::sleep(Duration::from_millis(20))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    out.lines()
        .rev()
        .find_map(|line| line.strip_prefix(MARKER))
        .map(str::to_owned)
        .filter(|path| !path.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_found_on_the_search_path_or_the_folders_are_named() {
        assert!(find("sh").unwrap().is_absolute());
        let missing = find("foxtail-no-such-command").unwrap_err();
        assert!(missing.contains("“foxtail-no-such-command” was not found"));
        assert!(missing.contains("/usr/bin"), "{missing}");
        assert!(find("/no/such/program")
            .unwrap_err()
            .contains("does not exist"));
    }
}
