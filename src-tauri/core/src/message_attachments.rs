//! Attachments between the person, the history and the model: prepared once when they
//! are attached (decoded, scaled and stripped, or their text read), stored by content,
//! shown as they were given, and sent in each protocol's shape. The app and the CLI
//! build the model's parts here, so both send the same request.

use std::collections::HashMap;

use base64::Engine;
use foxtail_engine::Part;
use foxtail_storage::{AttachmentKind, AttachmentRef, NewAttachment, Storage, StoredAttachment};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::attachments::{self, AttachmentError, AttachmentProblem, Prepared};
use crate::{AppError, ErrorKind};

/// Most attachments one message may carry.
pub const MAX_PER_MESSAGE: usize = 10;
/// The context a model is taken to have when its own is not known, in tokens.
pub const ASSUMED_CONTEXT_TOKENS: u64 = 128_000;
/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 256;

/// An attachment as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Attachment {
    /// The content id: the same file attached twice is stored once.
    pub id: String,
    pub kind: AttachmentKind,
    pub name: String,
    pub mime: String,
    /// An image's size after scaling; 0 for documents.
    pub width: u32,
    pub height: u32,
    /// A PDF's pages.
    pub pages: Option<u32>,
    /// About how many tokens it costs the model (a stated approximation).
    #[ts(type = "number")]
    pub tokens: u64,
    /// The size of the file the person gave.
    #[ts(type = "number")]
    pub original_bytes: u64,
    /// Set when only a part of the document is given, in words: "pages 1–37 of 120".
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub part: Option<String>,
}

/// What is kept beside an attachment's content (as JSON).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
struct Meta {
    width: u32,
    height: u32,
    pages: Option<u32>,
    tokens: u64,
    original_bytes: u64,
    /// PDFs: where each page with text starts, as (page number, byte offset).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    page_starts: Vec<(u32, usize)>,
    /// Only this part of the document is given ("pages 1–37 of 120").
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<String>,
}

/// An attachment a message carries, under the name it was given there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttachmentUse {
    pub id: String,
    pub name: String,
}

impl From<AttachmentError> for AppError {
    fn from(err: AttachmentError) -> Self {
        let kind = match err.problem {
            AttachmentProblem::TooLarge => ErrorKind::AttachmentTooLarge,
            AttachmentProblem::Unsupported => ErrorKind::AttachmentUnsupported,
            AttachmentProblem::Unreadable => ErrorKind::AttachmentUnreadable,
            AttachmentProblem::Encrypted => ErrorKind::AttachmentEncrypted,
            AttachmentProblem::NoText => ErrorKind::AttachmentNoText,
        };
        AppError::Attachment {
            kind,
            message: err.message,
        }
    }
}

fn shown(id: String, name: String, kind: AttachmentKind, mime: String, meta: &Meta) -> Attachment {
    Attachment {
        id,
        kind,
        name,
        mime,
        width: meta.width,
        height: meta.height,
        pages: meta.pages,
        tokens: meta.tokens,
        original_bytes: meta.original_bytes,
        part: meta.part.clone(),
    }
}

fn meta_of(prepared: &Prepared) -> Meta {
    Meta {
        width: prepared.width,
        height: prepared.height,
        pages: prepared.pages,
        tokens: prepared.tokens,
        original_bytes: prepared.original_bytes,
        page_starts: prepared.page_starts.clone(),
        part: None,
    }
}

/// Prepares a file the person attached and stores it. Blocking (decoding a photo or
/// reading a PDF takes a while): the app runs it off the async workers.
pub fn add(storage: &Storage, name: &str, bytes: &[u8]) -> Result<Attachment, AppError> {
    let prepared = attachments::prepare(name, bytes)?;
    let id = attachments::content_id(&prepared);
    let meta = meta_of(&prepared);
    storage.put_attachment(NewAttachment {
        id: &id,
        kind: prepared.kind,
        mime: &prepared.mime,
        data: &prepared.data,
        text: &prepared.text,
        meta: &serde_json::to_string(&meta).unwrap_or_default(),
    })?;
    Ok(shown(
        id,
        prepared.name,
        prepared.kind,
        prepared.mime,
        &meta,
    ))
}

