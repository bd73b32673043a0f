//! Waiting on a response body: the idle timeout, and the one turn given to other tasks
//! before the engine takes itself to be waiting.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::time::{Instant, Sleep};

use crate::client::{chain, seconds};
use crate::error::Error;

/// A body that fails with a timeout after `idle` without a byte.
///
/// One timer serves the whole body and is moved on only when a wait begins after bytes
/// came: bodies arrive a few bytes at a time, and a timer per read costs more than the
/// parsing does.
pub(crate) struct IdleTimeout<S> {
    body: Pin<Box<S>>,
    idle: Duration,
    sleep: Pin<Box<Sleep>>,
    /// Bytes came since the timer was last set.
    received: bool,
    ended: bool,
}

impl<S> IdleTimeout<S> {
    pub(crate) fn new(body: S, idle: Duration) -> Self {
        IdleTimeout {
            body: Box::pin(body),
            idle,
            sleep: Box::pin(tokio::time::sleep(idle)),
            received: false,
            ended: false,
        }
    }
}

impl<S, E> Stream for IdleTimeout<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: std::error::Error,
{
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        match this.body.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(bytes))) => {
                this.received = true;
                Poll::Ready(Some(Ok(bytes)))
            }
            Poll::Ready(Some(Err(err))) => {
                this.ended = true;
                Poll::Ready(Some(Err(Error::network(format!(
                    "the connection dropped: {}",
                    chain(&err)
                )))))
            }
            Poll::Ready(None) => {
                this.ended = true;
                Poll::Ready(None)
            }
            Poll::Pending => {
                if std::mem::take(&mut this.received) {
                    // The silence is counted from when the wait begins, as it would be
                    // with a fresh timer for every read.
                    this.sleep.as_mut().reset(Instant::now() + this.idle);
                }
                if this.sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.ended = true;
                Poll::Ready(Some(Err(Error::Timeout {
                    message: format!("the gateway went silent for {}", seconds(this.idle)),
                })))
            }
        }
    }
}

/// Lets every task already woken run once before the caller goes on. After one piece of
/// a body, the connection's own task usually holds the next; taking a turn lets it hand
/// that over, so the engine tells the sink it is idle (and a terminal is flushed) only
/// when the network really has nothing more, not after every piece.
pub(crate) async fn yield_once() {
    let mut yielded = false;
    poll_fn(|cx| {
        if std::mem::replace(&mut yielded, true) {
            Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}
