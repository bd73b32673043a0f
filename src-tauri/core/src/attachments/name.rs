//! The name an attachment is shown and stored under. It comes from the person's
//! system (a drag, a paste, a file dialog), so it may carry a full path, or characters
//! meant to disguise it such as a right-to-left override that makes `gpj.exe` read as
//! `exe.jpg`.

const MAX_CHARS: usize = 200;

/// Pasted pictures come with no name of their own.
const FALLBACK: &str = "attachment";

pub(crate) fn sanitize(raw: &str) -> String {
    // Both separators, whatever this system uses: the name may come from another one.
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_direction_control(*c))
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        return FALLBACK.to_owned();
    }
    shorten(cleaned)
}

/// Cuts the stem rather than the extension, so a long name still says what it is.
fn shorten(name: &str) -> String {
    let count = name.chars().count();
    if count <= MAX_CHARS {
        return name.to_owned();
    }
    let extension = match name.rfind('.') {
        Some(dot) if dot > 0 && name[dot..].chars().count() <= 16 => &name[dot..],
        _ => "",
    };
    let keep = MAX_CHARS - extension.chars().count();
    let stem: String = name.chars().take(keep).collect();
    format!("{}{extension}", stem.trim_end())
}

/// Unicode's explicit direction marks, embeddings, overrides and isolates.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The extension, lower-cased, without its dot.
pub(crate) fn extension(name: &str) -> Option<String> {
    let (stem, extension) = name.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then(|| extension.to_ascii_lowercase())
}

/// What the name says the file is, for the kinds Foxtail takes: used to tell a person
/// when the content is something else ("is really a ZIP archive, not a PDF").
pub(crate) fn claimed_kind(name: &str) -> Option<&'static str> {
    Some(match extension(name)?.as_str() {
        "pdf" => "a PDF",
        "docx" => "a Word document",
        "png" => "a PNG image",
        "jpg" | "jpeg" => "a JPEG image",
        "webp" => "a WebP image",
        "gif" => "a GIF image",
        "txt" | "md" | "csv" | "json" => "a text file",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_dropped_whatever_the_separator() {
        assert_eq!(sanitize("/home/ana/Documents/report.pdf"), "report.pdf");
        assert_eq!(sanitize(r"C:\Users\ana\photo.jpg"), "photo.jpg");
        assert_eq!(sanitize("../../etc/passwd"), "passwd");
    }

    #[test]
    fn control_and_direction_characters_are_removed() {
        assert_eq!(sanitize("bad\nname\u{7}.txt"), "badname.txt");
        assert_eq!(sanitize("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
    }

    #[test]
    fn nothing_left_becomes_attachment() {
        assert_eq!(sanitize(""), "attachment");
        assert_eq!(sanitize("  "), "attachment");
        assert_eq!(sanitize("folder/"), "attachment");
        assert_eq!(sanitize(".."), "attachment");
    }

    #[test]
    fn long_names_keep_their_extension() {
        let long = format!("{}.pdf", "é".repeat(300));
        let short = sanitize(&long);
        assert_eq!(short.chars().count(), 200);
        assert!(short.ends_with("é.pdf"));
        let no_extension = "x".repeat(250);
        assert_eq!(sanitize(&no_extension).chars().count(), 200);
    }

    #[test]
    fn extensions_are_read_case_blind() {
        assert_eq!(extension("Report.PDF").as_deref(), Some("pdf"));
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(claimed_kind("scan.JPG"), Some("a JPEG image"));
        assert_eq!(claimed_kind("notes"), None);
    }
}
