//! Text shown in error messages.

/// The start of a payload for an error message; whole payloads can be megabytes.
pub(crate) fn preview(data: &str) -> &str {
    match data.char_indices().nth(200) {
        Some((end, _)) => &data[..end],
        None => data,
    }
}
