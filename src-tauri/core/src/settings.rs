//! The settings: one typed struct, the rules for what each setting may hold, and the
//! file they live in. The window checks too, but the file must never get a value that
//! breaks the next start or sends the key somewhere it should not go.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use foxtail_engine::Protocol;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::assistants::{check_assistants, Assistant};
use crate::mcp::{check_servers, McpServer, ToolRule};
use crate::presets;
use crate::providers::{check_model_refs, check_providers, ModelRef, ProviderSetup};
use crate::AppError;
use foxtail_engine::ReasoningEffort;

pub const FILE_NAME: &str = "settings.json";

/// Longest timeout accepted, in seconds: anything longer is a typo, and far larger
/// numbers would not fit a `Duration`.
const MAX_TIMEOUT_S: f64 = 3600.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Whatever the system's locale says.
    #[default]
    System,
    En,
    Ko,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

/// How a screen reader hears a new answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum AnnounceAnswers {
    /// Sentence by sentence as the answer streams.
    #[default]
    Sentences,
    /// Only that it ended.
    End,
}

/// The text size, in percent of the normal size.
pub const TEXT_SIZES: std::ops::RangeInclusive<u64> = 100..=200;

/// Every setting. No secret is ever stored here: API keys live in the keychain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Settings {
    /// A preset id (`presets::PRESETS`); the key is stored under it.
    pub provider: String,
    #[ts(type = "\"openai\" | \"anthropic\"")]
    pub protocol: Protocol,
    pub base_url: String,
    /// Empty means the protocol's default model.
    pub model: String,
    pub system_prompt: String,
    /// Empty (`null`) means the model's default.
    pub temperature: Option<f64>,
    /// Empty means no limit.
    pub max_tokens: Option<u32>,
    /// Empty means the engine's default.
    pub connect_timeout_s: Option<f64>,
    pub idle_timeout_s: Option<f64>,
    pub language: Language,
    pub theme: Theme,
    pub setup_done: bool,
    /// Tools the person switched off; tools not listed are on, so a new built-in tool is
    /// available without a settings change.
    pub disabled_tools: Vec<String>,
    /// MCP servers, without the values of their secrets (those are in the keychain).
    pub mcp_servers: Vec<McpServer>,
    /// Tools' standing rules, by `server/tool` (`mcp::rule_key`).
    pub tool_rules: BTreeMap<String, ToolRule>,
    /// Every provider set up, the one in use (`provider`) among them.
    pub providers: Vec<ProviderSetup>,
    /// Models starred in the picker, and the ones used last (newest first).
    pub favorite_models: Vec<ModelRef>,
    pub recent_models: Vec<ModelRef>,
    /// The person's own assistants (the built-in ones are in `assistants::BUILTIN`).
    pub assistants: Vec<Assistant>,
    /// How hard a model that can reason should think; `None` leaves it to the model.
    pub reasoning: Option<ReasoningEffort>,
    pub announce_answers: AnnounceAnswers,
    /// Percent of the normal text size (see [`TEXT_SIZES`]).
    pub text_size: u16,
}

impl Default for Settings {
    fn default() -> Self {
        let ofox = &presets::PRESETS[0];
        Self {
            provider: ofox.id.to_owned(),
            protocol: Protocol::Openai,
            base_url: ofox.openai_base_url.to_owned(),
            model: ofox.default_model.to_owned(),
            system_prompt: String::new(),
            temperature: None,
            max_tokens: None,
            connect_timeout_s: None,
            idle_timeout_s: None,
            language: Language::System,
            theme: Theme::System,
            setup_done: false,
            disabled_tools: Vec::new(),
            mcp_servers: Vec::new(),
            tool_rules: BTreeMap::new(),
            providers: vec![ProviderSetup {
                id: ofox.id.to_owned(),
                protocol: Protocol::Openai,
                base_url: ofox.openai_base_url.to_owned(),
            }],
            favorite_models: Vec::new(),
            recent_models: Vec::new(),
            assistants: Vec::new(),
            reasoning: None,
            announce_answers: AnnounceAnswers::Sentences,
            text_size: 100,
        }
    }
}

