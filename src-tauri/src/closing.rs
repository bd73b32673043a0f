//! Closing the window waits for what the person typed and the window has not saved yet:
//! a document is saved within half a second of a change, so a window closed at once
//! would lose up to that half second. The window is told once per close, saves, and closes
//! itself; a window that has not closed within a few seconds (its page hung) is closed anyway, since
//! closing must always work. A window whose saves failed (a full disk) says that it stays
//! open instead, so that the person can copy their text out; it does so once, and the next
//! close quits.

use std::sync::Mutex;
use std::time::Duration;

use tauri::ipc::Channel;
use tauri::{Manager, Runtime, State, Window, WindowEvent};

/// How long a close waits for the window's last saves.
const SAVE_WAIT: Duration = Duration::from_secs(3);
/// Tests set a longer wait, so that a window closed by its own save and one closed by the
/// wait are told apart by far more than a slow machine's delay.
const SAVE_WAIT_VAR: &str = "FOXTAIL_CLOSE_WAIT_MS";

fn save_wait() -> Duration {
    save_wait_from(std::env::var(SAVE_WAIT_VAR).ok())
}

fn save_wait_from(ms: Option<String>) -> Duration {
    ms.and_then(|ms| ms.trim().parse().ok())
        .map_or(SAVE_WAIT, Duration::from_millis)
}

#[derive(Default)]
pub struct Closing {
    /// Where to tell the window that it is being closed, once it has asked to be told.
    channel: Mutex<Option<Channel<()>>>,
    waiting: Mutex<Waiting>,
}

