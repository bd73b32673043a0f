//! The `text/event-stream` layer: eventsource-stream does the WHATWG parsing, fed only
//! whole lines of valid UTF-8 so that the size of one event, and of every buffer on the
//! way, stays bounded.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};

use crate::error::Error;

pub use eventsource_stream::Event as SseEvent;

/// The largest event (all of its lines) the engine accepts.
pub const MAX_EVENT_BYTES: usize = 16 * 1024 * 1024;

/// Lines are handed on in groups of about this size: eventsource-stream re-copies its
/// buffer after every line, so one huge group would cost quadratic time.
const GROUP_BYTES: usize = 1024;

/// Parses a body into SSE events. An event larger than `max_event_bytes` ends the stream
/// with a protocol error instead of growing a buffer without end.
pub fn events<S>(body: S, max_event_bytes: usize) -> impl Stream<Item = Result<SseEvent, Error>>
where
    S: Stream<Item = Result<Bytes, Error>>,
{
    eventsource_stream::EventStream::new(WholeLines::new(body, max_event_bytes)).map(|item| {
        item.map_err(|err| match err {
            eventsource_stream::EventStreamError::Transport(err) => err,
            eventsource_stream::EventStreamError::Utf8(err) => {
                Error::protocol(format!("the stream is not valid UTF-8: {err}"))
            }
            eventsource_stream::EventStreamError::Parser(err) => {
                Error::protocol(format!("the stream is not a valid event stream: {err}"))
            }
        })
    })
}

/// Holds back a partial line until its terminator arrives. eventsource-stream re-parses
/// its whole buffer on every read while a line is unfinished; keeping unfinished lines
/// here makes an endless line cost linear time and a bounded amount of memory.
struct WholeLines<S> {
    inner: Pin<Box<S>>,
    partial: BytesMut,
    ready: VecDeque<Bytes>,
    event_bytes: usize,
    after_cr: bool,
    limit: usize,
    ended: bool,
    /// The error that ended the stream, passed on once the lines before it are.
    failed: Option<Error>,
    started: bool,
}

const BOM: &[u8] = "\u{feff}".as_bytes();

impl<S> WholeLines<S> {
    fn new(inner: S, limit: usize) -> Self {
        WholeLines {
            inner: Box::pin(inner),
            partial: BytesMut::new(),
            ready: VecDeque::new(),
            event_bytes: 0,
            after_cr: false,
            limit,
            ended: false,
            failed: None,
            started: false,
        }
    }

    fn too_large(&self) -> Error {
        Error::protocol(format!(
            "the server sent an event larger than {} MiB",
            self.limit / (1024 * 1024)
        ))
    }

    /// Queues whole lines for eventsource-stream. The first line always arrives whole
    /// here, so a leading byte order mark is never split.
    ///
    /// Bytes that are not UTF-8 become U+FFFD, as WHATWG decodes a stream. Left in,
    /// they would stop eventsource-stream's decoder for good: it keeps everything after
    /// them in a buffer, growing without end and dispatching nothing. A line break
    /// never falls inside a UTF-8 sequence, so decoding whole lines is decoding the
    /// stream.
    fn forward(&mut self, mut lines: Bytes) {
        if std::str::from_utf8(&lines).is_err() {
            lines = Bytes::from(String::from_utf8_lossy(&lines).into_owned());
        }
        if !self.started {
            self.started = true;
            // eventsource-stream 0.2.3 strips a BOM by slicing off one *byte* of a
            // three-byte character and panics, so the one BOM WHATWG allows is removed
            // here. A second BOM is part of the first field name; an empty line before
            // it (which dispatches nothing at the start of a stream) keeps
            // eventsource-stream from treating it as a BOM.
            if lines.starts_with(BOM) {
                lines = lines.slice(BOM.len()..);
            }
            if lines.starts_with(BOM) {
                self.ready.push_back(Bytes::from_static(b"\n"));
            }
        }
        self.ready.push_back(lines);
    }

