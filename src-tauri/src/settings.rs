use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};
use tauri::{AppHandle, Wry};
use tauri_plugin_store::{Store, StoreBuilder};

use crate::AppError;

pub const FILE_NAME: &str = "settings.json";

/// The settings store, and where a corrupt earlier file was put aside, if one was.
pub struct Settings {
    pub store: Arc<Store<Wry>>,
    pub recovered_from: Option<PathBuf>,
}

fn defaults() -> HashMap<String, Value> {
    HashMap::from([
        ("provider".to_string(), json!("ofox")),
        ("protocol".to_string(), json!("openai")),
        ("base_url".to_string(), json!("https://api.ofox.ai/v1")),
        ("model".to_string(), json!("openai/gpt-4o")),
        ("theme".to_string(), json!("system")),
        ("language".to_string(), json!("system")),
    ])
}

pub fn open(app: &AppHandle<Wry>, data_dir: &Path) -> Result<Settings, AppError> {
    let path = data_dir.join(FILE_NAME);
    // A settings file that is not JSON must not stop the app, and must not be thrown
    // away either: it is kept beside the new one for the person (or support) to read.
    let recovered_from = quarantine_if_corrupt(&path)?;
    let store = StoreBuilder::new(app, &path)
        .defaults(defaults())
        .build()
        .map_err(|err| AppError::Settings(err.to_string()))?;
    // Writing the defaults at once shows early, not at the first change, when the
    // folder is not writable.
    store
        .save()
        .map_err(|err| AppError::Settings(err.to_string()))?;
    Ok(Settings {
        store,
        recovered_from,
    })
}

/// Renames an unreadable settings file to `settings.json.corrupt-<unix seconds>` and
/// returns the new path; a missing or valid file is left alone.
pub fn quarantine_if_corrupt(path: &Path) -> Result<Option<PathBuf>, AppError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(AppError::DataDir {
                path: path.display().to_string(),
                source,
            })
        }
    };
    if serde_json::from_slice::<serde_json::Map<String, Value>>(&bytes).is_ok() {
        return Ok(None);
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let aside = path.with_file_name(format!("{FILE_NAME}.corrupt-{stamp}"));
    std::fs::rename(path, &aside).map_err(|source| AppError::DataDir {
        path: aside.display().to_string(),
        source,
    })?;
    Ok(Some(aside))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_or_missing_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(quarantine_if_corrupt(&path).unwrap(), None);
        std::fs::write(&path, br#"{"model":"openai/gpt-4o"}"#).unwrap();
        assert_eq!(quarantine_if_corrupt(&path).unwrap(), None);
        assert!(path.exists());
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_with_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, b"{\"model\": \"half-writ").unwrap();
        let aside = quarantine_if_corrupt(&path).unwrap().expect("moved aside");
        assert!(!path.exists());
        assert_eq!(std::fs::read(&aside).unwrap(), b"{\"model\": \"half-writ");
        assert!(aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("settings.json.corrupt-"));
    }
}
