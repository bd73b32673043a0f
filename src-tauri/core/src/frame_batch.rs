//! Joins engine events so that at most about one message per display frame crosses the
//! bridge to the window, however fast the model writes.

use std::time::{Duration, Instant};

use foxtail_engine::Event;

/// About one display frame.
pub const FRAME: Duration = Duration::from_millis(16);

#[derive(Debug)]
pub struct FrameBatch {
    pending: Vec<Event>,
    sent_any: bool,
    last_flush: Instant,
}

impl Default for FrameBatch {
    fn default() -> Self {
        Self {
            pending: Vec::new(),
            sent_any: false,
            last_flush: Instant::now(),
        }
    }
}

impl FrameBatch {
    /// Adds an event, joining runs of text (and of reasoning) into one. Returns whether
    /// the batch should be sent now: the first token goes at once (that is the moment a
    /// person waits for), anything but text goes at once, and text at most once a frame.
    pub fn push(&mut self, event: Event) -> bool {
        let joins_previous = match (self.pending.last_mut(), &event) {
            (Some(Event::Text { text: a }), Event::Text { text: b })
            | (Some(Event::Reasoning { text: a }), Event::Reasoning { text: b }) => {
                a.push_str(b);
                true
            }
            _ => false,
        };
        let urgent = !matches!(event, Event::Text { .. } | Event::Reasoning { .. });
        if !joins_previous {
            self.pending.push(event);
        }
        urgent || !self.sent_any || self.last_flush.elapsed() >= FRAME
    }

    /// The events to send, if any.
    pub fn take(&mut self) -> Option<Vec<Event>> {
        if self.pending.is_empty() {
            return None;
        }
        self.sent_any = true;
        self.last_flush = Instant::now();
        Some(std::mem::take(&mut self.pending))
    }
}
