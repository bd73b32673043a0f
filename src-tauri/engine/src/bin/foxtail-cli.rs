//! `foxtail-cli`: one streamed answer on the command line, through the same engine as
//! the desktop app.
//!
//! Exit codes: 0 finished answer, 1 error, 2 bad usage, 130 interrupted by Ctrl-C.

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Error, Event, FinishReason, Message, Options, Protocol,
    Registry, SecretString, Sink, DEFAULT_MAX_TOOL_STEPS,
};

#[derive(Parser)]
#[command(
    name = "foxtail-cli",
    version,
    about = "Stream one chat answer from an OpenAI- or Anthropic-protocol gateway.",
    after_help = "The API key comes from OFOX_API_KEY, or else from the keychain entry the \
Foxtail app saves.\nExit codes: 0 finished answer, 1 error, 2 bad usage, 130 Ctrl-C."
)]
struct Args {
    /// Wire protocol of the gateway.
    #[arg(long, default_value = "openai", value_parser = ["openai", "anthropic"])]
    protocol: String,
    /// Gateway base URL [default: https://api.ofox.ai/v1, or https://api.ofox.ai/anthropic]
    #[arg(long)]
    base_url: Option<String>,
    /// Model name [default: openai/gpt-4o, or anthropic/claude-sonnet-4.5]
    #[arg(long)]
    model: Option<String>,
    /// System prompt.
    #[arg(long)]
    system: Option<String>,
    #[arg(long)]
    max_tokens: Option<u32>,
    #[arg(long)]
    temperature: Option<f64>,
    /// Print every event as one JSON object per line.
    #[arg(long)]
    json: bool,
    /// Seconds allowed to connect.
    #[arg(long, default_value_t = 10.0)]
    connect_timeout: f64,
    /// Seconds of silence allowed between received bytes.
    #[arg(long, default_value_t = 120.0)]
    idle_timeout: f64,
    /// Retries before the first output.
    #[arg(long, default_value_t = 3)]
    max_retries: u32,
    /// Do not resume an answer whose connection dropped.
    #[arg(long)]
    no_resume: bool,
    /// Tools the model may call. `builtin`: Foxtail's own (current_time, calculator),
    /// run whenever the model asks, for up to 8 model turns. FILE: the tools declared in
    /// a JSON array of {"name", "description", "parameters" (JSON Schema)}, offered but
    /// never run: the model's calls are printed and the CLI ends after its turn. Without
    /// --json, calls print on stdout as `[tool call NAME ARGUMENTS]` and results as
    /// `[NAME → RESULT]` or `[NAME failed: MESSAGE]`, each on a line of its own.
    #[arg(long, value_name = "builtin|FILE")]
    tools: Option<String>,
    /// First retry delay in milliseconds (for tests).
    #[arg(long, hide = true)]
    retry_delay_ms: Option<u64>,
    /// Longest retry delay in milliseconds (for tests).
    #[arg(long, hide = true)]
    max_retry_delay_ms: Option<u64>,
    /// The question; `-` or nothing reads it from standard input.
    prompt: Option<String>,
}

const EXIT_ERROR: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INTERRUPTED: u8 = 130;

fn seconds(value: f64, flag: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{flag} must be a positive number of seconds"))
}

