use serde::Serialize;
use tauri::State;

use crate::data_dir::DataDir;
use crate::settings::Settings;

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
