use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::sse::MAX_EVENT_BYTES;

/// How to talk to the gateway: timeouts, retries and resume. The defaults suit a person
/// waiting for an answer; tests shorten them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Time allowed to open the connection.
    pub connect_timeout: Duration,
    /// Longest silence allowed between received bytes (also for the first byte). There is
    /// deliberately no total timeout: long answers are normal.
    pub idle_timeout: Duration,
    /// Retries before the first output (network errors, 408/409/429/5xx/529, overloaded).
    pub max_retries: u32,
    /// First backoff delay; it doubles with each retry, with jitter.
    pub retry_base_delay: Duration,
    /// No wait, computed or asked for with Retry-After, is longer than this.
    pub retry_max_delay: Duration,
    /// Continue an answer whose connection dropped after output had started.
    pub resume: bool,
    /// How many times one answer may be resumed.
    pub max_resumes: u32,
    /// Largest accepted server-sent event.
    pub max_event_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            retry_max_delay: Duration::from_secs(30),
            resume: true,
            max_resumes: 2,
            max_event_bytes: MAX_EVENT_BYTES,
        }
    }
}
