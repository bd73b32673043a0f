//! What a file is, from its first bytes. Extensions are not trusted: screenshots get
//! pasted with no name, phones save HEIC photos as `.jpg`, and people rename files.

use ::image::ImageFormat;

pub(crate) enum Sniffed {
    /// One of the four picture formats Foxtail takes.
    Image(ImageFormat),
    Pdf,
    /// A ZIP archive: a Word document, or something else packed the same way.
    Zip,
    /// The pre-2007 Office container. Word also uses it for a password-protected
    /// `.docx`, which is why this is told apart.
    OldOffice {
        encrypted: bool,
    },
    /// A kind of file that is recognised but not taken, named for the message.
    Foreign(&'static str),
    /// No known signature: text, or something unreadable.
    Unknown,
}

pub(crate) fn image_format(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageFormat::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    if let Some(format) = image_format(bytes) {
        return Sniffed::Image(format);
    }
    if is_pdf(bytes) {
        return Sniffed::Pdf;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Sniffed::OldOffice {
            encrypted: contains(bytes, &utf16le("EncryptedPackage")),
        };
    }
    match strong_kind(bytes) {
        Some(kind) => Sniffed::Foreign(kind),
        None => Sniffed::Unknown,
    }
}

/// Readers accept a PDF header anywhere in the first kilobyte (some generators put
/// junk first), but a text file that merely mentions `%PDF-` must stay a text file:
/// away from the start, the header only counts in a file that is not text.
fn is_pdf(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"%PDF-") {
        return true;
    }
    let head = &bytes[..bytes.len().min(1024)];
    contains(head, b"%PDF-") && std::str::from_utf8(bytes).is_err()
}

/// Signatures long and specific enough that no text file starts with them.
fn strong_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some(match &bytes[8..12] {
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                "a HEIC image"
            }
            b"avif" | b"avis" => "an AVIF image",
            _ => "a video or audio file",
        });
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" {
        return Some(match &bytes[8..12] {
            b"WAVE" => "an audio file",
            b"AVI " => "a video file",
            _ => "a RIFF media file",
        });
    }
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"II*\0", "a TIFF image"),
        (b"MM\0*", "a TIFF image"),
        (b"8BPS", "a Photoshop file"),
        (b"\x1f\x8b", "a compressed (gzip) file"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"Rar!\x1a\x07", "a RAR archive"),
        (b"\x7fELF", "a program"),
        (b"OggS", "an audio or video file"),
        (b"fLaC", "an audio file"),
        (b"ID3", "an audio file"),
        (b"\x1a\x45\xdf\xa3", "a video file"),
        (b"\0\0\x01\0", "an icon"),
    ];
    SIGNATURES
        .iter()
        .find(|(signature, _)| bytes.starts_with(signature))
        .map(|(_, kind)| *kind)
}

/// Signatures short enough that text could start with them ("BMW…", "MZ…"): only
/// consulted once the file has turned out not to be text.
pub(crate) fn weak_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"BM") {
        Some("a BMP image")
    } else if bytes.starts_with(b"MZ") {
        Some("a Windows program")
    } else {
        None
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_that_mentions_the_pdf_header_stays_text() {
        assert!(matches!(
            sniff(b"Notes: every PDF starts with %PDF-1.7\n"),
            Sniffed::Unknown
        ));
        assert!(matches!(sniff(b"junk\xff\xfe%PDF-1.4\n"), Sniffed::Pdf));
    }

    #[test]
    fn phone_photos_in_heic_are_named() {
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        assert!(matches!(sniff(heic), Sniffed::Foreign("a HEIC image")));
    }

    #[test]
    fn a_text_file_starting_like_a_bitmap_is_not_sniffed_as_one() {
        assert!(matches!(sniff(b"BMW service notes"), Sniffed::Unknown));
    }
}
