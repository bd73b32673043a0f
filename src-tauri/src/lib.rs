//! The thin Tauri shell around Foxtail's Tauri-free crates.

mod attachments;
mod chat;
mod closing;
mod commands;
mod data_dir;
mod desktop;
mod documents;
mod history;
mod keys;
mod mcp;
mod models;
mod outbox;
mod raw_request;
mod rendering;
#[cfg(test)]
mod test_window;
mod web_extension;

pub use data_dir::DATA_DIR_ENV;
pub use foxtail_core::AppError;

use std::sync::Arc;

use foxtail_core::keys::Keys;
use foxtail_core::runs::Runs;
use foxtail_core::settings::SettingsFile;
use foxtail_keychain::Keychain;
use foxtail_storage::Storage;
use tauri::ipc::Invoke;
use tauri::{Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

/// Deleted conversations stay restorable this long, even across a restart.
const UNDO_WINDOW_MS: i64 = 10 * 60 * 1000;

pub fn run() {
    // Before anything starts a thread: it sets the environment.
    rendering::prepare();
    foxtail_core::files::forbid_core_dumps();
    tauri::Builder::default()
        // Used from Rust only: the window has no permission for either plugin.
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            let data_dir = data_dir::resolve(app.handle())?;
            foxtail_core::files::create_private_dir(&data_dir)?;
            let settings = SettingsFile::open(&data_dir)?;
            let database = data_dir.join(foxtail_storage::FILE_NAME);
            let (storage, history_recovered_from) = Storage::open_or_recover(&database)?;
            // The history holds every conversation: no other account may read it.
            foxtail_core::files::restrict(&database, 0o600)?;
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
            app.manage(Keys::new(Keychain::from_env()));
            app.manage(Arc::new(foxtail_core::catalog::Catalog::open(Some(
                &data_dir,
            ))));
            app.manage(Arc::new(outbox::Outboxes::default()));
            app.manage(closing::Closing::default());
            mcp::manage(app.handle());

            let dev_server = match cfg!(debug_assertions) {
                true => app.config().build.dev_url.clone(),
                false => None,
            };
            // Without it the page works as before; only its memory comes back later.
            let extensions = web_extension::install(&data_dir.join("web-extension"))
                .unwrap_or_else(|err| {
                    eprintln!("Foxtail could not write its web view extension: {err}");
                    None
                });
            // The window is built here rather than in tauri.conf.json so that the web
            // view's own storage follows FOXTAIL_DATA_DIR like every other file.
            let mut window = WebviewWindowBuilder::new(app, "main", WebviewUrl::default())
                .title("Foxtail")
                .inner_size(1100.0, 760.0)
                .min_inner_size(420.0, 360.0)
                .data_directory(data_dir.join("webview"))
                // Files dropped on the window reach the page, which imports .md and .txt.
                .disable_drag_drop_handler()
                // Only the app's own pages: a link, a dropped URL or a script cannot take
                // the window (and its commands) to another page, nor open a new one.
                .on_navigation(move |url| {
                    foxtail_core::links::is_app_page(url, dev_server.as_ref())
                })
                .on_new_window(|_, _| tauri::webview::NewWindowResponse::Deny)
                // Shown once the page has begun to load: WebKitGTK painting directly waits
                // up to 0.5 s on the main thread for a web process that is not there yet
                // when the window is drawn first, which delayed 1 start in 4 by 0.5 s.
                .visible(false)
                .on_page_load(|window, _| {
                    let _ = window.show();
                });
            if let Some(dir) = extensions {
                window = window.extensions_path(dir);
            }
            let window = window.build()?;
            rendering::log_frames(&window);
            Ok(())
        })
        .on_window_event(closing::on_window_event)
        .invoke_handler(commands())
        .build(tauri::generate_context!())
        .expect("Foxtail failed to start")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                mcp::stop_all(app);
            }
        });
}

/// The history as the commands expect to find it: shared, because answers keep
/// writing into it from their own tasks, with the answers being written now.
fn manage_history<R: Runtime>(app: &impl Manager<R>, storage: Storage) {
    app.manage(Arc::new(storage));
    app.manage(Arc::new(Runs::default()));
}

