//! The request the saved settings make: the address, the model and its settings, the
//! transport options, the key and the tools. The app and the CLI both start here, so
//! they send the same request.

use std::time::Duration;

use foxtail_engine::{ChatRequest, Client, Options, Registry};
use serde::Serialize;
use ts_rs::TS;

use crate::keys::Keys;
use crate::presets;
use crate::settings::Settings;
use crate::AppError;

/// The settings that shape one request.
#[derive(Debug, Clone)]
pub struct Profile {
    pub provider: String,
    pub request: ChatRequest,
    pub options: Options,
}

impl Profile {
    /// The request and transport options `settings` make, without messages yet.
    pub fn from_settings(settings: &Settings) -> Result<Self, AppError> {
        let protocol = settings.protocol;
        let base_url = match settings.base_url.trim() {
            "" => protocol.default_base_url().to_string(),
            url => url.to_string(),
        };
        if let Some(problem) = presets::base_url_problem(&base_url) {
            return Err(AppError::Settings(problem));
        }
        let mut request = ChatRequest::new(protocol, "");
        request.messages.clear();
        request.base_url = base_url;
        request.model = match settings.model.trim() {
            "" => protocol.default_model().to_string(),
            model => model.to_string(),
        };
        request.system = Some(settings.system_prompt.trim().to_string()).filter(|s| !s.is_empty());
        request.temperature = settings.temperature;
        request.max_tokens = settings.max_tokens.filter(|max| *max >= 1);
        request.reasoning = settings.reasoning;
        if let Some(preset) = presets::preset(&settings.provider) {
            request.prompt_cache = preset.prompt_cache;
            if preset.reasoning_object {
                request.reasoning_format = foxtail_engine::ReasoningFormat::Object;
            }
            request.extra_headers = preset
                .extra_headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect();
        }
        let mut options = Options::default();
        // A hand-edited file may hold any number; one too large for a Duration is ignored
        // rather than allowed to panic.
        let positive = |seconds: Option<f64>| {
            seconds
                .and_then(|s| Duration::try_from_secs_f64(s).ok())
                .filter(|d| !d.is_zero())
        };
        if let Some(timeout) = positive(settings.connect_timeout_s) {
            options.connect_timeout = timeout;
        }
        if let Some(timeout) = positive(settings.idle_timeout_s) {
            options.idle_timeout = timeout;
        }
        Ok(Self {
            provider: settings.provider.clone(),
            request,
            options,
        })
    }
}

pub struct Prepared {
    pub client: Client,
    /// The tools the person left switched on.
    pub tools: Registry,
    /// The model settings and the address, without messages yet.
    pub request: ChatRequest,
    pub model: String,
    /// The preset id of the provider the request goes to.
    pub provider: String,
    /// The MCP servers whose tools join `tools` when the answer starts.
    pub mcp: Option<crate::mcp::McpPlan>,
}

/// The built-in tools, less those switched off in Settings.
pub fn enabled_tools(settings: &Settings) -> Registry {
    let mut tools = Registry::builtin();
    tools.retain(|name| !settings.disabled_tools.iter().any(|off| off == name));
    tools
}

/// What the settings list offers: every built-in tool with what it does.
#[derive(Debug, Serialize, TS)]
pub struct ToolInfo {
    pub name: String,
    pub description: String,
}

pub fn list_tools() -> Vec<ToolInfo> {
    Registry::builtin()
        .specs()
        .into_iter()
        .map(|spec| ToolInfo {
            name: spec.name,
            description: spec.description,
        })
        .collect()
}

/// A client with the provider's key and a request with `settings`.
pub fn prepare(settings: &Settings, keys: &Keys) -> Result<Prepared, AppError> {
    prepare_with(settings, keys, |_| {})
}