impl Settings {
    /// These settings with `changes` applied, each checked first. The first problem
    /// found is the error, naming the setting in words a person knows.
    pub fn with(&self, changes: Map<String, Value>) -> Result<Settings, AppError> {
        let mut all = self.as_map();
        for (key, value) in changes {
            let value = check_one(&key, value).map_err(AppError::Settings)?;
            all.insert(key, value);
        }
        let mut next: Settings = serde_json::from_value(Value::Object(all)).map_err(|err| {
            AppError::Settings(format!("The settings do not fit together: {err}"))
        })?;
        // Until the first-run setup is done, the provider being set up is the only one:
        // the default OfoxAI entry must not linger, keyless, beside the one chosen.
        if !self.setup_done {
            let chosen = next.provider.clone();
            next.providers.retain(|p| p.id == chosen);
        }
        next.normalise_providers();
        Ok(next)
    }

    /// Settings read from a file that may hold anything: every value that passes its
    /// rule is kept, anything else falls back to its default.
    fn lenient(saved: Map<String, Value>) -> Settings {
        let mut all = Settings::default().as_map();
        for (key, value) in saved {
            if let Ok(value) = check_one(&key, value) {
                all.insert(key, value);
            }
        }
        let mut settings: Settings = serde_json::from_value(Value::Object(all)).unwrap_or_default();
        settings.normalise_providers();
        settings
    }

    fn as_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}

/// Moves every file the app writes (settings, history, the web view's storage) into
/// another folder: tests and portable installs use it.
pub const DATA_DIR_ENV: &str = "FOXTAIL_DATA_DIR";

/// The app's identifier, which names its data folder (as in tauri.conf.json).
pub const APP_IDENTIFIER: &str = "ai.foxtail.desktop";

/// The folder the app keeps its files in when `FOXTAIL_DATA_DIR` is not set: the
/// platform's data folder, named by the identifier, as the desktop app resolves it.
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join(APP_IDENTIFIER))
}

/// The data folder: `FOXTAIL_DATA_DIR` (made absolute) or the platform's.
pub fn data_dir() -> Option<PathBuf> {
    data_dir_override().or_else(default_data_dir)
}

/// The folder `FOXTAIL_DATA_DIR` names, made absolute from where the app started;
/// `None` when it is unset or blank.
pub fn data_dir_override() -> Option<PathBuf> {
    choose_data_dir(
        std::env::var_os(DATA_DIR_ENV),
        &std::env::current_dir().unwrap_or_default(),
    )
}

fn choose_data_dir(env_value: Option<std::ffi::OsString>, current_dir: &Path) -> Option<PathBuf> {
    let value = env_value?;
    if value.to_string_lossy().trim().is_empty() {
        return None;
    }
    let path = PathBuf::from(value);
    Some(match path.is_absolute() {
        true => path,
        false => current_dir.join(path),
    })
}

