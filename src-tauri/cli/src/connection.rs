//! The settings one CLI run uses: the app's saved settings, read without writing
//! anything, changed by the flags through the same rules the app's settings screen goes
//! through ([`Settings::with`]), so that a base URL the app would refuse is refused here.

use foxtail_core::presets::{self, Preset};
use foxtail_core::settings::{self, Settings};
use foxtail_engine::Protocol;
use serde_json::{Map, Number, Value};

/// What the flags ask to change; `None` keeps the saved setting.
#[derive(Debug, Default, Clone)]
pub struct Changes {
    pub provider: Option<String>,
    pub protocol: Option<Protocol>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub system: Option<String>,
    pub temperature: Option<f64>,
    pub max_tokens: Option<u32>,
}

/// The settings the app saved in its data folder (`FOXTAIL_DATA_DIR`, or the platform's
/// folder), or the defaults when there are none.
pub fn saved() -> Settings {
    settings::data_dir()
        .map(|dir| Settings::load(&dir))
        .unwrap_or_default()
}

/// `saved` with the flags applied. A provider other than the saved one brings its own
/// address and model, as choosing it in the app's settings does; so does a protocol other
/// than the saved one (a model typed by hand stays). Explicit `--base-url` and `--model`
/// come last. The message of an error is for a person, and names the setting.
pub fn apply(saved: &Settings, flags: &Changes) -> Result<Settings, String> {
    let provider = flags.provider.as_deref().unwrap_or(&saved.provider);
    let preset = presets::preset(provider).ok_or_else(|| unknown_provider(provider))?;
    let provider_changed = provider != saved.provider;
    let protocol_changed = flags.protocol.is_some_and(|p| p != saved.protocol);
    let mut protocol = flags.protocol.unwrap_or(saved.protocol);

    let mut changes = Map::new();
    changes.insert("provider".into(), Value::from(provider));
    // A provider set up in the app brings the address saved for it, and its latest
    // model; a flag still overrides either.
    let set_up = saved.providers.iter().find(|p| p.id == provider);
    if let Some(setup) = set_up.filter(|_| provider_changed && !protocol_changed) {
        changes.insert(
            "protocol".into(),
            Value::from(protocol_word(setup.protocol)),
        );
        changes.insert("base_url".into(), Value::from(setup.base_url.as_str()));
        let model = saved
            .recent_models
            .iter()
            .find(|m| m.provider == provider)
            .map(|m| m.model.as_str())
            .unwrap_or(default_model_of(preset, setup.protocol));
        changes.insert("model".into(), Value::from(model));
        protocol = setup.protocol;
    } else if (provider_changed || protocol_changed) && !is_custom(preset) {
        let speaks = protocols_of(preset);
        if !speaks.contains(&protocol) {
            match (flags.protocol, &flags.base_url) {
                // Asked for by name, with no address to send it to.
                (Some(asked), None) => {
                    return Err(format!(
                    "{} has no address for the {} protocol: use --protocol {}, or give --base-url.",
                    preset.name,
                    protocol_word(asked),
                    protocol_word(speaks[0]),
                ))
                }
                (Some(_), Some(_)) => {}
                (None, _) => protocol = speaks[0],
            }
        }
        let url = base_url_of(preset, protocol);
        if !url.is_empty() {
            changes.insert("base_url".into(), Value::from(url));
        }
        // Choosing a provider brings its model; choosing a protocol keeps one typed by
        // hand, and swaps a preset's default for the protocol's.
        let is_default =
            [preset.default_model, preset.anthropic_default_model].contains(&saved.model.as_str());
        if provider_changed || saved.model.is_empty() || is_default {
            changes.insert(
                "model".into(),
                Value::from(default_model_of(preset, protocol)),
            );
        }
    } else if provider_changed && flags.base_url.is_none() {
        // A custom gateway has no address of its own: the saved one belongs to another
        // provider, which must not receive this provider's key.
        return Err(format!(
            "{} has no address of its own: give --base-url.",
            preset.name
        ));
    }
    changes.insert("protocol".into(), Value::from(protocol_word(protocol)));
    if let Some(url) = &flags.base_url {
        changes.insert("base_url".into(), Value::from(url.as_str()));
    }
    if let Some(model) = &flags.model {
        changes.insert("model".into(), Value::from(model.as_str()));
    }
    if let Some(system) = &flags.system {
        changes.insert("system_prompt".into(), Value::from(system.as_str()));
    }
    if let Some(temperature) = flags.temperature {
        // NaN and infinities have no JSON number: they go in as text, which the
        // temperature rule refuses in its own words.
        let value = Number::from_f64(temperature)
            .map(Value::Number)
            .unwrap_or_else(|| Value::from(temperature.to_string()));
        changes.insert("temperature".into(), value);
    }
    if let Some(max_tokens) = flags.max_tokens {
        changes.insert("max_tokens".into(), Value::from(max_tokens));
    }
    saved.with(changes).map_err(|err| err.to_string())
}

