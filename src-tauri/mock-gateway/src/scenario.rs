//! Named scripts, so that the binary (and the desktop app's end-to-end tests) can pick a
//! fault by name: `foxtail-mock-gateway --scenario truncated`.

use std::time::Duration;

use bytes::Bytes;

use crate::models::models_reply;
use crate::reply::{Reply, Step};
use crate::script::Script;
use crate::tool_turns::{self, ToolPlay};
use crate::transcript::{self, error_body};
use crate::usage::COST;

/// The answer every successful scenario streams, in pieces.
pub const PIECES: [&str; 8] = [
    "Hello", " from", " the", " mock", " gateway", ".", " Nice", " day!",
];

pub fn answer_text() -> String {
    PIECES.concat()
}

/// What the `markdown:MS` scenario streams: every block the window renders differently,
/// and a last line that end-to-end tests wait for.
pub const MARKDOWN_ANSWER: &str = r#"# Ownership in Rust

Three rules to remember:

- Each value has **one owner**.
- A value is dropped when its owner goes out of scope.
- You can borrow with `&` or `&mut`.

```rust
fn main() {
    let name = String::from("Foxtail");
    let len = measure(&name);
    println!("{name} has {len} letters");
}

fn measure(text: &str) -> usize {
    text.len()
}
```

FOXTAIL-DONE"#;

/// Small pieces that cut through words, markers and the code fence, as a model's
/// tokens do.
fn markdown_pieces() -> Vec<&'static str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (i, _) in MARKDOWN_ANSWER.char_indices() {
        if i - start >= 6 {
            pieces.push(&MARKDOWN_ANSWER[start..i]);
            start = i;
        }
    }
    pieces.push(&MARKDOWN_ANSWER[start..]);
    pieces
}

/// The smallest and largest piece `file:PATH` streams, in bytes (a piece that would end
/// inside a character ends before it instead, so it may be up to 3 bytes shorter).
const FILE_PIECE_MIN: usize = 40;
const FILE_PIECE_MAX: usize = 200;
/// The pause between the events of `file:PATH`, so that the window renders many half
/// answers, not just the whole one.
const FILE_PACE: Duration = Duration::from_millis(5);

/// `text` in pieces of FILE_PIECE_MIN..=FILE_PIECE_MAX bytes, cut on character
/// boundaries. The sizes come from a fixed pseudo-random sequence, so that the cuts fall
/// through words, markup and multi-byte characters' neighbours alike, and the same text
/// is always cut the same way.
fn file_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut state: u32 = 0x9e37_79b9;
    let mut start = 0;
    while start < text.len() {
        // xorshift32
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let size = FILE_PIECE_MIN + state as usize % (FILE_PIECE_MAX - FILE_PIECE_MIN + 1);
        let mut end = (start + size).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces
}

/// `text` in token-sized pieces of 2 to 6 bytes (4 on average, about a token of English),
/// cut on character boundaries, always the same way.
fn token_pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::with_capacity(text.len() / 4 + 1);
    let mut state: u32 = 0x2545_f491;
    let mut start = 0;
    while start < text.len() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let mut end = (start + 2 + state as usize % 5).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        pieces.push(&text[start..end]);
        start = end;
    }
    pieces
}

/// The UTF-8 text of the file at `path`, for `file:PATH`.
fn read_answer_file(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|err| format!("file:{path}: cannot read it: {err}"))?;
    String::from_utf8(bytes).map_err(|err| format!("file:{path}: not UTF-8: {err}"))
}

