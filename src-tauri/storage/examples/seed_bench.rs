//! Fills a data folder's history for `scripts/bench-window.mjs`: conversations (every
//! message complete) and documents, as the app would have stored them, through the same
//! `Storage` API the app uses.
//!
//!   cargo run --release -p foxtail-storage --example seed_bench -- DATA_DIR SPEC.json
//!
//! SPEC.json: `{"conversations": [{"title": "…", "messages": [{"role": "user" |
//! "assistant", "content": "…"}, …]}, …], "documents": [{"title": "…", "content": "…"},
//! …]}`. Prints, as one JSON line, the ids it made: `{"conversations": [{"id": 1,
//! "messages": 1000, "last_message_id": 1000}], "documents": [{"id": 1, "chars": 12000}]}`.

use std::path::PathBuf;

use foxtail_storage::{MessageStatus, NewMessage, Role, Storage, FILE_NAME};
use serde_json::{json, Value};

fn main() {
    if let Err(err) = run() {
        eprintln!("seed_bench: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (Some(data_dir), Some(spec_path), None) = (args.next(), args.next(), args.next()) else {
        return Err("usage: seed_bench DATA_DIR SPEC.json".into());
    };
    let spec_text = std::fs::read_to_string(&spec_path)
        .map_err(|err| format!("cannot read {spec_path}: {err}"))?;
    let spec: Value =
        serde_json::from_str(&spec_text).map_err(|err| format!("{spec_path}: {err}"))?;
    let data_dir = PathBuf::from(data_dir);
    std::fs::create_dir_all(&data_dir)
        .map_err(|err| format!("cannot create {}: {err}", data_dir.display()))?;
    let storage = Storage::open(&data_dir.join(FILE_NAME)).map_err(|err| err.to_string())?;

    let list = |key: &str| spec[key].as_array().cloned().unwrap_or_default();
    let text = |value: &Value, key: &str| -> Result<String, String> {
        value[key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("{key}: expected a string in {value:.80}"))
    };

    let mut conversations = Vec::new();
    for conversation in list("conversations") {
        let made = storage
            .create_conversation(&text(&conversation, "title")?)
            .map_err(|err| err.to_string())?;
        let mut last_id = None;
        let messages = conversation["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for message in &messages {
            let role = match text(message, "role")?.as_str() {
                "user" => Role::User,
                "assistant" => Role::Assistant,
                other => return Err(format!("role {other:?}: expected user or assistant")),
            };
            let content = text(message, "content")?;
            let stored = storage
                .add_message(
                    made.id,
                    NewMessage {
                        role,
                        content: &content,
                        status: MessageStatus::Complete,
                        model: (role == Role::Assistant).then_some("mock/alpha"),
                    },
                )
                .map_err(|err| err.to_string())?;
            last_id = Some(stored.id);
        }
        conversations.push(json!({
            "id": made.id,
            "messages": messages.len(),
            "last_message_id": last_id,
        }));
    }

    let mut documents = Vec::new();
    for document in list("documents") {
        let content = text(&document, "content")?;
        let made = storage
            .create_document(&text(&document, "title")?, &content)
            .map_err(|err| err.to_string())?;
        documents.push(json!({ "id": made.id, "chars": content.chars().count() }));
    }

    println!(
        "{}",
        json!({ "conversations": conversations, "documents": documents })
    );
    Ok(())
}