/// The provider's name for messages: "OpenRouter (openrouter)".
pub fn provider_name(id: &str) -> String {
    match presets::preset(id) {
        Some(preset) => format!("{} ({})", preset.name, preset.id),
        None => id.to_owned(),
    }
}

fn unknown_provider(id: &str) -> String {
    let known: Vec<&str> = presets::PRESETS.iter().map(|p| p.id).collect();
    format!(
        "Provider “{id}” is not one Foxtail knows (known: {}).",
        known.join(", ")
    )
}

fn is_custom(preset: &Preset) -> bool {
    preset.openai_base_url.is_empty() && preset.anthropic_base_url.is_empty()
}

/// The protocols a preset has an address for, its usual one first.
fn protocols_of(preset: &Preset) -> Vec<Protocol> {
    let mut speaks = Vec::new();
    if !preset.openai_base_url.is_empty() {
        speaks.push(Protocol::Openai);
    }
    if !preset.anthropic_base_url.is_empty() {
        speaks.push(Protocol::Anthropic);
    }
    speaks
}

fn base_url_of(preset: &Preset, protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Openai => preset.openai_base_url,
        Protocol::Anthropic => preset.anthropic_base_url,
    }
}

fn default_model_of(preset: &Preset, protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Anthropic if !preset.anthropic_default_model.is_empty() => {
            preset.anthropic_default_model
        }
        _ => preset.default_model,
    }
}

