//! Model text made safe for a terminal. A model (or a hostile gateway) can send bytes a
//! terminal obeys rather than shows: an OSC 52 sequence writes the clipboard, OSC 8 hides
//! a link behind innocent text, CSI sequences clear the screen or move the cursor over
//! what was printed. Before such text reaches a terminal every escape sequence (CSI, OSC
//! ended by BEL or ST, DCS, SOS/PM/APC strings, other ESC sequences) is taken out, and so
//! is every other C0 or C1 control character except `\n` and `\t`.
//!
//! The sequences are recognised by `anstyle-parse`, the state machine of the terminal
//! parser `vte`, fed one byte at a time: a sequence split across two streamed pieces is
//! still recognised whole.

use anstyle_parse::{DefaultCharAccumulator, Parser, Perform};

/// Strips control sequences from a stream of text pieces, remembering a sequence left
/// open at the end of one piece.
#[derive(Default)]
pub struct Sanitizer {
    parser: Parser<DefaultCharAccumulator>,
}

impl Sanitizer {
    pub fn new() -> Self {
        Self::default()
    }

    /// `piece` without control sequences, given what came before it.
    pub fn clean(&mut self, piece: &str) -> String {
        let mut kept = Kept(String::with_capacity(piece.len()));
        for byte in piece.bytes() {
            self.parser.advance(&mut kept, byte);
        }
        kept.0
    }

    /// Forgets a sequence left open, so that the next piece starts as plain text (an
    /// unterminated OSC would otherwise hide everything after it).
    pub fn reset(&mut self) {
        self.parser = Parser::default();
    }
}

/// `text` without control sequences: for text that arrives whole.
pub fn strip(text: &str) -> String {
    Sanitizer::new().clean(text)
}

/// What the parser reports as printable, less the C1 controls that arrive as UTF-8
/// characters (U+0080 to U+009F: some terminals obey them as CSI, OSC…) and DEL.
struct Kept(String);

impl Perform for Kept {
    fn print(&mut self, c: char) {
        if !c.is_control() {
            self.0.push(c);
        }
    }

    fn execute(&mut self, byte: u8) {
        if byte == b'\n' || byte == b'\t' {
            self.0.push(byte as char);
        }
    }
    // Every sequence is dropped: the trait's other methods (CSI, OSC, DCS and ESC
    // dispatch) do nothing by default.
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clipboard_write_is_removed_with_either_ending() {
        // OSC 52 ended by BEL, and by ST (ESC \).
        assert_eq!(strip("copy\x1b]52;c;cm0gLXJmIH4=\x07 this"), "copy this");
        assert_eq!(strip("copy\x1b]52;c;cm0gLXJmIH4=\x1b\\ this"), "copy this");
        // The 8-bit ST and the C1 OSC, as UTF-8 characters.
        assert_eq!(strip("a\u{9d}52;c;eA==\u{9c}b"), "a52;c;eA==b");
    }

    #[test]
    fn a_hidden_link_keeps_only_its_visible_text() {
        let link = "see \x1b]8;;https://evil.example/x\x1b\\the docs\x1b]8;;\x1b\\ now";
        assert_eq!(strip(link), "see the docs now");
        let link = "see \x1b]8;;https://evil.example/x\x07the docs\x1b]8;;\x07 now";
        assert_eq!(strip(link), "see the docs now");
    }

    #[test]
    fn screen_clears_cursor_moves_and_colours_are_removed() {
        assert_eq!(strip("before\x1b[2J\x1b[Hafter"), "beforeafter");
        assert_eq!(strip("x\x1b[3A\x1b[10;20Hy\x1b[2K\x1b[1Gz"), "xyz");
        assert_eq!(strip("\x1b[1;31mred\x1b[0m"), "red");
        // Other ESC sequences: reset, save/restore cursor, a character set, DCS, APC.
        assert_eq!(strip("a\x1bcb\x1b7c\x1b8d\x1b(0e"), "abcde");
        assert_eq!(strip("a\x1bP1$r0m\x1b\\b\x1b_hidden\x1b\\c"), "abc");
        // The C1 CSI as a UTF-8 character: the character goes, its harmless tail stays.
        assert_eq!(strip("a\u{9b}2Jb"), "a2Jb");
    }

    #[test]
    fn other_control_characters_go_but_newlines_and_tabs_stay() {
        assert_eq!(
            strip("line one\r\nline\ttwo\x08\x07\x00\x0b\x0c\x7f!\n"),
            "line one\nline\ttwo!\n"
        );
        // A carriage return would let text overwrite what was printed before it.
        assert_eq!(strip("rm -rf /\rls"), "rm -rf /ls");
    }

    #[test]
    fn plain_korean_and_emoji_text_is_unchanged() {
        for text in [
            "안녕하세요! 오늘 날씨가 좋네요.\n",
            "Fox 🦊, family 👨‍👩‍👧‍👦, flag 🇰🇷, heart ❤️ and é — “quotes” ½ €",
            "tab\tseparated\nlines\n\n",
            "",
        ] {
            assert_eq!(strip(text), text);
        }
    }

    #[test]
    fn a_sequence_split_across_pieces_is_still_removed() {
        let mut sanitizer = Sanitizer::new();
        let pieces = ["Hello \x1b", "]52;c;ZXZp", "bA==\x07wor", "ld \x1b[", "2J!"];
        let out: String = pieces.iter().map(|p| sanitizer.clean(p)).collect();
        assert_eq!(out, "Hello world !");

        // Korean split mid-sentence, an escape in the middle.
        let mut sanitizer = Sanitizer::new();
        let out: String = ["안녕\x1b[", "31m하세요"]
            .iter()
            .map(|p| sanitizer.clean(p))
            .collect();
        assert_eq!(out, "안녕하세요");
    }

    #[test]
    fn reset_ends_an_unterminated_sequence() {
        let mut sanitizer = Sanitizer::new();
        assert_eq!(sanitizer.clean("text\x1b]52;c;never ended"), "text");
        assert_eq!(sanitizer.clean("still inside"), "");
        sanitizer.reset();
        assert_eq!(sanitizer.clean("visible again"), "visible again");
    }
}
