//! Files only this user may read: the history, the settings and the folder that holds
//! them carry conversations, so other accounts on the computer get nothing.

use std::io::Write;
use std::path::Path;

/// Creates `dir` (and its parents) readable by this user only.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Writes `bytes` to a new or truncated file readable by this user only.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    // `mode` applies only to a new file; an older one may be wider.
    restrict(path, 0o600)
}

/// Narrows an existing file's or folder's permissions to `mode` (Unix only).
pub fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// A crash must not write the process's memory, with keys and conversations in it, to
/// a core file on disk. The app and the CLI call this first thing.
pub fn forbid_core_dumps() {
    #[cfg(unix)]
    {
        let none = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit only reads the struct it is given.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &none);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn no_core_file_can_be_written_after_start() {
        super::forbid_core_dumps();
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: getrlimit writes only the struct it is given.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!((limit.rlim_cur, limit.rlim_max), (0, 0));
    }

    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_this_user_s_only() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        create_private_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("f.json");
        std::fs::write(&file, "old").unwrap();
        restrict(&file, 0o644).unwrap();
        write_private(&file, b"new").unwrap();
        assert_eq!(mode(&file), 0o600, "an older, wider file is narrowed");
        assert_eq!(std::fs::read(&file).unwrap(), b"new");
    }
}
