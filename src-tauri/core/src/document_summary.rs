//! "Summarize it first": when a document does not fit in what the model reads at
//! once, the model writes a summary of it part by part, and the summary goes instead,
//! saying that it is one. Nothing is cut silently.

use foxtail_engine::{CancellationToken, ChatRequest, Client, Event, Message, Sink};
use foxtail_storage::{AttachmentKind, Storage};

use crate::keys::Keys;
use crate::message_attachments::{self, Attachment};
use crate::profile::prepare;
use crate::settings::Settings;
use crate::{AppError, ErrorKind};

/// The most tokens of the document one request carries: small enough for any model
/// that reads 32,000 at once, with room for the summary.
pub const PART_TOKENS: u64 = 24_000;
/// The most parts a summary is made of (about 960,000 tokens of document).
pub const MAX_PARTS: usize = 40;

const INSTRUCTION: &str = "You summarize documents faithfully. Keep names, numbers, dates, \
decisions and conclusions; leave out nothing a reader would need, and add nothing that is not \
in the text. Write the summary in the document's own language.";

/// The text of an answer, collected.
#[derive(Default)]
struct Collect {
    text: String,
    failed: Option<foxtail_engine::Error>,
}

impl Sink for Collect {
    fn event(&mut self, event: Event) {
        match event {
            Event::Text { text } => self.text.push_str(&text),
            Event::Error(error) => self.failed = Some(error),
            _ => {}
        }
    }
}

/// `text` in parts of at most `max_tokens`, cut between paragraphs (or lines, or
/// anywhere, for a paragraph longer than a part).
pub fn split(text: &str, max_tokens: u64) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if crate::attachments::tokens::text_tokens(rest) <= max_tokens {
            parts.push(rest);
            break;
        }
        // The longest prefix that fits (found by halving), ending at a paragraph or
        // line break if it has one.
        let (mut low, mut high) = (0, rest.len());
        while low < high {
            let mid = (low + high).div_ceil(2);
            let mut at = mid;
            while !rest.is_char_boundary(at) {
                at -= 1;
            }
            if at > low && crate::attachments::tokens::text_tokens(&rest[..at]) <= max_tokens {
                low = at;
            } else {
                high = mid - 1;
            }
        }
        let fit = low;
        let head = &rest[..fit];
        let cut = head
            .rfind("\n\n")
            .or_else(|| head.rfind('\n'))
            .filter(|&at| at > 0)
            .unwrap_or(fit.max(1));
        let cut = (1..=cut)
            .rev()
            .find(|&at| rest.is_char_boundary(at))
            .unwrap_or(cut);
        parts.push(rest[..cut].trim());
        rest = rest[cut..].trim_start();
    }
    parts
}

/// Summarizes the stored document `id` with the saved model, part by part, and stores
/// the summary as an attachment of its own named `name`.
pub async fn summarize(
    storage: &Storage,
    settings: &Settings,
    keys: &Keys,
    id: &str,
    name: &str,
    cancel: &CancellationToken,
) -> Result<Attachment, AppError> {
    let stored = storage.attachment(id)?;
    if stored.kind != AttachmentKind::Document {
        return Err(AppError::Attachment {
            kind: ErrorKind::AttachmentUnsupported,
            message: "Only a document can be summarized.".into(),
        });
    }
    let parts = split(&stored.text, PART_TOKENS);
    if parts.len() > MAX_PARTS {
        return Err(AppError::Attachment {
            kind: ErrorKind::AttachmentTooLarge,
            message: format!(
                "{name} is too long to summarize here (it would take {} requests; Foxtail makes up to {MAX_PARTS}).",
                parts.len()
            ),
        });
    }
    let prepared = prepare(settings, keys)?;
    let mut summary = String::new();
    for (n, part) in parts.iter().enumerate() {
        let mut request: ChatRequest = prepared.request.clone();
        request.system = Some(INSTRUCTION.into());
        request.messages = vec![Message::user(format!(
            "This is part {} of {} of the file {name}. Summarize it in at most 300 words.\n<document name=\"{}\">\n{part}\n</document>",
            n + 1,
            parts.len(),
            name.replace(['"', '<', '>'], "'"),
        ))];
        let written = write_once(&prepared.client, &request, cancel).await?;
        if parts.len() > 1 {
            summary.push_str(&format!("Part {} of {}:\n", n + 1, parts.len()));
        }
        summary.push_str(written.trim());
        summary.push_str("\n\n");
    }
    let summary = summary.trim_end().to_owned();
    let what = match serde_json::from_str::<serde_json::Value>(&stored.meta)
        .ok()
        .and_then(|meta| meta["pages"].as_u64())
    {
        Some(pages) => format!("a summary the model wrote of all {pages} pages"),
        None => "a summary the model wrote of the whole file".to_owned(),
    };
    message_attachments::store_derived(storage, &stored, name, summary, what)
}

pub(crate) async fn write_once(
    client: &Client,
    request: &ChatRequest,
    cancel: &CancellationToken,
) -> Result<String, AppError> {
    let mut collect = Collect::default();
    let _ = client.stream_chat(request, cancel, &mut collect).await;
    match collect.failed {
        Some(error) => Err(error.into()),
        None => Ok(collect.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_fit_and_keep_every_word() {
        let text = "One paragraph of words here.\n\n".repeat(2_000);
        let parts = split(&text, 1_000);
        assert!(parts.len() > 1);
        for part in &parts {
            assert!(crate::attachments::tokens::text_tokens(part) <= 1_000);
        }
        let joined: String = parts.join(" ");
        assert_eq!(
            joined.split_whitespace().count(),
            text.split_whitespace().count()
        );
        assert_eq!(split("short", 1_000), vec!["short"]);
        // One endless line is cut anyway, at a character.
        let line = "한글".repeat(3_000);
        let parts = split(&line, 1_000);
        assert!(parts.len() >= 6);
        assert_eq!(parts.concat(), line);
    }

    #[tokio::test]
    async fn a_long_document_is_summarized_part_by_part_and_says_so() {
        use foxtail_mock_gateway::{answer_text, script, MockGateway};
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let storage = Storage::open_in_memory().unwrap();
        let book = "A sentence of the long book goes here.\n\n".repeat(12_000);
        let added = message_attachments::add(&storage, "book.txt", book.as_bytes()).unwrap();
        assert!(added.tokens > PART_TOKENS * 4);
        let keys = Keys::new(foxtail_keychain::Keychain::new("foxtail-test-summary"));
        let settings = Settings::default()
            .with(
                serde_json::json!({"provider": "ollama", "base_url": gateway.url(), "model": "mock/alpha"})
                    .as_object()
                    .unwrap()
                    .clone(),
            )
            .unwrap();
        let summary = summarize(
            &storage,
            &settings,
            &keys,
            &added.id,
            "book.txt",
            &CancellationToken::new(),
        )
        .await
        .unwrap();
        let requests = gateway.requests();
        assert_eq!(requests.len(), split(&book, PART_TOKENS).len());
        let first = requests[0].json().to_string();
        assert!(first.contains("This is part 1 of"), "{first}");
        assert_eq!(
            summary.part.as_deref(),
            Some("a summary the model wrote of the whole file")
        );
        assert!(summary.tokens < added.tokens / 10);
        let stored = storage.attachment(&summary.id).unwrap();
        assert!(stored.text.starts_with(&format!(
            "Part 1 of {}:\n{}",
            requests.len(),
            answer_text().trim()
        )));
    }
}
