//! The window's attachment commands: a file's bytes in (as a raw body, not JSON), the
//! prepared attachment's description out, and pictures back for thumbnails.

use std::sync::Arc;

use crate::raw_request;
use foxtail_core::contract::FILE_NAME_HEADER;
use foxtail_core::keys::Keys;
use foxtail_core::message_attachments::{self, Attachment, THUMBNAIL_SIDE};
use foxtail_core::settings::SettingsFile;
use foxtail_core::{AppError, ErrorKind};
use foxtail_engine::CancellationToken;
use foxtail_storage::Storage;
use tauri::ipc::Request;
use tauri::State;

fn refused(message: &str) -> AppError {
    AppError::Attachment {
        kind: ErrorKind::AttachmentUnreadable,
        message: message.to_owned(),
    }
}

/// Prepares and stores a file the person attached: its bytes are the request's raw
/// body and its name is in the `FILE_NAME_HEADER` header. Decoding a photo or reading
/// a PDF runs off the async workers, so the window never waits on it.
#[tauri::command]
pub async fn add_attachment(
    request: Request<'_>,
    storage: State<'_, Arc<Storage>>,
) -> Result<Attachment, AppError> {
    let Some(bytes) = raw_request::body(&request) else {
        return Err(refused("The file's bytes did not arrive."));
    };
    let name = raw_request::argument(&request, FILE_NAME_HEADER).unwrap_or_default();
    let bytes = bytes.clone();
    let storage = storage.inner().clone();
    tauri::async_runtime::spawn_blocking(move || message_attachments::add(&storage, &name, &bytes))
        .await
        .map_err(|_| refused("Preparing the file failed unexpectedly."))?
}

/// The first pages (or paragraphs) of a stored document that cost at most
/// `max_tokens`, as an attachment of its own, when the whole does not fit.
#[tauri::command]
pub async fn attachment_first_part(
    id: String,
    name: String,
    max_tokens: u64,
    storage: State<'_, Arc<Storage>>,
) -> Result<Attachment, AppError> {
    let storage = storage.inner().clone();
    tauri::async_runtime::spawn_blocking(move || {
        message_attachments::first_part(&storage, &id, &name, max_tokens)
    })
    .await
    .map_err(|_| refused("The document could not be shortened."))?
}

/// A summary of a stored document that does not fit, written by the saved model part
/// by part, as an attachment of its own that says it is a summary.
#[tauri::command]
pub async fn summarize_attachment(
    id: String,
    name: String,
    storage: State<'_, Arc<Storage>>,
    settings: State<'_, SettingsFile>,
    keys: State<'_, Keys>,
) -> Result<Attachment, AppError> {
    foxtail_core::document_summary::summarize(
        &storage,
        &settings.get(),
        &keys,
        &id,
        &name,
        &CancellationToken::new(),
    )
    .await
}

/// A stored picture as a data URL: a thumbnail, or as it was sent.
#[tauri::command]
pub async fn attachment_image(
    id: String,
    thumbnail: bool,
    storage: State<'_, Arc<Storage>>,
) -> Result<String, AppError> {
    let storage = storage.inner().clone();
    tauri::async_runtime::spawn_blocking(move || {
        message_attachments::image_url(&storage, &id, thumbnail.then_some(THUMBNAIL_SIDE))
    })
    .await
    .map_err(|_| refused("The picture could not be read."))?
}

#[cfg(test)]
mod tests {
    use foxtail_core::contract::FILE_NAME_HEADER;
    use foxtail_mock_gateway::{script, MockGateway};
    use serde_json::json;

    use crate::chat::tests::{id, settled, window_against};

