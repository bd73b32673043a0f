//! Remote images in answers are not loaded by the page (its Content Security Policy
//! allows no remote connections, so a model cannot make the window call a tracker).
//! When a person asks to see one, it is downloaded here and handed over as a `data:`
//! URL.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::settings::Settings;
use crate::AppError;

pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
const MAX_REDIRECTS: usize = 5;

/// Which addresses a picture may come from: public addresses over https, and the
/// gateway's own origin (a model server on this computer may show its own pictures).
/// A link in an answer must not make Foxtail call the local services (printer, router
/// admin, cloud metadata) that listen on loopback or the private network.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reach {
    /// The gateway's origin (`scheme://host:port`), if there is one.
    pub gateway: Option<String>,
}

impl Reach {
    /// Public addresses only.
    pub fn internet() -> Self {
        Self::default()
    }

    /// Public addresses and the gateway at `base_url`.
    pub fn with_gateway(base_url: &str) -> Self {
        Self {
            gateway: crate::keys::origin_of(base_url),
        }
    }

    fn is_gateway(&self, url: &url::Url) -> bool {
        self.gateway.as_deref() == Some(url.origin().ascii_serialization().as_str())
    }
}

/// Whether `ip` is an address on the public internet: not this computer, not a private
/// or link-local network, not "any address", and the same for an IPv4 address wrapped
/// in IPv6.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                // Shared address space (carrier-grade NAT).
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local (fc00::/7) and link-local (fe80::/10).
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Why Foxtail will not fetch from `url`, or `None`. Names are checked again when they
/// are resolved (see [`PublicOnly`]); here the address as written is checked.
fn address_problem(url: &url::Url, reach: &Reach) -> Option<String> {
    if reach.is_gateway(url) && matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let local = match url.host() {
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    };
    if local {
        return Some(format!(
            "Pictures from this computer or the local network ({}) are not shown: an answer must not reach the devices there.",
            shorten(url.as_str())
        ));
    }
    match url.scheme() {
        "https" if url.host_str().is_some() => None,
        _ => Some(format!(
            "Only https:// images can be shown; “{}” is not one.",
            shorten(url.as_str())
        )),
    }
}

/// Resolves names to their public addresses only, so that a name pointing at this
/// computer or the local network (or one that changes its answer between the check and
/// the connection) cannot reach them. The gateway's own host is resolved as it is.
struct PublicOnly {
    gateway_host: Option<String>,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let is_gateway = self.gateway_host.as_deref() == Some(host.as_str());
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| is_gateway || is_public(addr.ip()))
                .collect();
            if found.is_empty() {
                let refused: Box<dyn std::error::Error + Send + Sync> = format!(
                    "{host} points at this computer or the local network, where pictures are not fetched from"
                )
                .into();
                return Err(refused);
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
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

/// Downloads the picture at `url` (public https, or the gateway's own origin; at most
/// 10 MB; any `image/*` type except SVG) and returns it as a `data:` URL.
pub async fn fetch(url: &str, reach: Reach) -> Result<String, AppError> {
    let parsed = url::Url::parse(url.trim())
        .map_err(|_| AppError::ImageRefused(format!("“{}” is not a web address.", shorten(url))))?;
    if let Some(problem) = address_problem(&parsed, &reach) {
        return Err(AppError::ImageRefused(problem));
    }
    // Every hop of a redirect must pass the same rule as the first address, except
    // that only a picture asked of the gateway may be sent on within the gateway: a
    // remote address may not redirect to a local one.
    let hops = match reach.is_gateway(&parsed) {
        true => reach.clone(),
        false => Reach::internet(),
    };
    let gateway_host = reach
        .gateway
        .as_deref()
        .and_then(|origin| url::Url::parse(origin).ok())
        .and_then(|origin| origin.host_str().map(str::to_owned))
        .filter(|_| reach.is_gateway(&parsed));
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if let Some(problem) = address_problem(attempt.url(), &hops) {
            attempt.error(problem)
        } else {
            attempt.follow()
        }
    });
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirect(redirects)
        .dns_resolver(Arc::new(PublicOnly { gateway_host }))
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

