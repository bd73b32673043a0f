//! What the window asks of the desktop: a link opened in the browser, text put on the
//! clipboard. The plugins are used from here, not granted to the window, so that a link
//! in a model's answer can never open a file or start a program.

use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;

use crate::AppError;

/// The address to hand to the browser, or why it is refused: only web pages, since the
/// system opener would also run `file:` paths and custom schemes.
pub fn web_link(url: &str) -> Result<String, AppError> {
    let refused = || {
        AppError::LinkRefused(
            "Only web links (http:// or https://) can be opened from an answer.".into(),
        )
    };
    let parsed = url::Url::parse(url.trim()).map_err(|_| refused())?;
    let has_host = parsed.host_str().is_some_and(|host| !host.is_empty());
    match parsed.scheme() {
        "http" | "https" if has_host => Ok(parsed.to_string()),
        _ => Err(refused()),
    }
}

#[tauri::command]
pub fn open_link<R: Runtime>(url: String, app: AppHandle<R>) -> Result<(), AppError> {
    let url = web_link(&url)?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|err| AppError::LinkFailed(err.to_string()))
}

#[tauri::command]
pub fn copy_text<R: Runtime>(text: String, app: AppHandle<R>) -> Result<(), AppError> {
    app.clipboard()
        .write_text(text)
        .map_err(|err| AppError::Clipboard(err.to_string()))
}

/// HTML with its plain-text form, so that a paste into a word processor or a mail
/// program keeps headings, bold and lists, and a plain editor still gets the words.
#[tauri::command]
pub fn copy_formatted<R: Runtime>(
    html: String,
    text: String,
    app: AppHandle<R>,
) -> Result<(), AppError> {
    app.clipboard()
        .write_html(html, Some(text))
        .map_err(|err| AppError::Clipboard(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_pages_are_opened() {
        assert_eq!(
            web_link(" https://ofox.ai/docs?q=1#top ").unwrap(),
            "https://ofox.ai/docs?q=1#top"
        );
        assert_eq!(
            web_link("http://localhost:8080").unwrap(),
            "http://localhost:8080/"
        );
        for url in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "smb://server/share",
            "vscode://file/etc/passwd",
            "mailto:someone@example.com",
            "/relative/path",
            "https://",
            "",
        ] {
            let err = web_link(url).unwrap_err();
            assert_eq!(err.kind(), "link_refused", "{url}");
        }
    }
}
