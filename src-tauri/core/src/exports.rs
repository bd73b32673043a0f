//! Exports saved where people look for them: the Downloads folder, under a name made
//! from the conversation's title, never over an existing file.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use foxtail_storage::{AttachmentKind, AttachmentRef, Storage};

use crate::AppError;

/// Moves exports to another folder (tests, or a person who wants them elsewhere).
pub const EXPORT_DIR_ENV: &str = "FOXTAIL_EXPORT_DIR";

/// Only these can be written: an export is text for people, never a program.
const EXTENSIONS: &[&str] = &["md", "txt"];

/// A file name that stays inside the folder: no separators, no control characters,
/// no leading dots, a known extension, and a length every file system takes.
pub fn safe_file_name(requested: &str) -> Result<String, AppError> {
    let (stem, extension) = requested
        .rsplit_once('.')
        .filter(|(_, ext)| EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
        .ok_or_else(|| AppError::Export("Only .md and .txt files can be exported.".into()))?;
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end();
    let mut stem: String = cleaned.chars().take(80).collect();
    if stem.is_empty() {
        stem = "Foxtail export".into();
    }
    Ok(format!("{stem}.{}", extension.to_ascii_lowercase()))
}

/// Writes `content` into `folder` as `name`, or `name (2)`, `name (3)`… if taken.
pub fn write_new(folder: &Path, name: &str, content: &str) -> Result<PathBuf, AppError> {
    let failed = |path: &Path, err: std::io::Error| {
        AppError::Export(format!(
            "The file {} could not be written: {err}. Check that the disk is not full.",
            path.display()
        ))
    };
    std::fs::create_dir_all(folder).map_err(|err| failed(folder, err))?;
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, "md"));
    for n in 1..1000 {
        let candidate = if n == 1 {
            folder.join(name)
        } else {
            folder.join(format!("{stem} ({n}).{extension}"))
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut file) => {
                let written = file
                    .write_all(content.as_bytes())
                    .and_then(|()| file.sync_all());
                if let Err(err) = written {
                    // Half a file is worse than none: the person would trust it.
                    let _ = std::fs::remove_file(&candidate);
                    return Err(failed(&candidate, err));
                }
                return Ok(candidate);
            }
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(failed(&candidate, err)),
        }
    }
    Err(AppError::Export(format!(
        "Too many files named {name} in {}.",
        folder.display()
    )))
}

/// The folder beside an exported conversation that holds its attachments.
fn files_folder(title: &str) -> String {
    let stem = safe_file_name(&format!("{title}.md"))
        .map(|name| name.trim_end_matches(".md").to_owned())
        .unwrap_or_else(|_| "Foxtail export".into());
    format!("{stem} files")
}

/// An attachment's file in that folder: its content id's start keeps two files of
/// the same name apart; a document is written as the text the model was given.
fn attachment_file(reference: &AttachmentRef) -> String {
    let name: String = safe_file_name(&format!("{}.md", reference.name))
        .map(|n| n.trim_end_matches(".md").to_owned())
        .unwrap_or_else(|_| "attachment".into());
    let id: String = reference.id.chars().take(8).collect();
    match reference.kind {
        AttachmentKind::Image => {
            let extension = match reference.mime.as_str() {
                "image/png" => "png",
                "image/gif" => "gif",
                "image/webp" => "webp",
                _ => "jpg",
            };
            let stem = name
                .rsplit_once('.')
                .map_or(name.as_str(), |(stem, _)| stem);
            format!("{id} {stem}.{extension}")
        }
        AttachmentKind::Document => format!("{id} {name}.txt"),
    }
}

/// A Markdown link target: spaces and brackets escaped so every renderer follows it.
fn link_target(path: &str) -> String {
    path.replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// A conversation as Markdown, with each message's attachments linked into the
/// folder [`write_attachments`] fills.
pub fn conversation_markdown(storage: &Storage, conversation_id: i64) -> Result<String, AppError> {
    let title = storage.conversation(conversation_id)?.title;
    let folder = files_folder(&title);
    let attached = storage.conversation_attachments(conversation_id)?;
    Ok(storage.export_markdown_with(conversation_id, |message| {
        let Some(refs) = attached.get(&message) else {
            return String::new();
        };
        let mut links = String::from("\n");
        for reference in refs {
            let target = link_target(&format!("{folder}/{}", attachment_file(reference)));
            let label = reference.name.replace(['[', ']'], "");
            match reference.kind {
                AttachmentKind::Image => links.push_str(&format!("![{label}]({target})\n")),
                AttachmentKind::Document => links.push_str(&format!("📎 [{label}]({target})\n")),
            }
        }
        links
    })?)
}

/// Writes a conversation's attachments into the folder beside its export in
/// `folder`; an existing file of the same name (an earlier export) is left as it is.
/// Returns how many were written.
pub fn write_attachments(
    storage: &Storage,
    conversation_id: i64,
    folder: &Path,
) -> Result<usize, AppError> {
    let title = storage.conversation(conversation_id)?.title;
    let attached = storage.conversation_attachments(conversation_id)?;
    if attached.is_empty() {
        return Ok(0);
    }
    let target = folder.join(files_folder(&title));
    let failed = |path: &Path, err: std::io::Error| {
        AppError::Export(format!(
            "The attachment {} could not be written: {err}. Check that the disk is not full.",
            path.display()
        ))
    };
    std::fs::create_dir_all(&target).map_err(|err| failed(&target, err))?;
    let mut written = 0;
    for reference in attached.values().flatten() {
        let path = target.join(attachment_file(reference));
        if path.exists() {
            continue;
        }
        let stored = storage.attachment(&reference.id)?;
        let bytes = match stored.kind {
            AttachmentKind::Image => stored.data,
            AttachmentKind::Document => stored.text.into_bytes(),
        };
        std::fs::write(&path, bytes).map_err(|err| failed(&path, err))?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_folder() {
        assert_eq!(safe_file_name("Trip plan.md").unwrap(), "Trip plan.md");
        assert_eq!(
            safe_file_name("../../etc/passwd.md").unwrap(),
            "etc passwd.md"
        );
        assert_eq!(safe_file_name("a\u{0}b:c.TXT").unwrap(), "a b c.txt");
        assert_eq!(safe_file_name(".md").unwrap(), "Foxtail export.md");
        assert_eq!(safe_file_name("금요일 회의.md").unwrap(), "금요일 회의.md");
        for bad in ["run.sh", "page.html", "noextension"] {
            assert_eq!(safe_file_name(bad).unwrap_err().kind(), "export", "{bad}");
        }
    }

    #[test]
    fn an_export_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_new(dir.path(), "Chat.md", "one").unwrap();
        let second = write_new(dir.path(), "Chat.md", "two").unwrap();
        assert_eq!(first, dir.path().join("Chat.md"));
        assert_eq!(second, dir.path().join("Chat (2).md"));
        assert_eq!(std::fs::read_to_string(first).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(second).unwrap(), "two");
    }

    #[test]
    fn an_unwritable_folder_is_a_plain_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").unwrap();
        let err = write_new(&blocker.join("sub"), "Chat.md", "x").unwrap_err();
        assert_eq!(err.kind(), "export");
        assert!(err.to_string().contains("could not be written"), "{err}");
    }
}