/// How far pictures may come from, given the gateway the person talks to: a gateway
/// on this computer may show its own pictures.
pub fn reach_for(settings: &Settings) -> Reach {
    Reach::with_gateway(&settings.base_url)
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
    async fn a_png_from_the_gateway_comes_back_as_a_data_url() {
        let gateway = MockGateway::start(vec![Reply::status(500, "text/plain", "unused")])
            .await
            .unwrap();
        let url = fetch(
            &format!("{}{IMAGE_PATH}", gateway.url()),
            Reach::with_gateway(&gateway.url()),
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
            Reach::with_gateway(&gateway.url()),
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
            Reach::with_gateway(&gateway.url()),
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
        let err = fetch(
            &format!("http://{addr}/a.png"),
            Reach::with_gateway(&format!("http://{addr}/v1")),
        )
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
                fetch(url, Reach::with_gateway("http://127.0.0.1:9/v1"))
                    .await
                    .unwrap_err()
                    .kind(),
                "image_refused",
                "{url}"
            );
        }
        // A link in an answer may not reach this computer or the local network, by
        // any spelling of the address, unless it is the gateway itself.
        for url in [
            "http://localhost:631/admin.png",
            "https://localhost/a.png",
            "https://printer.localhost/a.png",
            "https://127.0.0.1/a.png",
            "https://127.1.2.3/a.png",
            "https://0.0.0.0/a.png",
            "https://10.1.2.3/a.png",
            "https://172.16.0.9/a.png",
            "https://192.168.1.1/a.png",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/a.png",
            "https://[::1]/a.png",
            "https://[::]/a.png",
            "https://[::ffff:127.0.0.1]/a.png",
            "https://[::ffff:10.0.0.1]/a.png",
            "https://[fd00::1]/a.png",
            "https://[fe80::1]/a.png",
            "https://2130706433/a.png",
            "https://0x7f000001/a.png",
        ] {
            let err = fetch(url, Reach::with_gateway("https://api.ofox.ai/v1"))
                .await
                .unwrap_err();
            assert_eq!(err.kind(), "image_refused", "{url}");
            assert!(err.to_string().contains("this computer"), "{url}: {err}");
        }
        // Names are judged by what they resolve to: one that points here is refused
        // when it is resolved, whatever it is called.
        use reqwest::dns::Resolve;
        let resolver = PublicOnly { gateway_host: None };
        let name: reqwest::dns::Name = "localhost".parse().unwrap();
        let refused = match resolver.resolve(name).await {
            Ok(_) => panic!("a name for this computer resolved"),
            Err(err) => err.to_string(),
        };
        assert!(refused.contains("this computer"), "{refused}");
        // A loopback address may not send the request on to plain http elsewhere.
        let err = refused_by(
            Reply::status(302, "text/plain", "").header("location", "http://example.com/a.png"),
        )
        .await;
        assert_eq!(err.kind(), "image_refused");
        assert!(err.to_string().contains("https://"), "{err}");
    }

    #[tokio::test]
    async fn a_redirect_cannot_lead_on_to_another_local_address() {
        let other = MockGateway::start(vec![Reply::status(200, "image/png", IMAGE_PNG.to_vec())])
            .await
            .unwrap();
        let target = format!("{}/a.png", other.url());
        let gateway = MockGateway::start(vec![
            Reply::status(302, "text/plain", "").header("location", &target)
        ])
        .await
        .unwrap();
        // The gateway itself may be asked; it may not send the request on to another
        // service on this computer.
        let reach = Reach::with_gateway(&gateway.url());
        let err = fetch(&format!("{}/a.png", gateway.url()), reach)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), "image_refused", "{err}");
        assert!(err.to_string().contains("redirects"), "{err}");
        assert_eq!(gateway.requests().len(), 1);
        assert!(other.requests().is_empty(), "the redirect was not followed");
    }

    #[test]
    fn public_means_not_here_and_not_private() {
        for public in ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        for private in [
            "127.0.0.1",
            "10.0.0.1",
            "172.31.255.255",
            "192.168.0.1",
            "169.254.1.1",
            "0.0.0.0",
            "100.100.100.100",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:192.168.1.1",
            "::ffff:0.0.0.0",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
    }
}
