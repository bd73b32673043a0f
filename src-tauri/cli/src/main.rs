//! `foxtail-cli`: one streamed answer on the command line, sent as the desktop app would
//! send it: the app's saved settings (read, never written) changed by the flags under the
//! app's rules, the key the app saved for the provider, and the request and client built
//! by `foxtail-core` from them, streamed by the same engine.
//!
//! Model text written to a terminal is cleaned of control sequences first (see
//! [`terminal`]); `--json` output is JSON-escaped and left as it is.
//!
//! Exit codes: 0 finished answer, 1 error, 2 bad usage, 130 interrupted by Ctrl-C.

use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::Parser;
use foxtail_core::attachments::{self, Prepared};
use foxtail_core::catalog::CatalogModel;
use foxtail_core::keys::Keys;
use foxtail_core::message_attachments::{self, Given};
use foxtail_core::usage::UsageTally;
use foxtail_core::{presets, profile, AppError};
use foxtail_engine::{
    CancellationToken, ChatRequest, Client, Error, Event, FinishReason, Message, Options, Registry,
    Role, SecretString, Sink, DEFAULT_MAX_TOOL_STEPS,
};
use foxtail_keychain::Keychain;

mod connection;
mod mcp;
mod terminal;

use terminal::Sanitizer;

#[derive(Parser)]
#[command(
    name = "foxtail-cli",
    version,
    about = "Stream one chat answer from an OpenAI- or Anthropic-protocol gateway, with the \
Foxtail app's settings.",
    after_help = "The provider, address, model, system prompt, temperature, answer length, \
timeouts and tools are the Foxtail app's saved settings (only read, never written; \
FOXTAIL_DATA_DIR names another data folder), changed for this run by the flags, under the \
app's rules.\nThe API key comes from FOXTAIL_API_KEY or OFOX_API_KEY when either is set, \
or else from the keychain entry the Foxtail app saved for the provider.\nWhen standard \
output is a terminal, control sequences in the model's text are removed.\nExit codes: 0 \
finished answer, 1 error, 2 bad usage, 130 Ctrl-C."
)]
struct Args {
    /// Provider (one of the app's presets) [default: the app's setting]. Another
    /// provider than the saved one brings its own address and default model.
    #[arg(long, global = true, value_name = "ID", value_parser = PossibleValuesParser::new(presets::PRESETS.iter().map(|p| p.id)))]
    provider: Option<String>,
    /// Wire protocol of the gateway [default: the app's setting]. Another protocol than
    /// the saved one brings the provider's address for it.
    #[arg(long, global = true, value_parser = ["openai", "anthropic"])]
    protocol: Option<String>,
    /// Gateway base URL: https://, or http:// to this computer only [default: the app's
    /// setting, or the provider's address]
    #[arg(long, global = true)]
    base_url: Option<String>,
    /// Model name [default: the app's setting, or the provider's default model]
    #[arg(long)]
    model: Option<String>,
    /// System prompt [default: the app's setting]
    #[arg(long)]
    system: Option<String>,
    /// Longest answer, in tokens [default: the app's setting]
    #[arg(long)]
    max_tokens: Option<u32>,
    /// From 0 to 2 [default: the app's setting]
    #[arg(long)]
    temperature: Option<f64>,
    /// Print every event as one JSON object per line; the last line is the answer's
    /// usage, with its cost where the gateway or its price list gives one. With
    /// `models`: the list as one JSON array.
    #[arg(long, global = true)]
    json: bool,
    /// Seconds allowed to connect [default: the app's setting, or 10]
    #[arg(long)]
    connect_timeout: Option<f64>,
    /// Seconds of silence allowed between received bytes [default: the app's setting,
    /// or 120]
    #[arg(long)]
    idle_timeout: Option<f64>,
    /// Retries before the first output [default: 3]
    #[arg(long)]
    max_retries: Option<u32>,
    /// Do not resume an answer whose connection dropped.
    #[arg(long)]
    no_resume: bool,
    /// Tools the model may call. `builtin`: Foxtail's own (current_time, calculator),
    /// less those switched off in the app's settings, run whenever the model asks, for
    /// up to 8 model turns. FILE: the tools declared in a JSON array of {"name",
    /// "description", "parameters" (JSON Schema)}, offered but never run: the model's
    /// calls are printed and the CLI ends after its turn. Without --json, calls print on
    /// stdout as `[tool call NAME ARGUMENTS]` and results as `[NAME → RESULT]` or
    /// `[NAME failed: MESSAGE]`, each on a line of its own.
    #[arg(long, value_name = "builtin|FILE")]
    tools: Option<String>,
    /// MCP servers whose tools the model may call, from a JSON file in the `mcpServers`
    /// format server READMEs show (stdio entries with "command", "args" and "env"; HTTP
    /// entries with "url" and "headers"). Each call is asked about on the terminal,
    /// unless --yes. Combines with --tools builtin.
    #[arg(long, value_name = "CONFIG.json")]
    mcp: Option<String>,
    /// Allow every MCP tool call without asking.
    #[arg(long)]
    yes: bool,
    /// Attach a picture (PNG, JPEG, WebP, GIF) or a document (text, Markdown, CSV, JSON,
    /// source code, PDF, DOCX) to the question, prepared as the app prepares it.
    /// Repeatable.
    #[arg(long, value_name = "FILE")]
    attach: Vec<std::path::PathBuf>,
    /// Clean the output of control sequences as for a terminal, even into a pipe (for
    /// tests).
    #[arg(long, hide = true)]
    terminal: bool,
    /// First retry delay in milliseconds (for tests).
    #[arg(long, hide = true)]
    retry_delay_ms: Option<u64>,
    /// Longest retry delay in milliseconds (for tests).
    #[arg(long, hide = true)]
    max_retry_delay_ms: Option<u64>,
    /// The question; `-` or nothing reads it from standard input.
    prompt: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// List the models the gateway offers, with what each reads at once and its prices
    /// per million tokens (input / output), where the gateway publishes them. Takes the
    /// same connection flags as a chat.
    Models,
}