/// The first part of the stored document `id` that costs at most `max_tokens`, stored
/// as an attachment of its own: whole pages of a PDF ("pages 1–37 of 120"), or else
/// whole paragraphs ("the first 40% of it"). The model is told which part it gets, so
/// nothing is cut silently.
pub fn first_part(
    storage: &Storage,
    id: &str,
    name: &str,
    max_tokens: u64,
) -> Result<Attachment, AppError> {
    let stored = storage.attachment(id)?;
    let meta: Meta = serde_json::from_str(&stored.meta).unwrap_or_default();
    let too_little = || AppError::Attachment {
        kind: ErrorKind::AttachmentTooLarge,
        message: "Not even the first page fits in what the model reads at once.".into(),
    };
    if stored.kind != AttachmentKind::Document {
        return Err(AppError::Attachment {
            kind: ErrorKind::AttachmentUnsupported,
            message: "Only a document can be shortened.".into(),
        });
    }
    let text = &stored.text;
    let (end, part) = match (&meta.page_starts[..], meta.pages) {
        (starts, Some(pages)) if starts.len() > 1 => {
            // The most whole pages that fit.
            let mut best = None;
            for (n, &(number, _)) in starts.iter().enumerate() {
                let end = starts.get(n + 1).map_or(text.len(), |&(_, at)| at);
                if tokens_of(&text[..end]) > max_tokens {
                    break;
                }
                best = Some((end, number));
            }
            let (end, last) = best.ok_or_else(too_little)?;
            (end, format!("pages 1–{last} of {pages}"))
        }
        _ => {
            // The most whole paragraphs that fit.
            let mut end = 0;
            for (at, _) in text.match_indices("\n\n") {
                if tokens_of(&text[..at]) > max_tokens {
                    break;
                }
                end = at;
            }
            if end == 0 {
                return Err(too_little());
            }
            let share = (end * 100 / text.len().max(1)).max(1);
            (end, format!("the first {share}% of it"))
        }
    };
    let cut = text[..end].trim_end().to_owned();
    store_derived(storage, &stored, name, cut, part)
}

/// Stores `text`, made from the document `from` (a part of it, or a summary), as a
/// document of its own that says what it is (`part`).
pub fn store_derived(
    storage: &Storage,
    from: &StoredAttachment,
    name: &str,
    text: String,
    part: String,
) -> Result<Attachment, AppError> {
    let meta: Meta = serde_json::from_str(&from.meta).unwrap_or_default();
    let derived = Meta {
        tokens: tokens_of(&text),
        page_starts: Vec::new(),
        part: Some(part),
        ..meta
    };
    let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
    sha2::Digest::update(&mut hasher, text.as_bytes());
    let id: String = sha2::Digest::finalize(hasher)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    storage.put_attachment(NewAttachment {
        id: &id,
        kind: AttachmentKind::Document,
        mime: &from.mime,
        data: &[],
        text: &text,
        meta: &serde_json::to_string(&derived).unwrap_or_default(),
    })?;
    Ok(shown(
        id,
        name.to_owned(),
        AttachmentKind::Document,
        from.mime.clone(),
        &derived,
    ))
}

fn tokens_of(text: &str) -> u64 {
    attachments::tokens::text_tokens(text)
}

