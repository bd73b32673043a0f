use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Map, Value};
use tauri::{AppHandle, Runtime, Wry};
use tauri_plugin_store::{Store, StoreBuilder};

use crate::{setting_rules, AppError};

pub const FILE_NAME: &str = "settings.json";

/// The settings store, and where a corrupt earlier file was put aside, if one was.
pub struct Settings<R: Runtime = Wry> {
    pub store: Arc<Store<R>>,
    pub recovered_from: Option<PathBuf>,
}

impl<R: Runtime> Settings<R> {
    pub fn all(&self) -> HashMap<String, Value> {
        self.store.entries().into_iter().collect()
    }

    /// Checks `changes`, stores them and writes the file. When the file cannot be
    /// written (disk full, read-only folder) the changes are taken back, so that what
    /// the window sees is what the next start will read. Returns every setting.
    pub fn save(&self, changes: Map<String, Value>) -> Result<HashMap<String, Value>, AppError> {
        let changes = setting_rules::check(changes)?;
        let before: Vec<(String, Option<Value>)> = changes
            .keys()
            .map(|key| (key.clone(), self.store.get(key)))
            .collect();
        for (key, value) in changes {
            self.store.set(key, value);
        }
        if let Err(err) = self.store.save() {
            for (key, old) in before {
                match old {
                    Some(value) => self.store.set(key, value),
                    None => {
                        self.store.delete(&key);
                    }
                }
            }
            return Err(AppError::Settings(format!(
                "The settings could not be saved: {err}"
            )));
        }
        Ok(self.all())
    }
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

pub fn open<R: Runtime>(app: &AppHandle<R>, data_dir: &Path) -> Result<Settings<R>, AppError> {
    let path = data_dir.join(FILE_NAME);
    // A settings file that is not JSON must not stop the app, and must not be thrown
    // away either: it is kept beside the new one for the person (or support) to read.
    let recovered_from = quarantine_if_corrupt(&path)?;
    let unusable = |err: tauri_plugin_store::Error| {
        AppError::Settings(format!(
            "The settings file {} could not be read or saved: {err}",
            path.display()
        ))
    };
    // Every change is saved at once by `save`, which reports a failure; a background
    // save would fail silently.
    let store = StoreBuilder::new(app, &path)
        .defaults(defaults())
        .disable_auto_save()
        .build()
        .map_err(unusable)?;
    // Writing the defaults at once shows early, not at the first change, when the
    // folder is not writable.
    store.save().map_err(unusable)?;
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

    use serde_json::json;
    use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};

    fn app() -> tauri::App<MockRuntime> {
        mock_builder()
            .plugin(tauri_plugin_store::Builder::new().build())
            .build(mock_context(noop_assets()))
            .unwrap()
    }

    fn changes(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn file(dir: &Path) -> Map<String, Value> {
        serde_json::from_slice(&std::fs::read(dir.join(FILE_NAME)).unwrap()).unwrap()
    }

    #[test]
    fn saved_changes_reach_the_file_and_every_setting_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let app = app();
        let settings = open(app.handle(), dir.path()).unwrap();
        assert_eq!(
            file(dir.path())["provider"],
            "ofox",
            "defaults written at once"
        );
        let all = settings
            .save(changes(json!({
                "model": " mock/alpha ",
                "temperature": 0.5,
                "max_tokens": null,
                "setup_done": true,
            })))
            .unwrap();
        assert_eq!(all["model"], "mock/alpha");
        assert_eq!(all["provider"], "ofox");
        assert_eq!(all["max_tokens"], Value::Null);
        let saved = file(dir.path());
        assert_eq!(saved["model"], "mock/alpha");
        assert_eq!(saved["temperature"], 0.5);
        assert_eq!(saved["setup_done"], true);
    }

    #[test]
    fn one_bad_value_keeps_every_change_out() {
        let dir = tempfile::tempdir().unwrap();
        let app = app();
        let settings = open(app.handle(), dir.path()).unwrap();
        let err = settings
            .save(changes(json!({"model": "mock/beta", "temperature": 5})))
            .unwrap_err();
        assert_eq!(err.kind(), "settings");
        assert!(err.to_string().contains("Temperature"), "{err}");
        assert_eq!(settings.all()["model"], "openai/gpt-4o");
        assert_eq!(file(dir.path())["model"], "openai/gpt-4o");
    }

    #[test]
    fn a_failed_write_is_an_error_and_takes_the_changes_back() {
        let dir = tempfile::tempdir().unwrap();
        let app = app();
        let settings = open(app.handle(), dir.path()).unwrap();
        // A folder where the file should be fails every write, even for root.
        let path = dir.path().join(FILE_NAME);
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let err = settings
            .save(changes(
                json!({"model": "mock/beta", "system_prompt": "Be brief."}),
            ))
            .unwrap_err();
        assert_eq!(err.kind(), "settings");
        assert!(
            err.to_string()
                .starts_with("The settings could not be saved: "),
            "{err}"
        );
        let all = settings.all();
        assert_eq!(all["model"], "openai/gpt-4o");
        assert!(!all.contains_key("system_prompt"));
    }
}
