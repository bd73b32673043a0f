//! The drafting actions and their prompts, in one place: a new action is one entry in
//! `ACTIONS` (and one button in the window).

use serde::Deserialize;
use ts_rs::TS;

/// Text before the cursor that the model sees; the nearest part matters most.
const BEFORE_CHARS: usize = 6_000;
/// Text after the cursor or selection that the model sees.
const AFTER_CHARS: usize = 2_000;
/// The largest selection an action takes: about 3,000 words, well inside any model's
/// context together with the surroundings above.
pub const MAX_SELECTION_CHARS: usize = 20_000;

/// What the window asks for.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct DraftRequest {
    /// One of the ids in `ACTIONS`.
    pub action: String,
    /// The person's words: what to write, the tone or language wanted, a custom
    /// instruction, or a follow-up for Refine.
    #[serde(default)]
    pub instruction: String,
    /// The document before the cursor or selection.
    #[serde(default)]
    pub before: String,
    /// The selected text; empty for actions at the cursor.
    #[serde(default)]
    pub selection: String,
    /// The document after the cursor or selection.
    #[serde(default)]
    pub after: String,
    /// For Refine: the result the follow-up applies to…
    #[serde(default)]
    pub previous: Option<String>,
    /// …and the follow-up itself ("shorter", "friendlier").
    #[serde(default)]
    pub refinement: Option<String>,
    /// Files the model is given with the instruction ("summarize this PDF here",
    /// "describe this chart"), added with `add_attachment`.
    #[serde(default)]
    #[ts(optional)]
    pub attachments: Option<Vec<crate::message_attachments::AttachmentUse>>,
}

pub struct Action {
    pub id: &'static str,
    /// Works on a selection (replacing it) rather than at the cursor.
    pub needs_selection: bool,
    /// Needs the person's words (`{instruction}` in the task).
    pub needs_instruction: bool,
    /// What the model is asked to do.
    pub task: &'static str,
}

pub const ACTIONS: &[Action] = &[
    Action {
        id: "write",
        needs_selection: false,
        needs_instruction: true,
        task: "Write the text the writer asks for, to be inserted at the cursor: {instruction}",
    },
    Action {
        id: "continue",
        needs_selection: false,
        needs_instruction: false,
        task: "Continue writing from the cursor, in the same voice, language and format. Write the next paragraph or so.",
    },
    Action {
        id: "improve",
        needs_selection: true,
        needs_instruction: false,
        task: "Improve the selected text: clearer, better flowing, same meaning, same language.",
    },
    Action {
        id: "fix",
        needs_selection: true,
        needs_instruction: false,
        task: "Fix the spelling, grammar and punctuation of the selected text. Change nothing else.",
    },
    Action {
        id: "shorter",
        needs_selection: true,
        needs_instruction: false,
        task: "Make the selected text shorter, keeping its meaning and language.",
    },
    Action {
        id: "longer",
        needs_selection: true,
        needs_instruction: false,
        task: "Make the selected text longer and more detailed, keeping its meaning and language.",
    },
    Action {
        id: "tone",
        needs_selection: true,
        needs_instruction: true,
        task: "Rewrite the selected text in this tone: {instruction}. Keep its meaning and language.",
    },
    Action {
        id: "translate",
        needs_selection: true,
        needs_instruction: true,
        task: "Translate the selected text into {instruction}. Keep its formatting.",
    },
    Action {
        id: "summarize",
        needs_selection: true,
        needs_instruction: false,
        task: "Summarize the selected text in its own language, briefly.",
    },
    Action {
        id: "custom",
        needs_selection: true,
        needs_instruction: true,
        task: "Rewrite the selected text as the writer asks: {instruction}",
    },
];

const SYSTEM: &str = "You are a writing assistant inside a document editor. Your output is \
inserted into the writer's document exactly as you write it, so write only that text: no \
preamble, no explanation, no quotation marks or code fences around it. Use Markdown for \
formatting where the document does. Never repeat the surrounding text.";