const EXIT_ERROR: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INTERRUPTED: u8 = 130;

/// The keys that stand in for the keychain's, first found first used.
const KEY_ENV: [&str; 2] = ["FOXTAIL_API_KEY", "OFOX_API_KEY"];

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

fn failure(message: &str) -> ExitCode {
    eprintln!("foxtail-cli: {message}");
    ExitCode::from(EXIT_ERROR)
}

fn main() -> ExitCode {
    foxtail_core::files::forbid_core_dumps();
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let code = if err.use_stderr() { EXIT_USAGE } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    // Everything that can be refused is checked before the prompt is read and before
    // anything goes over the network.
    let flags = connection::Changes {
        provider: args.provider.clone(),
        protocol: args
            .protocol
            .as_deref()
            .map(|p| p.parse().expect("clap checked the protocol")),
        base_url: args.base_url.clone(),
        model: args.model.clone(),
        system: args.system.clone(),
        temperature: args.temperature,
        max_tokens: args.max_tokens,
    };
    let settings = match connection::apply(&connection::saved(), &flags) {
        Ok(settings) => settings,
        Err(message) => return usage(&message),
    };
    let tools = match args.tools.as_deref() {
        None => Tools::None,
        Some("builtin") => Tools::Run(profile::enabled_tools(&settings)),
        Some(file) => match Registry::declared(Path::new(file)) {
            Ok(registry) => Tools::Declare(registry),
            Err(err) => return usage(err.message()),
        },
    };
    let mcp = match args.mcp.as_deref() {
        None => None,
        Some(_) if matches!(tools, Tools::Declare(_)) => {
            return usage("--mcp runs tools, so it combines with --tools builtin, not a file")
        }
        Some(path) => match mcp::open(Path::new(path), args.yes) {
            Ok(file) => Some(file),
            Err(message) => return usage(&message),
        },
    };
    let attached = match attach(&args.attach) {
        Ok(attached) => attached,
        Err(message) => return usage(&message),
    };
    let transport = match Transport::from_args(&args) {
        Ok(transport) => transport,
        Err(message) => return usage(&message),
    };
    let prompt = match &args.command {
        Some(Command::Models) => String::new(),
        None => match prompt(args.prompt.as_deref()) {
            Ok(prompt) => prompt,
            Err(message) => return usage(&message),
        },
    };

    // The key the app saved for this provider, unless one is given in the environment.
    let keys = Keys::new(Keychain::from_env());
    let provider = connection::provider_name(&settings.provider);
    if let Some(key) = key_from_env() {
        // Kept in memory for this run only, and bound to the address this run sends to.
        if let Err(err) = keys.save(&settings.provider, key, true, Some(&settings.base_url)) {
            return failure(&err.to_string());
        }
    }
    let prepared = match profile::prepare_with(&settings, &keys, |options| transport.apply(options))
    {
        Ok(prepared) => prepared,
        Err(AppError::NoKey) => {
            return failure(&format!(
                "no API key for {provider}: set FOXTAIL_API_KEY (or OFOX_API_KEY), or save a \
                 key for {provider} in the Foxtail app's settings"
            ))
        }
        Err(AppError::Keychain(err)) => {
            return failure(&format!(
                "no API key for {provider} in FOXTAIL_API_KEY or OFOX_API_KEY, and the \
                 keychain could not be read: {err}"
            ))
        }
        // The app binds a saved key to the address it was saved for: it goes nowhere else.
        Err(AppError::KeyOrigin { origin, .. }) => {
            return usage(&format!(
                "the key saved for {provider} may only go to the address it was saved for, \
                 not to {origin}: give a key for this address in FOXTAIL_API_KEY, or save the \
                 key again with this address in the Foxtail app's settings"
            ))
        }
        Err(AppError::Settings(message)) => return usage(&message),
        Err(err) => return failure(&err.to_string()),
    };
    if matches!(args.command, Some(Command::Models)) {
        return list_models(prepared, args.json);
    }
    let mut request = prepared.request;
    request.messages = vec![if attached.is_empty() {
        Message::user(prompt)
    } else {
        let given: Vec<Given<'_>> = attached.iter().map(Given::prepared).collect();
        Message {
            role: Role::User,
            content: message_attachments::parts(&given, &prompt),
        }
    }];

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return failure(&format!("cannot start: {err}")),
    };
    let output = Output::new(args.json, args.terminal);
    runtime.block_on(async move {
        let tools = match (&mcp, tools) {
            (None, tools) => tools,
            (Some(file), Tools::Run(registry)) => Tools::Run(file.add_to(registry).await),
            (Some(file), _) => Tools::Run(file.add_to(Registry::new()).await),
        };
        // The answer runs as a task of its own: waking the runtime's main future goes
        // through the I/O driver, a system call each time, and the connection wakes
        // whoever reads the body once for every piece of it.
        let code = match tokio::spawn(run(prepared.client, request, tools, output)).await {
            Ok(code) => code,
            Err(err) => std::panic::resume_unwind(err.into_panic()),
        };
        if let Some(file) = mcp {
            file.stop().await;
        }
        code
    })
}

