//! The models a gateway offers, so that a person can pick one instead of typing it.

use futures_util::StreamExt;
use serde_json::Value;

use crate::client::{body_with_idle_timeout, provider_message, seconds, send_error, Client};
use crate::error::Error;
use crate::request::Protocol;

/// OpenRouter's full list with descriptions is a few megabytes; anything far larger is
/// not a model list.
const MAX_LIST_BYTES: usize = 32 * 1024 * 1024;
/// An error page needs no more than this to say what went wrong.
const MAX_ERROR_BYTES: usize = 64 * 1024;

impl Client {
    /// The model ids the gateway at `base_url` offers, sorted and without repeats.
    /// Failures have the same kinds, the provider's own words and the same timeouts as
    /// a chat stream.
    pub async fn list_models(
        &self,
        base_url: &str,
        protocol: Protocol,
    ) -> Result<Vec<String>, Error> {
        self.fetch_models(base_url, protocol)
            .await
            .map_err(|error| self.redact(error))
    }

    async fn fetch_models(&self, base_url: &str, protocol: Protocol) -> Result<Vec<String>, Error> {
        let base = base_url.trim().trim_end_matches('/');
        let url = match protocol {
            Protocol::Openai => format!("{base}/models"),
            // Anthropic pages its list 20 at a time unless asked for more; 1000 is its
            // largest page, more than any gateway offers through this protocol.
            Protocol::Anthropic => format!("{base}/v1/models?limit=1000"),
        };
        let builder = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json");
        let builder = self.authorize(builder, protocol)?;
        let idle = self.options().idle_timeout;
        let response = match tokio::time::timeout(idle, builder.send()).await {
            Err(_) => {
                return Err(Error::Timeout {
                    message: format!("the gateway sent no answer for {}", seconds(idle)),
                })
            }
            Ok(Err(err)) => return Err(send_error(&err)),
            Ok(Ok(response)) => response,
        };

        let status = response.status();
        if !status.is_success() {
            let (body, _) = read_limited(response, idle, MAX_ERROR_BYTES).await;
            let body = String::from_utf8_lossy(&body);
            let message = provider_message(&body).unwrap_or_else(|| {
                format!(
                    "HTTP {} {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or_default()
                )
            });
            return Err(Error::from_status(status.as_u16(), message));
        }
        let (body, end) = read_limited(response, idle, MAX_LIST_BYTES).await;
        match end {
            BodyEnd::Complete => {}
            BodyEnd::TooLarge => {
                return Err(Error::protocol(format!(
                    "the gateway's model list is larger than {} MB",
                    MAX_LIST_BYTES / (1024 * 1024)
                )))
            }
            BodyEnd::Failed(error) => return Err(error),
        }
        model_ids(&body).ok_or_else(|| {
            Error::protocol(format!(
                "the gateway's model list was not understood: {}",
                crate::openai::preview(String::from_utf8_lossy(&body).trim())
            ))
        })
    }
}

enum BodyEnd {
    Complete,
    TooLarge,
    Failed(Error),
}

/// Reads at most `limit` bytes of the body, with the idle timeout between pieces.
async fn read_limited(
    response: reqwest::Response,
    idle: std::time::Duration,
    limit: usize,
) -> (Vec<u8>, BodyEnd) {
    let mut body = Vec::new();
    let mut stream = Box::pin(body_with_idle_timeout(response, idle));
    while let Some(next) = stream.next().await {
        match next {
            Ok(bytes) => {
                if body.len() + bytes.len() > limit {
                    let room = limit - body.len();
                    body.extend_from_slice(&bytes[..room]);
                    return (body, BodyEnd::TooLarge);
                }
                body.extend_from_slice(&bytes);
            }
            Err(error) => return (body, BodyEnd::Failed(error)),
        }
    }
    (body, BodyEnd::Complete)
}

/// `data[].id` from either protocol's list, sorted and without repeats; `None` when
/// the body is not such a list.
fn model_ids(body: &[u8]) -> Option<Vec<String>> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let mut ids: Vec<String> = value
        .get("data")?
        .as_array()?
        .iter()
        .filter_map(|model| model.get("id")?.as_str())
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .collect();
    ids.sort();
    ids.dedup();
    Some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sorted_without_repeats_or_blanks() {
        let body = br#"{"object":"list","data":[
            {"id":"openai/gpt-4o","object":"model"},
            {"id":"anthropic/claude-sonnet-4.5"},
            {"id":"openai/gpt-4o"},
            {"id":"  "},
            {"name":"no id"}
        ]}"#;
        assert_eq!(
            model_ids(body),
            Some(vec![
                "anthropic/claude-sonnet-4.5".to_owned(),
                "openai/gpt-4o".to_owned()
            ])
        );
        assert_eq!(model_ids(br#"{"data":[]}"#), Some(Vec::new()));
    }

    #[test]
    fn a_body_that_is_not_a_list_is_refused() {
        assert_eq!(model_ids(b"<html>Welcome to nginx!</html>"), None);
        assert_eq!(model_ids(br#"{"models":["a"]}"#), None);
        assert_eq!(model_ids(br#"{"data":"a"}"#), None);
    }
}
