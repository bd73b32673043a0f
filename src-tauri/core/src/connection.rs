//! Checking the saved gateway settings before the first chat: one tiny answer, and the
//! list of models to pick from.

use std::time::Instant;

use foxtail_engine::{CancellationToken, ChatRequest, Client, Event, Message, Options};
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::keys::Keys;
use crate::profile::prepare_with;
use crate::settings::Settings;
use crate::AppError;

pub const PROBE_PROMPT: &str = "Reply with the word OK.";
const PROBE_MAX_TOKENS: u32 = 16;

/// What a successful check shows the person.
#[derive(Debug, Serialize, PartialEq, TS)]
pub struct ConnectionReport {
    pub model: String,
    pub reply: String,
    pub elapsed_ms: u64,
}

/// A check must show the first failure as it is, at once: no waiting to retry, and
/// nothing to resume in a reply this short.
pub fn probe_options(options: &mut Options) {
    options.max_retries = 0;
    options.resume = false;
}

/// Streams one tiny answer with the address, model and temperature of `settings`
/// (which must hold no messages). The system prompt is left out: it is not what is being
/// checked, and a long one would cost tokens on every check.
pub async fn check(client: &Client, settings: &ChatRequest) -> Result<ConnectionReport, AppError> {
    let mut probe = settings.clone();
    probe.system = None;
    probe.messages = vec![Message::user(PROBE_PROMPT)];
    probe.max_tokens = Some(PROBE_MAX_TOKENS);
    let started = Instant::now();
    let mut reply = String::new();
    client
        .stream_chat(&probe, &CancellationToken::new(), &mut |event: Event| {
            if let Event::Text { text } = event {
                reply.push_str(&text);
            }
        })
        .await?;
    Ok(ConnectionReport {
        model: probe.model,
        reply: reply.trim().to_owned(),
        elapsed_ms: started.elapsed().as_millis() as u64,
    })
}

/// Checks the saved settings with one tiny answer.
pub async fn test_connection(
    settings: &Settings,
    keys: &Keys,
) -> Result<ConnectionReport, AppError> {
    let prepared = prepare_with(settings, keys, probe_options)?;
    check(&prepared.client, &prepared.request).await
}

/// The models a gateway offers, sorted: the saved one, or the provider, protocol and
/// address the settings screen shows (`changes`), which the person may not have saved
/// yet. The changes pass the same rules as a save.
pub async fn list_models(
    settings: &Settings,
    changes: Map<String, Value>,
    keys: &Keys,
) -> Result<Vec<String>, AppError> {
    let settings = settings.with(changes)?;
    let prepared = prepare_with(&settings, keys, |_| {})?;
    Ok(prepared
        .client
        .list_models_with(
            &prepared.request.base_url,
            prepared.request.protocol,
            &prepared.request.extra_headers,
        )
        .await?)
}

/// What the composer needs to know of the saved model: how much it reads at once and
/// whether it takes pictures; `None` where the gateway's list does not say (or the list
/// could not be had, which is not worth an error here).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ModelReport {
    pub model: String,
    #[ts(type = "number | null")]
    pub context_length: Option<u64>,
    pub image_input: Option<bool>,
}

pub async fn model_report(settings: &Settings, keys: &Keys) -> ModelReport {
    let unknown = ModelReport {
        model: settings.model.clone(),
        ..ModelReport::default()
    };
    let Ok(prepared) = prepare_with(settings, keys, |_| {}) else {
        return unknown;
    };
    let listed = prepared
        .client
        .model_facts(
            &prepared.request.base_url,
            prepared.request.protocol,
            &prepared.request.extra_headers,
        )
        .await;
    match listed
        .ok()
        .and_then(|facts| facts.into_iter().find(|f| f.id == prepared.model))
    {
        Some(facts) => ModelReport {
            model: facts.id,
            context_length: facts.context_length,
            image_input: facts.image_input,
        },
        None => unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use foxtail_engine::{Protocol, SecretString};
    use foxtail_mock_gateway::{answer_text, script, MockGateway};

    const KEY: &str = "sk-test-fake-connection";

    async fn check_against(
        scenario: &str,
        protocol: Protocol,
    ) -> Result<ConnectionReport, AppError> {
        let gateway = MockGateway::start_script(script(scenario).unwrap())
            .await
            .unwrap();
        let mut options = Options::default();
        probe_options(&mut options);
        let client = Client::new(SecretString::from(KEY), options).unwrap();
        let mut settings = ChatRequest::new(protocol, "");
        settings.messages.clear();
        settings.base_url = gateway.url();
        settings.model = "mock/alpha".into();
        settings.system = Some("Answer in French.".into());
        let report = check(&client, &settings).await;

        let requests = gateway.requests();
        assert_eq!(requests.len(), 1, "never retried");
        let body = requests[0].json();
        assert_eq!(body["max_tokens"], 16);
        assert!(body.to_string().contains(PROBE_PROMPT));
        assert!(!body.to_string().contains("French"));
        report
    }

    #[tokio::test]
    async fn the_saved_models_context_and_picture_input_come_from_the_list() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let keys = Keys::new(foxtail_keychain::Keychain::new("foxtail-test-model-report"));
        let settings = Settings::default()
            .with(
                serde_json::json!({"provider": "ollama", "base_url": gateway.url(), "model": "mock/beta"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        let report = model_report(&settings, &keys).await;
        assert_eq!(report.context_length, Some(32_000));
        assert_eq!(report.image_input, Some(false));
        let alpha = settings
            .with(
                serde_json::json!({"model": "mock/alpha"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        assert_eq!(model_report(&alpha, &keys).await.image_input, Some(true));
        let unknown = settings
            .with(
                serde_json::json!({"model": "not/listed"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        assert_eq!(model_report(&unknown, &keys).await.context_length, None);
    }

    #[tokio::test]
    async fn a_working_gateway_gives_the_reply_and_the_time() {
        for protocol in [Protocol::Openai, Protocol::Anthropic] {
            let report = check_against("ok", protocol).await.unwrap();
            assert_eq!(report.model, "mock/alpha");
            assert_eq!(report.reply, answer_text());
            assert!(report.elapsed_ms < 30_000);
        }
    }

    #[tokio::test]
    async fn a_refused_key_is_an_auth_error_in_the_providers_words() {
        for protocol in [Protocol::Openai, Protocol::Anthropic] {
            let err = check_against("unauthorized", protocol).await.unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Auth);
            let json = serde_json::to_value(&err).unwrap();
            assert_eq!(
                json,
                serde_json::json!({
                    "kind": "auth",
                    "message": "Invalid API key provided. Check your key at the gateway.",
                    "status": 401,
                })
            );
            assert!(!json.to_string().contains(KEY));
        }
    }

    #[tokio::test]
    async fn a_busy_gateway_fails_at_once_instead_of_retrying() {
        let err = check_against("unavailable", Protocol::Openai)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Server);
        assert_eq!(err.to_string(), "Service unavailable.");
    }
}
