//! What the engine's integration tests share.

use std::time::Duration;

use foxtail_engine::{Event, Options};

/// Transport options for loopback tests: short timeouts and retry waits, so a test of a
/// stall or a retry takes a moment, not minutes.
pub fn fast_options(retry_max_delay: Duration) -> Options {
    Options {
        connect_timeout: Duration::from_secs(2),
        idle_timeout: Duration::from_secs(2),
        retry_base_delay: Duration::from_millis(5),
        retry_max_delay,
        ..Options::default()
    }
}

/// The answer's text: every `text` event joined.
pub fn text_of(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}