/// [`prepare`], with the transport options changed by `adjust` first.
pub fn prepare_with(
    settings: &Settings,
    keys: &Keys,
    adjust: impl FnOnce(&mut Options),
) -> Result<Prepared, AppError> {
    let mut profile = Profile::from_settings(settings)?;
    let needs_key = presets::preset(&profile.provider).is_none_or(|p| p.needs_key);
    // A server that needs no key works on a computer without a keychain too.
    let stored = match keys.load(&profile.provider) {
        Ok(stored) => stored,
        Err(_) if !needs_key => None,
        Err(err) => return Err(err.into()),
    };
    let key = match stored {
        // A stored key goes only where it was saved for: the window must not be able to
        // point it at another address.
        Some(_)
            if !keys
                .may_send(&profile.provider, &profile.request.base_url)
                .unwrap_or(false) =>
        {
            return Err(AppError::KeyOrigin {
                provider: presets::preset(&profile.provider)
                    .map_or(profile.provider.clone(), |p| p.name.to_owned()),
                origin: crate::keys::origin_of(&profile.request.base_url).unwrap_or_default(),
            })
        }
        Some(key) => key,
        None if !needs_key => foxtail_engine::SecretString::from(String::new()),
        None => return Err(AppError::NoKey),
    };
    adjust(&mut profile.options);
    let client = Client::new(key, profile.options)?;
    let model = profile.request.model.clone();
    Ok(Prepared {
        client,
        tools: enabled_tools(settings),
        request: profile.request,
        model,
        provider: profile.provider,
        mcp: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use foxtail_engine::Protocol;
    use serde_json::json;

    fn settings(changes: serde_json::Value) -> Settings {
        Settings::default()
            .with(changes.as_object().unwrap().clone())
            .unwrap()
    }

    #[test]
    fn tools_switched_off_in_settings_are_not_offered() {
        let all = enabled_tools(&Settings::default());
        assert_eq!(all.names(), vec!["current_time", "calculator"]);
        let some = settings(json!({"disabled_tools": ["calculator"]}));
        assert_eq!(enabled_tools(&some).names(), vec!["current_time"]);
        assert_eq!(list_tools().len(), 2);
        assert!(list_tools().iter().all(|t| !t.description.is_empty()));
    }

    #[test]
    fn the_profile_follows_the_settings() {
        let mut s = settings(json!({
            "provider": "ofox",
            "protocol": "anthropic",
            "base_url": "https://api.ofox.ai/anthropic",
            "model": "anthropic/claude-sonnet-4.5",
            "system_prompt": "  Be brief. ",
            "temperature": 0.3,
            "max_tokens": 512,
            "idle_timeout_s": 30,
        }));
        let profile = Profile::from_settings(&s).unwrap();
        assert_eq!(profile.request.protocol, Protocol::Anthropic);
        assert_eq!(profile.request.model, "anthropic/claude-sonnet-4.5");
        assert_eq!(profile.request.system.as_deref(), Some("Be brief."));
        assert_eq!(profile.request.temperature, Some(0.3));
        assert_eq!(profile.request.max_tokens, Some(512));
        assert_eq!(profile.options.idle_timeout, Duration::from_secs(30));
        assert!(profile.request.messages.is_empty());
        assert!(profile.request.extra_headers.is_empty());

        // A value no rule would let in, as a hand-edited file might hold.
        s.idle_timeout_s = Some(1e300);
        let profile = Profile::from_settings(&s).unwrap();
        assert_eq!(
            profile.options.idle_timeout,
            Options::default().idle_timeout
        );

        s.base_url = "http://gateway.example.com/v1".into();
        assert!(matches!(
            Profile::from_settings(&s),
            Err(AppError::Settings(_))
        ));
    }

    #[test]
    fn a_gateway_s_quirks_come_from_its_preset() {
        let s =
            settings(json!({"provider": "openrouter", "base_url": "https://openrouter.ai/api/v1"}));
        let profile = Profile::from_settings(&s).unwrap();
        assert!(profile
            .request
            .extra_headers
            .iter()
            .any(|(name, value)| name == "X-Title" && value == "Foxtail"));
    }
}
