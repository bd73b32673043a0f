use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};

use foxtail_core::AppError;

pub use foxtail_core::settings::DATA_DIR_ENV;

/// The folder the app writes into, as managed state.
pub struct DataDir(pub PathBuf);

pub fn resolve<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, AppError> {
    let platform_default = || {
        app.path().app_data_dir().map_err(|err| AppError::DataDir {
            path: "(the platform's app data folder)".into(),
            source: std::io::Error::other(err.to_string()),
        })
    };
    match foxtail_core::settings::data_dir_override() {
        Some(dir) => Ok(dir),
        None => platform_default(),
    }
}
