//! Text files: notes, Markdown, CSV, JSON, source code. Decided by content, so a
//! `.log`, a `Makefile` or a file with no extension is taken as well.

use super::name;

/// The text of a file that is text, or `None` when it is not.
///
/// UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are
/// taken; Windows tools still write UTF-16 (PowerShell redirects, some exports), and
/// without its mark UTF-16 can't be told from binary. A NUL byte means binary: no text
/// format puts one in. Line endings become `\n`, which changes nothing a model reads
/// and keeps the count of tokens honest.
pub(crate) fn decode(bytes: &[u8]) -> Option<String> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        std::str::from_utf8(rest).ok()?.to_owned()
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)?
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)?
    } else {
        std::str::from_utf8(bytes).ok()?.to_owned()
    };
    if text.contains('\0') {
        return None;
    }
    Some(normalize_line_endings(text))
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .ok()
}

fn normalize_line_endings(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The type of a text file, from its name: the content can't tell Markdown from plain
/// text, and the model is told only the type, not the name's extension.
pub(crate) fn mime_for(file_name: &str) -> &'static str {
    match name::extension(file_name).as_deref() {
        Some("md" | "markdown") => "text/markdown",
        Some("csv") => "text/csv",
        Some("tsv") => "text/tab-separated-values",
        Some("json") => "application/json",
        Some("html" | "htm") => "text/html",
        Some("xml") => "application/xml",
        _ => "text/plain",
    }
}

/// Extracted text without the padding its layout left: trailing spaces, and runs of
/// blank lines (a PDF page's white space, a Word document's empty paragraphs used as
/// spacing), which cost tokens and say nothing. Line breaks and indentation stay.
pub(crate) fn tidy(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut blank_run = 0;
    for line in page.lines().map(str::trim_end) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_are_stripped() {
        assert_eq!(decode(b"\xEF\xBB\xBFhello").as_deref(), Some("hello"));
        assert_eq!(decode(b"\xFF\xFEh\0i\0").as_deref(), Some("hi"));
        assert_eq!(decode(b"\xFE\xFF\0h\0i").as_deref(), Some("hi"));
    }

    #[test]
    fn binary_is_not_text() {
        assert_eq!(decode(b"abc\0def"), None);
        assert_eq!(decode(&[0xC3, 0x28]), None);
        // UTF-32 starts like UTF-16 but is full of NULs.
        assert_eq!(decode(b"\xFF\xFE\0\0h\0\0\0"), None);
        assert_eq!(decode(b"\xFF\xFEh\0i"), None);
    }

    #[test]
    fn line_endings_become_newlines() {
        assert_eq!(decode(b"a\r\nb\rc\n").as_deref(), Some("a\nb\nc\n"));
    }

    #[test]
    fn blank_runs_collapse_and_edges_are_trimmed() {
        assert_eq!(
            tidy("\n\n  Title  \n\n\n\nBody one\nBody two   \n\n"),
            "  Title\n\nBody one\nBody two"
        );
        assert_eq!(tidy(" \n \n"), "");
    }

    #[test]
    fn types_come_from_the_extension() {
        assert_eq!(mime_for("README.md"), "text/markdown");
        assert_eq!(mime_for("data.CSV"), "text/csv");
        assert_eq!(mime_for("main.rs"), "text/plain");
        assert_eq!(mime_for("Makefile"), "text/plain");
    }
}
