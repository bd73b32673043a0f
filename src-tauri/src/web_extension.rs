//! The web process extension that lets the page ask for its memory back.
//!
//! A streaming answer or draft leaves most of its garbage as DOM nodes, which
//! JavaScriptCore does not count when it times its full collections. It collects them
//! only once enough JavaScript has been allocated since the last full collection, so
//! after an answer, with the page idle, that collection came seconds or minutes late,
//! or not before the next answer: 30 s after a long answer the web process still held
//! about 100 MB it no longer used (README, #16's runs). WebKitGTK gives the app no call
//! to collect in the web process, but it loads extensions there, and the extension
//! (`src-tauri/web-extension/collect.c`) gives the page `__foxtailCollect()`, which the
//! page calls once streaming has stopped (`ui/src/lib/memory.ts`).
//!
//! The extension is compiled into the app and written, when it differs, to a folder of
//! the app's data directory that WebKit loads extensions from.

use std::path::{Path, PathBuf};

#[cfg(target_os = "linux")]
const LIBRARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libfoxtail_collect.so"));
#[cfg(target_os = "linux")]
const FILE_NAME: &str = "libfoxtail_collect.so";

/// Writes the extension into `dir` (created private) unless it is there already, and
/// returns the folder to give WebKit. None where web views take no such extension.
pub fn install(dir: &Path) -> std::io::Result<Option<PathBuf>> {
    #[cfg(target_os = "linux")]
    {
        foxtail_core::files::create_private_dir(dir)?;
        let path = dir.join(FILE_NAME);
        if std::fs::read(&path).ok().as_deref() != Some(LIBRARY) {
            // Written aside and renamed, so a web process starting meanwhile (another
            // window, a second copy of the app) never loads half a library.
            let partial = dir.join(format!("{FILE_NAME}.{}.partial", std::process::id()));
            let written = foxtail_core::files::write_private(&partial, LIBRARY)
                .and_then(|()| std::fs::rename(&partial, &path));
            if written.is_err() {
                let _ = std::fs::remove_file(&partial);
            }
            written?;
        }
        Ok(Some(dir.to_path_buf()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        Ok(None)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_extension_is_written_once_and_mended_when_changed() {
        let data = tempfile::tempdir().unwrap();
        let dir = data.path().join("web-extension");
        assert_eq!(install(&dir).unwrap(), Some(dir.clone()));
        let path = dir.join(FILE_NAME);
        assert_eq!(std::fs::read(&path).unwrap(), LIBRARY);
        // Only the library: WebKit tries to load every file in the folder.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);

        std::fs::write(&path, b"an older build").unwrap();
        install(&dir).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), LIBRARY);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn the_extension_defines_its_entry_point() {
        // WebKit calls this by name; a library without it would load and do nothing.
        let name = b"webkit_web_extension_initialize";
        assert!(LIBRARY.windows(name.len()).any(|w| w == name));
        assert!(LIBRARY.starts_with(b"\x7fELF"));
    }
}
