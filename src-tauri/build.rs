fn main() {
    // Declaring the app's commands makes Tauri generate one permission per command, so
    // the capability in tauri.conf.json can allow exactly these and nothing else.
    let manifest = tauri_build::AppManifest::new().commands(&["app_info", "get_settings"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}
