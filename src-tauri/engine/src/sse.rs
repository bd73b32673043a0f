//! The `text/event-stream` layer: eventsource-stream does the WHATWG parsing, fed only
//! whole lines so that the size of one event stays bounded.

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
    fn forward(&mut self, mut lines: Bytes) {
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
            let line_len = self.partial.len() + (pos - line_start);
            let is_cr = chunk[pos] == b'\r';
            if line_len == 0 {
                // An LF right after a CR belongs to that CR; anything else empty ends an event.
                if !self.after_cr || is_cr {
                    self.event_bytes = 0;
                }
            } else {
                self.event_bytes += line_len;
                if self.event_bytes > self.limit {
                    return Err(self.too_large());
                }
            }
            self.after_cr = is_cr;
            if !self.partial.is_empty() {
                self.partial.extend_from_slice(&chunk[line_start..=pos]);
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
                return Poll::Ready(None);
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(err) = this.take(chunk) {
                        this.ended = true;
                        this.ready.clear();
                        this.partial = BytesMut::new();
                        return Poll::Ready(Some(Err(err)));
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
