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
        self.invoke(command, InvokeBody::Json(args), Default::default())
    }

    /// Calls `command` with a raw body and headers, as `invoke` sends a `Uint8Array`.
    pub fn call_raw(
        &self,
        command: &str,
        bytes: Vec<u8>,
        headers: &[(&'static str, &str)],
    ) -> Result<Value, Value> {
        let mut map = tauri::http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        self.invoke(command, InvokeBody::Raw(bytes), map)
    }

    fn invoke(
        &self,
        command: &str,
        body: InvokeBody,
        headers: tauri::http::HeaderMap,
    ) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body,
            headers,
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().unwrap())
    }
}