pub fn protocol_word(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Openai => "openai",
        Protocol::Anthropic => "anthropic",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn saved(value: Value) -> Settings {
        Settings::default()
            .with(value.as_object().unwrap().clone())
            .unwrap()
    }

    fn flags() -> Changes {
        Changes::default()
    }

    #[test]
    fn without_flags_the_saved_settings_are_used_as_they_are() {
        let s = saved(json!({
            "provider": "openai", "base_url": "https://api.openai.com/v1", "model": "gpt-4.1",
            "system_prompt": "Be brief.", "temperature": 0.2,
        }));
        assert_eq!(apply(&s, &flags()).unwrap(), s);
    }

    #[test]
    fn a_provider_set_up_in_the_app_brings_its_saved_address_and_latest_model() {
        // Set up first: the first-run setup keeps only the provider it sets up.
        let s = saved(json!({"setup_done": true}));
        let s = s
            .with(
                json!({
                "providers": [
                    {"id": "ofox", "protocol": "openai", "base_url": "https://api.ofox.ai/v1"},
                    {"id": "custom", "protocol": "anthropic", "base_url": "http://127.0.0.1:4000"}
                ],
                "recent_models": [{"provider": "custom", "model": "local/llama"}],
                    })
                .as_object()
                .unwrap()
                .clone(),
            )
            .unwrap();
        let custom = Changes {
            provider: Some("custom".into()),
            ..flags()
        };
        let next = apply(&s, &custom).unwrap();
        assert_eq!(next.base_url, "http://127.0.0.1:4000");
        assert_eq!(next.protocol, Protocol::Anthropic);
        assert_eq!(next.model, "local/llama");
        // Flags still win.
        let with_model = Changes {
            provider: Some("custom".into()),
            model: Some("other".into()),
            ..flags()
        };
        assert_eq!(apply(&s, &with_model).unwrap().model, "other");
    }

    #[test]
    fn another_provider_brings_its_address_and_model() {
        let s = Settings::default();
        let openrouter = Changes {
            provider: Some("openrouter".into()),
            ..flags()
        };
        let next = apply(&s, &openrouter).unwrap();
        assert_eq!(next.provider, "openrouter");
        assert_eq!(next.base_url, "https://openrouter.ai/api/v1");
        assert_eq!(next.model, "openai/gpt-4o");
        assert_eq!(next.protocol, Protocol::Openai);

        // Anthropic speaks only its own protocol, with its own default model.
        let anthropic = Changes {
            provider: Some("anthropic".into()),
            ..flags()
        };
        let next = apply(&s, &anthropic).unwrap();
        assert_eq!(next.protocol, Protocol::Anthropic);
        assert_eq!(next.base_url, "https://api.anthropic.com");
        assert_eq!(next.model, "claude-sonnet-4-5");

        // Explicit flags win over the preset's.
        let both = Changes {
            provider: Some("openrouter".into()),
            base_url: Some("http://127.0.0.1:9/v1".into()),
            model: Some("m/x".into()),
            ..flags()
        };
        let next = apply(&s, &both).unwrap();
        assert_eq!(next.base_url, "http://127.0.0.1:9/v1");
        assert_eq!(next.model, "m/x");
    }

    #[test]
    fn another_protocol_brings_the_preset_s_address_and_keeps_a_typed_model() {
        let anthropic = Changes {
            protocol: Some(Protocol::Anthropic),
            ..flags()
        };
        let next = apply(&Settings::default(), &anthropic).unwrap();
        assert_eq!(next.base_url, "https://api.ofox.ai/anthropic");
        assert_eq!(next.model, "anthropic/claude-sonnet-4.5");

        let typed = saved(json!({"model": "deepseek/deepseek-chat"}));
        let next = apply(&typed, &anthropic).unwrap();
        assert_eq!(next.base_url, "https://api.ofox.ai/anthropic");
        assert_eq!(next.model, "deepseek/deepseek-chat");

        // OpenRouter has no Anthropic address: said plainly, unless one is given.
        let s =
            saved(json!({"provider": "openrouter", "base_url": "https://openrouter.ai/api/v1"}));
        let err = apply(&s, &anthropic).unwrap_err();
        assert!(
            err.contains("OpenRouter") && err.contains("--base-url"),
            "{err}"
        );
        let given = Changes {
            base_url: Some("https://gateway.example.com/anthropic".into()),
            ..anthropic
        };
        assert_eq!(
            apply(&s, &given).unwrap().base_url,
            "https://gateway.example.com/anthropic"
        );
    }

    #[test]
    fn a_custom_provider_needs_an_address() {
        let custom = Changes {
            provider: Some("custom".into()),
            ..flags()
        };
        let err = apply(&Settings::default(), &custom).unwrap_err();
        assert!(err.contains("--base-url"), "{err}");
        let given = Changes {
            base_url: Some("https://llm.example.com/v1".into()),
            ..custom
        };
        let next = apply(&Settings::default(), &given).unwrap();
        assert_eq!(
            (next.provider.as_str(), next.base_url.as_str()),
            ("custom", "https://llm.example.com/v1")
        );
    }

    #[test]
    fn the_app_s_rules_refuse_what_the_app_refuses() {
        let s = Settings::default();
        for (changes, words) in [
            (
                Changes {
                    base_url: Some("http://example.com/v1".into()),
                    ..flags()
                },
                "https://",
            ),
            (
                Changes {
                    temperature: Some(2.5),
                    ..flags()
                },
                "Temperature",
            ),
            (
                Changes {
                    temperature: Some(f64::NAN),
                    ..flags()
                },
                "Temperature",
            ),
            (
                Changes {
                    max_tokens: Some(0),
                    ..flags()
                },
                "Maximum answer length",
            ),
            (
                Changes {
                    provider: Some("gopher".into()),
                    ..flags()
                },
                "openrouter",
            ),
        ] {
            let err = apply(&s, &changes).unwrap_err();
            assert!(err.contains(words), "{changes:?}: {err}");
        }
        // Plain http to this computer is allowed, as in the app.
        let local = Changes {
            base_url: Some("http://localhost:11434/v1".into()),
            ..flags()
        };
        assert!(apply(&s, &local).is_ok());
    }

    #[test]
    fn the_system_prompt_and_limits_are_set_as_the_app_sets_them() {
        let changes = Changes {
            system: Some("  Answer in Korean. ".into()),
            temperature: Some(0.7),
            max_tokens: Some(256),
            ..flags()
        };
        let next = apply(&Settings::default(), &changes).unwrap();
        assert_eq!(next.system_prompt, "Answer in Korean.");
        assert_eq!(next.temperature, Some(0.7));
        assert_eq!(next.max_tokens, Some(256));
    }
}