    fn take(&mut self, chunk: Bytes) -> Result<(), Error> {
        let mut line_start = 0;
        let mut group_start = 0;
        for pos in memchr::memchr2_iter(b'\n', b'\r', &chunk) {
            // Counted as decoded, so that the limit holds for the events given out too.
            let line_len = if self.partial.is_empty() {
                decoded_len(&chunk[line_start..pos])
            } else {
                self.partial.extend_from_slice(&chunk[line_start..pos]);
                decoded_len(&self.partial)
            };
            let is_cr = chunk[pos] == b'\r';
            if line_len == 0 {
                // An LF right after a CR belongs to that CR; anything else empty ends an event.
                if !self.after_cr || is_cr {
                    self.event_bytes = 0;
                }
            } else {
                self.event_bytes += line_len;
                if self.event_bytes > self.limit {
                    // The whole lines before this one go on first.
                    if group_start < line_start {
                        self.forward(chunk.slice(group_start..line_start));
                    }
                    return Err(self.too_large());
                }
            }
            self.after_cr = is_cr;
            if !self.partial.is_empty() {
                self.partial.extend_from_slice(&chunk[pos..=pos]);
                let line = self.partial.split().freeze();
                self.forward(line);
                group_start = pos + 1;
            } else if pos + 1 - group_start >= GROUP_BYTES {
                self.forward(chunk.slice(group_start..=pos));
                group_start = pos + 1;
            }
            line_start = pos + 1;
        }
        if group_start < line_start {
            self.forward(chunk.slice(group_start..line_start));
        }
        if line_start < chunk.len() {
            self.partial.extend_from_slice(&chunk[line_start..]);
            self.after_cr = false;
            if self.event_bytes + self.partial.len() > self.limit {
                return Err(self.too_large());
            }
        }
        Ok(())
    }
}

/// The length of `line` once decoded: each byte that is not UTF-8 becomes the three of
/// U+FFFD.
fn decoded_len(line: &[u8]) -> usize {
    match std::str::from_utf8(line) {
        Ok(_) => line.len(),
        Err(_) => String::from_utf8_lossy(line).len(),
    }
}

impl<S> Stream for WholeLines<S>
where
    S: Stream<Item = Result<Bytes, Error>>,
{
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(lines) = this.ready.pop_front() {
                return Poll::Ready(Some(Ok(lines)));
            }
            if this.ended {
                return Poll::Ready(this.failed.take().map(Err));
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(err) = this.take(chunk) {
                        // The whole lines before the one too large still count, as
                        // they would have had they arrived in a read of their own.
                        this.ended = true;
                        this.failed = Some(err);
                        this.partial = BytesMut::new();
                    }
                }
                Poll::Ready(Some(Err(err))) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(err)));
                }
                Poll::Ready(None) => {
                    // A line without its terminator at the end of the body is never
                    // dispatched (WHATWG), so it is simply dropped.
                    this.ended = true;
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;
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
            1 => Just(BOM.to_vec()),
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

        /// Whatever arrives, the held-back partial line and the current event never
        /// grow past the limit, and only whole lines of valid UTF-8 are handed on.
        #[test]
        fn buffers_stay_within_the_event_limit(
            body in body(),
            cuts in prop::collection::vec(any::<Index>(), 0..8),
            limit in 1usize..96,
        ) {
            let nothing = futures_util::stream::empty::<Result<Bytes, Error>>();
            let mut lines = WholeLines::new(nothing, limit);
            for chunk in cut(&body, &cuts) {
                let taken = WholeLines::take(&mut lines, chunk);
                for group in lines.ready.drain(..) {
                    prop_assert!(matches!(group.last(), Some(b'\n' | b'\r')), "{group:?}");
                    prop_assert!(std::str::from_utf8(&group).is_ok(), "{group:?}");
                }
                if taken.is_err() {
                    break;
                }
                prop_assert!(lines.partial.len() <= limit);
                prop_assert!(lines.event_bytes <= limit);
            }
        }
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
        let chunks = body.iter().map(|b| Ok(Bytes::from_static(b)));
        let mut stream = Box::pin(events(futures_util::stream::iter(chunks), 1024));
        let mut data = Vec::new();
        while let Some(event) = stream.next().now_or_never().expect("never waits") {
            data.push(event.unwrap().data);
        }
        assert_eq!(data, ["a\u{fffd}b", "\u{fffd}", "next"]);
    }

    /// Events finished before an oversized line in the same read are still dispatched,
    /// as they would be had they arrived in a read of their own.
    #[test]
    fn events_before_an_oversized_line_are_kept() {
        let body = format!("data: one\n\ndata: two\n\ndata: {}\n\n", "x".repeat(100));
        let chunks = [Ok(Bytes::from(body))];
        let mut stream = Box::pin(events(futures_util::stream::iter(chunks), 64));
        let mut seen = Vec::new();
        while let Some(event) = stream.next().now_or_never().expect("never waits") {
            seen.push(event.map(|e| e.data).map_err(|e| e.kind()));
        }
        assert_eq!(
            seen,
            [Ok("one".to_owned()), Ok("two".to_owned()), Err("protocol")]
        );
    }
}