/// `foxtail-cli models`: the gateway's list, one model a line (id, context, prices per
/// million tokens, what it takes), or one JSON array with `--json`.
fn list_models(prepared: profile::Prepared, json: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return failure(&format!("cannot start: {err}")),
    };
    let request = &prepared.request;
    let listed = runtime.block_on(prepared.client.model_facts(
        &request.base_url,
        request.protocol,
        &request.extra_headers,
    ));
    let facts = match listed {
        Ok(facts) => facts,
        Err(err) => return failure(&format!("the model list could not be had: {err}")),
    };
    let models: Vec<CatalogModel> = facts
        .into_iter()
        .map(|facts| CatalogModel::from_facts(&prepared.provider, facts))
        .collect();
    let mut out = io::stdout().lock();
    if json {
        let _ = serde_json::to_writer_pretty(&mut out, &models);
        let _ = out.write_all(b"\n");
        return ExitCode::SUCCESS;
    }
    for model in &models {
        let _ = writeln!(out, "{}", model_line(model));
    }
    ExitCode::SUCCESS
}

/// "mock/alpha  128k context  $3.00 / $15.00 per M  pictures, tools, reasoning".
fn model_line(model: &CatalogModel) -> String {
    let mut fields = vec![model.id.clone()];
    if let Some(context) = model.context_length {
        fields.push(format!("{}k context", context / 1000));
    }
    if let Some(pricing) = &model.pricing {
        fields.push(format!(
            "${:.2} / ${:.2} per M",
            pricing.prompt * 1e6,
            pricing.completion * 1e6
        ));
    }
    let takes: Vec<&str> = [
        (model.image_input, "pictures"),
        (model.tools, "tools"),
        (model.reasoning, "reasoning"),
    ]
    .into_iter()
    .filter(|(known, _)| *known == Some(true))
    .map(|(_, word)| word)
    .collect();
    if !takes.is_empty() {
        fields.push(takes.join(", "));
    }
    fields.join("  ")
}