/// Closes are numbered, so that the wait of a close the window kept open ends neither it
/// nor a later close.
#[derive(Default)]
struct Waiting {
    /// The close the window was told of and that waits for it.
    close: Option<u64>,
    next: u64,
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

/// The window could not save what it holds and stays open, saying so: the close under way
/// no longer ends it.
#[tauri::command]
pub fn keep_window_open(state: State<'_, Closing>) {
    if let Ok(mut waiting) = state.waiting.lock() {
        waiting.close = None;
    }
}

pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    let state = window.state::<Closing>();
    let Some(channel) = state
        .channel
        .lock()
        .ok()
        .and_then(|channel| channel.clone())
    else {
        return;
    };
    let close = {
        let Ok(mut waiting) = state.waiting.lock() else {
            return;
        };
        if waiting.close.is_some() {
            // Closed again while saving: the close already under way ends it (or, should
            // the window stay open after all, the person closes once more).
            api.prevent_close();
            return;
        }
        let close = waiting.next;
        waiting.next += 1;
        waiting.close = Some(close);
        close
    };
    // Told without the lock held: the window may answer at once that it stays open.
    if channel.send(()).is_err() {
        if let Ok(mut waiting) = state.waiting.lock() {
            if waiting.close == Some(close) {
                waiting.close = None;
            }
        }
        return;
    }
    api.prevent_close();
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(save_wait()).await;
        let still_waiting = window
            .state::<Closing>()
            .waiting
            .lock()
            .is_ok_and(|waiting| waiting.close == Some(close));
        if still_waiting {
            let _ = window.destroy();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Instant;
    use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
    use tauri::{RunEvent, WebviewWindowBuilder};

    /// What the window does when it is told that it is closing.
    type OnTold = fn(&Window<MockRuntime>);

    /// Runs an app whose one window is closed as the app starts. With `on_told`, the
    /// window asked to be told first. Returns how often it was told, and how long the app
    /// took to end.
    fn close_at_start(on_told: Option<OnTold>) -> (usize, Duration) {
        // The mock runtime passes window events only to the run callback below, not to a
        // builder's `on_window_event`: the callback hands them on as the app's would.
        let app = mock_builder()
            .manage(Closing::default())
            .build(mock_context(noop_assets()))
            .expect("the mock app builds");
        WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the mock window opens");
        let window = app
            .get_webview_window("main")
            .expect("the window is there")
            .as_ref()
            .window();
        let told = Arc::new(AtomicUsize::new(0));
        if let Some(on_told) = on_told {
            let (told, window) = (told.clone(), window.clone());
            let channel = Channel::new(move |_| {
                told.fetch_add(1, Ordering::SeqCst);
                on_told(&window);
                Ok(())
            });
            when_closing(channel, app.state());
        }
        let started = Instant::now();
        app.run_return(move |app, event| match event {
            RunEvent::Ready => window.close().expect("the close is asked for"),
            RunEvent::WindowEvent { label, event, .. } => {
                if let Some(window) = app.get_webview_window(&label) {
                    on_window_event(&window.as_ref().window(), &event);
                }
            }
            _ => {}
        });
        (told.load(Ordering::SeqCst), started.elapsed())
    }

    #[test]
    fn a_window_that_asked_is_told_once_and_closes_itself() {
        let (told, took) = close_at_start(Some(|window| {
            window.destroy().expect("the window closes itself");
        }));
        assert_eq!(told, 1);
        assert!(
            took < SAVE_WAIT,
            "ended by the window, not the fallback: {took:?}"
        );
    }

    #[test]
    fn a_window_that_does_not_close_itself_is_closed_after_the_wait() {
        // Closed twice: the second close neither tells the window again nor ends the wait.
        let (told, took) = close_at_start(Some(|window| {
            window.close().expect("the second close is asked for");
        }));
        assert_eq!(told, 1);
        // The wait as this run has it: FOXTAIL_CLOSE_WAIT_MS may be set where tests run.
        assert!(took >= save_wait(), "the wait was kept: {took:?}");
        assert!(took < save_wait() * 4, "the fallback closed it: {took:?}");
    }

    /// The window stays open, as after a failed save, and is closed again `after` later.
    fn keep_open_and_close_again(window: &Window<MockRuntime>, after: Duration) {
        keep_window_open(window.state());
        let window = window.clone();
        std::thread::spawn(move || {
            std::thread::sleep(after);
            window.close().expect("the second close is asked for");
        });
    }

    #[test]
    fn a_window_kept_open_is_not_closed_by_the_wait_and_is_told_of_the_next_close() {
        let (told, took) = close_at_start(Some(|window| {
            static TOLD: AtomicUsize = AtomicUsize::new(0);
            if TOLD.fetch_add(1, Ordering::SeqCst) > 0 {
                window.destroy().expect("the window closes itself");
                return;
            }
            // Closed again once the first close's wait is long over.
            keep_open_and_close_again(window, save_wait() * 2);
        }));
        assert_eq!(told, 2);
        assert!(
            took >= save_wait() * 2,
            "the first wait did not close it: {took:?}"
        );
        assert!(took < save_wait() * 3, "the window closed itself: {took:?}");
    }

    #[test]
    fn the_wait_of_a_close_kept_open_does_not_end_the_next_close_early() {
        // Kept open, then closed again half a wait later by a window that no longer
        // answers: the first wait passes, and the second close's own wait ends it.
        let (told, took) = close_at_start(Some(|window| {
            static TOLD: AtomicUsize = AtomicUsize::new(0);
            if TOLD.fetch_add(1, Ordering::SeqCst) > 0 {
                return;
            }
            keep_open_and_close_again(window, save_wait() / 2);
        }));
        assert_eq!(told, 2);
        assert!(
            took >= save_wait() * 7 / 5,
            "the first wait did not end the second close: {took:?}"
        );
        assert!(took < save_wait() * 3, "the second wait ended it: {took:?}");
    }

    #[test]
    fn the_wait_is_three_seconds_unless_a_test_sets_another() {
        assert_eq!(save_wait_from(None), SAVE_WAIT);
        assert_eq!(
            save_wait_from(Some("30000".into())),
            Duration::from_secs(30)
        );
        assert_eq!(save_wait_from(Some("soon".into())), SAVE_WAIT);
    }

    #[test]
    fn a_window_that_never_asked_closes_at_once() {
        let (told, took) = close_at_start(None);
        assert_eq!(told, 0);
        assert!(took < SAVE_WAIT, "{took:?}");
    }
}
