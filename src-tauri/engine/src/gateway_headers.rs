//! A gateway's own headers ([`crate::ChatRequest::extra_headers`]) on top of the ones
//! the protocol sends.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;

/// The headers that carry the key. A gateway header may not replace them: the key goes
/// only where, and only how, the protocol sends it.
const KEY_HEADERS: [&str; 2] = ["authorization", "x-api-key"];

/// `headers` with `extra` added. An extra header replaces one of `headers` with the
/// same name (a different `anthropic-version`); several extra headers of one name are
/// all sent.
pub(crate) fn with_extra(
    mut headers: HeaderMap,
    extra: &[(String, String)],
) -> Result<HeaderMap, Error> {
    let mut replaced: Vec<HeaderName> = Vec::new();
    for (name, value) in extra {
        let name = name.trim();
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            refused(format!(
                "The gateway header name {name:?} is not a valid HTTP header name."
            ))
        })?;
        if KEY_HEADERS.contains(&header.as_str()) {
            return Err(refused(format!(
                "The gateway header {name:?} is not allowed: Foxtail sends the API key \
                 itself, and no other header may replace it."
            )));
        }
        // The value is left out of the message: it may be a secret of its own.
        let mut value = HeaderValue::from_str(value.trim()).map_err(|_| {
            refused(format!(
                "The value of the gateway header {name:?} holds characters an HTTP header \
                 cannot carry."
            ))
        })?;
        value.set_sensitive(true);
        if !replaced.contains(&header) {
            headers.remove(&header);
            replaced.push(header.clone());
        }
        headers.append(header, value);
    }
    Ok(headers)
}

fn refused(message: String) -> Error {
    Error::BadRequest {
        message,
        status: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn extra_headers_are_added_and_replace_their_namesakes() {
        let mut base = HeaderMap::new();
        base.insert("anthropic-version", HeaderValue::from_static("2023-06-01"));
        base.insert("x-api-key", HeaderValue::from_static("sk"));
        let headers = with_extra(
            base,
            &extra(&[
                ("Anthropic-Version", "2024-01-01"),
                ("HTTP-Referer", "https://foxtail.ai"),
                ("X-Tag", "a"),
                ("x-tag", "b"),
            ]),
        )
        .unwrap();
        assert_eq!(headers["anthropic-version"], "2024-01-01");
        assert_eq!(headers.get_all("anthropic-version").iter().count(), 1);
        assert_eq!(headers["http-referer"], "https://foxtail.ai");
        assert_eq!(
            headers.get_all("x-tag").iter().collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(headers["x-api-key"], "sk");
    }

    #[test]
    fn headers_that_would_replace_the_key_are_refused() {
        for name in ["Authorization", "authorization", "X-API-Key", " x-api-key "] {
            let err = with_extra(
                HeaderMap::new(),
                &extra(&[(name, "Bearer sk-test-fake-elsewhere")]),
            )
            .unwrap_err();
            assert_eq!(err.kind(), "bad_request", "{name}");
            assert!(err.message().contains("API key"), "{err}");
            assert!(!err.message().contains("sk-test-fake-elsewhere"), "{err}");
        }
    }

    #[test]
    fn headers_http_cannot_carry_are_refused_without_showing_the_value() {
        let err = with_extra(HeaderMap::new(), &extra(&[("X Title", "Foxtail")])).unwrap_err();
        assert_eq!(err.kind(), "bad_request");
        assert!(err.message().contains("\"X Title\""), "{err}");
        let err = with_extra(HeaderMap::new(), &extra(&[("X-Token", "secret\nmore")])).unwrap_err();
        assert_eq!(err.kind(), "bad_request");
        assert!(!err.message().contains("secret"), "{err}");
    }
}
