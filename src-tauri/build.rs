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
    "model_report",
    "list_models",
    "list_conversations",
    "conversation_page",
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
    "edit_document",
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
    "add_attachment",
    "attachment_image",
    "attachment_first_part",
    "summarize_attachment",
    "list_all_models",
    "choose_model",
    "usage_totals",
    "summarize_conversation",
    "take_updates",
    "when_closing",
    "close_window",
    "keep_window_open",
];

fn main() {
    // The target's system, not this build script's (a cross build).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        build_web_extension();
    }
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}

/// Builds the web process extension (src-tauri/web-extension/collect.c) into OUT_DIR,
/// where `web_extension.rs` includes it. It is a shared object of its own, loaded by
/// WebKit's web process, so it is compiled here rather than linked into the app.
fn build_web_extension() {
    let source = "src-tauri/web-extension/collect.c";
    println!("cargo:rerun-if-changed={source}");
    let webkit = pkg_config::Config::new()
        .cargo_metadata(false)
        .probe("webkit2gtk-web-extension-4.1")
        .expect("webkit2gtk-web-extension-4.1 (libwebkit2gtk-4.1-dev) is needed to build Foxtail");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("libfoxtail_collect.so");
    let mut command = cc::Build::new()
        .cargo_metadata(false)
        .get_compiler()
        .to_command();
    // Warnings are shown, not fatal: a newer compiler or WebKitGTK must not stop the app
    // from building.
    command.args(["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-o"]);
    command.arg(&out).arg(source);
    for dir in &webkit.include_paths {
        command.arg("-I").arg(dir);
    }
    for dir in &webkit.link_paths {
        command.arg("-L").arg(dir);
    }
    for lib in &webkit.libs {
        command.arg(format!("-l{lib}"));
    }
    let status = command
        .status()
        .expect("the C compiler could not be started");
    assert!(status.success(), "building {source} failed");
}