/// What `--scenario` accepts, with a line of help each.
pub const SCENARIOS: &[(&str, &str)] = &[
    (
        "ok",
        "a complete streamed answer; every answer reports 2000 input tokens (1536 read \
         from the cache, 256 written to it) and 120 output tokens (40 of them reasoning)",
    ),
    (
        "ok:cost",
        "the complete answer with the gateway's own cost in its usage (usage.cost 0.0123, \
         as OpenRouter sends it)",
    ),
    (
        "cut:N",
        "the answer's body cut after N bytes, then the whole answer",
    ),
    ("unauthorized", "401 with the provider's error body"),
    ("forbidden", "403 with the provider's error body"),
    ("not-found", "404 with the provider's error body"),
    ("bad-request", "400 with the provider's error body"),
    ("rate-limited", "429 with Retry-After: 1, then the answer"),
    ("unavailable", "503 twice, then the answer"),
    (
        "reset",
        "half the answer, a connection abort, then the rest when resumed",
    ),
    (
        "truncated",
        "half the answer, a clean close without end marker, then the rest",
    ),
    ("stall", "the first event, then silence"),
    (
        "slow-first-byte:MS",
        "MS milliseconds of silence, then the answer",
    ),
    ("html", "200 with an HTML page"),
    ("malformed", "an event whose JSON is broken"),
    ("endless", "an endless line (64 MiB without a newline)"),
    (
        "overloaded",
        "an in-stream overloaded error before any text, then the answer",
    ),
    (
        "error-after-output",
        "some text, then an in-stream server error",
    ),
    ("slow:MS", "the answer with MS milliseconds between events"),
    (
        "markdown:MS",
        "a Markdown answer (heading, list, rust code block) in small pieces MS ms apart, \
         ending with the line FOXTAIL-DONE",
    ),
    (
        "tools:calculator",
        "\"Let me work that out.\" and a calculator call {\"expression\":\"12*7\"} in many \
         pieces; once the request carries a result: \"The answer is RESULT.\"",
    ),
    (
        "tools:parallel",
        "calculator {\"expression\":\"(1+2)*3\"} and current_time {} in one turn; then \
         \"The calculator says RESULT and the clock says RESULT.\"",
    ),
    (
        "tools:unknown",
        "a call to no_such_tool; then \"Recovered: RESULT\"",
    ),
    (
        "tools:loop",
        "a calculator call on every turn, never an answer",
    ),
    (
        "tools:call:NAME:ARGS",
        "\"Let me check.\" and a call to NAME with ARGS (a JSON object); once the request \
         carries a result: \"The tool said: RESULT\"",
    ),
    (
        "tools:many:N",
        "N calculator calls {\"expression\":\"1+1\"} in one turn; then \"Ran N tools.\"",
    ),
    (
        "tools:endless:N",
        "\"Let me work that out.\" and a calculator call whose arguments go on for N MiB \
         in 64 KiB pieces",
    ),
    (
        "file:PATH",
        "the UTF-8 text of the file at PATH (the rest of the name, colons and all) as the \
         answer, in pieces of 40-200 bytes 5 ms apart",
    ),
    (
        "tokens:TPS:PATH",
        "the UTF-8 text of the file at PATH as the answer, one token-sized piece (2-6 \
         bytes) an event, TPS events a second, as a model streams",
    ),
    ("bench:N", "N text events as fast as possible"),
    (
        "paced:N:US",
        "after 0.5 s, N events carrying their write time, US microseconds apart",
    ),
];

fn complete(anthropic: bool, pieces: &[&str]) -> Vec<Bytes> {
    if anthropic {
        transcript::anthropic(pieces)
    } else {
        transcript::openai(pieces)
    }
}

fn start(anthropic: bool, pieces: &[&str]) -> Vec<Bytes> {
    if anthropic {
        transcript::anthropic_text(pieces)
    } else {
        transcript::openai_text(pieces)
    }
}

/// The end of an answer, whose usage carries the gateway's `cost` when given.
fn end(anthropic: bool, cost: Option<f64>) -> Vec<Bytes> {
    if anthropic {
        transcript::anthropic_end_with("end_turn", cost)
    } else {
        transcript::openai_end_with("stop", cost)
    }
}

fn stream_error(anthropic: bool, kind: &str, message: &str) -> Bytes {
    if anthropic {
        transcript::anthropic_error(kind, message)
    } else {
        transcript::openai_error(kind, message)
    }
}

fn failure(anthropic: bool, status: u16, kind: &str, message: &str) -> Reply {
    Reply::status(
        status,
        "application/json",
        error_body(anthropic, kind, message),
    )
}

