//! Commands whose main argument is the request's raw body (a file's bytes, a document's
//! text), so that the window sends it without JSON: their other arguments are in the
//! headers the contract names (`RAW_ARGUMENT_HEADERS`), percent-encoded.

use tauri::ipc::{InvokeBody, Request};

/// The raw body, or None when the window sent JSON instead.
pub fn body<'a>(request: &'a Request<'_>) -> Option<&'a Vec<u8>> {
    match request.body() {
        InvokeBody::Raw(bytes) => Some(bytes),
        InvokeBody::Json(_) => None,
    }
}

/// The argument in `header`, decoded, or None when it is missing or not ASCII.
pub fn argument(request: &Request<'_>, header: &str) -> Option<String> {
    let value = request.headers().get(header)?.to_str().ok()?;
    // encodeURIComponent writes a space as %20 and a plus as %2B, so reading it as a form
    // value, where "+" would be a space, decodes it exactly.
    url::form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, decoded)| decoded.into_owned())
}
