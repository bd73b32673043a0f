//! The models a gateway offers, so that a person can pick one instead of typing it.

use futures_util::StreamExt;

use crate::client::{
    body_with_idle_timeout, provider_message, redirect_error, seconds, send_error, Client,
};
use crate::error::Error;
use crate::protocol::wire;
use crate::request::Protocol;
use crate::text::preview;

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
        self.list_models_with(base_url, protocol, &[]).await
    }

    /// [`Client::list_models`] with a gateway's own headers, as
    /// [`crate::ChatRequest::extra_headers`] holds them for chat requests.
    pub async fn list_models_with(
        &self,
        base_url: &str,
        protocol: Protocol,
        extra_headers: &[(String, String)],
    ) -> Result<Vec<String>, Error> {
        self.fetch_models(base_url, protocol, extra_headers)
            .await
            .map_err(|error| self.redact(error))
    }

    async fn fetch_models(
        &self,
        base_url: &str,
        protocol: Protocol,
        extra_headers: &[(String, String)],
    ) -> Result<Vec<String>, Error> {
        let wire = wire(protocol);
        let headers = self.headers(protocol, "application/json", extra_headers)?;
        let builder = self
            .http
            .get(wire.models_url(base_url.trim()))
            .headers(headers);
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
        if status.is_redirection() {
            return Err(redirect_error(&response));
        }
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
        wire.model_ids(&body).ok_or_else(|| {
            Error::protocol(format!(
                "the gateway's model list was not understood: {}",
                preview(String::from_utf8_lossy(&body).trim())
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
