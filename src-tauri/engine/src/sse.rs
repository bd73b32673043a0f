//! The `text/event-stream` layer, parsed as WHATWG says: lines ended by CR, LF or CRLF,
//! bytes that are not UTF-8 read as U+FFFD, one byte order mark dropped at the start.
//! The size of one event, and of every buffer on the way, stays bounded.
//!
//! Lines are read straight from the network's buffers; only a line split across two
//! reads is copied. A dispatched event is lent to the caller in buffers that the next
//! event reuses, so a long stream allocates nothing per event here.
//!
//! Why not a crate: eventsource-stream (used here before) parsed character by character
//! and copied its buffer after every line, which was a quarter of the engine's time on a
//! fast stream (issue 16's 0.3× curl could not be met with it); it also panicked on a
//! byte order mark and stopped for good at a byte that is not UTF-8, both of which
//! needed a layer of their own around it. sse-stream errors on a repeated `event:` line,
//! where WHATWG lets the later one win. The conformance corpus and the WHATWG cases in
//! `tests/conformance.rs` hold this parser to the standard.

use std::borrow::Cow;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;

use crate::error::Error;

/// The largest event (all of its lines) the engine accepts.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// One dispatched event: its type (`message` unless the stream named one), its data
/// lines joined by LF, the last event id the stream set and the reconnection time this
/// event set, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
    pub id: String,
    pub retry: Option<Duration>,
}

/// Parses a body into SSE events. An event larger than `max_event_bytes` ends the stream
/// with a protocol error instead of growing a buffer without end.
pub fn events<S>(body: S, max_event_bytes: usize) -> impl Stream<Item = Result<SseEvent, Error>>
where
    S: Stream<Item = Result<Bytes, Error>>,
{
    Events::new(body, max_event_bytes)
}

/// The parser over a body. [`Events::poll_event`] makes the next event ready and
/// [`Events::event`] lends it; as a [`Stream`] it gives copies.
pub(crate) struct Events<S> {
    body: Pin<Box<S>>,
    /// The last read, parsed up to `pos`.
    chunk: Bytes,
    pos: usize,
    /// A line whose terminator has not arrived yet.
    partial: Vec<u8>,
    /// The last line ended with CR: an LF right after it belongs to that CR.
    after_cr: bool,
    lines: Lines,
    ended: bool,
}

/// What the lines so far have built up.
struct Lines {
    /// Nothing has been read yet: a byte order mark may come.
    started: bool,
    /// The decoded bytes of the current event's lines.
    event_bytes: usize,
    limit: usize,
    /// The event being built: type, data (each line followed by LF), retry.
    building: SseEvent,
    /// The id buffer, which outlives the events it is set in.
    last_id: String,
    /// The last event dispatched, lent out.
    ready: SseEvent,
}

const BOM: &str = "\u{feff}";