impl Settings {
    /// The settings saved in `data_dir`, read without writing anything (the CLI reads
    /// the app's settings this way); defaults where there is no file or a bad value.
    pub fn load(data_dir: &Path) -> Settings {
        let saved = std::fs::read(data_dir.join(FILE_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
            .unwrap_or_default();
        Settings::lenient(saved)
    }
}

/// The settings file, and what it holds now. Every change is written at once and
/// reported when it fails; a background save would fail silently.
pub struct SettingsFile {
    path: PathBuf,
    current: Mutex<Settings>,
    /// Where an unreadable earlier file was put aside, if one was.
    pub recovered_from: Option<PathBuf>,
}

impl SettingsFile {
    /// Reads `settings.json` in `data_dir`; a file that is not JSON is kept aside and the
    /// defaults are used. The file is written at once, so that a folder that cannot be
    /// written shows early, not at the first change.
    pub fn open(data_dir: &Path) -> Result<Self, AppError> {
        let path = data_dir.join(FILE_NAME);
        let recovered_from = quarantine_if_corrupt(&path)?;
        let saved = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice::<Map<String, Value>>(&bytes).unwrap_or_default(),
            Err(_) => Map::new(),
        };
        let file = Self {
            path,
            current: Mutex::new(Settings::lenient(saved)),
            recovered_from,
        };
        file.write(&file.get())?;
        Ok(file)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn get(&self) -> Settings {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Checks `changes` (only the settings named in it change), writes the file and
    /// returns every setting. When the file cannot be written (disk full, read-only
    /// folder) nothing changes, so that what the window sees is what the next start
    /// will read.
    pub fn save(&self, changes: Map<String, Value>) -> Result<Settings, AppError> {
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        let next = current.with(changes)?;
        self.write(&next)
            .map_err(|err| AppError::Settings(format!("The settings could not be saved: {err}")))?;
        *current = next.clone();
        Ok(next)
    }

    /// Writes a whole new file beside the old one and moves it into place, so that a
    /// crash or a full disk never leaves half a file; only this user may read it.
    fn write(&self, settings: &Settings) -> Result<(), AppError> {
        let unusable = |err: std::io::Error| {
            AppError::Settings(format!(
                "The settings file {} could not be written: {err}",
                self.path.display()
            ))
        };
        let json = serde_json::to_vec_pretty(settings)
            .map_err(std::io::Error::other)
            .map_err(unusable)?;
        let partial = self.path.with_extension("json.partial");
        crate::files::write_private(&partial, &json).map_err(unusable)?;
        std::fs::rename(&partial, &self.path).map_err(|err| {
            let _ = std::fs::remove_file(&partial);
            unusable(err)
        })
    }
}

/// Renames an unreadable settings file to `settings.json.corrupt-<unix seconds>` and
/// returns the new path; a missing or valid file is left alone.
pub fn quarantine_if_corrupt(path: &Path) -> Result<Option<PathBuf>, AppError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(AppError::DataDir {
                path: path.display().to_string(),
                source,
            })
        }
    };
    if serde_json::from_slice::<Map<String, Value>>(&bytes).is_ok() {
        return Ok(None);
    }
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let aside = path.with_file_name(format!("{FILE_NAME}.corrupt-{stamp}"));
    std::fs::rename(path, &aside).map_err(|source| AppError::DataDir {
        path: aside.display().to_string(),
        source,
    })?;
    Ok(Some(aside))
}

/// Checks every change and returns them ready to store (text trimmed).
pub fn check(changes: Map<String, Value>) -> Result<Map<String, Value>, AppError> {
    changes
        .into_iter()
        .map(|(key, value)| {
            let value = check_one(&key, value).map_err(AppError::Settings)?;
            Ok((key, value))
        })
        .collect()
}

