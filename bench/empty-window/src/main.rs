//! One window with one line of HTML, opened the way Foxtail opens its own (same size,
//! web view data under `FOXTAIL_DATA_DIR`), and nothing else.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use tauri::{WebviewUrl, WebviewWindowBuilder};

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            let mut window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title("Empty Tauri window")
                .inner_size(1100.0, 760.0);
            if let Some(dir) = std::env::var_os("FOXTAIL_DATA_DIR") {
                window = window.data_directory(std::path::PathBuf::from(dir).join("webview"));
            }
            window.build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the empty window failed to start");
}
