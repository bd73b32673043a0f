//! Named scripts, so that the binary (and the desktop app's end-to-end tests) can pick a
//! fault by name: `foxtail-mock-gateway --scenario truncated`.

use std::time::Duration;

use bytes::Bytes;

use crate::models::models_reply;
use crate::reply::{Reply, Step};
use crate::script::Script;
use crate::tool_turns::ToolPlay;
use crate::transcript::{self, error_body};

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

/// What `--scenario` accepts, with a line of help each.
pub const SCENARIOS: &[(&str, &str)] = &[
    ("ok", "a complete streamed answer"),
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

fn end(anthropic: bool) -> Vec<Bytes> {
    if anthropic {
        transcript::anthropic_end("end_turn")
    } else {
        transcript::openai_end("stop")
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
    let mut parts = name.split(':');
    let replies = match (parts.next().unwrap_or(""), parts.next(), parts.next()) {
        ("ok", None, None) => vec![ok()],
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
            events.extend(end(anthropic));
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
        ("tools", Some(play), None) => match ToolPlay::from_name(play) {
            Some(play) => vec![Reply::tool_turn(anthropic, play)],
            None => return Err(unknown(name)),
        },
        ("bench", Some(n), None) => {
            let n = number(n)? as usize;
            let mut events = start(anthropic, &[]);
            let token = transcript::text_event(anthropic, "tok ");
            events.extend(std::iter::repeat_n(token, n));
            events.extend(end(anthropic));
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
            for event in end(anthropic) {
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
            let name = name.replace("MS", "1").replace("US", "1").replace('N', "3");
            assert!(script(&name).is_ok(), "{name}");
        }
        assert!(script("nope").is_err());
        assert!(script("tools:nope").is_err());
    }
}
