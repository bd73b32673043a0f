//! Remote images in answers are not loaded by the page (its Content Security Policy
//! allows no remote connections, so a model cannot make the window call a tracker).
//! When a person asks to see one, it is downloaded here and handed over as a `data:`
//! URL.

use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use tauri::State;

use crate::providers::is_loopback;
use crate::settings::Settings;
use crate::AppError;

pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
const MAX_REDIRECTS: usize = 5;

/// Which addresses a picture may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// https anywhere but this computer: a link in an answer must not make Foxtail call
    /// the local services (printer, router admin) that listen on loopback.
    Internet,
    /// Also this computer, over http or https: the person talks to a local model server,
    /// whose answers may well show its own pictures.
    AlsoThisComputer,
}

/// Why Foxtail will not fetch from `url`, or `None`. Plain http is allowed only on this
/// computer: anywhere else anyone on the way could swap the picture.
fn address_problem(url: &url::Url, reach: Reach) -> Option<String> {
    let local = is_loopback(url.host());
    if local && reach == Reach::Internet {
        return Some(format!(
            "Pictures from this computer ({}) are shown only when Foxtail talks to a model server on this computer.",
            shorten(url.as_str())
        ));
    }
    match url.scheme() {
        "https" if url.host_str().is_some() => None,
        "http" if local => None,
        _ => Some(format!(
            "Only https:// images can be shown; “{}” is not one.",
            shorten(url.as_str())
        )),
    }
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// The media type of a picture the window may show, from a `Content-Type` header.
/// SVG is refused: it is a document that can carry script, not a picture.
fn picture_type(content_type: &str) -> Result<String, AppError> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.contains("svg") {
        return Err(AppError::ImageRefused(
            "SVG images are not shown, because they can carry scripts.".into(),
        ));
    }
    match essence.strip_prefix("image/") {
        Some(subtype)
            if !subtype.is_empty()
                && subtype
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
        {
            Ok(essence)
        }
        _ => Err(AppError::ImageRefused(format!(
            "The address did not send a picture (it sent {}).",
            if essence.is_empty() {
                "no content type"
            } else {
                &essence
            }
        ))),
    }
}