fn check_one(key: &str, value: Value) -> Result<Value, String> {
    match key {
        "provider" => {
            let id = text(value, "Provider")?;
            match presets::preset(&id) {
                Some(_) => Ok(Value::String(id)),
                None => Err(format!("Provider “{id}” is not one Foxtail knows.")),
            }
        }
        "protocol" => one_of(value, "Protocol", &["openai", "anthropic"]),
        "base_url" => {
            let url = text(value, "Base URL")?;
            if url.is_empty() {
                return Err("Base URL is empty: enter the gateway's address.".into());
            }
            match presets::base_url_problem(&url) {
                Some(problem) => Err(format!("Base URL: {problem}")),
                None => Ok(Value::String(url)),
            }
        }
        // Empty means the protocol's default model.
        "model" => text(value, "Model").map(Value::String),
        "system_prompt" => match value {
            Value::String(prompt) => Ok(Value::String(prompt.trim().to_owned())),
            _ => Err("System prompt must be text.".into()),
        },
        "temperature" => match value {
            Value::Null => Ok(Value::Null),
            Value::Number(n) if n.as_f64().is_some_and(|t| (0.0..=2.0).contains(&t)) => {
                Ok(Value::Number(n))
            }
            _ => Err(
                "Temperature must be a number from 0 to 2, or empty for the model's default."
                    .into(),
            ),
        },
        "max_tokens" => match value {
            Value::Null => Ok(Value::Null),
            Value::Number(n)
                if n.as_u64()
                    .is_some_and(|max| (1..=u64::from(u32::MAX)).contains(&max)) =>
            {
                Ok(Value::Number(n))
            }
            _ => Err(
                "Maximum answer length must be a whole number above 0, or empty for no limit."
                    .into(),
            ),
        },
        "connect_timeout_s" => seconds(value, "Connection timeout"),
        "idle_timeout_s" => seconds(value, "Silence timeout"),
        "language" => one_of(value, "Language", &["system", "en", "ko"]),
        "announce_answers" => one_of(value, "Reading answers aloud", &["sentences", "end"]),
        "text_size" => match value {
            Value::Number(n) if n.as_u64().is_some_and(|size| TEXT_SIZES.contains(&size)) => {
                Ok(Value::Number(n))
            }
            _ => Err("Text size must be a whole percent from 100 to 200.".into()),
        },
        "theme" => one_of(value, "Theme", &["system", "light", "dark"]),
        "setup_done" => match value {
            Value::Bool(done) => Ok(Value::Bool(done)),
            _ => Err("setup_done must be true or false.".into()),
        },
        // Tools the person switched off; tools not listed are on, so a new built-in
        // tool is available without a settings change.
        "disabled_tools" => match value {
            Value::Array(names) if names.iter().all(Value::is_string) => Ok(Value::Array(names)),
            _ => Err("disabled_tools must be a list of tool names.".into()),
        },
        "mcp_servers" => check_servers(value),
        "tool_rules" => serde_json::from_value::<BTreeMap<String, ToolRule>>(value)
            .map_err(|_| "Each tool's rule must be “ask” or “allow”.".to_owned())
            .and_then(|rules| serde_json::to_value(rules).map_err(|err| err.to_string())),
        "providers" => check_providers(value),
        "favorite_models" => check_model_refs(value, "Favourite models"),
        "recent_models" => check_model_refs(value, "Recent models"),
        "assistants" => check_assistants(value),
        "reasoning" => match value {
            Value::Null => Ok(Value::Null),
            other => one_of(other, "Reasoning", &["low", "medium", "high"]),
        },
        other => Err(format!("“{other}” is not a setting Foxtail knows.")),
    }
}

fn text(value: Value, label: &str) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.trim().to_owned()),
        _ => Err(format!("{label} must be text.")),
    }
}

fn one_of(value: Value, label: &str, allowed: &[&str]) -> Result<Value, String> {
    match value {
        Value::String(choice) if allowed.contains(&choice.as_str()) => Ok(Value::String(choice)),
        _ => Err(format!("{label} must be one of: {}.", allowed.join(", "))),
    }
}

