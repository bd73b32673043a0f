//! What the window asks of the desktop: a link opened in the browser, text put on the
//! clipboard. The plugins are used from here, not granted to the window, so that a link
//! in a model's answer can never open a file or start a program.

use std::path::PathBuf;

use foxtail_core::exports::{safe_file_name, write_new, EXPORT_DIR_ENV};
use foxtail_core::remote_image;
use foxtail_core::settings::SettingsFile;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;

use foxtail_core::links::web_link;
use foxtail_core::AppError;

#[tauri::command]
pub fn open_link<R: Runtime>(url: String, app: AppHandle<R>) -> Result<(), AppError> {
    let url = web_link(&url)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|err| AppError::LinkFailed(err.to_string()))
}

#[tauri::command]
pub fn copy_text<R: Runtime>(text: String, app: AppHandle<R>) -> Result<(), AppError> {
    app.clipboard()
        .write_text(text)
        .map_err(|err| AppError::Clipboard(err.to_string()))
}

/// HTML with its plain-text form, so that a paste into a word processor or a mail
/// program keeps headings, bold and lists, and a plain editor still gets the words.
#[tauri::command]
pub fn copy_formatted<R: Runtime>(
    html: String,
    text: String,
    app: AppHandle<R>,
) -> Result<(), AppError> {
    app.clipboard()
        .write_html(html, Some(text))
        .map_err(|err| AppError::Clipboard(err.to_string()))
}

/// Saves an export in the Downloads folder (or `FOXTAIL_EXPORT_DIR`) under a new name;
/// returns where it went.
#[tauri::command]
pub fn save_export<R: Runtime>(
    file_name: String,
    content: String,
    conversation_id: Option<i64>,
    app: AppHandle<R>,
) -> Result<String, AppError> {
    let folder = match std::env::var_os(EXPORT_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => app
            .path()
            .download_dir()
            .or_else(|_| app.path().home_dir())
            .map_err(|err| AppError::Export(format!("No Downloads folder was found: {err}")))?,
    };
    // A conversation's attachments go in a folder beside it, which its links name; they
    // are written first, so the Markdown's links work the moment it appears.
    if let Some(conversation_id) = conversation_id {
        let storage = app.state::<std::sync::Arc<foxtail_storage::Storage>>();
        foxtail_core::exports::write_attachments(&storage, conversation_id, &folder)?;
    }
    let path = write_new(&folder, &safe_file_name(&file_name)?, &content)?;
    Ok(path.display().to_string())
}

/// A picture from an answer, as a `data:` URL, when the person asks to see it.
#[tauri::command]
pub async fn fetch_image(
    url: String,
    settings: State<'_, SettingsFile>,
) -> Result<String, AppError> {
    let reach = remote_image::reach_for(&settings.get());
    remote_image::fetch(&url, reach).await
}
