//! Continuing an answer that was cut off: the request that carries the partial answer,
//! and the joint that keeps the continuation from repeating it.

use crate::protocol::{self, wire};
use crate::request::{ChatRequest, Protocol};

pub use crate::protocol::openai::CONTINUE_INSTRUCTION;

/// How much of the partial answer is searched for a repeated beginning.
const TAIL_CHARS: usize = 2048;

/// The request that asks the model to go on from `partial`. To continue an answer,
/// [`ChatRequest::continuing_from`] does this and the joint too.
pub fn request(original: &ChatRequest, partial: &str) -> ChatRequest {
    protocol::continuation(original, partial)
}

/// Drops the start of a continuation that repeats the end of the partial answer.
///
/// Text is held back only while it could still be such a repeat (it occurs in the tail
/// of the partial answer); once it cannot, the longest overlap between the tail's end and
/// the held text's start is cut and the rest is let through.
#[derive(Debug)]
pub struct Joint {
    tail: String,
    held: String,
    /// The model continues exactly, so only whitespace the request dropped may repeat.
    whitespace_only: bool,
    settled: bool,
}

impl Joint {
    pub fn new(protocol: Protocol, partial: &str) -> Self {
        let start = partial
            .char_indices()
            .rev()
            .nth(TAIL_CHARS - 1)
            .map_or(0, |(i, _)| i);
        Joint {
            tail: partial[start..].to_owned(),
            held: String::new(),
            whitespace_only: wire(protocol).continues_exactly(),
            settled: false,
        }
    }

    /// Takes the next piece of continuation text; returns what may be shown now.
    pub fn push(&mut self, text: &str) -> Option<String> {
        if self.settled {
            return Some(text.to_owned());
        }
        self.held.push_str(text);
        if self.held.len() <= self.tail.len() && self.tail.contains(self.held.as_str()) {
            return None;
        }
        self.settle()
    }

    /// Lets out whatever is still held back (the continuation ended or moved on).
    pub fn settle(&mut self) -> Option<String> {
        if self.settled {
            return None;
        }
        self.settled = true;
        let held = std::mem::take(&mut self.held);
        let overlap = held
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .rfind(|&end| {
                self.tail.ends_with(&held[..end])
                    && (!self.whitespace_only || held[..end].trim().is_empty())
            })
            .unwrap_or(0);
        let rest = &held[overlap..];
        (!rest.is_empty()).then(|| rest.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Message;

    fn join(protocol: Protocol, partial: &str, pieces: &[&str]) -> String {
        let mut joint = Joint::new(protocol, partial);
        let mut out = partial.to_owned();
        for piece in pieces {
            out.extend(joint.push(piece));
        }
        out.extend(joint.settle());
        out
    }

    #[test]
    fn a_repeated_word_is_not_shown_twice() {
        assert_eq!(
            join(
                Protocol::Openai,
                "The quick brown fo",
                &["brown", " fox", " jumps."]
            ),
            "The quick brown fox jumps."
        );
    }

    #[test]
    fn an_exact_continuation_passes_unchanged() {
        assert_eq!(
            join(Protocol::Openai, "Hello, wor", &["ld! How", " are you?"]),
            "Hello, world! How are you?"
        );
        assert_eq!(
            join(Protocol::Anthropic, "Hello, wor", &["ld!"]),
            "Hello, world!"
        );
    }

    #[test]
    fn whitespace_dropped_by_the_prefill_is_not_doubled() {
        assert_eq!(
            join(Protocol::Anthropic, "Hello, ", &[" ", "world"]),
            "Hello, world"
        );
        // Anthropic continues exactly, so a look-alike word is real text.
        assert_eq!(
            join(Protocol::Anthropic, "I said no", &["no more"]),
            "I said nono more"
        );
    }

    #[test]
    fn a_continuation_that_repeats_everything_is_cut_whole() {
        assert_eq!(
            join(Protocol::Openai, "Once upon", &["Once upon", " a time"]),
            "Once upon a time"
        );
    }

    #[test]
    fn held_text_comes_out_when_the_stream_ends() {
        assert_eq!(join(Protocol::Openai, "abc abc", &["ab"]), "abc abcab");
        assert_eq!(join(Protocol::Openai, "abc abc", &[" d"]), "abc abc d");
    }

    #[test]
    fn the_resume_request_carries_the_partial_answer() {
        let original = ChatRequest::new(Protocol::Anthropic, "hi");
        let r = request(&original, "Hello,  ");
        assert_eq!(r.messages.len(), 2);
        assert_eq!(r.messages[1], Message::assistant("Hello,"));
        let original = ChatRequest::new(Protocol::Openai, "hi");
        let r = request(&original, "Hello, ");
        assert_eq!(r.messages.len(), 3);
        assert_eq!(r.messages[1], Message::assistant("Hello, "));
        assert_eq!(r.messages[2], Message::user(CONTINUE_INSTRUCTION));
    }
}
