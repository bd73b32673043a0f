use std::ffi::OsString;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Runtime};

use crate::AppError;

/// Moves every file the app writes (settings, history, the web view's storage) into
/// another folder: tests and portable installs use it.
pub const DATA_DIR_ENV: &str = "FOXTAIL_DATA_DIR";

/// The folder the app writes into, as managed state.
pub struct DataDir(pub PathBuf);

pub fn resolve<R: Runtime>(app: &AppHandle<R>) -> Result<PathBuf, AppError> {
    let platform_default = || {
        app.path().app_data_dir().map_err(|err| AppError::DataDir {
            path: "(the platform's app data folder)".into(),
            source: std::io::Error::other(err.to_string()),
        })
    };
    let current = std::env::current_dir().unwrap_or_default();
    match choose(std::env::var_os(DATA_DIR_ENV), &current) {
        Some(dir) => Ok(dir),
        None => platform_default(),
    }
}

/// The override from the environment, made absolute, or `None` when it is unset or blank.
fn choose(env_value: Option<OsString>, current_dir: &Path) -> Option<PathBuf> {
    let value = env_value?;
    if value.to_string_lossy().trim().is_empty() {
        return None;
    }
    let path = PathBuf::from(value);
    Some(if path.is_absolute() {
        path
    } else {
        current_dir.join(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unset_or_blank_variable_keeps_the_platform_folder() {
        assert_eq!(choose(None, Path::new("/home/a")), None);
        assert_eq!(choose(Some(" ".into()), Path::new("/home/a")), None);
    }

    #[test]
    fn a_relative_folder_is_taken_from_where_the_app_started() {
        assert_eq!(
            choose(Some("data".into()), Path::new("/home/a")),
            Some(PathBuf::from("/home/a/data"))
        );
        assert_eq!(
            choose(Some("/srv/foxtail".into()), Path::new("/home/a")),
            Some(PathBuf::from("/srv/foxtail"))
        );
    }
}