/// A stored image as a data URL, scaled to `max_side` (a thumbnail), or as it was
/// sent when `max_side` is none.
pub fn image_url(storage: &Storage, id: &str, max_side: Option<u32>) -> Result<String, AppError> {
    let stored = storage.attachment(id)?;
    if stored.kind != AttachmentKind::Image {
        return Err(AppError::Attachment {
            kind: ErrorKind::AttachmentUnsupported,
            message: "This attachment is a document, not a picture.".into(),
        });
    }
    let (mime, bytes) = match max_side {
        Some(side) => {
            let small = attachments::thumbnail(&stored.data, side)?;
            let mime = attachments::image_mime(&small).unwrap_or("image/png");
            (mime.to_owned(), small)
        }
        None => (stored.mime, stored.data),
    };
    Ok(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

fn meta(reference: &AttachmentRef) -> Meta {
    serde_json::from_str(&reference.meta).unwrap_or_default()
}

/// One message's attachments as the window shows them.
pub fn of_message(storage: &Storage, message_id: i64) -> Result<Vec<Attachment>, AppError> {
    Ok(storage
        .message_attachments(message_id)?
        .into_iter()
        .map(|r| {
            let meta = meta(&r);
            shown(r.id, r.name, r.kind, r.mime, &meta)
        })
        .collect())
}

/// The attachments of the messages from `first` to `last` (ids, both included), as the
/// window shows them, by message id: a page of a conversation.
pub fn between(
    storage: &Storage,
    conversation_id: i64,
    first: i64,
    last: i64,
) -> Result<HashMap<i64, Vec<Attachment>>, AppError> {
    Ok(storage
        .attachments_between(conversation_id, first, last)?
        .into_iter()
        .map(|(message, refs)| {
            let shown = refs
                .into_iter()
                .map(|r| {
                    let meta = meta(&r);
                    shown(r.id, r.name, r.kind, r.mime, &meta)
                })
                .collect();
            (message, shown)
        })
        .collect())
}

/// Checks what a new message would carry before anything is saved: known
/// attachments, not too many, and not more text than a model reads at once.
///
/// `context` is what the model reads at once, where its provider's list says; else
/// [`ASSUMED_CONTEXT_TOKENS`].
pub fn check_use(
    storage: &Storage,
    uses: &[AttachmentUse],
    context: Option<u64>,
) -> Result<(), AppError> {
    let context = context.unwrap_or(ASSUMED_CONTEXT_TOKENS);
    if uses.len() > MAX_PER_MESSAGE {
        return Err(AppError::Attachment {
            kind: ErrorKind::AttachmentTooLarge,
            message: format!(
                "A message can carry up to {MAX_PER_MESSAGE} files; this one has {}.",
                uses.len()
            ),
        });
    }
    let mut tokens = 0;
    for used in uses {
        let stored = storage.attachment(&used.id)?;
        tokens += serde_json::from_str::<Meta>(&stored.meta)
            .unwrap_or_default()
            .tokens;
    }
    if tokens > context {
        return Err(AppError::Attachment {
            kind: ErrorKind::AttachmentTooLarge,
            message: format!(
                "These files come to about {} tokens, more than a model reads at once (about {}). Remove one, or attach a shorter part.",
                thousands(tokens),
                thousands(context)
            ),
        });
    }
    Ok(())
}

/// A number with thousands separators, as the window shows it.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the model is given for one attachment.
pub struct Given<'a> {
    pub kind: AttachmentKind,
    pub name: &'a str,
    pub mime: &'a str,
    pub data: &'a [u8],
    pub text: &'a str,
    pub pages: Option<u32>,
    /// Only this part of the document is given ("pages 1–37 of 120").
    pub part: Option<String>,
}

impl<'a> Given<'a> {
    pub fn stored(stored: &'a StoredAttachment, name: &'a str) -> Self {
        let meta = serde_json::from_str::<Meta>(&stored.meta).unwrap_or_default();
        Given {
            kind: stored.kind,
            name,
            mime: &stored.mime,
            data: &stored.data,
            text: &stored.text,
            pages: meta.pages,
            part: meta.part,
        }
    }

    pub fn prepared(prepared: &'a Prepared) -> Self {
        Given {
            kind: prepared.kind,
            name: &prepared.name,
            mime: &prepared.mime,
            data: &prepared.data,
            text: &prepared.text,
            pages: prepared.pages,
            part: None,
        }
    }
}

/// A person's message with its attachments, as the model's parts: pictures first (as
/// the providers advise), then each document's text in a wrapper that names it, then
/// what the person wrote.
pub fn parts(given: &[Given<'_>], text: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = given
        .iter()
        .filter(|g| g.kind == AttachmentKind::Image)
        .map(|g| Part::Image {
            mime: g.mime.to_owned(),
            data: base64::engine::general_purpose::STANDARD.encode(g.data),
        })
        .collect();
    let mut words = String::new();
    for document in given.iter().filter(|g| g.kind == AttachmentKind::Document) {
        let pages = match document.pages {
            Some(1) => " (1 page)".to_owned(),
            Some(n) => format!(" ({n} pages)"),
            None => String::new(),
        };
        let name = document.name.replace(['"', '<', '>'], "'");
        let what = match &document.part {
            Some(part) => format!(
                "The person attached {part} of the file {name}{pages} (the rest did not fit). That part's text:"
            ),
            None => format!("The person attached the file {name}{pages}. Its whole text:"),
        };
        words.push_str(&format!(
            "{what}\n<document name=\"{name}\">\n{}\n</document>\n\n",
            document.text.trim_end()
        ));
    }
    words.push_str(text);
    if !words.is_empty() {
        parts.push(Part::Text { text: words });
    }
    parts
}

/// The model's parts of a stored message with `refs` attached.
pub fn stored_parts(
    storage: &Storage,
    refs: &[AttachmentRef],
    text: &str,
) -> Result<Vec<Part>, AppError> {
    let stored: Vec<StoredAttachment> = refs
        .iter()
        .map(|r| storage.attachment(&r.id))
        .collect::<Result<_, _>>()?;
    let given: Vec<Given<'_>> = stored
        .iter()
        .zip(refs)
        .map(|(s, r)| Given::stored(s, &r.name))
        .collect();
    Ok(parts(&given, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_pages_or_paragraphs_that_fit_are_given_and_said_so() {
        let storage = Storage::open_in_memory().unwrap();
        let pdf = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/attachments/two-pages.pdf"
        ))
        .unwrap();
        let whole = add(&storage, "report.pdf", &pdf).unwrap();
        let first = first_part(&storage, &whole.id, "report.pdf", whole.tokens - 1).unwrap();
        assert_eq!(first.part.as_deref(), Some("pages 1–1 of 2"));
        assert!(first.tokens < whole.tokens && first.tokens > 0);
        assert_eq!(first.pages, Some(2));
        let stored = storage.attachment(&first.id).unwrap();
        let given = parts(&[Given::stored(&stored, "report.pdf")], "Go");
        let Part::Text { text } = &given[0] else {
            panic!("text")
        };
        assert!(
            text.starts_with("The person attached pages 1–1 of 2 of the file report.pdf"),
            "{text}"
        );
        assert!(first_part(&storage, &whole.id, "report.pdf", 1).is_err());

        let long = "A paragraph of words.\n\n".repeat(100);
        let notes = add(&storage, "notes.txt", long.as_bytes()).unwrap();
        let half = first_part(&storage, &notes.id, "notes.txt", notes.tokens / 2).unwrap();
        assert!(
            half.part.as_deref().unwrap().starts_with("the first 4"),
            "{:?}",
            half.part
        );
        assert!(half.tokens <= notes.tokens / 2);
    }

    #[test]
    fn documents_are_named_and_wrapped_and_pictures_come_first() {
        let parts = parts(
            &[
                Given {
                    kind: AttachmentKind::Document,
                    name: "report \"final\".pdf",
                    mime: "application/pdf",
                    data: &[],
                    text: "Sales rose.\n",
                    pages: Some(2),
                    part: None,
                },
                Given {
                    kind: AttachmentKind::Image,
                    name: "chart.png",
                    mime: "image/png",
                    data: &[1, 2, 3],
                    text: "",
                    pages: None,
                    part: None,
                },
            ],
            "Summarize both.",
        );
        assert_eq!(
            parts,
            vec![
                Part::Image {
                    mime: "image/png".into(),
                    data: "AQID".into()
                },
                Part::Text {
                    text: "The person attached the file report 'final'.pdf (2 pages). Its whole text:\n<document name=\"report 'final'.pdf\">\nSales rose.\n</document>\n\nSummarize both.".into()
                },
            ]
        );
        let part = super::parts(
            &[Given {
                kind: AttachmentKind::Document,
                name: "book.pdf",
                mime: "application/pdf",
                data: &[],
                text: "Chapter one.",
                pages: Some(300),
                part: Some("pages 1–3 of 300".into()),
            }],
            "",
        );
        assert_eq!(
            part,
            vec![Part::Text {
                text: "The person attached pages 1–3 of 300 of the file book.pdf (300 pages) (the rest did not fit). That part's text:\n<document name=\"book.pdf\">\nChapter one.\n</document>\n\n".into()
            }]
        );
        assert_eq!(thousands(128_000), "128,000");
        assert_eq!(thousands(9_800), "9,800");
        assert_eq!(thousands(999), "999");
    }
}