/// Reads and prepares the `--attach` files, refusing one that is too large before
/// reading it.
fn attach(paths: &[std::path::PathBuf]) -> Result<Vec<Prepared>, String> {
    if paths.len() > message_attachments::MAX_PER_MESSAGE {
        return Err(format!(
            "--attach takes up to {} files",
            message_attachments::MAX_PER_MESSAGE
        ));
    }
    paths
        .iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let size = std::fs::metadata(path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?
                .len();
            let largest = attachments::MAX_IMAGE_BYTES.max(attachments::MAX_DOCUMENT_BYTES);
            if size > largest {
                return Err(format!(
                    "{name} is {} MB; Foxtail takes files up to {} MB",
                    size / 1_000_000,
                    largest / 1_000_000
                ));
            }
            let bytes = std::fs::read(path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            attachments::prepare(&name, &bytes).map_err(|err| err.message)
        })
        .collect()
}

/// What `--tools` asked for.
enum Tools {
    None,
    /// Offered and run: the tool loop.
    Run(Registry),
    /// Offered only: one model turn, whose calls are printed.
    Declare(Registry),
}

/// The transport flags given; the app's settings and the engine's defaults stand for
/// those not given.
struct Transport {
    connect_timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    max_retries: Option<u32>,
    no_resume: bool,
    retry_base_delay: Option<Duration>,
    retry_max_delay: Option<Duration>,
}

impl Transport {
    fn from_args(args: &Args) -> Result<Self, String> {
        Ok(Transport {
            connect_timeout: args
                .connect_timeout
                .map(|s| seconds(s, "--connect-timeout"))
                .transpose()?,
            idle_timeout: args
                .idle_timeout
                .map(|s| seconds(s, "--idle-timeout"))
                .transpose()?,
            max_retries: args.max_retries,
            no_resume: args.no_resume,
            retry_base_delay: args.retry_delay_ms.map(Duration::from_millis),
            retry_max_delay: args.max_retry_delay_ms.map(Duration::from_millis),
        })
    }

    fn apply(&self, options: &mut Options) {
        if let Some(timeout) = self.connect_timeout {
            options.connect_timeout = timeout;
        }
        if let Some(timeout) = self.idle_timeout {
            options.idle_timeout = timeout;
        }
        if let Some(retries) = self.max_retries {
            options.max_retries = retries;
        }
        if self.no_resume {
            options.resume = false;
        }
        if let Some(delay) = self.retry_base_delay {
            options.retry_base_delay = delay;
        }
        if let Some(delay) = self.retry_max_delay {
            options.retry_max_delay = delay;
        }
    }
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

/// A key given in the environment, which stands in for the keychain's; empty is unset.
fn key_from_env() -> Option<SecretString> {
    KEY_ENV.iter().find_map(|name| {
        let key = std::env::var(name).ok()?;
        let key = key.trim();
        (!key.is_empty()).then(|| SecretString::from(key.to_owned()))
    })
}

async fn run(
    client: Client,
    mut request: ChatRequest,
    tools: Tools,
    mut output: Output,
) -> ExitCode {
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
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
    output.usage_line(&client, &request).await;
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
    /// For a terminal: the answer's text on stdout without control sequences.
    text_filter: Option<Sanitizer>,
    /// The same for reasoning and notes on stderr.
    reasoning_filter: Option<Sanitizer>,
    usage: UsageTally,
}

impl Output {
    /// `as_terminal` cleans both streams as if they were terminals.
    fn new(json: bool, as_terminal: bool) -> Self {
        let filter = |is_terminal: bool| (as_terminal || is_terminal).then(Sanitizer::new);
        Output {
            json,
            out: BufWriter::with_capacity(64 * 1024, io::stdout()),
            at_line_start: true,
            after_tool_line: false,
            colour: io::stderr().is_terminal(),
            text_filter: filter(io::stdout().is_terminal()),
            reasoning_filter: filter(io::stderr().is_terminal()),
            usage: UsageTally::default(),
        }
    }

