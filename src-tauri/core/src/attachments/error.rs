//! Why a file was refused, in words for the person who attached it. Every message
//! names the file, since several may be attached at once, and says what to do when
//! there is something to do.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::name;

/// What the window may want to treat differently (an icon, a hint, a retry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentProblem {
    /// Over a size cap, in bytes or in pixels.
    TooLarge,
    /// Not a kind of file Foxtail takes.
    Unsupported,
    /// The right kind of file, but damaged or built in a way the reader can't follow.
    Unreadable,
    /// Locked with a password.
    Encrypted,
    /// Readable, but with no text in it.
    NoText,
}

/// A refused attachment. `message` is plain English naming the file; it is also what
/// `Display` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AttachmentError {
    pub problem: AttachmentProblem,
    pub message: String,
}

/// What Foxtail takes, said whenever it refuses a kind of file.
pub(crate) const ACCEPTED: &str =
    "Foxtail takes PNG, JPEG, WebP and GIF images, PDF and Word (.docx) documents, and text files.";

impl AttachmentError {
    pub(crate) fn new(problem: AttachmentProblem, message: String) -> Self {
        Self { problem, message }
    }

    pub(crate) fn too_large(name: &str, size: u64, cap: u64, what: &str) -> Self {
        Self::new(
            AttachmentProblem::TooLarge,
            format!(
                "{name} is {}; Foxtail takes {what} up to {}.",
                size_words(size),
                size_words(cap)
            ),
        )
    }

    /// `kind` is what the file really is, when that is known ("a HEIC image").
    pub(crate) fn unsupported(name: &str, kind: Option<&str>) -> Self {
        let start = match (kind, name::claimed_kind(name)) {
            (Some(kind), Some(claimed)) if claimed != kind => {
                format!("{name} is really {kind}, not {claimed}, so Foxtail can't read it.")
            }
            (Some(kind), _) => format!("{name} is {kind}, which Foxtail can't read."),
            (None, _) => format!("{name} isn't a kind of file Foxtail can read."),
        };
        Self::new(
            AttachmentProblem::Unsupported,
            format!("{start} {ACCEPTED}"),
        )
    }

    pub(crate) fn encrypted(name: &str) -> Self {
        Self::new(
            AttachmentProblem::Encrypted,
            format!(
                "{name} is protected with a password, so Foxtail can't read it. \
                 Save a copy without the password and attach that."
            ),
        )
    }

    pub(crate) fn empty(name: &str) -> Self {
        Self::new(
            AttachmentProblem::NoText,
            format!("{name} is empty, so there is nothing to give the model."),
        )
    }
}

impl fmt::Display for AttachmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AttachmentError {}

/// A size as a file manager shows it. Rounded up, so a file just over a cap never
/// reads as exactly the cap ("30.1 MB", not "30 MB").
pub(crate) fn size_words(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let mb = bytes as f64 / MB;
    if mb >= 1024.0 {
        format!("{} GB", one_decimal_up(mb / 1024.0))
    } else if mb >= 100.0 {
        format!("{} MB", mb.ceil())
    } else if mb >= 1.0 {
        format!("{} MB", one_decimal_up(mb))
    } else {
        format!("{} KB", (bytes as f64 / 1024.0).ceil())
    }
}

fn one_decimal_up(value: f64) -> String {
    let tenths = (value * 10.0).ceil();
    if tenths % 10.0 == 0.0 {
        format!("{}", tenths / 10.0)
    } else {
        format!("{:.1}", tenths / 10.0)
    }
}

/// 100000 → "100,000", for pixel counts.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_a_file_manager_shows_them() {
        assert_eq!(size_words(500 * 1024 * 1024), "500 MB");
        assert_eq!(size_words(50 * 1024 * 1024), "50 MB");
        assert_eq!(size_words(30 * 1024 * 1024 + 1), "30.1 MB");
        assert_eq!(size_words(3 * 1024 * 1024 * 1024), "3 GB");
        assert_eq!(size_words(1536), "2 KB");
    }

    #[test]
    fn pixel_counts_are_grouped() {
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(12_000), "12,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