fn seconds(value: Value, label: &str) -> Result<Value, String> {
    match value {
        // Empty: the engine's default.
        Value::Null => Ok(Value::Null),
        Value::Number(n) if n.as_f64().is_some_and(|s| s > 0.0 && s <= MAX_TIMEOUT_S) => {
            Ok(Value::Number(n))
        }
        _ => Err(format!(
            "{label} must be a number of seconds above 0 and at most {MAX_TIMEOUT_S}, or empty for the default."
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn changes(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    fn problem(value: Value) -> String {
        match check(changes(value)) {
            Err(AppError::Settings(message)) => message,
            other => panic!("expected a settings error, got {other:?}"),
        }
    }

    #[test]
    fn reading_settings_take_only_their_own_values() {
        let base = Settings::default();
        let change = |key: &str, value: Value| {
            let mut map = Map::new();
            map.insert(key.into(), value);
            base.with(map)
        };
        let bigger = change("text_size", json!(150)).unwrap();
        assert_eq!(bigger.text_size, 150);
        for bad in [json!(99), json!(201), json!(1.5), json!("150")] {
            assert!(change("text_size", bad).is_err());
        }
        let end = change("announce_answers", json!("end")).unwrap();
        assert_eq!(end.announce_answers, AnnounceAnswers::End);
        assert!(change("announce_answers", json!("tokens")).is_err());
        // A file with an out-of-range size keeps the rest and falls back for that one.
        let mut saved = Map::new();
        saved.insert("text_size".into(), json!(900));
        saved.insert("announce_answers".into(), json!("end"));
        let read = Settings::lenient(saved);
        assert_eq!(
            (read.text_size, read.announce_answers),
            (100, AnnounceAnswers::End)
        );
    }

    #[test]
    fn a_valid_or_missing_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(quarantine_if_corrupt(&path).unwrap(), None);
        std::fs::write(&path, br#"{"model":"openai/gpt-4o"}"#).unwrap();
        assert_eq!(quarantine_if_corrupt(&path).unwrap(), None);
        assert!(path.exists());
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_with_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, b"{\"model\": \"half-writ").unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        let aside = file.recovered_from.clone().expect("moved aside");
        assert_eq!(std::fs::read(&aside).unwrap(), b"{\"model\": \"half-writ");
        assert!(aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("settings.json.corrupt-"));
        assert_eq!(file.get(), Settings::default());
    }

    fn saved(dir: &Path) -> Map<String, Value> {
        serde_json::from_slice(&std::fs::read(dir.join(FILE_NAME)).unwrap()).unwrap()
    }

    #[test]
    fn saved_changes_reach_the_file_and_every_setting_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        assert_eq!(
            saved(dir.path())["provider"],
            "ofox",
            "defaults written at once"
        );
        let all = file
            .save(changes(json!({
                "model": " mock/alpha ",
                "temperature": 0.5,
                "max_tokens": null,
                "setup_done": true,
            })))
            .unwrap();
        assert_eq!(all.model, "mock/alpha");
        assert_eq!(all.provider, "ofox");
        assert_eq!(all.max_tokens, None);
        let on_disk = saved(dir.path());
        assert_eq!(on_disk["model"], "mock/alpha");
        assert_eq!(on_disk["temperature"], 0.5);
        assert_eq!(on_disk["setup_done"], true);
        // The next start reads what was saved.
        assert_eq!(SettingsFile::open(dir.path()).unwrap().get(), all);
    }

    #[cfg(unix)]
    #[test]
    fn only_this_user_can_read_the_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        SettingsFile::open(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(FILE_NAME))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn one_bad_value_keeps_every_change_out() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        let err = file
            .save(changes(json!({"model": "mock/beta", "temperature": 5})))
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Settings);
        assert!(err.to_string().contains("Temperature"), "{err}");
        assert_eq!(file.get().model, "openai/gpt-4o");
        assert_eq!(saved(dir.path())["model"], "openai/gpt-4o");
    }

    #[test]
    fn a_failed_write_is_an_error_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path()).unwrap();
        // A folder where the file should be fails every write, even for root.
        let path = dir.path().join(FILE_NAME);
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let err = file
            .save(changes(
                json!({"model": "mock/beta", "system_prompt": "Be brief."}),
            ))
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Settings);
        assert!(
            err.to_string()
                .starts_with("The settings could not be saved: "),
            "{err}"
        );
        assert_eq!(file.get().model, "openai/gpt-4o");
        assert_eq!(file.get().system_prompt, "");
    }

    #[test]
    fn a_hand_edited_file_keeps_what_is_good_and_drops_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            br#"{"model":"mock/x","protocol":"grpc","idle_timeout_s":1e300,"unknown":1}"#,
        )
        .unwrap();
        let settings = SettingsFile::open(dir.path()).unwrap().get();
        assert_eq!(settings.model, "mock/x");
        assert_eq!(settings.protocol, Protocol::Openai);
        assert_eq!(settings.idle_timeout_s, None);
    }

    #[test]
    fn an_unset_or_blank_data_dir_variable_keeps_the_platform_folder() {
        assert_eq!(choose_data_dir(None, Path::new("/home/a")), None);
        assert_eq!(
            choose_data_dir(Some(" ".into()), Path::new("/home/a")),
            None
        );
    }

    #[test]
    fn a_relative_data_dir_is_taken_from_where_the_app_started() {
        assert_eq!(
            choose_data_dir(Some("data".into()), Path::new("/home/a")),
            Some(PathBuf::from("/home/a/data"))
        );
        assert_eq!(
            choose_data_dir(Some("/srv/foxtail".into()), Path::new("/home/a")),
            Some(PathBuf::from("/srv/foxtail"))
        );
    }

    #[test]
    fn good_values_pass_and_text_is_trimmed() {
        let checked = check(changes(json!({
            "provider": "openrouter",
            "protocol": "anthropic",
            "base_url": "  https://api.ofox.ai/anthropic ",
            "model": " anthropic/claude-sonnet-4.5\n",
            "temperature": 0.7,
            "max_tokens": 1024,
            "system_prompt": "  Be brief.  ",
            "connect_timeout_s": 5,
            "idle_timeout_s": 90.5,
            "language": "ko",
            "theme": "dark",
            "setup_done": true,
            "disabled_tools": ["current_time"],
        })))
        .unwrap();
        assert_eq!(checked["base_url"], json!("https://api.ofox.ai/anthropic"));
        assert_eq!(checked["model"], json!("anthropic/claude-sonnet-4.5"));
        assert_eq!(checked["system_prompt"], json!("Be brief."));
        assert_eq!(checked["idle_timeout_s"], json!(90.5));
        assert_eq!(checked["disabled_tools"], json!(["current_time"]));
        assert_eq!(checked.len(), 13);
    }

    #[test]
    fn empty_means_default_where_a_default_exists() {
        let checked = check(changes(json!({
            "temperature": null,
            "max_tokens": null,
            "model": "",
            "system_prompt": "",
            "connect_timeout_s": null,
            "idle_timeout_s": null,
        })))
        .unwrap();
        assert_eq!(checked["connect_timeout_s"], Value::Null);
        assert_eq!(checked["temperature"], Value::Null);
        assert_eq!(checked["max_tokens"], Value::Null);
        assert_eq!(checked["model"], json!(""));
    }

    #[test]
    fn bad_values_are_refused_naming_the_setting() {
        for (change, words) in [
            (json!({"temperature": 2.5}), "Temperature"),
            (json!({"temperature": -0.1}), "Temperature"),
            (json!({"temperature": "hot"}), "Temperature"),
            (json!({"max_tokens": 0}), "Maximum answer length"),
            (json!({"max_tokens": 1.5}), "Maximum answer length"),
            (json!({"max_tokens": -3}), "Maximum answer length"),
            (
                json!({"max_tokens": 5_000_000_000u64}),
                "Maximum answer length",
            ),
            (json!({"idle_timeout_s": 0}), "Silence timeout"),
            (json!({"disabled_tools": "calculator"}), "disabled_tools"),
            (json!({"disabled_tools": [1]}), "disabled_tools"),
            (json!({"connect_timeout_s": 1e300}), "Connection timeout"),
            (json!({"connect_timeout_s": -1}), "Connection timeout"),
            (json!({"protocol": "grpc"}), "Protocol"),
            (json!({"language": "fr"}), "Language"),
            (json!({"theme": "blue"}), "Theme"),
            (json!({"setup_done": "yes"}), "setup_done"),
            (json!({"provider": "nope"}), "Provider"),
            (json!({"model": 4}), "Model"),
            (json!({"base_url": ""}), "Base URL"),
            (json!({"api_key": "sk-test"}), "“api_key” is not a setting"),
        ] {
            let message = problem(change.clone());
            assert!(message.contains(words), "{change}: {message}");
        }
    }

    #[test]
    fn a_base_url_that_would_send_the_key_in_the_clear_is_refused() {
        let message = problem(json!({"base_url": "http://gateway.example.com/v1"}));
        assert!(
            message.starts_with("Base URL: Use an https:// address"),
            "{message}"
        );
        assert!(check(changes(json!({"base_url": "http://localhost:11434/v1"}))).is_ok());
    }
}
