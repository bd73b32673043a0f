//! The thin Tauri shell around Foxtail's Tauri-free crates.

mod answer_extras;
mod answer_sink;
mod chat;
mod commands;
mod connection;
mod data_dir;
mod desktop;
mod documents;
mod draft_prompts;
mod error;
mod exports;
mod frame_batch;
mod history;
mod keys;
mod providers;
mod remote_image;
mod setting_rules;
mod settings;
#[cfg(test)]
mod test_window;

pub use data_dir::DATA_DIR_ENV;
pub use error::AppError;

use std::sync::Arc;

use foxtail_keychain::Keychain;
use foxtail_storage::Storage;
use tauri::ipc::Invoke;
use tauri::{Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// Deleted conversations stay restorable this long, even across a restart.
const UNDO_WINDOW_MS: i64 = 10 * 60 * 1000;

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        // Used from Rust only: the window has no permission for either plugin.
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            let data_dir = data_dir::resolve(app.handle())?;
            std::fs::create_dir_all(&data_dir)?;
            let settings = settings::open(app.handle(), &data_dir)?;
            let (storage, history_recovered_from) =
                Storage::open_or_recover(&data_dir.join(foxtail_storage::FILE_NAME))?;
            // An answer still "streaming" in the file was cut off when the app stopped.
            storage.mark_unfinished_interrupted()?;
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or_default();
            storage.purge_deleted(now_ms - UNDO_WINDOW_MS)?;

            app.manage(data_dir::DataDir(data_dir.clone()));
            app.manage(settings);
            app.manage(commands::Recovered {
                history_from: history_recovered_from,
            });
            manage_history(app.handle(), storage);
            app.manage(Arc::new(documents::DraftRuns::default()));
            app.manage(keys::Keys::new(Keychain::from_env()));

            // The window is built here rather than in tauri.conf.json so that the web
            // view's own storage follows FOXTAIL_DATA_DIR like every other file.
            WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title("Foxtail")
                .inner_size(1100.0, 760.0)
                .min_inner_size(420.0, 360.0)
                .data_directory(data_dir.join("webview"))
                // Files dropped on the window reach the page, which imports .md and .txt.
                .disable_drag_drop_handler()
                .build()?;
            Ok(())
        })
        .invoke_handler(commands())
        .run(tauri::generate_context!())
        .expect("Foxtail failed to start");
}

/// The history as the commands expect to find it: shared, because answers keep
/// writing into it from their own tasks, with the answers being written now.
fn manage_history<R: Runtime>(app: &impl Manager<R>, storage: Storage) {
    app.manage(Arc::new(storage));
    app.manage(Arc::new(chat::ActiveAnswers::default()));
}

/// Every command the window may call (each also needs its line in build.rs and its
/// permission in tauri.conf.json). Tests register exactly this list.
fn commands<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::app_info,
        commands::get_settings,
        commands::save_settings,
        commands::presets,
        keys::key_status,
        keys::save_key,
        keys::delete_key,
        connection::test_connection,
        connection::list_models,
        history::list_conversations,
        history::conversation_messages,
        history::rename_conversation,
        history::delete_conversation,
        history::restore_conversation,
        history::search_conversations,
        history::export_conversation,
        exports::save_export,
        documents::list_documents,
        documents::open_document,
        documents::create_document,
        documents::save_document,
        documents::save_document_pending,
        documents::rename_document,
        documents::delete_document,
        documents::restore_document,
        documents::search_documents,
        documents::draft_action,
        documents::stop_draft,
        chat::send_message,
        chat::regenerate_answer,
        chat::continue_answer,
        chat::stop_answer,
        chat::list_tools,
        desktop::open_link,
        desktop::copy_text,
        desktop::copy_formatted,
        remote_image::fetch_image,
    ]
}
