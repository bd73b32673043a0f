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
    }
}

fn meta_of(prepared: &Prepared) -> Meta {
    Meta {
        width: prepared.width,
        height: prepared.height,
        pages: prepared.pages,
        tokens: prepared.tokens,
        original_bytes: prepared.original_bytes,
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

/// A conversation's attachments as the window shows them, by message id.
pub fn for_window(
    storage: &Storage,
    conversation_id: i64,
) -> Result<HashMap<i64, Vec<Attachment>>, AppError> {
    Ok(storage
        .conversation_attachments(conversation_id)?
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
pub fn check_use(storage: &Storage, uses: &[AttachmentUse]) -> Result<(), AppError> {
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
    if tokens > ASSUMED_CONTEXT_TOKENS {
        return Err(AppError::Attachment {
            kind: ErrorKind::AttachmentTooLarge,
            message: format!(
                "These files come to about {} tokens, more than a model reads at once (about {}). Remove one, or attach a shorter part.",
                thousands(tokens),
                thousands(ASSUMED_CONTEXT_TOKENS)
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
}

impl<'a> Given<'a> {
    pub fn stored(stored: &'a StoredAttachment, name: &'a str) -> Self {
        Given {
            kind: stored.kind,
            name,
            mime: &stored.mime,
            data: &stored.data,
            text: &stored.text,
            pages: serde_json::from_str::<Meta>(&stored.meta)
                .unwrap_or_default()
                .pages,
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
        words.push_str(&format!(
            "The person attached the file {name}{pages}. Its whole text:\n<document name=\"{name}\">\n{}\n</document>\n\n",
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
                },
                Given {
                    kind: AttachmentKind::Image,
                    name: "chart.png",
                    mime: "image/png",
                    data: &[1, 2, 3],
                    text: "",
                    pages: None,
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
        assert_eq!(thousands(128_000), "128,000");
        assert_eq!(thousands(9_800), "9,800");
        assert_eq!(thousands(999), "999");
    }
}