impl<S> Events<S>
where
    S: Stream<Item = Result<Bytes, Error>>,
{
    pub(crate) fn new(body: S, limit: usize) -> Self {
        Events {
            body: Box::pin(body),
            chunk: Bytes::new(),
            pos: 0,
            partial: Vec::new(),
            after_cr: false,
            lines: Lines {
                started: false,
                event_bytes: 0,
                limit,
                building: SseEvent::default(),
                last_id: String::new(),
                ready: SseEvent::default(),
            },
            ended: false,
        }
    }

    /// The event the last `Ready(Some(Ok(())))` of [`Events::poll_event`] dispatched.
    pub(crate) fn event(&self) -> &SseEvent {
        &self.lines.ready
    }

    /// Reads until the next event is dispatched (`Ok(())`, then see [`Events::event`]),
    /// the body fails or grows an event past the limit (`Err`, after which the stream
    /// ends), or the body ends (`None`).
    pub(crate) fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(), Error>>> {
        loop {
            match self.parse_read() {
                Ok(true) => return Poll::Ready(Some(Ok(()))),
                Ok(false) => {}
                Err(err) => {
                    self.ended = true;
                    self.chunk = Bytes::new();
                    self.partial = Vec::new();
                    return Poll::Ready(Some(Err(err)));
                }
            }
            if self.ended {
                return Poll::Ready(None);
            }
            match ready!(self.body.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Some(Err(err)) => {
                    self.ended = true;
                    return Poll::Ready(Some(Err(err)));
                }
                // A line without its terminator at the end of the body is never
                // dispatched (WHATWG), so it is simply dropped.
                None => self.ended = true,
            }
        }
    }

    /// Parses the rest of the last read up to the next dispatched event (`true`).
    fn parse_read(&mut self) -> Result<bool, Error> {
        while self.pos < self.chunk.len() {
            let rest = &self.chunk[self.pos..];
            if std::mem::take(&mut self.after_cr) && rest[0] == b'\n' {
                self.pos += 1;
                continue;
            }
            let Some(end) = memchr::memchr2(b'\n', b'\r', rest) else {
                self.partial.extend_from_slice(rest);
                self.pos = self.chunk.len();
                if self.lines.event_bytes + self.partial.len() > self.lines.limit {
                    return Err(self.lines.too_large());
                }
                break;
            };
            self.after_cr = rest[end] == b'\r';
            self.pos += end + 1;
            let dispatched = if self.partial.is_empty() {
                self.lines.line(&rest[..end])
            } else {
                self.partial.extend_from_slice(&rest[..end]);
                let dispatched = self.lines.line(&self.partial);
                self.partial.clear();
                dispatched
            }?;
            if dispatched {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Lines {
    fn too_large(&self) -> Error {
        Error::protocol(format!(
            "the server sent an event larger than {} MiB",
            self.limit / (1024 * 1024)
        ))
    }

    /// Takes one line without its terminator; `true` when it dispatched an event.
    fn line(&mut self, raw: &[u8]) -> Result<bool, Error> {
        let mut line = match std::str::from_utf8(raw) {
            Ok(line) => Cow::Borrowed(line),
            Err(_) => String::from_utf8_lossy(raw),
        };
        if !std::mem::replace(&mut self.started, true) {
            if let Some(rest) = line.strip_prefix(BOM) {
                line = Cow::Owned(rest.to_owned());
            }
        }
        if line.is_empty() {
            self.event_bytes = 0;
            return Ok(self.dispatch());
        }
        // Counted as decoded, so that the limit holds for the events given out too.
        if self.event_bytes + line.len() > self.limit {
            return Err(self.too_large());
        }
        self.event_bytes += line.len();
        if line.starts_with(':') {
            return Ok(false);
        }
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line.as_ref(), ""),
        };
        let event = &mut self.building;
        match name {
            "data" => {
                event.data.push_str(value);
                event.data.push('\n');
            }
            "event" => {
                event.event.clear();
                event.event.push_str(value);
            }
            "id" if !value.contains('\0') => {
                self.last_id.clear();
                self.last_id.push_str(value);
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse() {
                    event.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
        Ok(false)
    }

    /// Ends the event being built: gives it out, unless it has no data.
    fn dispatch(&mut self) -> bool {
        let building = &mut self.building;
        let retry = building.retry.take();
        if building.data.is_empty() {
            building.event.clear();
            return false;
        }
        let ready = &mut self.ready;
        // The buffers change places, so both keep what they have grown to.
        std::mem::swap(&mut ready.data, &mut building.data);
        building.data.clear();
        ready.data.pop();
        ready.event.clear();
        if building.event.is_empty() {
            ready.event.push_str("message");
        } else {
            std::mem::swap(&mut ready.event, &mut building.event);
        }
        ready.id.clone_from(&self.last_id);
        ready.retry = retry;
        true
    }
}

impl<S> Stream for Events<S>
where
    S: Stream<Item = Result<Bytes, Error>>,
{
    type Item = Result<SseEvent, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.poll_event(cx)
            .map(|next| next.map(|ready| ready.map(|()| this.lines.ready.clone())))
    }
}

#[cfg(test)]
mod tests {
    use futures_util::task::noop_waker_ref;
    use futures_util::{FutureExt, StreamExt};
    use proptest::prelude::*;
    use proptest::sample::Index;

    use super::*;

    /// Bytes rich in line breaks, byte order marks and broken UTF-8.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            4 => prop::collection::vec(any::<u8>(), 0..24),
            2 => Just(b"\n".to_vec()),
            2 => Just(b"\r".to_vec()),
            1 => Just(b"\r\n".to_vec()),
            1 => Just(b"data: ".to_vec()),
            1 => Just(BOM.as_bytes().to_vec()),
            1 => Just(vec![0xe2, 0x80]),
        ];
        prop::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
    }

    fn cut(body: &[u8], cuts: &[Index]) -> Vec<Bytes> {
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(body.len() + 1)).collect();
        at.push(0);
        at.push(body.len());
        at.sort_unstable();
        at.windows(2)
            .map(|w| Bytes::copy_from_slice(&body[w[0]..w[1]]))
            .collect()
    }

    proptest! {
        // A failing case is printed, not saved to a file in the source tree.
        #![proptest_config(ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Whatever arrives, the held-back partial line, the current event and every
        /// event given out stay within the limit.
        #[test]
        fn buffers_stay_within_the_event_limit(
            body in body(),
            cuts in prop::collection::vec(any::<Index>(), 0..8),
            limit in 1usize..96,
        ) {
            let chunks = cut(&body, &cuts).into_iter().map(Ok::<_, Error>);
            let mut events = Events::new(futures_util::stream::iter(chunks), limit);
            let mut cx = Context::from_waker(noop_waker_ref());
            loop {
                let next = events.poll_event(&mut cx);
                prop_assert!(events.partial.len() <= limit);
                prop_assert!(events.lines.event_bytes <= limit);
                prop_assert!(events.lines.building.data.len() <= limit);
                match next {
                    Poll::Ready(Some(Ok(()))) => prop_assert!(events.event().data.len() <= limit),
                    Poll::Ready(Some(Err(_)) | None) => break,
                    Poll::Pending => unreachable!("the body never waits"),
                }
            }
        }
    }

    fn dispatched(chunks: Vec<Bytes>, limit: usize) -> Vec<Result<SseEvent, &'static str>> {
        let chunks = chunks.into_iter().map(Ok);
        let mut stream = Box::pin(events(futures_util::stream::iter(chunks), limit));
        let mut seen = Vec::new();
        while let Some(event) = stream.next().now_or_never().expect("never waits") {
            seen.push(event.map_err(|e| e.kind()));
        }
        seen
    }

    /// A byte that is not UTF-8 becomes U+FFFD and the stream goes on; it once made
    /// eventsource-stream hold everything after it and dispatch nothing more.
    #[test]
    fn broken_utf8_is_replaced_and_the_stream_goes_on() {
        let body = [
            &b"data: a\xffb\n\n"[..],
            b"data: \xe2\x80\n\n",
            b"data: next\n\n",
        ];
        let data: Vec<String> = dispatched(body.map(Bytes::from_static).to_vec(), 1024)
            .into_iter()
            .map(|event| event.unwrap().data)
            .collect();
        assert_eq!(data, ["a\u{fffd}b", "\u{fffd}", "next"]);
    }

    /// Events finished before an oversized line in the same read are still dispatched,
    /// as they would be had they arrived in a read of their own.
    #[test]
    fn events_before_an_oversized_line_are_kept() {
        let body = format!("data: one\n\ndata: two\n\ndata: {}\n\n", "x".repeat(100));
        let seen: Vec<_> = dispatched(vec![Bytes::from(body)], 64)
            .into_iter()
            .map(|event| event.map(|e| e.data))
            .collect();
        assert_eq!(
            seen,
            [Ok("one".to_owned()), Ok("two".to_owned()), Err("protocol")]
        );
    }

    /// An event ended by CR alone is given out at once, without waiting for the byte
    /// after the CR, and an LF that follows in the next read is not a second line end.
    #[test]
    fn a_cr_ends_an_event_at_once_and_an_lf_after_it_belongs_to_it() {
        let chunks = [&b"data: a\r\r"[..], b"\ndata: b\r", b"\n\r\n"].map(Bytes::from_static);
        let seen: Vec<String> = dispatched(chunks.to_vec(), 1024)
            .into_iter()
            .map(|event| event.unwrap().data)
            .collect();
        assert_eq!(seen, ["a", "b"]);

        let body = futures_util::stream::iter([Ok(Bytes::from_static(b"data: a\r\r"))])
            .chain(futures_util::stream::pending());
        let mut events = Events::new(body, 1024);
        let mut cx = Context::from_waker(noop_waker_ref());
        assert!(matches!(
            events.poll_event(&mut cx),
            Poll::Ready(Some(Ok(())))
        ));
        assert_eq!(events.event().data, "a");
    }

    /// The buffers an event is lent in are reused, and nothing of one event's type,
    /// data or retry leaks into the next; the id lasts until the stream sets another.
    #[test]
    fn each_event_is_whole_and_only_the_id_carries_over() {
        let body = "event: ping\nid: 7\nretry: 30\ndata: x\ndata: y\n\ndata: z\n\n\
                    event: lost\nretry: 5\n\nid\ndata: w\n\n";
        let seen: Vec<SseEvent> = dispatched(vec![Bytes::from(body)], 1024)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let event = |event: &str, data: &str, id: &str, retry: Option<u64>| SseEvent {
            event: event.into(),
            data: data.into(),
            id: id.into(),
            retry: retry.map(Duration::from_millis),
        };
        assert_eq!(
            seen,
            [
                event("ping", "x\ny", "7", Some(30)),
                event("message", "z", "7", None),
                event("message", "w", "", None),
            ]
        );
    }
}
