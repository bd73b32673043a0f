//! A window on Tauri's mock runtime that calls the app's commands through the real IPC
//! path, with the arguments as the frontend sends them, so that argument names and
//! managed state are checked as the window meets them.

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

pub struct TestWindow {
    pub app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl TestWindow {
    /// The app with every command registered and no state managed yet.
    pub fn new() -> Self {
        let app = mock_builder()
            .invoke_handler(crate::commands())
            .build(mock_context(noop_assets()))
            .expect("the mock app builds");
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the mock window opens");
        TestWindow { app, window }
    }

    /// Calls `command` with `args` (camelCase keys, as `invoke` sends them).
    pub fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().unwrap())
    }
}
