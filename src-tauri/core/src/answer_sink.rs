use std::time::{Duration, Instant};

use foxtail_engine::{Event, Sink};
use foxtail_storage::{MessageStatus, Storage, StorageError};

use crate::frame_batch::FrameBatch;
use crate::tool_cards::AnswerExtras;
use crate::usage::UsageTally;
use serde::Serialize;
use ts_rs::TS;

use crate::ErrorKind;

/// What crosses the bridge to the window for one answer or draft.
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Update {
    /// Engine events, with runs of text (and of reasoning) joined into one.
    Events { events: Vec<Event> },
    /// The answer's tool cards and refusal as they stand now, sent when they change, so
    /// the window shows what Rust saves instead of building cards a second time.
    Extras { extras: AnswerExtras },
    /// The answer could not be saved; it stays on screen, and the save is tried again.
    SaveFailed { kind: ErrorKind, message: String },
    /// Updates wait in the outbox `outbox`, for the window to take with `take_updates`.
    /// Sent once until the window finds the outbox empty with a take after which it waits
    /// for the next notice: the updates themselves never cross the channel (see the
    /// shell's `outbox` module for why).
    Pending { outbox: i64 },
}

/// How much of a streaming answer a crash may lose.
pub const SAVE_EVERY: Duration = Duration::from_secs(1);

/// Receives the engine's events for one answer: sends them to the window in frame-sized
/// batches and saves the growing answer to the database.
pub struct AnswerSink<'a, F: FnMut(Update)> {
    send: F,
    storage: &'a Storage,
    answer_id: i64,
    batch: FrameBatch,
    last_save: Instant,
    save_every: Duration,
    /// The whole answer so far, including text that was there before a "Continue".
    pub text: String,
    pub reasoning: String,
    pub extras: AnswerExtras,
    extras_changed: bool,
    /// The window has not seen the latest extras yet.
    extras_unsent: bool,
    /// How much of the text and reasoning (in bytes) the database holds.
    saved_text: usize,
    saved_reasoning: usize,
    end: Option<Event>,
    save_failed: bool,
    usage: UsageTally,
}

impl<'a, F: FnMut(Update)> AnswerSink<'a, F> {
    /// `continuing`: the answer goes on from what it holds (Continue), keeping its
    /// text, reasoning and cards; otherwise it starts empty.
    pub fn new(storage: &'a Storage, answer_id: i64, continuing: bool, send: F) -> Self {
        let now = Instant::now();
        let earlier = continuing
            .then(|| storage.message(answer_id).ok())
            .flatten();
        let (text, reasoning, extras) = match earlier {
            Some(m) => (m.content, m.reasoning, AnswerExtras::from_json(&m.extras)),
            None => Default::default(),
        };
        let (saved_text, saved_reasoning) = (text.len(), reasoning.len());
        let usage = UsageTally::starting_from(extras.usage.as_ref());
        Self {
            usage,
            send,
            storage,
            answer_id,
            batch: FrameBatch::default(),
            last_save: now,
            save_every: SAVE_EVERY,
            text,
            reasoning,
            extras,
            extras_changed: false,
            extras_unsent: false,
            saved_text,
            saved_reasoning,
            end: None,
            save_failed: false,
        }
    }

    /// The model's prices, to cost the usage with when the gateway does not say.
    pub fn set_pricing(&mut self, pricing: Option<foxtail_engine::Pricing>) {
        self.usage.set_pricing(pricing);
        if let Some(report) = self.usage.report() {
            self.extras.usage = Some(report);
            self.extras_changed = true;
            self.extras_unsent = true;
        }
    }

    /// Whether prices would give the answer a cost it does not have yet.
    pub fn wants_prices(&self) -> bool {
        self.usage.wants_prices()
    }

    /// Adds a notice to the answer's extras (shown and saved with it).
    pub fn notice(&mut self, text: String) {
        self.extras.notices.push(text);
        self.extras_changed = true;
        self.extras_unsent = true;
        self.flush();
    }

    #[cfg(test)]
    fn saving_every(mut self, interval: Duration) -> Self {
        self.save_every = interval;
        self
    }

    fn flush(&mut self) {
        if let Some(events) = self.batch.take() {
            (self.send)(Update::Events { events });
        }
        if self.extras_unsent {
            self.extras_unsent = false;
            (self.send)(Update::Extras {
                extras: self.extras.clone(),
            });
        }
    }