fn usage(message: &str) -> ExitCode {
    eprintln!("foxtail-cli: {message}");
    eprintln!("Try 'foxtail-cli --help' for more information.");
    ExitCode::from(EXIT_USAGE)
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    let tools = match args.tools.as_deref() {
        None => Tools::None,
        Some("builtin") => Tools::Run(Registry::builtin()),
        Some(file) => match Registry::declared(Path::new(file)) {
            Ok(registry) => Tools::Declare(registry),
            Err(err) => return usage(err.message()),
        },
    };
    let protocol: Protocol = args.protocol.parse().expect("clap checked the protocol");
    let options = match options(&args) {
        Ok(options) => options,
        Err(message) => return usage(&message),
    };
    let prompt = match prompt(args.prompt.as_deref()) {
        Ok(prompt) => prompt,
        Err(message) => return usage(&message),
    };
    let key = match api_key() {
        Ok(key) => key,
        Err(message) => {
            eprintln!("foxtail-cli: {message}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let mut request = ChatRequest::new(protocol, "");
    request.messages = vec![Message::user(prompt)];
    if let Some(url) = args.base_url {
        request.base_url = url;
    }
    if let Some(model) = args.model {
        request.model = model;
    }
    request.system = args.system;
    request.max_tokens = args.max_tokens;
    request.temperature = args.temperature;

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("foxtail-cli: cannot start: {err}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    runtime.block_on(run(request, tools, options, key, args.json))
}

/// What `--tools` asked for.
enum Tools {
    None,
    /// Offered and run: the tool loop.
    Run(Registry),
    /// Offered only: one model turn, whose calls are printed.
    Declare(Registry),
}

fn options(args: &Args) -> Result<Options, String> {
    let mut options = Options {
        connect_timeout: seconds(args.connect_timeout, "--connect-timeout")?,
        idle_timeout: seconds(args.idle_timeout, "--idle-timeout")?,
        max_retries: args.max_retries,
        resume: !args.no_resume,
        ..Options::default()
    };
    if let Some(ms) = args.retry_delay_ms {
        options.retry_base_delay = Duration::from_millis(ms);
    }
    if let Some(ms) = args.max_retry_delay_ms {
        options.retry_max_delay = Duration::from_millis(ms);
    }
    Ok(options)
}

fn prompt(arg: Option<&str>) -> Result<String, String> {
    let text = match arg {
        Some(text) if text != "-" => text.to_owned(),
        _ => {
            let mut text = String::new();
            io::stdin()
                .read_to_string(&mut text)
                .map_err(|err| format!("cannot read the prompt from standard input: {err}"))?;
            text
        }
    };
    if text.trim().is_empty() {
        return Err("no prompt: give it as an argument or on standard input".into());
    }
    Ok(text)
}

fn api_key() -> Result<SecretString, String> {
    if let Ok(key) = std::env::var("OFOX_API_KEY") {
        if !key.trim().is_empty() {
            return Ok(SecretString::from(key.trim().to_owned()));
        }
    }
    match foxtail_keychain::Keychain::from_env().load("ofox") {
        Ok(Some(key)) => Ok(key),
        Ok(None) => {
            Err("no API key: set OFOX_API_KEY or save a key in the Foxtail app's settings".into())
        }
        Err(err) => Err(format!(
            "no API key in OFOX_API_KEY, and the keychain could not be read: {err}"
        )),
    }
}

async fn run(
    mut request: ChatRequest,
    tools: Tools,
    options: Options,
    key: SecretString,
    json: bool,
) -> ExitCode {
    let client = match Client::new(key, options) {
        Ok(client) => client,
        Err(err) => {
            eprintln!("foxtail-cli: {err}");
            return ExitCode::from(EXIT_ERROR);
        }
    };
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let mut output = Output::new(json);
    let end = match tools {
        Tools::None => client.stream_chat(&request, &cancel, &mut output).await,
        Tools::Run(registry) => {
            client
                .converse(
                    &mut request,
                    &registry,
                    DEFAULT_MAX_TOOL_STEPS,
                    &cancel,
                    &mut output,
                )
                .await
        }
        Tools::Declare(registry) => {
            request.tools = registry.specs();
            client.stream_chat(&request, &cancel, &mut output).await
        }
    };
    output.idle();
    match end {
        Ok(_) => ExitCode::SUCCESS,
        Err(Error::Cancelled { .. }) => ExitCode::from(EXIT_INTERRUPTED),
        Err(_) => ExitCode::from(EXIT_ERROR),
    }
}

/// Writes events as they come. Output is buffered only while more received events are
/// being handled: the engine calls `idle` before it waits, and that flushes, so a pipe
/// sees every token as soon as it arrived.
struct Output {
    json: bool,
    out: BufWriter<io::Stdout>,
    /// Whether the last text written ended a line (so errors start on a fresh one).
    at_line_start: bool,
    /// The last thing written was a tool line: the blank lines that part a later
    /// turn's text from an earlier one are not needed after it.
    after_tool_line: bool,
    colour: bool,
}

impl Output {
    fn new(json: bool) -> Self {
        Output {
            json,
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
            at_line_start: true,
            after_tool_line: false,
            colour: io::stderr().is_terminal(),
        }
    }

    fn note(&mut self, text: &str) {
        // Notes go to stderr; what is already on stdout goes first so the two interleave
        // in the order they happened.
        let _ = self.out.flush();
        let prefix = if self.at_line_start { "" } else { "\n" };
        self.at_line_start = true;
        if self.colour {
            eprintln!("{prefix}\x1b[2m{text}\x1b[0m");
        } else {
            eprintln!("{prefix}{text}");
        }
    }

    fn text(&mut self, text: &str) {
        let text = if self.after_tool_line {
            text.trim_start_matches('\n')
        } else {
            text
        };
        if text.is_empty() {
            return;
        }
        self.after_tool_line = false;
        let _ = self.out.write_all(text.as_bytes());
        self.at_line_start = text.ends_with('\n');
    }

    /// A tool call or result: a line of its own on stdout, between the answer's text.
    fn tool_line(&mut self, line: &str) {
        if !self.at_line_start {
            let _ = self.out.write_all(b"\n");
        }
        let _ = writeln!(self.out, "{line}");
        self.at_line_start = true;
        self.after_tool_line = true;
    }
}

impl Sink for Output {
    fn event(&mut self, event: Event) {
        if self.json {
            let _ = serde_json::to_writer(&mut self.out, &event);
            let _ = self.out.write_all(b"\n");
            return;
        }
        match event {
            Event::Text { text } | Event::Refusal { text } => self.text(&text),
            Event::Reasoning { text } => {
                let _ = self.out.flush();
                eprint!("{text}");
            }
            Event::ToolCallDelta { .. } | Event::Usage(_) => {}
            Event::ToolCall(call) => {
                // Compact JSON when it parsed; what arrived when it was cut off.
                let arguments = if call.arguments.is_null() {
                    call.arguments_raw
                } else {
                    call.arguments.to_string()
                };
                self.tool_line(&format!("[tool call {} {arguments}]", call.name))
            }
            Event::ToolResult {
                name,
                content,
                is_error,
                ..
            } => {
                if is_error {
                    self.tool_line(&format!("[{name} failed: {content}]"))
                } else {
                    self.tool_line(&format!("[{name} → {content}]"))
                }
            }
            Event::Retry {
                attempt,
                max_attempts,
                delay_ms,
                reason,
                resume,
            } => {
                let what = if resume { "resume" } else { "retry" };
                self.note(&format!(
                    "{reason} — trying again in {:.1} s ({what} {attempt} of {max_attempts})",
                    delay_ms as f64 / 1000.0
                ))
            }
            Event::Finish { reason, raw } => {
                if !self.at_line_start {
                    self.text("\n");
                }
                match reason {
                    FinishReason::Length => {
                        self.note("(the answer was cut off: token limit reached)")
                    }
                    FinishReason::ContentFilter => {
                        self.note("(the answer was stopped by a content filter)")
                    }
                    FinishReason::Refusal => self.note("(the model declined to answer)"),
                    FinishReason::Other => self.note(&format!("(the answer ended: {raw})")),
                    FinishReason::Stop | FinishReason::ToolCalls => {}
                }
            }
            Event::Error(error) => {
                let message = match &error {
                    Error::Cancelled { .. } => "Cancelled.".to_owned(),
                    Error::Auth { .. } => format!("The gateway refused the API key: {error}"),
                    Error::RateLimit { .. } => format!("Rate limited by the gateway: {error}"),
                    Error::Server { .. } => format!("The gateway failed: {error}"),
                    Error::Network { .. } => format!("Network problem: {error}"),
                    Error::Timeout { .. } => format!("Timed out: {error}"),
                    Error::BadRequest { .. } => {
                        format!("The gateway rejected the request: {error}")
                    }
                    Error::Protocol { .. } => {
                        format!("The gateway's answer was not understood: {error}")
                    }
                    Error::Interrupted { .. } => {
                        format!("The answer is incomplete: {error}")
                    }
                    Error::ToolLimit { .. } | Error::ToolFile { .. } => error.to_string(),
                };
                self.note(&message);
            }
        }
    }

    fn idle(&mut self) {
        let _ = self.out.flush();
    }
}
