//! Where an answer's or a draft's updates wait for the window to take them.
//!
//! A Tauri channel delivers each message by evaluating a script in the web view, and
//! WebKitGTK's web process keeps memory in proportion to the scripts it is asked to
//! evaluate (wails #4587; Handy #1279 traced a WebKitWebProcess leak to ~24 events a
//! second). At one message per frame, a long answer meant thousands of scripts. Now the
//! channel carries only "there is something" (`Update::Pending`), once, and the window
//! takes what waits with `take_updates` (an ordinary command, whose answer is fetched,
//! not evaluated) every other frame while it finds something, and for half a second after,
//! so that a model slower than the frames still costs one notice. Only a take that says
//! the window will wait (`wait_after`) and finds the outbox empty makes the next update
//! notify again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use foxtail_core::answer_sink::Update;
use foxtail_engine::Event;
use tauri::ipc::Channel;

#[derive(Default)]
struct Outbox {
    updates: Vec<Update>,
    /// The window was told, and has not since found the outbox empty with a take after
    /// which it waits (`wait_after`).
    told: bool,
    /// The end is among the updates: once taken, the outbox goes.
    ended: bool,
}

#[derive(Default)]
pub struct Outboxes {
    next: AtomicI64,
    boxes: Mutex<HashMap<i64, Outbox>>,
}

impl Outboxes {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Outbox>> {
        self.boxes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new outbox, and what puts updates into it, telling the window through
    /// `channel` when it should come and take them.
    pub fn sender(
        self: &Arc<Self>,
        channel: Channel<Update>,
    ) -> impl FnMut(Update) + Send + 'static {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        self.lock().insert(id, Outbox::default());
        let boxes = self.clone();
        move |update| {
            let ends =
                matches!(&update, Update::Events { events } if events.iter().any(Event::is_end));
            let tell = {
                let mut all = boxes.lock();
                let Some(outbox) = all.get_mut(&id) else {
                    return;
                };
                outbox.updates.push(update);
                outbox.ended |= ends;
                !std::mem::replace(&mut outbox.told, true)
            };
            if tell {
                let _ = channel.send(Update::Pending { outbox: id });
            }
        }
    }

    /// What waits in `outbox`, oldest first. An unknown outbox (taken to its end already)
    /// is empty. With `wait_after`, the window waits for a notice if it finds nothing, so
    /// an empty answer makes the next update tell it again; without, it comes back on
    /// its own next frame, and telling it would only cost a script evaluated in the page.
    pub fn take(&self, outbox: i64, wait_after: bool) -> Vec<Update> {
        let mut all = self.lock();
        let Some(found) = all.get_mut(&outbox) else {
            return Vec::new();
        };
        let updates = std::mem::take(&mut found.updates);
        if updates.is_empty() && wait_after {
            found.told = false;
        } else if found.ended {
            all.remove(&outbox);
        }
        updates
    }
}

/// Takes what waits in an outbox (see the module's documentation).
#[tauri::command]
pub fn take_updates(
    outbox: i64,
    wait_after: bool,
    outboxes: tauri::State<'_, Arc<Outboxes>>,
) -> Vec<Update> {
    outboxes.take(outbox, wait_after)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use foxtail_engine::FinishReason;

    use super::*;

    fn text(t: &str) -> Update {
        Update::Events {
            events: vec![Event::Text { text: t.into() }],
        }
    }

    #[test]
    fn the_window_is_told_once_until_it_finds_the_outbox_empty() {
        let told = Arc::new(AtomicUsize::new(0));
        let counter = told.clone();
        let channel = Channel::new(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
        let outboxes = Arc::new(Outboxes::default());
        let mut send = outboxes.sender(channel);
        send(text("a"));
        send(text("b"));
        assert_eq!(told.load(Ordering::SeqCst), 1, "one notice for two updates");
        let id = outboxes.next.load(Ordering::SeqCst);
        assert_eq!(outboxes.take(id, false), vec![text("a"), text("b")]);
        // Still being taken: no new notice.
        send(text("c"));
        assert_eq!(told.load(Ordering::SeqCst), 1);
        assert_eq!(outboxes.take(id, true), vec![text("c")]);
        // Found empty by a window that comes back next frame: still no notice.
        assert!(outboxes.take(id, false).is_empty());
        send(text("d"));
        assert_eq!(told.load(Ordering::SeqCst), 1);
        assert_eq!(outboxes.take(id, false), vec![text("d")]);
        // Found empty by a window that then waits: the next update tells it again.
        assert!(outboxes.take(id, true).is_empty());
        send(text("d"));
        assert_eq!(told.load(Ordering::SeqCst), 2);
        let end = Update::Events {
            events: vec![Event::Finish {
                reason: FinishReason::Stop,
                raw: "stop".into(),
            }],
        };
        send(end.clone());
        assert_eq!(outboxes.take(id, false), vec![text("d"), end]);
        // Taken to its end, the outbox is gone.
        assert!(outboxes.lock().is_empty());
        assert!(outboxes.take(id, true).is_empty());
    }
}
