//! Assistants: named instructions (and, maybe, a model) a new chat can start from. A
//! few come with Foxtail; people make their own in Settings.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::providers::ModelRef;
use crate::settings::Settings;

/// An assistant a person made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Assistant {
    pub id: String,
    pub name: String,
    /// The system prompt of every chat started from it.
    pub instructions: String,
    /// The model its chats start with; `None` keeps the one picked.
    pub model: Option<ModelRef>,
}

/// A built-in assistant, named in both languages. Its instructions are in English,
/// which every model follows best, and ask for the person's own language.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BuiltinAssistant {
    pub id: &'static str,
    pub name_en: &'static str,
    pub name_ko: &'static str,
    pub description_en: &'static str,
    pub description_ko: &'static str,
    pub instructions: &'static str,
}

pub const BUILTIN: &[BuiltinAssistant] = &[
    BuiltinAssistant {
        id: "translator",
        name_en: "Translator",
        name_ko: "번역가",
        description_en: "Translates between Korean and English, or into the language you name.",
        description_ko: "한국어와 영어 사이, 또는 말씀하신 언어로 번역합니다.",
        instructions: "You are a translator. Translate the person's text: Korean into natural \
            English, any other language into natural Korean, unless they name a target \
            language. Keep the meaning, tone and formatting. Reply with the translation \
            only, without notes, unless they ask for an explanation.",
    },
    BuiltinAssistant {
        id: "email",
        name_en: "Email writer",
        name_ko: "이메일 작성",
        description_en: "Turns a few notes into a clear, polite email.",
        description_ko: "짧은 메모를 분명하고 정중한 이메일로 바꿉니다.",
        instructions: "You write emails. From the person's notes, write a clear, polite \
            email with a subject line, in the language of the notes. Keep it short, keep \
            every fact they gave, and invent none: mark anything missing as [to fill in].",
    },
    BuiltinAssistant {
        id: "korean-tutor",
        name_en: "Korean tutor",
        name_ko: "한국어 선생님",
        description_en: "Practises Korean with you and corrects gently.",
        description_ko: "한국어 연습을 도와주고 부드럽게 고쳐 줍니다.",
        instructions: "You are a patient Korean tutor. Talk with the person in simple \
            Korean suited to their level. When they make a mistake, show the corrected \
            sentence and explain it briefly in English. Offer romanization only when \
            asked.",
    },
    BuiltinAssistant {
        id: "summarizer",
        name_en: "Summarizer",
        name_ko: "요약",
        description_en: "Summarizes text into short key points.",
        description_ko: "글을 핵심만 짧게 요약합니다.",
        instructions: "You summarize. Give the key points of the person's text as a short \
            list, then one sentence on what matters most. Use the language of the text. \
            Add nothing the text does not say.",
    },
];

/// The assistant `id`, built in or made by the person, as a chat uses it.
pub fn find(settings: &Settings, id: &str) -> Option<Assistant> {
    if let Some(own) = settings.assistants.iter().find(|a| a.id == id) {
        return Some(own.clone());
    }
    BUILTIN.iter().find(|a| a.id == id).map(|a| Assistant {
        id: a.id.to_owned(),
        name: a.name_en.to_owned(),
        instructions: a.instructions.to_owned(),
        model: None,
    })
}

pub(crate) fn check_assistants(value: Value) -> Result<Value, String> {
    let mut list: Vec<Assistant> = serde_json::from_value(value)
        .map_err(|_| "assistants must be a list of {id, name, instructions, model}.".to_owned())?;
    let mut seen: Vec<String> = Vec::new();
    for assistant in &mut list {
        assistant.name = assistant.name.trim().to_owned();
        assistant.instructions = assistant.instructions.trim().to_owned();
        if assistant.name.is_empty() {
            return Err("An assistant needs a name.".into());
        }
        if assistant.id.trim().is_empty()
            || seen.contains(&assistant.id)
            || BUILTIN.iter().any(|b| b.id == assistant.id)
        {
            return Err(format!(
                "Assistant “{}” has an id that is empty or already used.",
                assistant.name
            ));
        }
        seen.push(assistant.id.clone());
    }
    serde_json::to_value(list).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn built_in_assistants_are_named_in_both_languages() {
        assert!(BUILTIN.len() >= 3);
        for a in BUILTIN {
            assert!(!a.name_en.is_empty() && !a.name_ko.is_empty(), "{}", a.id);
            assert!(!a.description_ko.is_empty() && !a.instructions.is_empty());
            assert!(
                a.name_ko.chars().any(|c| ('가'..='힣').contains(&c)),
                "{}",
                a.id
            );
        }
    }

    #[test]
    fn own_assistants_are_checked_and_found() {
        let list =
            json!([{"id": "a1", "name": " Poet ", "instructions": " Rhyme. ", "model": null}]);
        let checked = check_assistants(list).unwrap();
        assert_eq!(checked[0]["name"], "Poet");
        let settings = Settings {
            assistants: serde_json::from_value(checked).unwrap(),
            ..Settings::default()
        };
        assert_eq!(find(&settings, "a1").unwrap().instructions, "Rhyme.");
        assert!(find(&settings, "translator").is_some());
        assert!(find(&settings, "nope").is_none());
        for bad in [
            json!([{"id": "a", "name": "", "instructions": "", "model": null}]),
            json!([{"id": "translator", "name": "X", "instructions": "", "model": null}]),
            json!([
                {"id": "a", "name": "X", "instructions": "", "model": null},
                {"id": "a", "name": "Y", "instructions": "", "model": null}
            ]),
        ] {
            assert!(check_assistants(bad).is_err());
        }
    }
}
