use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::header::HeaderMap;

use crate::error::Error;
use crate::options::Options;

/// Whether an error met before any output may be retried. 400/401/403/404 and protocol
/// errors never are: asking again would get the same answer.
pub fn is_retryable(error: &Error) -> bool {
    match error {
        Error::Network { .. } | Error::Timeout { .. } | Error::Interrupted { .. } => true,
        Error::RateLimit { .. } | Error::Server { .. } => true,
        Error::Auth { .. }
        | Error::BadRequest { .. }
        | Error::Protocol { .. }
        | Error::Redirect { .. }
        | Error::Cancelled { .. }
        | Error::ToolLimit { .. }
        | Error::TooLarge { .. }
        | Error::ToolFile { .. } => false,
    }
}

/// The wait before retry number `attempt` (1-based): what the server asked for if it
/// did, else exponential backoff with jitter; never more than the cap.
pub fn delay(options: &Options, attempt: u32, asked: Option<Duration>) -> Duration {
    let cap = options.retry_max_delay;
    if let Some(asked) = asked {
        return asked.min(cap);
    }
    let exponent = attempt.saturating_sub(1).min(16);
    let full = options
        .retry_base_delay
        .saturating_mul(1 << exponent)
        .min(cap);
    // Half fixed, half random: clients that failed together do not retry together, and
    // the wait still grows.
    let half = full / 2;
    let jitter_ms = half.as_millis() as u64;
    let jitter = if jitter_ms == 0 {
        Duration::ZERO
    } else {
        Duration::from_millis(rand::thread_rng().gen_range(0..=jitter_ms))
    };
    (half + jitter).min(cap)
}

/// Reads `retry-after-ms` (OpenAI's, in milliseconds) or `Retry-After` (seconds or an
/// HTTP date).
pub fn asked_delay(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = header("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        if ms.is_finite() && ms >= 0.0 {
            return Some(Duration::from_secs_f64(ms / 1000.0));
        }
    }
    let value = header("retry-after")?;
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn options() -> Options {
        Options {
            retry_base_delay: Duration::from_millis(100),
            retry_max_delay: Duration::from_secs(2),
            ..Options::default()
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_stays_under_the_cap() {
        let o = options();
        for attempt in 1..=10 {
            let full = (Duration::from_millis(100) * (1 << (attempt - 1))).min(o.retry_max_delay);
            for _ in 0..50 {
                let d = delay(&o, attempt, None);
                assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d:?}");
            }
        }
    }

    #[test]
    fn the_servers_wish_is_honoured_up_to_the_cap() {
        let o = options();
        assert_eq!(
            delay(&o, 1, Some(Duration::from_millis(1500))),
            Duration::from_millis(1500)
        );
        assert_eq!(
            delay(&o, 1, Some(Duration::from_secs(3600))),
            o.retry_max_delay
        );
    }

    #[test]
    fn retry_after_headers_are_read() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(asked_delay(&h), Some(Duration::from_secs(2)));
        h.insert("retry-after-ms", HeaderValue::from_static("250"));
        assert_eq!(asked_delay(&h), Some(Duration::from_millis(250)));
        let mut h = HeaderMap::new();
        let later = SystemTime::now() + Duration::from_secs(30);
        h.insert(
            "retry-after",
            HeaderValue::from_str(&httpdate::fmt_http_date(later)).unwrap(),
        );
        let d = asked_delay(&h).unwrap();
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        h.insert("retry-after", HeaderValue::from_static("soon"));
        assert_eq!(asked_delay(&h), None);
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        let retried = |s: u16| is_retryable(&Error::from_status(s, "no".into()));
        for s in [408, 409, 429, 500, 502, 503, 504, 529] {
            assert!(retried(s), "{s}");
        }
        for s in [400, 401, 403, 404, 413, 422] {
            assert!(!retried(s), "{s}");
        }
    }
}