/// The replies for a named scenario, in the given protocol.
pub fn scenario(name: &str, anthropic: bool) -> Result<Vec<Reply>, String> {
    let ok = || Reply::sse(complete(anthropic, &PIECES));
    let head = &PIECES[..4];
    let number = |text: &str| {
        text.parse::<u64>()
            .map_err(|_| format!("{name}: {text:?} is not a number"))
    };
    if let Some(call) = name.strip_prefix("tools:call:") {
        let play = ToolPlay::from_name(&format!("call:{call}")).ok_or_else(|| {
            format!("{name}: expected tools:call:NAME:ARGUMENTS, the arguments as a JSON object")
        })?;
        return Ok(vec![Reply::tool_turn(anthropic, play)]);
    }
    if let Some(rest) = name.strip_prefix("tokens:") {
        let (rate, path) = rest
            .split_once(':')
            .ok_or_else(|| format!("{name}: expected tokens:TPS:PATH"))?;
        let rate: u64 = rate
            .parse()
            .ok()
            .filter(|r| *r > 0)
            .ok_or_else(|| format!("{name}: TPS must be a whole number above 0"))?;
        let text = read_answer_file(path)?;
        return Ok(vec![
            Reply::sse(complete(anthropic, &token_pieces(&text))).at_rate(rate)
        ]);
    }
    // A path may hold colons of its own: everything after the first one is the path.
    if let Some(path) = name.strip_prefix("file:") {
        let text = read_answer_file(path)?;
        return Ok(vec![
            Reply::sse(complete(anthropic, &file_pieces(&text))).paced(FILE_PACE)
        ]);
    }
    let mut parts = name.split(':');
    let replies = match (parts.next().unwrap_or(""), parts.next(), parts.next()) {
        ("ok", None, None) => vec![ok()],
        ("ok", Some("cost"), None) => {
            let mut events = start(anthropic, &PIECES);
            events.extend(end(anthropic, Some(COST)));
            vec![Reply::sse(events)]
        }
        ("cut", Some(n), None) => vec![ok().cut_at(number(n)? as usize), ok()],
        ("unauthorized", None, None) => vec![failure(
            anthropic,
            401,
            "authentication_error",
            "Invalid API key provided. Check your key at the gateway.",
        )],
        ("forbidden", None, None) => vec![failure(
            anthropic,
            403,
            "permission_error",
            "Your key may not use this model.",
        )],
        ("not-found", None, None) => vec![failure(
            anthropic,
            404,
            "not_found_error",
            "The model `nope` does not exist.",
        )],
        ("bad-request", None, None) => vec![failure(
            anthropic,
            400,
            "invalid_request_error",
            "max_tokens: must be at most 8192",
        )],
        ("rate-limited", None, None) => vec![
            failure(anthropic, 429, "rate_limit_error", "Slow down, please.")
                .header("retry-after", "1"),
            ok(),
        ],
        ("unavailable", None, None) => vec![
            failure(anthropic, 503, "overloaded_error", "Service unavailable."),
            failure(anthropic, 503, "overloaded_error", "Service unavailable."),
            ok(),
        ],
        ("reset", None, None) => vec![
            // The pause lets the server flush what it has before the abort.
            Reply::sse(start(anthropic, head))
                .then(Step::Pause(Duration::from_millis(20)))
                .then(Step::Reset),
            Reply::continuation(anthropic, &answer_text()),
        ],
        ("truncated", None, None) => vec![
            Reply::sse(start(anthropic, head)),
            Reply::continuation(anthropic, &answer_text()),
        ],
        ("stall", None, None) => vec![Reply::sse(start(anthropic, &PIECES[..1])).then(Step::Stall)],
        ("slow-first-byte", Some(ms), None) => {
            vec![ok().delayed(Duration::from_millis(number(ms)?))]
        }
        ("html", None, None) => vec![Reply::status(
            200,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>",
        )],
        ("malformed", None, None) => {
            let mut events = start(anthropic, head);
            events.push(Bytes::from_static(
                b"data: {\"choices\": [{\"delta\": {\"content\": \"x\"\n\n",
            ));
            events.extend(end(anthropic, None));
            vec![Reply::sse(events)]
        }
        ("endless", None, None) => vec![Reply::sse(Vec::new()).then(Step::EndlessLine { mib: 64 })],
        ("overloaded", None, None) => {
            let mut events = Vec::new();
            if anthropic {
                events.extend(start(anthropic, &[]).into_iter().take(1));
            }
            events.push(stream_error(anthropic, "overloaded_error", "Overloaded"));
            vec![Reply::sse(events), ok()]
        }
        ("error-after-output", None, None) => {
            let mut events = start(anthropic, head);
            events.push(stream_error(
                anthropic,
                "server_error",
                "stream failed after output",
            ));
            vec![Reply::sse(events)]
        }
        ("slow", Some(ms), None) => vec![ok().paced(Duration::from_millis(number(ms)?))],
        ("markdown", Some(ms), None) => vec![Reply::sse(complete(anthropic, &markdown_pieces()))
            .paced(Duration::from_millis(number(ms)?))],
        ("tools", Some("many"), Some(n)) => vec![Reply::tool_turn(
            anthropic,
            ToolPlay::Many(number(n)? as usize),
        )],
        ("tools", Some("endless"), Some(mib)) => {
            let pieces = number(mib)? as usize * 16;
            vec![Reply::sse(tool_turns::endless_arguments(
                anthropic,
                pieces,
                64 * 1024,
            ))]
        }
        ("tools", Some(play), None) => match ToolPlay::from_name(play) {
            Some(play) => vec![Reply::tool_turn(anthropic, play)],
            None => return Err(unknown(name)),
        },
        ("bench", Some(n), None) => {
            let n = number(n)? as usize;
            let mut events = start(anthropic, &[]);
            let token = transcript::text_event(anthropic, "tok ");
            events.extend(std::iter::repeat_n(token, n));
            events.extend(end(anthropic, None));
            vec![Reply::sse(events)]
        }
        ("paced", Some(n), Some(us)) => {
            let n = number(n)?;
            let gap = Duration::from_micros(number(us)?);
            // A quiet first half second lets the measuring side get ready, so that its
            // start-up is not counted as delay.
            let mut reply =
                Reply::sse(start(anthropic, &[])).then(Step::Pause(Duration::from_millis(500)));
            for _ in 0..n {
                reply = reply.then(Step::Pause(gap)).then(Step::Stamp { anthropic });
            }
            for event in end(anthropic, None) {
                reply = reply.then(Step::Bytes(event));
            }
            vec![reply]
        }
        _ => return Err(unknown(name)),
    };
    Ok(replies)
}