/// Downloads the picture at `url` (https, or http on this computer; at most 10 MB; any
/// `image/*` type except SVG) and returns it as a `data:` URL.
pub async fn fetch(url: &str, reach: Reach) -> Result<String, AppError> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|_| AppError::ImageRefused(format!("“{}” is not a web address.", shorten(url))))?;
    if let Some(problem) = address_problem(&parsed, reach) {
        return Err(AppError::ImageRefused(problem));
    }
    // Every hop of a redirect must pass the same rule as the first address.
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if let Some(problem) = address_problem(attempt.url(), reach) {
            attempt.error(problem)
        } else {
            attempt.follow()
        }
    });
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirect(redirects)
        .user_agent(foxtail_engine::USER_AGENT)
        .build()
        .map_err(|err| AppError::ImageFailed(err.to_string()))?;
    let mut response = http
        .get(parsed)
        .header(ACCEPT, "image/*")
        .send()
        .await
        .map_err(download_error)?;
    let status = response.status();
    if !status.is_success() {
        return Err(AppError::ImageFailed(format!(
            "the server answered HTTP {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or_default()
        )));
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = picture_type(content_type)?;
    let too_large = || AppError::ImageRefused("The image is larger than 10 MB.".into());
    if response
        .content_length()
        .is_some_and(|len| len > MAX_IMAGE_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(download_error)? {
        if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    // A server may call markup a picture; the window must never get a document.
    if bytes.trim_ascii_start().starts_with(b"<") {
        return Err(AppError::ImageRefused(
            "The address sent a web page or SVG document, not a picture.".into(),
        ));
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Ok(format!("data:{media_type};base64,{encoded}"))
}

fn download_error(err: reqwest::Error) -> AppError {
    if err.is_redirect() {
        let why = std::error::Error::source(&err)
            .map(ToString::to_string)
            .unwrap_or_else(|| err.to_string());
        return AppError::ImageRefused(format!("The image address redirects elsewhere: {why}"));
    }
    if err.is_timeout() {
        return AppError::ImageFailed("the server took too long".into());
    }
    if err.is_connect() {
        return AppError::ImageFailed("could not connect to the server".into());
    }
    AppError::ImageFailed(err.without_url().to_string())
}

#[tauri::command]
pub async fn fetch_image(url: String, settings: State<'_, Settings>) -> Result<String, AppError> {
    let base_url = settings
        .all()
        .get("base_url")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let gateway_is_local = url::Url::parse(&base_url).is_ok_and(|u| is_loopback(u.host()));
    let reach = match gateway_is_local {
        true => Reach::AlsoThisComputer,
        false => Reach::Internet,
    };
    fetch(&url, reach).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use foxtail_mock_gateway::{MockGateway, Reply, IMAGE_PATH, IMAGE_PNG};

    #[test]
    fn only_raster_image_types_pass() {
        assert_eq!(picture_type("image/png").unwrap(), "image/png");
        assert_eq!(picture_type("Image/JPEG; q=1").unwrap(), "image/jpeg");
        assert_eq!(picture_type("image/x-icon").unwrap(), "image/x-icon");
        for refused in [
            "image/svg+xml",
            "image/SVG+XML; charset=utf-8",
            "text/html",
            "application/octet-stream",
            "",
            "image/",
            "image/png\" onload=\"x",
        ] {
            assert_eq!(
                picture_type(refused).unwrap_err().kind(),
                "image_refused",
                "{refused}"
            );
        }
    }

    #[tokio::test]
    async fn a_loopback_png_comes_back_as_a_data_url() {
        let gateway = MockGateway::start(vec![Reply::status(500, "text/plain", "unused")])
            .await
            .unwrap();
        let url = fetch(
            &format!("{}{IMAGE_PATH}", gateway.url()),
            Reach::AlsoThisComputer,
        )
        .await
        .unwrap();
        let encoded = url.strip_prefix("data:image/png;base64,").unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        assert_eq!(bytes, IMAGE_PNG);
        assert_eq!(gateway.requests()[0].header("accept"), Some("image/*"));
    }

    async fn refused_by(reply: Reply) -> AppError {
        let gateway = MockGateway::start(vec![reply]).await.unwrap();
        fetch(
            &format!("{}/picture", gateway.url()),
            Reach::AlsoThisComputer,
        )
        .await
        .unwrap_err()
    }

    #[tokio::test]
    async fn svg_pages_and_disguised_markup_are_refused() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
        let err = refused_by(Reply::status(200, "image/svg+xml", svg)).await;
        assert_eq!(err.kind(), "image_refused");
        assert!(err.to_string().contains("SVG"), "{err}");

        let err = refused_by(Reply::status(200, "text/html", "<p>hi</p>")).await;
        assert_eq!(err.kind(), "image_refused");
        assert!(err.to_string().contains("text/html"), "{err}");

        let err = refused_by(Reply::status(200, "image/png", svg)).await;
        assert_eq!(err.kind(), "image_refused");
    }

    #[tokio::test]
    async fn more_than_ten_megabytes_is_refused() {
        let big = vec![0u8; MAX_IMAGE_BYTES + 1];
        let err = refused_by(Reply::status(200, "image/png", big)).await;
        assert_eq!(err.kind(), "image_refused");
        assert!(err.to_string().contains("10 MB"), "{err}");

        let exactly = vec![7u8; MAX_IMAGE_BYTES];
        let gateway = MockGateway::start(vec![Reply::status(200, "image/jpeg", exactly)])
            .await
            .unwrap();
        let url = fetch(
            &format!("{}/big.jpg", gateway.url()),
            Reach::AlsoThisComputer,
        )
        .await
        .unwrap();
        assert!(url.starts_with("data:image/jpeg;base64,BwcH"));
    }

    #[tokio::test]
    async fn failed_downloads_say_so() {
        let err = refused_by(Reply::status(404, "text/plain", "gone")).await;
        assert_eq!(err.kind(), "image_failed");
        assert!(err.to_string().contains("404"), "{err}");

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let err = fetch(&format!("http://{addr}/a.png"), Reach::AlsoThisComputer)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "image_failed");
    }

    #[tokio::test]
    async fn only_https_or_this_computer_is_asked() {
        for url in [
            "http://example.com/a.png",
            "file:///etc/passwd",
            "ftp://example.com/a.png",
            "data:image/png;base64,AAAA",
            "not a url",
        ] {
            assert_eq!(
                fetch(url, Reach::AlsoThisComputer)
                    .await
                    .unwrap_err()
                    .kind(),
                "image_refused",
                "{url}"
            );
        }
        // A link in an answer may not reach this computer's own services, unless the
        // model itself runs here.
        for url in ["http://localhost:631/admin.png", "https://127.0.0.1/a.png"] {
            let err = fetch(url, Reach::Internet).await.unwrap_err();
            assert_eq!(err.kind(), "image_refused", "{url}");
            assert!(err.to_string().contains("this computer"), "{err}");
        }
        // A loopback address may not send the request on to plain http elsewhere.
        let err = refused_by(
            Reply::status(302, "text/plain", "").header("location", "http://example.com/a.png"),
        )
        .await;
        assert_eq!(err.kind(), "image_refused");
        assert!(err.to_string().contains("https://"), "{err}");
    }
}