    /// While the answer streams, only what is new since the last save is appended, so
    /// a save costs the new text, not the answer so far; the whole answer (and its
    /// full-text index) is written once, when it ends.
    fn save(&mut self, status: MessageStatus, error: Option<String>) {
        let mut result = match status {
            MessageStatus::Streaming => {
                let (text, reasoning) = (
                    &self.text[self.saved_text..],
                    &self.reasoning[self.saved_reasoning..],
                );
                match text.is_empty() && reasoning.is_empty() {
                    true => Ok(()),
                    false => self
                        .storage
                        .append_to_message(self.answer_id, text, reasoning),
                }
            }
            _ => self.storage.update_message(
                self.answer_id,
                &self.text,
                &self.reasoning,
                status,
                error.as_deref(),
            ),
        };
        if result.is_ok() {
            self.saved_text = self.text.len();
            self.saved_reasoning = self.reasoning.len();
        }
        if result.is_ok() && self.extras_changed {
            result = self
                .storage
                .update_extras(self.answer_id, &self.extras.to_json());
            self.extras_changed = result.is_err();
        }
        self.last_save = Instant::now();
        match result {
            Ok(()) => self.save_failed = false,
            // Tell the window once per failure spell, not on every token.
            Err(err) if !self.save_failed => {
                self.save_failed = true;
                self.report_save_error(&err);
            }
            Err(_) => {}
        }
    }

    fn report_save_error(&mut self, err: &StorageError) {
        self.flush();
        (self.send)(Update::SaveFailed {
            kind: ErrorKind::from_word(err.kind(), ErrorKind::Storage),
            message: err.to_string(),
        });
    }

    /// Sends what is left and saves the answer with its final status. Returns the event
    /// that ended the stream.
    pub fn finish(mut self) -> Option<Event> {
        self.flush();
        let (status, error) = match &self.end {
            Some(Event::Finish { .. }) => (MessageStatus::Complete, None),
            Some(Event::Error(err)) => {
                let status = match err.kind() {
                    "cancelled" => MessageStatus::Cancelled,
                    "interrupted" => MessageStatus::Interrupted,
                    _ => MessageStatus::Error,
                };
                (status, serde_json::to_string(err).ok())
            }
            _ => (MessageStatus::Interrupted, None),
        };
        self.save(status, error);
        if let Some(end) = &self.end {
            (self.send)(Update::Events {
                events: vec![end.clone()],
            });
        }
        self.end
    }
}

