//! The providers a person has set up, the models they keep at hand, and which
//! provider, model and assistant a conversation talks to.

use foxtail_engine::Protocol;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::assistants;
use crate::presets;
use crate::settings::Settings;

/// A provider that is set up: a preset id (its key is stored under it), and the
/// protocol and address it is reached at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProviderSetup {
    pub id: String,
    #[ts(type = "\"openai\" | \"anthropic\"")]
    pub protocol: Protocol,
    pub base_url: String,
}

/// A model of a provider, as favourites, recent models and assistants name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ModelRef {
    pub provider: String,
    pub model: String,
}

/// Recent models kept for the picker.
pub const MAX_RECENT: usize = 8;

/// What a new chat starts with: the picker's choice and, maybe, an assistant.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, TS)]
pub struct ChatStart {
    pub provider: Option<String>,
    pub model: Option<String>,
    pub assistant: Option<String>,
}

/// Checks a list of providers as the settings file may hold it.
pub(crate) fn check_providers(value: Value) -> Result<Value, String> {
    let list: Vec<ProviderSetup> = serde_json::from_value(value)
        .map_err(|_| "providers must be a list of {id, protocol, base_url}.".to_owned())?;
    let mut seen = Vec::new();
    for setup in &list {
        if presets::preset(&setup.id).is_none() {
            return Err(format!("Provider “{}” is not one Foxtail knows.", setup.id));
        }
        if seen.contains(&setup.id) {
            return Err(format!("Provider “{}” is set up twice.", setup.id));
        }
        seen.push(setup.id.clone());
        if let Some(problem) = presets::base_url_problem(&setup.base_url) {
            return Err(format!("Base URL: {problem}"));
        }
    }
    serde_json::to_value(list).map_err(|err| err.to_string())
}

pub(crate) fn check_model_refs(value: Value, label: &str) -> Result<Value, String> {
    let list: Vec<ModelRef> = serde_json::from_value(value)
        .map_err(|_| format!("{label} must be a list of {{provider, model}}."))?;
    serde_json::to_value(list).map_err(|err| err.to_string())
}

impl Settings {
    /// Keeps the provider in use among the providers set up, with the protocol and
    /// address the settings hold for it: the two are one choice, saved in two places
    /// only so that older files and the CLI's flags keep working.
    pub(crate) fn normalise_providers(&mut self) {
        let current = ProviderSetup {
            id: self.provider.clone(),
            protocol: self.protocol,
            base_url: self.base_url.clone(),
        };
        match self.providers.iter_mut().find(|p| p.id == current.id) {
            Some(setup) => *setup = current,
            None => self.providers.insert(0, current),
        }
        self.recent_models.truncate(MAX_RECENT);
    }

    /// The settings an answer in a conversation is written with: its provider (with
    /// that provider's address) and model, and its assistant's instructions. A provider
    /// that is no longer set up falls back to the one in use, with its model.
    pub fn for_chat(
        &self,
        provider: Option<&str>,
        model: Option<&str>,
        assistant: Option<&str>,
    ) -> Settings {
        let mut chat = self.clone();
        if let Some(setup) = provider.and_then(|id| self.providers.iter().find(|p| p.id == id)) {
            chat.provider = setup.id.clone();
            chat.protocol = setup.protocol;
            chat.base_url = setup.base_url.clone();
            if let Some(model) = model.filter(|m| !m.trim().is_empty()) {
                chat.model = model.trim().to_owned();
            }
        }
        if let Some(found) = assistant.and_then(|id| assistants::find(self, id)) {
            chat.system_prompt = found.instructions;
        }
        chat
    }

    /// `model` of `provider` becomes the most recent model.
    pub(crate) fn note_recent(&mut self, provider: &str, model: &str) {
        let used = ModelRef {
            provider: provider.to_owned(),
            model: model.to_owned(),
        };
        self.recent_models.retain(|r| *r != used);
        self.recent_models.insert(0, used);
        self.recent_models.truncate(MAX_RECENT);
    }
}