    /// With `--json`, the answer's usage as the last line: summed over its turns and
    /// attempts, costed by the gateway's own figure or else by the model's published
    /// prices (one model-list request), and without a cost when neither is known.
    async fn usage_line(&mut self, client: &Client, request: &ChatRequest) {
        if !self.json {
            return;
        }
        if self.usage.wants_prices() {
            let listed = client
                .model_facts(&request.base_url, request.protocol, &request.extra_headers)
                .await;
            let pricing = listed
                .ok()
                .and_then(|facts| facts.into_iter().find(|f| f.id == request.model))
                .and_then(|facts| facts.pricing);
            self.usage.set_pricing(pricing);
        }
        let Some(report) = self.usage.report() else {
            return;
        };
        let mut line = serde_json::json!({"type": "usage"});
        if let (Some(map), Ok(serde_json::Value::Object(fields))) =
            (line.as_object_mut(), serde_json::to_value(&report))
        {
            map.extend(fields);
        }
        let _ = serde_json::to_writer(&mut self.out, &line);
        let _ = self.out.write_all(b"\n");
    }

    fn note(&mut self, text: &str) {
        // Notes go to stderr; what is already on stdout goes first so the two interleave
        // in the order they happened. They may quote the gateway, so they are cleaned
        // like the model's text.
        let text = match self.reasoning_filter {
            Some(_) => terminal::strip(text),
            None => text.to_owned(),
        };
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
        let cleaned;
        let text = match &mut self.text_filter {
            Some(filter) => {
                cleaned = filter.clean(text);
                &cleaned
            }
            None => text,
        };
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

    fn reasoning(&mut self, text: &str) {
        let cleaned;
        let text = match &mut self.reasoning_filter {
            Some(filter) => {
                cleaned = filter.clean(text);
                &cleaned
            }
            None => text,
        };
        let _ = self.out.flush();
        eprint!("{text}");
    }

    /// A tool call or result: a line of its own on stdout, between the answer's text.
    fn tool_line(&mut self, line: &str) {
        // The model's turn of text is over: a sequence it left open ends with it.
        self.end_of_turn();
        let cleaned;
        let line = match self.text_filter {
            Some(_) => {
                cleaned = terminal::strip(line);
                &cleaned
            }
            None => line,
        };
        if !self.at_line_start {
            let _ = self.out.write_all(b"\n");
        }
        let _ = writeln!(self.out, "{line}");
        self.at_line_start = true;
        self.after_tool_line = true;
    }

    /// Forgets escape sequences the model left unterminated, so that they hide nothing
    /// written after its turn.
    fn end_of_turn(&mut self) {
        for filter in [&mut self.text_filter, &mut self.reasoning_filter]
            .into_iter()
            .flatten()
        {
            filter.reset();
        }
    }
}

impl Sink for Output {
    fn event(&mut self, event: Event) {
        if let Event::Usage(used) = &event {
            self.usage.add(used);
        }
        if self.json {
            // Usage goes out once, summed over turns and attempts, as the last line.
            if matches!(event, Event::Usage(_)) {
                return;
            }
            let _ = serde_json::to_writer(&mut self.out, &event);
            let _ = self.out.write_all(b"\n");
            return;
        }
        match event {
            Event::Text { text } | Event::Refusal { text } => self.text(&text),
            Event::Reasoning { text } => self.reasoning(&text),
            Event::ToolCallDelta { .. } | Event::Usage(_) | Event::ToolStage { .. } => {}
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
                self.end_of_turn();
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
                    Error::Redirect { .. }
                    | Error::ToolLimit { .. }
                    | Error::ToolFile { .. }
                    | Error::TooLarge { .. } => error.to_string(),
                };
                self.note(&message);
            }
        }
    }

    fn idle(&mut self) {
        let _ = self.out.flush();
    }
}