/// Every command the window may call. `build.rs`, the capability in tauri.conf.json and
/// the generated contract name the same list; a test checks that they agree. Tests
/// register exactly this list.
///
/// A command without `async` runs on the main thread, which also draws the window, and
/// answers in the order it was asked. Opening and saving a document (hundreds of
/// kilobytes) are `async`; the window keeps those in order itself (`backend.ts`).
fn commands<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::app_info,
        commands::get_settings,
        commands::save_settings,
        commands::presets,
        keys::key_status,
        keys::save_key,
        keys::delete_key,
        commands::test_connection,
        commands::model_report,
        commands::list_models,
        history::list_conversations,
        history::conversation_page,
        history::rename_conversation,
        history::delete_conversation,
        history::restore_conversation,
        history::search_conversations,
        history::export_conversation,
        desktop::save_export,
        documents::list_documents,
        documents::open_document,
        documents::create_document,
        documents::save_document,
        documents::edit_document,
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
        desktop::fetch_image,
        mcp::mcp_well_known,
        mcp::mcp_import,
        mcp::mcp_save_server,
        mcp::mcp_delete_server,
        mcp::mcp_test_server,
        mcp::answer_tool_call,
        attachments::add_attachment,
        attachments::attachment_image,
        attachments::attachment_first_part,
        attachments::summarize_attachment,
        models::list_all_models,
        models::choose_model,
        models::usage_totals,
        models::summarize_conversation,
        outbox::take_updates,
        closing::when_closing,
        closing::close_window,
        closing::keep_window_open,
    ]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The handler list below, `build.rs` (which makes one permission per command), the
    /// capability in tauri.conf.json and the generated contract name the same commands.
    #[test]
    fn the_handler_list_build_rs_the_capability_and_the_contract_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let lib = std::fs::read_to_string(root.join("src-tauri/src/lib.rs")).unwrap();
        let list = lib
            .split("generate_handler![")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap();
        let handlers: BTreeSet<String> = list
            .split(',')
            .filter_map(|path| path.trim().rsplit("::").next())
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect();

        let build = std::fs::read_to_string(root.join("src-tauri/build.rs")).unwrap();
        let listed = build
            .split("= &[")
            .nth(1)
            .and_then(|rest| rest.split("];").next())
            .unwrap();
        let in_build: BTreeSet<String> = listed
            .split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();

        let config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("tauri.conf.json")).unwrap())
                .unwrap();
        let capabilities = config["app"]["security"]["capabilities"]
            .as_array()
            .unwrap();
        assert_eq!(capabilities.len(), 1, "one capability, for the main window");
        let in_capability: BTreeSet<String> = capabilities[0]["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let p = p.as_str().unwrap();
                let name = p.strip_prefix("allow-").unwrap_or_else(|| {
                    panic!("“{p}” is not one of the app's own command permissions")
                });
                name.replace('-', "_")
            })
            .collect();

        let in_contract: BTreeSet<String> = foxtail_core::contract::commands()
            .iter()
            .map(|c| c.name.to_owned())
            .collect();

        assert!(handlers.len() > 30, "{handlers:?}");
        assert_eq!(handlers, in_build, "the handler list and build.rs");
        assert_eq!(
            handlers, in_capability,
            "the handler list and the capability"
        );
        assert_eq!(
            handlers, in_contract,
            "the handler list and the generated contract"
        );
    }

    fn config() -> serde_json::Value {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(root.join("tauri.conf.json")).unwrap())
            .unwrap()
    }

    /// The page may run only its own script, connect only to the app, and never be
    /// framed or navigated by a form: model output that slips past the sanitizer
    /// still cannot run or call out.
    #[test]
    fn the_content_security_policy_allows_only_the_app_itself() {
        let csp = &config()["app"]["security"]["csp"];
        assert_eq!(csp["default-src"], "'self'");
        assert_eq!(csp["script-src"], "'self'", "no inline or eval'd script");
        assert_eq!(
            csp["connect-src"], "ipc: http://ipc.localhost",
            "no remote connections"
        );
        assert_eq!(csp["object-src"], "'none'");
        assert_eq!(csp["base-uri"], "'none'");
        assert_eq!(csp["form-action"], "'none'");
        assert_eq!(csp["frame-src"], "'none'");
        assert_eq!(csp["frame-ancestors"], "'none'");
        let images = csp["img-src"].as_str().unwrap();
        assert!(
            !images.contains("http") && !images.contains('*'),
            "{images}"
        );
        let all = csp.to_string();
        assert!(!all.contains("unsafe-eval") && !all.contains("'unsafe-inline' 'self'"));
        assert_eq!(config()["app"]["security"]["freezePrototype"], true);
    }

    /// Devtools would give anyone at the keyboard, or a page that tricks them, the
    /// app's commands: the release build has none.
    #[test]
    fn devtools_are_not_built_into_the_app() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let tauri_line = manifest
            .lines()
            .find(|l| l.starts_with("tauri = "))
            .unwrap();
        assert!(!tauri_line.contains("devtools"), "{tauri_line}");
        assert!(config()["app"]["windows"].as_array().unwrap().is_empty());
    }
}
