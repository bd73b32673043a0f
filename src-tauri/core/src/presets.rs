use serde::Serialize;
use ts_rs::TS;

/// A gateway a person can pick in the first-run setup. The key is stored per preset id,
/// so switching between OfoxAI and OpenAI keeps both keys. The window gets this list
/// from here; nothing else holds a copy.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    /// The base URL for each protocol the gateway speaks; empty when it does not.
    pub openai_base_url: &'static str,
    pub anthropic_base_url: &'static str,
    /// The model to start with in the OpenAI protocol.
    pub default_model: &'static str,
    /// The model to start with in the Anthropic protocol: gateways name models by
    /// provider, so one that speaks both has a different natural default in each.
    pub anthropic_default_model: &'static str,
    pub needs_key: bool,
    /// Headers this gateway wants on every request (its quirks live here, as data).
    pub extra_headers: &'static [(&'static str, &'static str)],
    /// Whether its Anthropic protocol takes `cache_control` marks. Off for the rest:
    /// some self-hosted gateways lose the text of a message sent as blocks.
    pub prompt_cache: bool,
    /// Whether it asks for reasoning as OpenRouter does (`reasoning: {effort}`) rather
    /// than as OpenAI does (`reasoning_effort`).
    pub reasoning_object: bool,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "ofox",
        name: "OfoxAI",
        openai_base_url: "https://api.ofox.ai/v1",
        anthropic_base_url: "https://api.ofox.ai/anthropic",
        default_model: "openai/gpt-4o",
        anthropic_default_model: "anthropic/claude-sonnet-4.5",
        needs_key: true,
        extra_headers: &[],
        prompt_cache: true,
        reasoning_object: true,
    },
    Preset {
        id: "openai",
        name: "OpenAI",
        openai_base_url: "https://api.openai.com/v1",
        anthropic_base_url: "",
        default_model: "gpt-4o",
        anthropic_default_model: "",
        needs_key: true,
        extra_headers: &[],
        prompt_cache: false,
        reasoning_object: false,
    },
    Preset {
        id: "anthropic",
        name: "Anthropic",
        openai_base_url: "",
        anthropic_base_url: "https://api.anthropic.com",
        default_model: "claude-sonnet-4-5",
        anthropic_default_model: "claude-sonnet-4-5",
        needs_key: true,
        extra_headers: &[],
        prompt_cache: true,
        reasoning_object: false,
    },
    Preset {
        id: "openrouter",
        name: "OpenRouter",
        openai_base_url: "https://openrouter.ai/api/v1",
        anthropic_base_url: "",
        default_model: "openai/gpt-4o",
        anthropic_default_model: "",
        needs_key: true,
        // OpenRouter shows the calling app by these in its dashboards.
        extra_headers: &[
            ("HTTP-Referer", "https://foxtail.ai"),
            ("X-Title", "Foxtail"),
        ],
        prompt_cache: false,
        reasoning_object: true,
    },
    Preset {
        id: "ollama",
        name: "Ollama (on this computer)",
        openai_base_url: "http://localhost:11434/v1",
        anthropic_base_url: "",
        default_model: "llama3.2",
        anthropic_default_model: "",
        needs_key: false,
        extra_headers: &[],
        prompt_cache: false,
        reasoning_object: false,
    },
    Preset {
        id: "custom",
        name: "Custom (OpenAI- or Anthropic-compatible)",
        openai_base_url: "",
        anthropic_base_url: "",
        default_model: "",
        anthropic_default_model: "",
        needs_key: true,
        extra_headers: &[],
        prompt_cache: false,
        reasoning_object: false,
    },
];

pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.id == id)
}

/// Why a base URL is refused, in words for the settings screen; `None` when it is fine.
/// Keys travel in headers, so anything but https would send them in the clear, except
/// to this very computer.
pub fn base_url_problem(url: &str) -> Option<String> {
    let parsed = match url::Url::parse(url.trim()) {
        Ok(parsed) => parsed,
        Err(_) => return Some(format!("“{url}” is not a web address.")),
    };
    match parsed.scheme() {
        "https" => None,
        "http" if is_loopback(parsed.host()) => None,
        "http" => Some(
            "Use an https:// address: over plain http the API key would travel unencrypted. \
             Plain http is only allowed for servers on this computer (localhost)."
                .to_string(),
        ),
        other => Some(format!(
            "“{other}:” addresses are not supported: use https://."
        )),
    }
}

pub fn is_loopback(host: Option<url::Host<&str>>) -> bool {
    match host {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_addresses_are_accepted() {
        assert_eq!(base_url_problem("https://api.ofox.ai/v1"), None);
        assert_eq!(base_url_problem("http://localhost:11434/v1"), None);
        assert_eq!(base_url_problem("http://127.0.0.1:8080"), None);
        assert_eq!(base_url_problem("http://[::1]:8080/v1"), None);
        assert!(base_url_problem("http://api.example.com/v1")
            .unwrap()
            .contains("https"));
        assert!(base_url_problem("http://localhost.evil.com/v1").is_some());
        assert!(base_url_problem("ftp://example.com").is_some());
        assert!(base_url_problem("api.ofox.ai").is_some());
    }

    #[test]
    fn every_preset_with_a_url_passes_the_url_rule() {
        for preset in PRESETS {
            for url in [preset.openai_base_url, preset.anthropic_base_url] {
                if !url.is_empty() {
                    assert_eq!(base_url_problem(url), None, "{}", preset.id);
                }
            }
        }
        assert_eq!(preset("ofox").unwrap().name, "OfoxAI");
    }
}