/// Picks `model` of `provider` in the chat header: for the conversation (when there is
/// one), as the model new chats start with, and as the most recent model. Returns the
/// settings as saved.
pub fn choose_model(
    storage: &foxtail_storage::Storage,
    settings: &crate::settings::SettingsFile,
    conversation_id: Option<i64>,
    provider: &str,
    model: &str,
) -> Result<Settings, crate::AppError> {
    let current = settings.get();
    let Some(setup) = current.providers.iter().find(|p| p.id == provider) else {
        return Err(crate::AppError::Settings(format!(
            "Provider “{provider}” is not set up: add it in Settings first."
        )));
    };
    let model = model.trim();
    if model.is_empty() {
        return Err(crate::AppError::Settings("Pick a model.".into()));
    }
    if let Some(id) = conversation_id {
        storage.set_conversation_model(id, provider, model)?;
    }
    let mut recent = current.clone();
    recent.note_recent(provider, model);
    let changes = serde_json::json!({
        "provider": setup.id,
        "protocol": setup.protocol,
        "base_url": setup.base_url,
        "model": model,
        "recent_models": recent.recent_models,
    });
    settings.save(changes.as_object().cloned().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn settings(changes: Value) -> Settings {
        Settings::default()
            .with(changes.as_object().unwrap().clone())
            .unwrap()
    }

    /// Settings past the first-run setup, with `changes`.
    fn set_up(changes: Value) -> Settings {
        Settings {
            setup_done: true,
            ..Settings::default()
        }
        .with(changes.as_object().unwrap().clone())
        .unwrap()
    }

    #[test]
    fn the_provider_in_use_is_always_among_those_set_up() {
        let s = Settings::default();
        assert_eq!(s.providers.len(), 1);
        assert_eq!(s.providers[0].id, "ofox");
        // The first-run setup picks one provider: the default entry goes.
        let first =
            settings(json!({"provider": "openrouter", "base_url": "https://openrouter.ai/api/v1"}));
        let ids: Vec<_> = first.providers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["openrouter"]);
        // Once set up, another provider joins those set up.
        let s = settings(json!({"setup_done": true}))
            .with(
                json!({"provider": "openrouter", "base_url": "https://openrouter.ai/api/v1"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        let ids: Vec<_> = s.providers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["openrouter", "ofox"]);
        // Changing the address of the one in use changes its setup too.
        let s = s
            .with(
                json!({"base_url": "https://openrouter.ai/api/v2"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        assert_eq!(s.providers[0].base_url, "https://openrouter.ai/api/v2");
    }

    #[test]
    fn bad_provider_lists_are_refused() {
        for (list, words) in [
            (
                json!([{"id": "nope", "protocol": "openai", "base_url": "https://x.example"}]),
                "not one",
            ),
            (
                json!([{"id": "openai", "protocol": "openai", "base_url": "http://x.example"}]),
                "https",
            ),
            (
                json!([
                    {"id": "openai", "protocol": "openai", "base_url": "https://a.example"},
                    {"id": "openai", "protocol": "openai", "base_url": "https://b.example"}
                ]),
                "twice",
            ),
            (json!("openai"), "list"),
        ] {
            let err = check_providers(list).unwrap_err();
            assert!(err.contains(words), "{err}");
        }
    }

    #[test]
    fn a_chat_uses_its_own_provider_model_and_assistant() {
        let s = set_up(json!({
            "providers": [
                {"id": "ofox", "protocol": "openai", "base_url": "https://api.ofox.ai/v1"},
                {"id": "anthropic", "protocol": "anthropic", "base_url": "https://api.anthropic.com"}
            ],
            "system_prompt": "Be brief."
        }));
        let chat = s.for_chat(Some("anthropic"), Some("claude-x"), Some("translator"));
        assert_eq!(chat.provider, "anthropic");
        assert_eq!(chat.protocol, Protocol::Anthropic);
        assert_eq!(chat.base_url, "https://api.anthropic.com");
        assert_eq!(chat.model, "claude-x");
        assert!(
            chat.system_prompt.to_lowercase().contains("translat"),
            "{}",
            chat.system_prompt
        );

        // A provider that was removed: the one in use, with its own model.
        let gone = s.for_chat(Some("openrouter"), Some("some/model"), None);
        assert_eq!(gone.provider, "ofox");
        assert_eq!(gone.model, s.model);
        assert_eq!(gone.system_prompt, "Be brief.");
    }

    #[test]
    fn choosing_a_model_sets_the_conversation_the_default_and_the_recent_list() {
        let dir = tempfile::tempdir().unwrap();
        let file = crate::settings::SettingsFile::open(dir.path()).unwrap();
        file.save(json!({"setup_done": true}).as_object().unwrap().clone())
            .unwrap();
        file.save(
            json!({"providers": [
                {"id": "ofox", "protocol": "openai", "base_url": "https://api.ofox.ai/v1"},
                {"id": "anthropic", "protocol": "anthropic", "base_url": "https://api.anthropic.com"}
            ]})
            .as_object()
            .unwrap()
            .clone(),
        )
        .unwrap();
        let storage = foxtail_storage::Storage::open_in_memory().unwrap();
        let c = storage.create_conversation("t").unwrap().id;
        let saved = choose_model(&storage, &file, Some(c), "anthropic", " claude-x ").unwrap();
        assert_eq!(saved.provider, "anthropic");
        assert_eq!(saved.protocol, Protocol::Anthropic);
        assert_eq!(saved.base_url, "https://api.anthropic.com");
        assert_eq!(saved.model, "claude-x");
        assert_eq!(saved.recent_models[0].model, "claude-x");
        assert_eq!(saved.providers.len(), 2, "no provider lost");
        let conversation = storage.conversation(c).unwrap();
        assert_eq!(conversation.provider.as_deref(), Some("anthropic"));
        assert_eq!(conversation.model.as_deref(), Some("claude-x"));
        assert!(choose_model(&storage, &file, None, "openrouter", "x").is_err());
        assert!(choose_model(&storage, &file, None, "ofox", " ").is_err());
    }

    #[test]
    fn recent_models_move_to_the_front_and_stay_few() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.note_recent("ofox", &format!("m{i}"));
        }
        s.note_recent("ofox", "m5");
        assert_eq!(s.recent_models.len(), MAX_RECENT);
        assert_eq!(s.recent_models[0].model, "m5");
        assert_eq!(
            s.recent_models.iter().filter(|r| r.model == "m5").count(),
            1
        );
    }
}
