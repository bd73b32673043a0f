//! The thin Tauri shell around Foxtail's Tauri-free crates.

mod commands;
mod data_dir;
mod error;
mod settings;

pub use data_dir::DATA_DIR_ENV;
pub use error::AppError;

use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .setup(|app| {
            let data_dir = data_dir::resolve(app.handle())?;
            std::fs::create_dir_all(&data_dir)?;
            let settings = settings::open(app.handle(), &data_dir)?;
            app.manage(data_dir::DataDir(data_dir.clone()));
            app.manage(settings);

            // The window is built here rather than in tauri.conf.json so that the web
            // view's own storage follows FOXTAIL_DATA_DIR like every other file.
            WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title("Foxtail")
                .inner_size(1100.0, 760.0)
                .min_inner_size(420.0, 360.0)
                .data_directory(data_dir.join("webview"))
                .build()?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::get_settings
        ])
        .run(tauri::generate_context!())
        .expect("Foxtail failed to start");
}
