//! The window's commands about the app itself: where it keeps its files, the settings,
//! the presets, and checking a gateway.

use foxtail_core::connection::{self, ConnectionReport};
use foxtail_core::contract::AppInfo;
use foxtail_core::keys::Keys;
use foxtail_core::presets::{Preset, PRESETS};
use foxtail_core::settings::{Settings, SettingsFile};
use foxtail_core::AppError;
use serde_json::{Map, Value};
use tauri::State;

use crate::data_dir::DataDir;

/// Files found damaged at start-up and kept aside.
pub struct Recovered {
    pub history_from: Option<std::path::PathBuf>,
}

#[tauri::command]
pub fn app_info(
    data_dir: State<'_, DataDir>,
    settings: State<'_, SettingsFile>,
    recovered: State<'_, Recovered>,
) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
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

/// Every setting. No secret is ever stored there: the API key lives in the keychain.
#[tauri::command]
pub fn get_settings(settings: State<'_, SettingsFile>) -> Settings {
    settings.get()
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
    settings: State<'_, SettingsFile>,
) -> Result<Settings, AppError> {
    settings.save(changes)
}

/// What the saved model reads at once and whether it takes pictures, from the
/// gateway's model list (unknown where it does not say).
#[tauri::command]
pub async fn model_report(
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
) -> Result<connection::ModelReport, AppError> {
    Ok(connection::model_report(&settings.get(), &keys).await)
}

/// One tiny answer with the saved settings.
#[tauri::command]
pub async fn test_connection(
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
) -> Result<ConnectionReport, AppError> {
    connection::test_connection(&settings.get(), &keys).await
}

/// The models a gateway offers: the saved one, or the provider, protocol and address
/// the settings screen shows, which the person may not have saved yet.
#[tauri::command]
pub async fn list_models(
    provider: Option<String>,
    protocol: Option<String>,
    base_url: Option<String>,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
) -> Result<Vec<String>, AppError> {
    let changes = [
        ("provider", provider),
        ("protocol", protocol),
        ("base_url", base_url),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key.to_string(), Value::String(value?))))
    .collect();
    connection::list_models(&settings.get(), changes, &keys).await
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::PRESETS;
    use crate::test_window::TestWindow;

    #[test]
    fn the_window_gets_every_preset_with_its_addresses() {
        let window = TestWindow::new();
        let presets = window.call("presets", json!({})).unwrap();
        let presets = presets.as_array().unwrap();
        assert_eq!(presets.len(), PRESETS.len());
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
                "extra_headers": [],
                "prompt_cache": true,
                "reasoning_object": true,
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
