//! A long conversation summed up, so that a new chat can start from the summary when
//! the old one no longer fits the model's context.

use foxtail_engine::{CancellationToken, Message};
use foxtail_storage::{Role, Storage};

use crate::document_summary::{split, write_once, PART_TOKENS};
use crate::keys::Keys;
use crate::profile::prepare;
use crate::settings::Settings;
use crate::AppError;

/// The most parts summarized; a longer conversation is summed up from its latest turns,
/// which matter most to what comes next.
const MAX_PARTS: usize = 4;

const INSTRUCTION: &str = "You summarize a conversation between a person and an assistant \
so that it can go on in a new chat. Keep the person's goals, facts they gave, decisions, \
open questions and anything the assistant promised; leave out small talk. Write in the \
conversation's own language, as a short list, and add nothing that was not said.";

/// The conversation's text as a transcript, one turn after the other.
fn transcript(storage: &Storage, conversation_id: i64) -> Result<String, AppError> {
    let mut text = String::new();
    for message in storage.messages(conversation_id)? {
        if message.content.trim().is_empty() {
            continue;
        }
        let who = match message.role {
            Role::User => "Person",
            Role::Assistant => "Assistant",
        };
        text.push_str(&format!("{who}: {}\n\n", message.content.trim()));
    }
    Ok(text)
}

/// Sums up the conversation with `settings` (the conversation's own provider and
/// model), part by part when it is long.
pub async fn summarize(
    storage: &Storage,
    settings: &Settings,
    keys: &Keys,
    conversation_id: i64,
    cancel: &CancellationToken,
) -> Result<String, AppError> {
    let text = transcript(storage, conversation_id)?;
    if text.trim().is_empty() {
        return Err(AppError::EmptyMessage);
    }
    let parts = split(&text, PART_TOKENS);
    let parts = &parts[parts.len().saturating_sub(MAX_PARTS)..];
    let prepared = prepare(settings, keys)?;
    let mut summary = String::new();
    for (n, part) in parts.iter().enumerate() {
        let mut request = prepared.request.clone();
        request.system = Some(INSTRUCTION.into());
        request.messages = vec![Message::user(format!(
            "Summarize this conversation{}:\n<conversation>\n{part}\n</conversation>",
            match parts.len() {
                1 => String::new(),
                total => format!(" (part {} of {total})", n + 1),
            }
        ))];
        summary.push_str(write_once(&prepared.client, &request, cancel).await?.trim());
        summary.push_str("\n\n");
    }
    Ok(summary.trim_end().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use foxtail_storage::{MessageStatus, NewMessage};

    #[test]
    fn the_transcript_names_who_said_what_and_skips_empty_turns() {
        let storage = Storage::open_in_memory().unwrap();
        let c = storage.create_conversation("t").unwrap().id;
        for (role, content) in [
            (Role::User, "Plan a trip"),
            (Role::Assistant, ""),
            (Role::Assistant, "To Jeju?"),
        ] {
            storage
                .add_message(
                    c,
                    NewMessage {
                        role,
                        content,
                        status: MessageStatus::Complete,
                        model: None,
                    },
                )
                .unwrap();
        }
        assert_eq!(
            transcript(&storage, c).unwrap(),
            "Person: Plan a trip\n\nAssistant: To Jeju?\n\n"
        );
    }
}
