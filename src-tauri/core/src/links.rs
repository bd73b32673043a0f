//! Which links from an answer may be handed to the system's browser.

use crate::AppError;

/// Whether the window may navigate to `url`: only to the app's own pages (and, in a
/// development build, the dev server's). A link, a dropped URL or a script that sends
/// the window elsewhere would give a remote page the app's commands.
pub fn is_app_page(url: &url::Url, dev_server: Option<&url::Url>) -> bool {
    let own = match url.scheme() {
        // Linux and macOS serve the app from tauri://localhost, Windows and Android
        // from http(s)://tauri.localhost.
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    };
    own || dev_server.is_some_and(|dev| dev.origin() == url.origin())
}

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

    #[test]
    fn the_window_navigates_only_within_the_app() {
        let parse = |u: &str| url::Url::parse(u).unwrap();
        let dev = parse("http://localhost:1420/");
        for own in [
            "tauri://localhost/",
            "tauri://localhost/index.html#x",
            "http://tauri.localhost/",
        ] {
            assert!(is_app_page(&parse(own), None), "{own}");
        }
        assert!(is_app_page(
            &parse("http://localhost:1420/mock.html"),
            Some(&dev)
        ));
        for other in [
            "https://evil.example/",
            "http://localhost:1420/",
            "http://tauri.localhost.evil.example/",
            "tauri://evil/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "about:blank",
        ] {
            assert!(!is_app_page(&parse(other), None), "{other}");
        }
    }
}
