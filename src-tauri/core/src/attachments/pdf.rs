//! PDFs, reduced to their text with `pdf-extract` (pure Rust, on `lopdf`). It lays
//! text out by its position on the page, so lines and paragraphs survive; `lopdf`'s
//! own extractor runs each page into one line.
//!
//! `pdf-extract` is also quick to panic on fonts and streams it doesn't expect, hence
//! `contain`. Some of those panics happen in a page's fonts while the other pages read
//! fine, but the text of a PDF is all or nothing here: giving the model most of a
//! document without saying which pages are missing is worse than refusing it.

use pdf_extract::encryption::DecryptionError;
use pdf_extract::{Document, Error as PdfError, PlainTextOutput};

use super::contain::contain;
use super::error::{AttachmentError, AttachmentProblem};
use super::text::tidy;

pub(crate) struct PdfText {
    pub text: String,
    pub pages: u32,
    /// Where each page with text starts in `text`: (page number from 1, byte offset).
    pub page_starts: Vec<(u32, usize)>,
}

pub(crate) fn extract(name: &str, bytes: &[u8]) -> Result<PdfText, AttachmentError> {
    contain(name, "PDF", || {
        let mut document = Document::load_mem(bytes).map_err(|error| failed(name, error))?;
        // Many PDFs are "encrypted" with an empty password only to stop editing or
        // printing; every viewer opens them without asking, and so does Foxtail.
        if document.is_encrypted() {
            document
                .decrypt("")
                .map_err(|_| AttachmentError::encrypted(name))?;
        }

        let page_numbers: Vec<u32> = document.get_pages().keys().copied().collect();
        if page_numbers.is_empty() {
            return Err(damaged(name));
        }
        let mut pages = Vec::with_capacity(page_numbers.len());
        for number in &page_numbers {
            let mut page = String::new();
            pdf_extract::output_doc_page(&document, &mut PlainTextOutput::new(&mut page), *number)
                .map_err(|_| {
                    AttachmentError::new(
                        AttachmentProblem::Unreadable,
                        format!("Foxtail couldn't read page {number} of {name}, so it can't give the model the whole document."),
                    )
                })?;
            pages.push(tidy(&page));
        }

        // Pages are kept apart by where they start, so that the first pages alone can
        // be given when the whole does not fit.
        let mut text = String::new();
        let mut page_starts = Vec::new();
        for (number, page) in (1u32..).zip(pages) {
            if page.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            page_starts.push((number, text.len()));
            text.push_str(&page);
        }
        if text.is_empty() {
            return Err(AttachmentError::new(
                AttachmentProblem::NoText,
                format!(
                    "{name} has no text layer (it may be a scan), so there is no text to give \
                     the model."
                ),
            ));
        }
        Ok(PdfText {
            text,
            pages: u32::try_from(page_numbers.len()).unwrap_or(u32::MAX),
            page_starts,
        })
    })
}

fn failed(name: &str, error: PdfError) -> AttachmentError {
    match error {
        PdfError::Decryption(DecryptionError::IncorrectPassword) => {
            AttachmentError::encrypted(name)
        }
        _ => damaged(name),
    }
}

fn damaged(name: &str) -> AttachmentError {
    AttachmentError::new(
        AttachmentProblem::Unreadable,
        format!("{name} is a damaged or incomplete PDF, so Foxtail can't read it."),
    )
}
