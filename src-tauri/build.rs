/// Every command the window may call (a test checks this list against the handler list,
/// the capability and the generated contract). Declaring them makes Tauri generate one
/// permission per command, so the capability in tauri.conf.json allows exactly these.
const COMMANDS: &[&str] = &[
    "app_info",
    "get_settings",
    "save_settings",
    "presets",
    "key_status",
    "save_key",
    "delete_key",
    "test_connection",
    "list_models",
    "list_conversations",
    "conversation_messages",
    "rename_conversation",
    "delete_conversation",
    "restore_conversation",
    "search_conversations",
    "export_conversation",
    "save_export",
    "list_documents",
    "open_document",
    "create_document",
    "save_document",
    "save_document_pending",
    "rename_document",
    "delete_document",
    "restore_document",
    "search_documents",
    "draft_action",
    "stop_draft",
    "send_message",
    "regenerate_answer",
    "continue_answer",
    "stop_answer",
    "list_tools",
    "open_link",
    "copy_text",
    "copy_formatted",
    "fetch_image",
    "mcp_well_known",
    "mcp_import",
    "mcp_save_server",
    "mcp_delete_server",
    "mcp_test_server",
    "answer_tool_call",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}
