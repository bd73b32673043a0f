/// Every command the window may call. Declaring them makes Tauri generate one
/// permission per command, so the capability in tauri.conf.json allows exactly these.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_settings",
    "key_status",
    "save_key",
    "delete_key",
    "list_conversations",
    "conversation_messages",
    "rename_conversation",
    "delete_conversation",
    "restore_conversation",
    "search_conversations",
    "export_conversation",
    "send_message",
    "regenerate_answer",
    "continue_answer",
    "stop_answer",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}
