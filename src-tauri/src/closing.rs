//! Closing the window waits for what the person typed and the window has not saved yet:
//! a document is saved within half a second of a change, so a window closed at once
//! would lose up to that half second. The window is told once, saves, and closes itself; a window
//! that has not closed within a few seconds (its page hung) is closed anyway, since
//! closing must always work.

use std::sync::Mutex;
use std::time::Duration;

use tauri::ipc::Channel;
use tauri::{Manager, Runtime, State, Window, WindowEvent};

/// How long a close waits for the window's last saves.
const SAVE_WAIT: Duration = Duration::from_secs(3);

#[derive(Default)]
pub struct Closing {
    /// Where to tell the window that it is being closed, once it has asked to be told.
    channel: Mutex<Option<Channel<()>>>,
    /// The window was told and the close waits for it.
    waiting: Mutex<bool>,
}

/// The window asks to be told before it closes, so that it can save first.
#[tauri::command]
pub fn when_closing(closing: Channel<()>, state: State<'_, Closing>) {
    if let Ok(mut channel) = state.channel.lock() {
        *channel = Some(closing);
    }
}

/// The window saved what it had and closes. Should this fail, the close already under
/// way still ends it. Async, so that the window is not torn down from inside its own
/// call on the main thread.
#[tauri::command]
pub async fn close_window<R: Runtime>(window: Window<R>) {
    let _ = window.destroy();
}

pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let state = window.state::<Closing>();
    let Ok(mut waiting) = state.waiting.lock() else {
        return;
    };
    if *waiting {
        // Closed again while saving: the close already under way ends it.
        api.prevent_close();
        return;
    }
    let told = state
        .channel
        .lock()
        .ok()
        .and_then(|channel| channel.clone())
        .is_some_and(|channel| channel.send(()).is_ok());
    if !told {
        return;
    }
    *waiting = true;
    api.prevent_close();
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SAVE_WAIT).await;
        let _ = window.destroy();
    });
}
