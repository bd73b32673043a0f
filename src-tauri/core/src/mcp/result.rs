//! A server's result as the model reads it and the person sees it: text joined, images
//! kept for the card (and named in the text), resources as their text or address,
//! control characters gone, and a result past the cap cut with a notice.

use std::borrow::Cow;

use base64::Engine;
use foxtail_engine::{ToolImage, ToolOutput};
use serde_json::Value;

/// Most text of one result given to the model.
pub const MAX_RESULT_BYTES: usize = 100 * 1024;
/// Most pictures of one result kept, and the largest one (as base64).
const MAX_IMAGES: usize = 4;
const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
const IMAGE_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/// `text` without control characters other than line breaks and tabs, and at most
/// `max` bytes (cut at a character).
pub fn plain(text: &str, max: usize) -> Cow<'_, str> {
    let clean = |c: char| !c.is_control() || c == '\n' || c == '\t';
    let cut = |s: &str| -> usize {
        let mut end = s.len().min(max);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        end
    };
    if text.len() <= max && text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let cleaned: String = text.chars().filter(|c| clean(*c)).collect();
    let end = cut(&cleaned);
    Cow::Owned(cleaned[..end].to_owned())
}

/// The output of a `tools/call` result (its JSON, as the protocol defines it).
pub fn output(result: &Value) -> ToolOutput {
    let mut text = String::new();
    let mut images = Vec::new();
    let mut add = |piece: &str| {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(piece);
    };
    for content in result["content"].as_array().into_iter().flatten() {
        match content["type"].as_str().unwrap_or("") {
            "text" => add(content["text"].as_str().unwrap_or("")),
            "image" => {
                let mime = content["mimeType"].as_str().unwrap_or("");
                let data = content["data"].as_str().unwrap_or("");
                let readable = base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .is_ok();
                if IMAGE_TYPES.contains(&mime)
                    && readable
                    && data.len() <= MAX_IMAGE_BYTES
                    && images.len() < MAX_IMAGES
                {
                    images.push(ToolImage {
                        mime: mime.to_owned(),
                        data: data.to_owned(),
                    });
                    add(&format!("[An image ({mime}) was shown to the person.]"));
                } else {
                    add(&format!(
                        "[An image ({}) was left out: Foxtail shows up to {MAX_IMAGES} PNG, JPEG, GIF or WebP images of at most 2 MB.]",
                        plain(mime, 64)
                    ));
                }
            }
            "resource" => {
                let resource = &content["resource"];
                let uri = resource["uri"].as_str().unwrap_or("");
                match resource["text"].as_str() {
                    Some(body) => add(&format!("[Resource {uri}]\n{body}")),
                    None => add(&format!("[Resource {uri}: binary content, not shown]")),
                }
            }
            "resource_link" => {
                let uri = content["uri"].as_str().unwrap_or("");
                let name = content["name"].as_str().unwrap_or(uri);
                add(&format!("[Link: {name} <{uri}>]"));
            }
            "audio" => add("[Audio was left out: Foxtail does not play tool audio.]"),
            other => add(&format!("[Content of type {} left out]", plain(other, 40))),
        }
    }
    if text.is_empty() {
        if let Some(structured) = result.get("structuredContent").filter(|v| !v.is_null()) {
            text = structured.to_string();
        }
    }
    let whole = text.len();
    let mut text = plain(&text, MAX_RESULT_BYTES).into_owned();
    if whole > MAX_RESULT_BYTES {
        text.push_str(&format!(
            "\n\n[The result was {} long; the model was given the first {}.]",
            size(whole),
            size(MAX_RESULT_BYTES)
        ));
    }
    ToolOutput {
        text,
        is_error: result["isError"].as_bool().unwrap_or(false),
        images,
    }
}

/// A size in words: "5.0 MB", "100 KB".
pub fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn contents_become_text_and_pictures() {
        let out = output(&json!({"content": [
            {"type": "text", "text": "one\u{1b}[31m"},
            {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="},
            {"type": "image", "mimeType": "image/svg+xml", "data": "PHN2Zz4="},
            {"type": "resource", "resource": {"uri": "note://a", "text": "body"}},
            {"type": "resource_link", "uri": "https://x.test/a", "name": "A"},
        ], "isError": false}));
        assert_eq!(out.images.len(), 1);
        assert_eq!(out.images[0].mime, "image/png");
        assert!(!out.is_error);
        assert!(out.text.starts_with("one[31m\n"), "{}", out.text);
        assert!(out.text.contains("[An image (image/png) was shown"));
        assert!(out.text.contains("image/svg+xml) was left out"));
        assert!(out.text.contains("[Resource note://a]\nbody"));
        assert!(out.text.contains("[Link: A <https://x.test/a>]"));
        assert!(output(&json!({"content": [], "isError": true})).is_error);
    }

    #[test]
    fn a_huge_result_is_cut_with_a_notice() {
        let big = "é".repeat(MAX_RESULT_BYTES);
        let out = output(&json!({"content": [{"type": "text", "text": big}]}));
        assert!(out.text.len() < MAX_RESULT_BYTES + 200);
        assert!(
            out.text
                .ends_with("[The result was 200 KB long; the model was given the first 100 KB.]"),
            "{}",
            &out.text[out.text.len() - 120..]
        );
    }
}