    fn pdf() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src-tauri/core/tests/fixtures/attachments/two-pages.pdf"
        ))
        .unwrap()
    }

    /// Every file that cannot be attached is refused through the window's own path,
    /// with its kind and the file named, and the app goes on.
    #[tokio::test(flavor = "multi_thread")]
    async fn each_bad_file_is_refused_in_plain_words_through_the_window() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, _storage, _dir) = window_against(&gateway);
        let fixture = |name: &str| {
            std::fs::read(format!(
                "{}/src-tauri/core/tests/fixtures/attachments/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        };
        let huge = {
            let mut bytes = b"%PDF-1.7\n".to_vec();
            bytes.resize(51 * 1024 * 1024, b' ');
            bytes
        };
        for (name, bytes, kind, words) in [
            (
                "scan.pdf",
                fixture("scan.pdf"),
                "attachment_no_text",
                "no text layer",
            ),
            (
                "encrypted.pdf",
                fixture("encrypted.pdf"),
                "attachment_encrypted",
                "password",
            ),
            (
                "encrypted.docx",
                fixture("encrypted.docx"),
                "attachment_encrypted",
                "password",
            ),
            (
                "truncated.pdf",
                fixture("truncated.pdf"),
                "attachment_unreadable",
                "truncated.pdf",
            ),
            (
                "zip-renamed.pdf",
                fixture("zip-renamed.pdf"),
                "attachment_unsupported",
                "ZIP",
            ),
            (
                "no-media-box.pdf",
                fixture("no-media-box.pdf"),
                "attachment_unreadable",
                "no-media-box.pdf",
            ),
            ("huge.pdf", huge, "attachment_too_large", "50 MB"),
        ] {
            let err = window
                .call_raw("add_attachment", bytes, &[(FILE_NAME_HEADER, name)])
                .unwrap_err();
            assert_eq!(err["kind"], kind, "{name}: {err}");
            let message = err["message"].as_str().unwrap();
            assert!(message.contains(words), "{name}: {message}");
        }
        // The app still works after all of them.
        let note = window
            .call_raw(
                "add_attachment",
                b"hello".to_vec(),
                &[(FILE_NAME_HEADER, "note.txt")],
            )
            .unwrap();
        assert_eq!(note["kind"], "document");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_file_crosses_as_raw_bytes_and_the_message_carries_it() {
        let gateway = MockGateway::start_script(script("ok").unwrap())
            .await
            .unwrap();
        let (window, storage, dir) = window_against(&gateway);
        // The name is percent-encoded, as headers are ASCII.
        let added = window
            .call_raw(
                "add_attachment",
                pdf(),
                &[(FILE_NAME_HEADER, "%EB%B3%B4%EA%B3%A0%EC%84%9C.pdf")],
            )
            .unwrap();
        assert_eq!(added["name"], "보고서.pdf");
        assert_eq!(added["kind"], "document");
        assert_eq!(added["pages"], 2);
        // When the whole does not fit, its first pages can go, said on the chip.
        let tokens = added["tokens"].as_u64().unwrap();
        let first = window
            .call(
                "attachment_first_part",
                json!({"id": added["id"], "name": "보고서.pdf", "maxTokens": tokens - 1}),
            )
            .unwrap();
        assert_eq!(first["part"], "pages 1–1 of 2");
        assert_eq!(first["name"], "보고서.pdf");
        let refused = window
            .call_raw(
                "add_attachment",
                b"PK\x03\x04junk".to_vec(),
                &[(FILE_NAME_HEADER, "x.pdf")],
            )
            .unwrap_err();
        assert!(
            refused["kind"].as_str().unwrap().starts_with("attachment_"),
            "{refused}"
        );

        let turn = window
            .call(
                "send_message",
                json!({
                    "conversationId": null, "text": "Summarize it", "replaceFrom": null,
                    "attachments": [{"id": added["id"], "name": "보고서.pdf"}],
                    "onUpdate": crate::chat::tests::CHANNEL,
                }),
            )
            .unwrap();
        assert_eq!(turn["user_message"]["attachments"][0]["name"], "보고서.pdf");
        settled(&window, &storage, id(&turn));
        let body = gateway.requests()[0].json();
        let text = body["messages"][0]["content"].as_str().unwrap();
        assert!(text.contains("<document name=\"보고서.pdf\">"), "{text}");

        // Export: the Markdown links the file, and the folder beside it holds it.
        let conversation = turn["conversation_id"].clone();
        let markdown = window
            .call(
                "export_conversation",
                json!({"conversationId": conversation}),
            )
            .unwrap();
        let markdown = markdown.as_str().unwrap();
        assert!(
            markdown.contains("📎 [보고서.pdf](Summarize%20it%20files/"),
            "{markdown}"
        );
        std::env::set_var(foxtail_core::exports::EXPORT_DIR_ENV, dir.path());
        window
            .call(
                "save_export",
                json!({"fileName": "Summarize it.md", "content": markdown, "conversationId": conversation}),
            )
            .unwrap();
        let folder = dir.path().join("Summarize it files");
        let files: Vec<_> = std::fs::read_dir(&folder).unwrap().flatten().collect();
        assert_eq!(files.len(), 1);
        let written = std::fs::read_to_string(files[0].path()).unwrap();
        assert!(files[0]
            .file_name()
            .to_string_lossy()
            .ends_with("보고서.pdf.txt"));
        assert!(!written.is_empty());
    }
}