impl<F: FnMut(Update)> Sink for AnswerSink<'_, F> {
    fn event(&mut self, event: Event) {
        match &event {
            Event::Text { text } => self.text.push_str(text),
            Event::Reasoning { text } => self.reasoning.push_str(text),
            Event::Usage(used) => {
                self.usage.add(used);
                self.extras.usage = self.usage.report();
                self.extras_changed = true;
                self.extras_unsent = true;
            }
            other => {
                let changed = self.extras.apply(other, &self.text);
                self.extras_changed |= changed;
                self.extras_unsent |= changed;
            }
        }
        if event.is_end() {
            // The end goes to the window only once the answer is saved (`finish`), so
            // that a failed last save is reported while the answer is still open there.
            self.end = Some(event);
            self.flush();
            return;
        }
        if self.batch.push(event) {
            self.flush();
        }
        if self.end.is_none() && self.last_save.elapsed() >= self.save_every {
            self.save(MessageStatus::Streaming, None);
        }
    }

    fn idle(&mut self) {
        self.flush();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use foxtail_engine::FinishReason;
    use foxtail_storage::{NewMessage, Role};

    fn text(t: &str) -> Event {
        Event::Text { text: t.into() }
    }

    /// A history in memory holding one answer with `content` and `status`.
    pub(crate) fn one_answer(content: &str, status: MessageStatus) -> (Storage, i64) {
        let storage = Storage::open_in_memory().unwrap();
        let c = storage.create_conversation("t").unwrap();
        let answer = storage
            .add_message(
                c.id,
                NewMessage {
                    role: Role::Assistant,
                    content,
                    status,
                    model: None,
                },
            )
            .unwrap();
        (storage, answer.id)
    }

    fn setup() -> (Storage, i64) {
        one_answer("", MessageStatus::Streaming)
    }

    #[test]
    fn the_first_token_goes_at_once_and_fast_tokens_are_joined_per_frame() {
        let (storage, id) = setup();
        let mut sent = Vec::new();
        let mut sink = AnswerSink::new(&storage, id, false, |u| sent.push(u));
        sink.event(text("Hel"));
        sink.event(text("lo"));
        sink.event(text(", "));
        sink.event(Event::Reasoning { text: "hm".into() });
        sink.event(text("world"));
        sink.idle();
        sink.event(Event::Finish {
            reason: FinishReason::Stop,
            raw: "stop".into(),
        });
        let end = sink.finish();
        assert!(matches!(end, Some(Event::Finish { .. })));
        assert_eq!(
            sent,
            vec![
                Update::Events {
                    events: vec![text("Hel")]
                },
                Update::Events {
                    events: vec![
                        text("lo, "),
                        Event::Reasoning { text: "hm".into() },
                        text("world")
                    ]
                },
                Update::Events {
                    events: vec![Event::Finish {
                        reason: FinishReason::Stop,
                        raw: "stop".into()
                    }]
                },
            ]
        );
        let saved = &storage.messages(1).unwrap()[0];
        assert_eq!(saved.content, "Hello, world");
        assert_eq!(saved.reasoning, "hm");
        assert_eq!(saved.status, MessageStatus::Complete);
    }

    #[test]
    fn the_growing_answer_is_saved_while_it_streams() {
        let (storage, id) = setup();
        // As Continue leaves a cut-off answer before it goes on.
        storage
            .update_message(id, "Earlier ", "thought", MessageStatus::Streaming, None)
            .unwrap();
        let mut sink = AnswerSink::new(&storage, id, true, |_| {}).saving_every(Duration::ZERO);
        sink.event(text("part"));
        let saved = &storage.messages(1).unwrap()[0];
        assert_eq!(saved.content, "Earlier part", "saved before the end");
        assert_eq!(
            saved.reasoning, "thought",
            "a continued answer keeps its reasoning"
        );
        assert_eq!(saved.status, MessageStatus::Streaming);
        drop(sink);
    }

    #[test]
    fn a_stopped_answer_keeps_its_text_and_says_why_it_ended() {
        let (storage, id) = setup();
        let mut sink = AnswerSink::new(&storage, id, false, |_| {});
        sink.event(text("half an ans"));
        sink.event(Event::Error(foxtail_engine::Error::Cancelled {
            message: "Stopped.".into(),
        }));
        sink.finish();
        let saved = &storage.messages(1).unwrap()[0];
        assert_eq!(saved.content, "half an ans");
        assert_eq!(saved.status, MessageStatus::Cancelled);
        assert!(saved.error.as_deref().unwrap().contains("cancelled"));
    }

    #[test]
    fn a_failed_save_is_reported_once_and_the_stream_goes_on() {
        let (storage, id) = setup();
        storage.delete_conversation(1).unwrap();
        storage.purge_deleted(i64::MAX).unwrap();
        let mut sent = Vec::new();
        let mut sink =
            AnswerSink::new(&storage, id, false, |u| sent.push(u)).saving_every(Duration::ZERO);
        sink.event(text("a"));
        sink.event(text("b"));
        sink.idle();
        drop(sink);
        let failures = sent
            .iter()
            .filter(|u| matches!(u, Update::SaveFailed { .. }))
            .count();
        assert_eq!(failures, 1);
        assert!(sent.contains(&Update::Events {
            events: vec![text("b")]
        }));
    }

    #[test]
    fn a_failed_last_save_is_reported_before_the_end() {
        let (storage, id) = setup();
        storage.delete_conversation(1).unwrap();
        storage.purge_deleted(i64::MAX).unwrap();
        let mut sent = Vec::new();
        let mut sink = AnswerSink::new(&storage, id, false, |u| sent.push(u));
        sink.event(text("all"));
        sink.event(Event::Finish {
            reason: foxtail_engine::FinishReason::Stop,
            raw: "stop".into(),
        });
        sink.finish();
        let failed_at = sent
            .iter()
            .position(|u| matches!(u, Update::SaveFailed { .. }))
            .expect("the failure is reported");
        let end_at = sent
            .iter()
            .position(
                |u| matches!(u, Update::Events { events } if events.iter().any(Event::is_end)),
            )
            .expect("the end is sent");
        assert!(failed_at < end_at, "{sent:?}");
    }
}
