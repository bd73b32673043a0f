use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};
use tauri::State;

use crate::data_dir::DataDir;
use crate::providers::{Preset, PRESETS};
use crate::settings::Settings;
use crate::AppError;

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    /// Set when an unreadable settings file was put aside at start-up, so the window
    /// can tell the person instead of silently starting over.
    settings_recovered_from: Option<String>,
    /// The same for a history database that could not be read.
    history_recovered_from: Option<String>,
}

/// Files found damaged at start-up and kept aside.
pub struct Recovered {
    pub history_from: Option<std::path::PathBuf>,
}

#[tauri::command]
pub fn app_info(
    data_dir: State<'_, DataDir>,
    settings: State<'_, Settings>,
    recovered: State<'_, Recovered>,
) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: data_dir.0.display().to_string(),
        settings_recovered_from: settings
            .recovered_from
            .as_ref()
            .map(|p| p.display().to_string()),
        history_recovered_from: recovered
            .history_from
            .as_ref()
            .map(|p| p.display().to_string()),
    }
}

/// The saved settings as one JSON object. No secret is ever stored there: the API key
/// lives in the keychain.
#[tauri::command]
pub fn get_settings(settings: State<'_, Settings>) -> serde_json::Map<String, serde_json::Value> {
    settings.store.entries().into_iter().collect()
}

/// The gateways the setup screen offers.
#[tauri::command]
pub fn presets() -> Vec<Preset> {
    PRESETS.to_vec()
}

/// Checks and saves `changes` (only the settings named in it change) and returns every
/// setting as saved.
#[tauri::command]
pub fn save_settings(
    changes: Map<String, Value>,
    settings: State<'_, Settings>,
) -> Result<HashMap<String, Value>, AppError> {
    settings.save(changes)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::test_window::TestWindow;

    #[test]
    fn the_window_gets_every_preset_with_its_addresses() {
        let window = TestWindow::new();
        let presets = window.call("presets", json!({})).unwrap();
        let presets = presets.as_array().unwrap();
        assert_eq!(presets.len(), crate::providers::PRESETS.len());
        assert_eq!(
            presets[0],
            json!({
                "id": "ofox",
                "name": "OfoxAI",
                "openai_base_url": "https://api.ofox.ai/v1",
                "anthropic_base_url": "https://api.ofox.ai/anthropic",
                "default_model": "openai/gpt-4o",
                "anthropic_default_model": "anthropic/claude-sonnet-4.5",
                "needs_key": true,
            })
        );
    }

    #[test]
    fn a_link_that_is_not_a_web_page_is_refused_before_any_plugin_is_asked() {
        let window = TestWindow::new();
        let err = window
            .call("open_link", json!({"url": "file:///etc/passwd"}))
            .unwrap_err();
        assert_eq!(err["kind"], "link_refused");
    }
}
