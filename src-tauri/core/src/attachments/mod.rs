//! Files a person attaches to a message, turned into what a model can be given.
//!
//! A picture is decoded, scaled to what the model providers recommend and
//! re-encoded, which also drops everything a camera wrote into it (EXIF, GPS). A
//! document is reduced to its text. Either way the result says exactly what the model
//! will receive and about how many tokens it costs, so the window can show it before
//! anything is sent.
//!
//! Everything here is blocking and CPU-bound: the caller runs [`prepare`] on
//! `spawn_blocking`. Bad input never panics the caller (see `contain`), and every
//! refusal is an [`AttachmentError`] whose message can be shown to a person as it is.

mod contain;
mod docx;
mod error;
mod image;
mod name;
mod pdf;
mod sniff;
mod text;
pub mod tokens;

use sha2::{Digest, Sha256};

pub use self::error::{AttachmentError, AttachmentProblem};
pub use self::image::{thumbnail, MAX_LONG_SIDE, MAX_PIXELS};
/// What the model is given: a picture, or the text of a document. The history
/// database's own type, so a prepared attachment is stored without translation.
pub use foxtail_storage::AttachmentKind;

use self::sniff::Sniffed;

const MB: u64 = 1024 * 1024;

/// The largest picture taken. A phone photo is 3–12 MB; anything far past this is
/// not a photo anyone means to show a model, and decoding it would cost a lot of memory.
pub const MAX_IMAGE_BYTES: u64 = 30 * MB;

/// The largest document taken. Long PDFs with embedded fonts and pictures reach tens
/// of megabytes while holding little text; the text is what is kept.
pub const MAX_DOCUMENT_BYTES: u64 = 50 * MB;

/// The largest file of any kind, so a caller can refuse before reading a file at all.
pub const MAX_FILE_BYTES: u64 = MAX_DOCUMENT_BYTES;

/// An attachment as it is stored and later sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub kind: AttachmentKind,
    /// The file's name as given, without any folder, control characters or direction
    /// overrides, and at most 200 characters.
    pub name: String,
    /// Images: the type of `data` (`image/jpeg` or `image/png`). Documents: the type
    /// of the original file.
    pub mime: String,
    /// Images: the re-encoded picture. Documents: empty, only the text is kept.
    pub data: Vec<u8>,
    /// Documents: the extracted text. Images: empty.
    pub text: String,
    /// PDFs: how many pages the file has.
    pub pages: Option<u32>,
    /// Images: the size after scaling. Documents: 0.
    pub width: u32,
    pub height: u32,
    /// About how many tokens the model is charged for this; see [`tokens`].
    pub tokens: u64,
    /// The size of the file as attached.
    pub original_bytes: u64,
    /// PDFs: where each page with text starts in `text`, as (page number, byte offset).
    pub page_starts: Vec<(u32, usize)>,
}

/// Turns an attached file into what the model is given. What the file is comes from
/// its content, never its extension; the name is only used in messages and to pick
/// the type of a text file.
pub fn prepare(name: &str, bytes: &[u8]) -> Result<Prepared, AttachmentError> {
    let name = name::sanitize(name);
    let original_bytes = bytes.len() as u64;

    // The caps come before any parsing, so an enormous file costs nothing but this look.
    let looks_like_image = sniff::image_format(bytes).is_some();
    let (cap, what) = if looks_like_image {
        (MAX_IMAGE_BYTES, "images")
    } else {
        (MAX_DOCUMENT_BYTES, "documents")
    };
    if original_bytes > cap {
        return Err(AttachmentError::too_large(&name, original_bytes, cap, what));
    }

    match sniff::sniff(bytes) {
        Sniffed::Image(format) => {
            let picture = image::prepare(&name, bytes, format)?;
            Ok(Prepared {
                kind: AttachmentKind::Image,
                tokens: tokens::image_tokens(picture.width, picture.height),
                mime: picture.mime.to_owned(),
                data: picture.bytes,
                text: String::new(),
                pages: None,
                width: picture.width,
                height: picture.height,
                name,
                original_bytes,
                page_starts: Vec::new(),
            })
        }
        Sniffed::Pdf => {
            let pdf = pdf::extract(&name, bytes)?;
            Ok(Prepared {
                page_starts: pdf.page_starts,
                ..document(
                    name,
                    "application/pdf",
                    pdf.text,
                    Some(pdf.pages),
                    original_bytes,
                )
            })
        }
        Sniffed::Zip => {
            let text = docx::extract(&name, bytes)?;
            Ok(document(name, docx::MIME, text, None, original_bytes))
        }
        Sniffed::OldOffice { encrypted: true } => Err(AttachmentError::encrypted(&name)),
        Sniffed::OldOffice { encrypted: false } => Err(AttachmentError::unsupported(
            &name,
            Some("an older Microsoft Office file (.doc, .xls or .ppt)"),
        )),
        Sniffed::Foreign(kind) => Err(AttachmentError::unsupported(&name, Some(kind))),
        Sniffed::Unknown => match text::decode(bytes) {
            Some(text) if text.is_empty() => Err(AttachmentError::empty(&name)),
            Some(text) => {
                let mime = text::mime_for(&name);
                Ok(document(name, mime, text, None, original_bytes))
            }
            None => Err(AttachmentError::unsupported(&name, sniff::weak_kind(bytes))),
        },
    }
}

fn document(
    name: String,
    mime: &str,
    text: String,
    pages: Option<u32>,
    original_bytes: u64,
) -> Prepared {
    Prepared {
        kind: AttachmentKind::Document,
        tokens: tokens::text_tokens(&text),
        name,
        mime: mime.to_owned(),
        data: Vec::new(),
        text,
        pages,
        width: 0,
        height: 0,
        original_bytes,
        page_starts: Vec::new(),
    }
}

/// The type of a prepared picture or of a [`thumbnail`] (JPEG, or PNG where the
/// picture has transparency), read from its first bytes.
pub fn image_mime(bytes: &[u8]) -> Option<&'static str> {
    sniff::image_format(bytes).map(|format| match format {
        ::image::ImageFormat::Png => "image/png",
        ::image::ImageFormat::Jpeg => "image/jpeg",
        ::image::ImageFormat::Gif => "image/gif",
        _ => "image/webp",
    })
}

/// The SHA-256 (lowercase hex) of what is stored: the re-encoded picture, or the
/// extracted text. The name is left out so the same file attached twice under
/// different names is stored once.
pub fn content_id(prepared: &Prepared) -> String {
    let digest = match prepared.kind {
        AttachmentKind::Image => Sha256::digest(&prepared.data),
        AttachmentKind::Document => Sha256::digest(prepared.text.as_bytes()),
    };
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}