fn unknown(name: &str) -> String {
    format!(
        "unknown scenario {name:?}; known: {}",
        SCENARIOS
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A named scenario for both protocols, chosen per request by its path. A gateway that
/// refuses the key refuses it for the model list too.
pub fn script(name: &str) -> Result<Script, String> {
    let models = |anthropic: bool| match name {
        "unauthorized" => failure(
            anthropic,
            401,
            "authentication_error",
            "Invalid API key provided. Check your key at the gateway.",
        ),
        _ => models_reply(anthropic),
    };
    Ok(Script {
        openai: scenario(name, false)?,
        anthropic: scenario(name, true)?,
        openai_models: models(false),
        anthropic_models: models(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_markdown_pieces_make_the_whole_answer() {
        let pieces = markdown_pieces();
        assert!(pieces.len() > 50, "small pieces");
        assert_eq!(pieces.concat(), MARKDOWN_ANSWER);
        assert!(MARKDOWN_ANSWER.ends_with("\nFOXTAIL-DONE"));
        assert!(
            pieces.iter().all(|p| !p.contains("```")),
            "the fences are cut"
        );
        assert!(
            pieces.iter().all(|p| !p.contains("FOXTAIL-DONE")),
            "so is the end"
        );
    }

    #[test]
    fn every_listed_scenario_builds_for_both_protocols() {
        for (name, _) in SCENARIOS {
            let name = name
                .replace("NAME:ARGS", r#"lookup:{"key":"x"}"#)
                .replace("MS", "1")
                .replace("US", "1")
                .replace("TPS", "1000")
                .replace('N', "3")
                .replace("PATH", concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"));
            assert!(script(&name).is_ok(), "{name}");
        }
        assert!(script("nope").is_err());
        assert!(script("tools:nope").is_err());
        assert!(script("tools:call:lookup:{not json").is_err());
    }

    /// The text a reply streams, read back from its events (either protocol).
    fn streamed_text(reply: &Reply) -> (Vec<String>, bool) {
        let mut pieces = Vec::new();
        let mut ended = false;
        for step in &reply.steps {
            let Step::Bytes(bytes) = step else { continue };
            let event = std::str::from_utf8(bytes).expect("events are UTF-8");
            for line in event.lines() {
                let Some(data) = line.strip_prefix("data: ") else {
                    continue;
                };
                if data == "[DONE]" {
                    ended = true;
                    continue;
                }
                let value: serde_json::Value = serde_json::from_str(data).expect("JSON events");
                if value["type"] == "message_stop" {
                    ended = true;
                }
                let text = value["choices"][0]["delta"]["content"]
                    .as_str()
                    .or_else(|| value["delta"]["text"].as_str());
                if let Some(text) = text.filter(|t| !t.is_empty()) {
                    pieces.push(text.to_owned());
                }
            }
        }
        (pieces, ended)
    }

    /// The usage objects a reply's events carry: OpenAI's `usage`, Anthropic's
    /// `message_start.message.usage` and `message_delta.usage`.
    fn usages(reply: &Reply) -> Vec<serde_json::Value> {
        let mut found = Vec::new();
        for step in &reply.steps {
            let Step::Bytes(bytes) = step else { continue };
            for line in std::str::from_utf8(bytes).unwrap().lines() {
                let Some(data) = line.strip_prefix("data: ") else {
                    continue;
                };
                let Ok(value) = serde_json::from_str::<serde_json::Value>(data) else {
                    continue;
                };
                for usage in [&value["usage"], &value["message"]["usage"]] {
                    if !usage.is_null() {
                        found.push(usage.clone());
                    }
                }
            }
        }
        found
    }

    #[test]
    fn answers_report_the_fixed_usage_and_ok_cost_adds_the_gateways_cost() {
        use serde_json::json;
        for (name, cost) in [("ok", None), ("ok:cost", Some(COST))] {
            let both = script(name).unwrap();
            let openai = usages(&both.openai[0]);
            let mut expected = json!({
                "prompt_tokens": 2000, "completion_tokens": 120, "total_tokens": 2120,
                "prompt_tokens_details": {"cached_tokens": 1536, "cache_write_tokens": 256},
                "completion_tokens_details": {"reasoning_tokens": 40},
            });
            if let Some(cost) = cost {
                expected["cost"] = json!(cost);
            }
            assert_eq!(openai, [expected], "{name}");

            let anthropic = usages(&both.anthropic[0]);
            let mut delta = json!({"output_tokens": 120});
            if let Some(cost) = cost {
                delta["cost"] = json!(cost);
            }
            assert_eq!(
                anthropic,
                [
                    json!({"input_tokens": 208, "cache_read_input_tokens": 1536,
                           "cache_creation_input_tokens": 256, "output_tokens": 1}),
                    delta,
                ],
                "{name}"
            );
            assert_eq!(streamed_text(&both.openai[0]).0.concat(), answer_text());
            assert_eq!(streamed_text(&both.anthropic[0]).0.concat(), answer_text());
        }
    }

    #[test]
    fn a_file_is_streamed_whole_in_small_pieces_cut_on_character_boundaries() {
        // Multi-byte characters all through, so that many cuts fall next to one; a NUL
        // and a path with a colon in it, as the end-to-end corpus has.
        let mut text = String::from("# Corpus\n\n");
        for i in 0..300 {
            text.push_str(&format!(
                "{i}: <img src=x onerror=\"a()\"> é ü 中文 😀 \u{0}\u{202E} `x`\n"
            ));
        }
        let dir = std::env::temp_dir().join(format!(
            "foxtail-mock-file-{}-{:?}",
            std::process::id(),
            std::time::SystemTime::now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a:b.md");
        std::fs::write(&path, &text).unwrap();
        let name = format!("file:{}", path.display());

        let both = script(&name).unwrap();
        for (replies, anthropic) in [(&both.openai, false), (&both.anthropic, true)] {
            assert_eq!(replies.len(), 1, "one answer, every time");
            let reply = &replies[0];
            assert_eq!(reply.status, 200);
            assert!(
                reply.steps.iter().any(|s| matches!(s, Step::Pause(_))),
                "paced"
            );
            let (pieces, ended) = streamed_text(reply);
            assert!(ended, "the stream ends normally (anthropic: {anthropic})");
            assert_eq!(pieces.concat(), text, "anthropic: {anthropic}");
            assert!(pieces.len() > text.len() / 200, "small pieces");
            let (last, rest) = pieces.split_last().unwrap();
            assert!(last.len() <= 200);
            for piece in rest {
                assert!((37..=200).contains(&piece.len()), "{} bytes", piece.len());
            }
            let sizes: std::collections::BTreeSet<usize> = rest.iter().map(|p| p.len()).collect();
            assert!(sizes.len() > 20, "the sizes vary: {sizes:?}");
        }
        assert_eq!(file_pieces(&text).concat(), text);
        let tokens = token_pieces(&text);
        assert_eq!(tokens.concat(), text);
        let (last, rest) = tokens.split_last().unwrap();
        assert!(last.len() <= 9);
        assert!(
            rest.iter().all(|t| (2..=9).contains(&t.len())),
            "token-sized"
        );
        assert_eq!(file_pieces(""), Vec::<&str>::new());
        assert_eq!(file_pieces("é"), vec!["é"]);

        std::fs::write(&path, b"\xff\xfe not UTF-8").unwrap();
        assert!(script(&name).unwrap_err().contains("not UTF-8"));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(script(&name).unwrap_err().contains("cannot read"));
    }
}
