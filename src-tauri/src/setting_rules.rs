//! What each setting may hold. The window checks too, but the file must never get a
//! value that breaks the next start or sends the key somewhere it should not go.

use serde_json::{Map, Value};

use crate::providers;
use crate::AppError;

/// Longest timeout accepted, in seconds: anything longer is a typo, and far larger
/// numbers would not fit a `Duration`.
const MAX_TIMEOUT_S: f64 = 3600.0;

/// Checks every change and returns them ready to store (text trimmed). The first
/// problem found is the error, naming the setting in words a person knows.
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
            match providers::preset(&id) {
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
            match providers::base_url_problem(&url) {
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
        Value::Number(n) if n.as_f64().is_some_and(|s| s > 0.0 && s <= MAX_TIMEOUT_S) => {
            Ok(Value::Number(n))
        }
        _ => Err(format!(
            "{label} must be a number of seconds above 0 and at most {MAX_TIMEOUT_S}."
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
        let checked = check(changes(
            json!({"temperature": null, "max_tokens": null, "model": "", "system_prompt": ""}),
        ))
        .unwrap();
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
            (json!({"connect_timeout_s": null}), "Connection timeout"),
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
