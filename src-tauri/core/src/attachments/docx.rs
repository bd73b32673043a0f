//! Word documents (.docx), reduced to their text by reading the main part's XML as a
//! stream. `docx-rs`, the maintained docx crate, builds the whole document model to
//! get there and its text helper skips hyperlinks; walking the XML keeps every piece
//! of visible text (links, tables, text boxes, content controls) in a few states.
//!
//! A `.docx` is a ZIP archive, so this is also where other ZIP-packed files (Excel,
//! PowerPoint, OpenDocument, plain archives) are told apart and named.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;
use zip::result::ZipError;
use zip::ZipArchive;

use super::contain::contain;
use super::error::{size_words, AttachmentError, AttachmentProblem};
use super::name;
use super::text::tidy;

pub(crate) const MIME: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// How much XML one document may unpack to. A 50 MB `.docx` of plain text can unpack
/// to a few hundred megabytes; a ZIP bomb unpacks to far more. Streamed, so this
/// bounds time, not memory.
const MAX_XML_BYTES: u64 = 512 * 1024 * 1024;

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

pub(crate) fn extract(name: &str, bytes: &[u8]) -> Result<String, AttachmentError> {
    let claims_docx = name::extension(name).as_deref() == Some("docx");
    let not_word = |archive: Option<&Archive>| match archive.and_then(packed_kind) {
        Some(kind) => AttachmentError::unsupported(name, Some(kind)),
        // A ZIP without a Word document inside is what a broken `.docx` looks like.
        None if claims_docx => invalid(name),
        None => AttachmentError::unsupported(name, Some("a ZIP archive")),
    };
    let Ok(mut archive) = ZipArchive::new(Cursor::new(bytes)) else {
        return Err(not_word(None));
    };
    let Some(main) = main_part(&mut archive) else {
        return Err(not_word(Some(&archive)));
    };
    contain(name, "Word document", || {
        read_text(name, &mut archive, &main)
    })
}

/// The main document part, found the way Word finds it: through the package's
/// relationships, since it need not be called `word/document.xml`.
fn main_part(archive: &mut Archive) -> Option<String> {
    let mut rels = String::new();
    let target = archive
        .by_name("_rels/.rels")
        .ok()
        .and_then(|file| file.take(1024 * 1024).read_to_string(&mut rels).ok())
        .and_then(|_| office_document_target(&rels))
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let target = target.trim_start_matches('/').to_owned();
    (target.starts_with("word/") && archive.index_for_name(&target).is_some()).then_some(target)
}

fn office_document_target(rels: &str) -> Option<String> {
    let mut reader = Reader::from_str(rels);
    loop {
        match reader.read_event().ok()? {
            Event::Empty(element) | Event::Start(element)
                if element.local_name().as_ref() == "Relationship" =>
            {
                let attribute = |key: &str| {
                    element
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .map(|a| a.value.into_owned())
                };
                if attribute("Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    return attribute("Target");
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Other formats that are ZIP archives underneath, named so a refusal is clear.
fn packed_kind(archive: &Archive) -> Option<&'static str> {
    let has = |entry: &str| archive.index_for_name(entry).is_some();
    if has("xl/workbook.xml") {
        Some("an Excel workbook")
    } else if has("ppt/presentation.xml") {
        Some("a PowerPoint presentation")
    } else if has("mimetype") && has("META-INF/manifest.xml") {
        Some("an OpenDocument file")
    } else if has("mimetype") && has("META-INF/container.xml") {
        Some("an EPUB e-book")
    } else {
        None
    }
}

fn invalid(name: &str) -> AttachmentError {
    AttachmentError::new(
        AttachmentProblem::Unreadable,
        format!(
            "{name} isn't a valid Word document (it may be damaged), so Foxtail can't read it."
        ),
    )
}

/// Where the reader is in the document, as far as the text cares.
#[derive(Default)]
struct Walk {
    text: String,
    /// Inside `mc:Fallback`: the same content again, for older readers.
    skipping: u32,
    /// Inside a run: `w:tab` and `w:br` there are characters, elsewhere they are
    /// properties (tab stops, page-break settings).
    runs: u32,
    /// Inside `w:t`, where the characters are.
    in_text: bool,
    /// Inside a table cell: a cell's paragraphs stay on its row.
    cells: u32,
}

impl Walk {
    fn open(&mut self, local: &str) {
        if self.skipping > 0 {
            self.skipping += 1;
            return;
        }
        match local {
            "Fallback" => self.skipping = 1,
            "r" => self.runs += 1,
            "t" => self.in_text = true,
            "tc" => self.cells += 1,
            _ => self.character(local),
        }
    }

    fn close(&mut self, local: &str) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        match local {
            "r" => self.runs = self.runs.saturating_sub(1),
            "t" => self.in_text = false,
            "p" => self.text.push(if self.cells > 0 { ' ' } else { '\n' }),
            "tc" => {
                self.cells = self.cells.saturating_sub(1);
                self.trim_trailing_spaces();
                self.text.push('\t');
            }
            "tr" => {
                self.trim_trailing_spaces();
                if self.text.ends_with('\t') {
                    self.text.pop();
                }
                self.text.push(if self.cells > 0 { ' ' } else { '\n' });
            }
            _ => {}
        }
    }

    fn empty(&mut self, local: &str) {
        if self.skipping > 0 {
            return;
        }
        match local {
            "p" => self.close(local),
            _ => self.character(local),
        }
    }

    /// Elements that stand for a character when they are inside a run.
    fn character(&mut self, local: &str) {
        if self.runs == 0 {
            return;
        }
        match local {
            "tab" | "ptab" => self.text.push('\t'),
            "br" | "cr" => self.text.push('\n'),
            "noBreakHyphen" => self.text.push('-'),
            _ => {}
        }
    }

    fn characters(&mut self, text: &str) {
        if self.in_text && self.skipping == 0 {
            self.text.push_str(text);
        }
    }

    fn trim_trailing_spaces(&mut self) {
        let kept = self.text.trim_end_matches(' ').len();
        self.text.truncate(kept);
    }
}

fn read_text(name: &str, archive: &mut Archive, main: &str) -> Result<String, AttachmentError> {
    let file = archive.by_name(main).map_err(|error| match error {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) => {
            AttachmentError::encrypted(name)
        }
        _ => invalid(name),
    })?;
    let mut reader = Reader::from_reader(BufReader::new(file.take(MAX_XML_BYTES + 1)));
    let mut walk = Walk::default();
    let mut buffer = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(event) => event,
            Err(_) if reader.get_ref().get_ref().limit() == 0 => {
                return Err(AttachmentError::new(
                    AttachmentProblem::TooLarge,
                    format!(
                        "{name} unpacks to more than {} of text, more than Foxtail takes.",
                        size_words(MAX_XML_BYTES)
                    ),
                ));
            }
            Err(_) => return Err(invalid(name)),
        };
        match event {
            Event::Start(element) => walk.open(element.local_name().as_ref()),
            Event::End(element) => walk.close(element.local_name().as_ref()),
            Event::Empty(element) => walk.empty(element.local_name().as_ref()),
            Event::Text(text) => walk.characters(&text.xml10_content()),
            Event::CData(data) => walk.characters(data.as_ref()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&reference.xml10_content())
                        .map(str::to_owned),
                };
                if let Some(resolved) = resolved {
                    walk.characters(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    let text = tidy(&walk.text);
    if text.is_empty() {
        return Err(AttachmentError::new(
            AttachmentProblem::NoText,
            format!("{name} has no text in it, so there is nothing to give the model."),
        ));
    }
    Ok(text)
}