/// The system prompt and the user message for a request, or a plain-words reason why
/// it cannot be sent.
pub fn build(request: &DraftRequest) -> Result<(String, String), String> {
    let action = ACTIONS
        .iter()
        .find(|a| a.id == request.action)
        .ok_or_else(|| format!("“{}” is not a drafting action.", request.action))?;
    let instruction = request.instruction.trim();
    if action.needs_instruction && instruction.is_empty() {
        return Err("Type what the model should do first.".into());
    }
    if action.needs_selection && request.selection.trim().is_empty() {
        return Err("Select the text this action should work on first.".into());
    }
    if request.selection.chars().count() > MAX_SELECTION_CHARS {
        return Err(format!(
            "The selection is too long for one action (over {MAX_SELECTION_CHARS} characters). Select a shorter part."
        ));
    }

    let mut task = action.task.replace("{instruction}", instruction);
    let mut message = String::new();
    message.push_str("<document_before>\n");
    message.push_str(tail(&request.before, BEFORE_CHARS));
    message.push_str("\n</document_before>\n");
    if action.needs_selection {
        message.push_str("<selection>\n");
        message.push_str(&request.selection);
        message.push_str("\n</selection>\n");
    } else {
        message.push_str("<cursor/>\n");
    }
    message.push_str("<document_after>\n");
    message.push_str(head(&request.after, AFTER_CHARS));
    message.push_str("\n</document_after>\n\n");
    if let Some(previous) = request.previous.as_deref() {
        // Refine: the follow-up applies to the result, which replaces the same place.
        let follow_up = request
            .refinement
            .as_deref()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .ok_or("Type how the result should change first.")?;
        message.push_str("<your_previous_result>\n");
        message.push_str(previous);
        message.push_str("\n</your_previous_result>\n\n");
        task = format!(
            "{task}\nThen apply this change to your previous result and give the whole new result: {follow_up}"
        );
    }
    message.push_str("Task: ");
    message.push_str(&task);
    Ok((SYSTEM.to_string(), message))
}

/// The last `max` characters of `text`, cut at a character boundary.
fn tail(text: &str, max: usize) -> &str {
    match text.char_indices().rev().nth(max.saturating_sub(1)) {
        Some((at, _)) if max > 0 => &text[at..],
        _ => text,
    }
}

/// The first `max` characters of `text`.
fn head(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(action: &str) -> DraftRequest {
        DraftRequest {
            action: action.into(),
            instruction: String::new(),
            before: "Dear Mina,\n\n".into(),
            selection: String::new(),
            after: "\n\nBest,\nJun".into(),
            previous: None,
            refinement: None,
            attachments: None,
        }
    }

    #[test]
    fn each_action_states_its_task_with_the_document_around_it() {
        let mut write = request("write");
        write.instruction = "a polite email declining Friday's meeting".into();
        let (system, user) = build(&write).unwrap();
        assert!(system.contains("only that text"));
        assert!(user.contains("Dear Mina,"));
        assert!(user.contains("<cursor/>"));
        assert!(user.ends_with("declining Friday's meeting"));

        let mut translate = request("translate");
        translate.selection = "금요일 회의".into();
        translate.instruction = "English".into();
        let (_, user) = build(&translate).unwrap();
        assert!(user.contains("<selection>\n금요일 회의\n</selection>"));
        assert!(user.contains("Translate the selected text into English"));
    }

    #[test]
    fn what_an_action_needs_is_asked_for_in_plain_words() {
        assert!(build(&request("write")).unwrap_err().contains("Type what"));
        assert!(build(&request("shorter")).unwrap_err().contains("Select"));
        assert!(build(&request("dance")).is_err());
        let mut long = request("improve");
        long.selection = "가".repeat(MAX_SELECTION_CHARS + 1);
        assert!(build(&long).unwrap_err().contains("too long"));
    }

    #[test]
    fn a_long_document_is_bounded_around_the_cursor() {
        let mut cont = request("continue");
        cont.before = format!("{}END-OF-BEFORE", "앞".repeat(50_000));
        cont.after = format!("START-OF-AFTER{}", "뒤".repeat(50_000));
        let (_, user) = build(&cont).unwrap();
        assert!(user.contains("END-OF-BEFORE") && user.contains("START-OF-AFTER"));
        assert!(user.chars().count() < BEFORE_CHARS + AFTER_CHARS + 1_000);
    }

    #[test]
    fn refine_carries_the_previous_result_and_the_follow_up() {
        let mut refine = request("shorter");
        refine.selection = "A long paragraph.".into();
        refine.previous = Some("A paragraph.".into());
        assert!(build(&refine)
            .unwrap_err()
            .contains("how the result should change"));
        refine.refinement = Some("more formal".into());
        let (_, user) = build(&refine).unwrap();
        assert!(user.contains("<your_previous_result>\nA paragraph."));
        assert!(user.ends_with("more formal"));
    }
}
