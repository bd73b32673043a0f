//! The tools a model may call. Foxtail's own are each one file implementing [`Tool`]
//! (blocking, run on a thread); tools that live elsewhere, such as an MCP server's,
//! implement [`AsyncTool`]. The [`Registry`] is the set offered in one conversation
//! and runs the calls by name.

mod calculator;
mod current_time;
mod declared;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::error::Error;
use crate::request::ToolSpec;

pub use calculator::Calculator;
pub use current_time::CurrentTime;

/// A tool the model can call.
///
/// `run` gets the arguments the model wrote (always a JSON object) and returns the text
/// the model reads next. `Err` is a failure the model is told about, in words it can act
/// on: it is not an engine error, and the conversation goes on.
///
/// `run` may block: the tool loop runs it on a blocking thread
/// ([`tokio::task::spawn_blocking`]) and gives up waiting after
/// [`Options::tool_timeout`](crate::Options::tool_timeout). A tool that needs async I/O
/// can wait for it with [`tokio::runtime::Handle::block_on`].
pub trait Tool: Send + Sync {
    /// The name the model calls it by: letters, digits, `_` and `-`, at most 64.
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    /// The JSON Schema of the arguments object.
    fn parameters(&self) -> Value;
    fn run(&self, arguments: &Value) -> Result<String, String>;
}

/// What a call gave: the text the model reads next, and pictures for the person (the
/// model is told of them in the text).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolOutput {
    pub text: String,
    /// The model reads `text` as the tool's failure, and the conversation goes on.
    pub is_error: bool,
    pub images: Vec<ToolImage>,
}

impl ToolOutput {
    pub fn ok(text: impl Into<String>) -> Self {
        ToolOutput {
            text: text.into(),
            ..ToolOutput::default()
        }
    }

    pub fn error(text: impl Into<String>) -> Self {
        ToolOutput {
            text: text.into(),
            is_error: true,
            ..ToolOutput::default()
        }
    }
}

impl From<Result<String, String>> for ToolOutput {
    fn from(outcome: Result<String, String>) -> Self {
        match outcome {
            Ok(text) => ToolOutput::ok(text),
            Err(text) => ToolOutput::error(text),
        }
    }
}

/// A picture a tool gave, as base64 of the bytes of `mime` (an `image/` type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ToolImage {
    pub mime: String,
    pub data: String,
}

/// Where a call stands before its result, for its card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum ToolStage {
    /// Waiting for the person to allow or deny it. `destructive` calls cannot be
    /// allowed for ever from the card, only in Settings.
    Asking {
        destructive: bool,
    },
    Running,
    /// The person said no; the model is told so.
    Declined,
}

/// What an [`AsyncTool`] knows of the call it runs.
pub struct CallContext {
    /// The call's id, as the model gave it.
    pub id: String,
    /// Cancelled when the person stops the answer: the tool should tell whoever runs
    /// the call and return at once.
    pub cancel: CancellationToken,
    stages: mpsc::UnboundedSender<ToolStage>,
}

impl CallContext {
    pub fn new(
        id: impl Into<String>,
        cancel: CancellationToken,
    ) -> (Self, mpsc::UnboundedReceiver<ToolStage>) {
        let (stages, receiver) = mpsc::unbounded_channel();
        let context = CallContext {
            id: id.into(),
            cancel,
            stages,
        };
        (context, receiver)
    }

    /// Shows the call's card at `stage` (the loop passes it on as a `tool_stage` event).
    pub fn stage(&self, stage: ToolStage) {
        let _ = self.stages.send(stage);
    }
}

/// A tool that runs elsewhere and is awaited, such as one of an MCP server's. It keeps
/// its own time limit, asks the person first where that is the rule, and reports how
/// the call goes through [`CallContext::stage`].
pub trait AsyncTool: Send + Sync {
    fn spec(&self) -> &ToolSpec;
    /// Where the tool comes from, shown on its card (a server's name).
    fn source(&self) -> &str;
    fn call(&self, arguments: Value, context: CallContext) -> BoxFuture<'static, ToolOutput>;
}

#[derive(Clone)]
enum Entry {
    Blocking(Arc<dyn Tool>),
    Async(Arc<dyn AsyncTool>),
}

impl Entry {
    fn name(&self) -> &str {
        match self {
            Entry::Blocking(tool) => tool.name(),
            Entry::Async(tool) => &tool.spec().name,
        }
    }

    fn spec(&self) -> ToolSpec {
        match self {
            Entry::Blocking(tool) => ToolSpec {
                name: tool.name().to_owned(),
                description: tool.description().to_owned(),
                parameters: tool.parameters(),
            },
            Entry::Async(tool) => tool.spec().clone(),
        }
    }
}

/// The tools offered in a conversation, in the order they are offered. Cheap to clone.
#[derive(Clone, Default)]
pub struct Registry {
    tools: Vec<Entry>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Registry").field(&self.names()).finish()
    }
}

impl Registry {
    /// No tools.
    pub fn new() -> Self {
        Registry::default()
    }

    /// The tools Foxtail itself can run: `current_time` and `calculator`.
    pub fn builtin() -> Self {
        Registry::new().with(CurrentTime).with(Calculator)
    }

    /// The tools declared in a JSON file (an array of `{name, description, parameters}`).
    /// They are offered to the model but never run: a call to one gets an error result.
    pub fn declared(path: &Path) -> Result<Self, Error> {
        let registry = declared::read(path)?
            .into_iter()
            .fold(Registry::new(), Registry::with);
        Ok(registry)
    }

    /// Adds `tool`, or replaces the tool of the same name where it was.
    pub fn with(self, tool: impl Tool + 'static) -> Self {
        self.with_entry(Entry::Blocking(Arc::new(tool)))
    }

    /// Adds a tool that runs elsewhere, or replaces the tool of the same name.
    pub fn with_async(self, tool: Arc<dyn AsyncTool>) -> Self {
        self.with_entry(Entry::Async(tool))
    }

    fn with_entry(mut self, tool: Entry) -> Self {
        match self.tools.iter().position(|t| t.name() == tool.name()) {
            Some(at) => self.tools[at] = tool,
            None => self.tools.push(tool),
        }
        self
    }

    /// Where the tool named `name` comes from (an MCP server's name); empty for
    /// Foxtail's own and for names it does not have.
    pub fn source(&self, name: &str) -> &str {
        match self.tools.iter().find(|tool| tool.name() == name) {
            Some(Entry::Async(tool)) => tool.source(),
            _ => "",
        }
    }

    pub fn names(&self) -> Vec<&str> {
        self.tools.iter().map(|tool| tool.name()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }

    /// Keeps the tools whose name `keep` accepts (for example those a person enabled).
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.tools.retain(|tool| keep(tool.name()));
    }

    /// Only the tools named in `names`; names it does not have are ignored.
    pub fn only(mut self, names: &[&str]) -> Self {
        self.retain(|name| names.contains(&name));
        self
    }

    /// What the request offers the model.
    pub fn specs(&self) -> Vec<ToolSpec> {
        self.tools.iter().map(Entry::spec).collect()
    }

    /// Runs one call of a blocking tool here and now. An unknown tool or arguments that
    /// are not an object give `Err` text for the model, like a tool's own failure.
    pub fn run(&self, name: &str, arguments: &Value) -> Result<String, String> {
        match self.find(name, arguments)? {
            Entry::Blocking(tool) => tool.run(arguments),
            Entry::Async(_) => Err(format!("{name} cannot be run here.")),
        }
    }

    /// Runs one call: a blocking tool as [`Registry::run_blocking`] does, a tool that
    /// runs elsewhere by awaiting it (it keeps its own time limit).
    pub async fn call(
        &self,
        name: &str,
        arguments: &Value,
        context: CallContext,
        timeout: Duration,
    ) -> ToolOutput {
        match self.find(name, arguments) {
            Err(text) => ToolOutput::error(text),
            Ok(Entry::Blocking(_)) => self.run_blocking(name, arguments, timeout).await.into(),
            Ok(Entry::Async(tool)) => tool.call(arguments.clone(), context).await,
        }
    }

    /// Runs one call on a blocking thread, so that a slow tool holds up no async worker,
    /// and waits for it at most `timeout`. A tool that takes longer, or panics, gives
    /// `Err` text for the model; a tool still running is left to finish on its own
    /// thread (a thread cannot be stopped from outside), and what it gives is dropped.
    /// Dropping the returned future stops the waiting in the same way.
    pub async fn run_blocking(
        &self,
        name: &str,
        arguments: &Value,
        timeout: Duration,
    ) -> Result<String, String> {
        let Entry::Blocking(tool) = self.find(name, arguments)? else {
            return Err(format!("{name} cannot be run here."));
        };
        let owned = arguments.clone();
        let task = tokio::task::spawn_blocking(move || tool.run(&owned));
        match tokio::time::timeout(timeout, task).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_)) => Err(format!(
                "The tool {name} failed unexpectedly and gave no result."
            )),
            Err(_) => Err(format!(
                "The tool {name} did not finish within {}, so Foxtail stopped waiting for it.",
                crate::client::seconds(timeout)
            )),
        }
    }

    /// The tool that runs a call, or the error text for the model.
    fn find(&self, name: &str, arguments: &Value) -> Result<Entry, String> {
        let Some(tool) = self.tools.iter().find(|tool| tool.name() == name) else {
            return Err(format!(
                "There is no tool named {:?}. The tools are: {}.",
                crate::text::preview(name),
                self.names().join(", ")
            ));
        };
        if !arguments.is_object() {
            return Err(format!(
                "The arguments for {name} were not a JSON object (they may have been cut off)."
            ));
        }
        Ok(tool.clone())
    }
}

/// Reads a tool's arguments into `T`, with an error the model can correct.
pub(crate) fn arguments<T: serde::de::DeserializeOwned>(
    tool: &str,
    arguments: &Value,
) -> Result<T, String> {
    serde_json::from_value(arguments.clone())
        .map_err(|err| format!("Bad arguments for {tool}: {err}."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_builtin_tools_are_offered_with_object_schemas() {
        let registry = Registry::builtin();
        assert_eq!(registry.names(), ["current_time", "calculator"]);
        for spec in registry.specs() {
            assert!(!spec.description.is_empty(), "{}", spec.name);
            assert_eq!(spec.parameters["type"], "object", "{}", spec.name);
        }
        assert_eq!(
            registry.clone().only(&["calculator"]).names(),
            ["calculator"]
        );
        let mut some = Registry::builtin();
        some.retain(|name| name != "calculator");
        assert_eq!(some.names(), ["current_time"]);
        assert!(Registry::new().specs().is_empty());
    }

    #[test]
    fn calls_run_by_name_and_failures_are_text_for_the_model() {
        let registry = Registry::builtin();
        assert_eq!(
            registry.run("calculator", &json!({"expression": "12*7"})),
            Ok("84".into())
        );
        let unknown = registry.run("no_such_tool", &json!({})).unwrap_err();
        assert_eq!(
            unknown,
            "There is no tool named \"no_such_tool\". The tools are: current_time, calculator."
        );
        let cut = registry.run("calculator", &Value::Null).unwrap_err();
        assert!(cut.contains("not a JSON object"), "{cut}");
        let bad = registry
            .run("calculator", &json!({"expr": "1"}))
            .unwrap_err();
        assert_eq!(
            bad,
            "Bad arguments for calculator: missing field `expression`."
        );
        // A name of any length is told back in short.
        let long = "x".repeat(100_000);
        assert!(registry.run(&long, &json!({})).unwrap_err().len() < 400);
    }

    /// A tool that blocks its thread until it is let go, or panics.
    struct Blocking {
        name: &'static str,
        release: Arc<std::sync::atomic::AtomicBool>,
    }

    impl Tool for Blocking {
        fn name(&self) -> &str {
            self.name
        }
        fn description(&self) -> &str {
            "blocks"
        }
        fn parameters(&self) -> Value {
            json!({"type": "object"})
        }
        fn run(&self, _: &Value) -> Result<String, String> {
            if self.name == "panics" {
                panic!("a tool that panics");
            }
            let started = std::time::Instant::now();
            while !self.release.load(std::sync::atomic::Ordering::SeqCst)
                && started.elapsed() < Duration::from_secs(30)
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            Ok("done".into())
        }
    }

    // One worker thread: a tool run on it would hold up the timer, and the timeout
    // would never fire.
    #[tokio::test(flavor = "current_thread")]
    async fn a_tool_runs_off_the_async_workers_and_times_out() {
        let release = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let registry = Registry::new()
            .with(Blocking {
                name: "stuck",
                release: release.clone(),
            })
            .with(Blocking {
                name: "panics",
                release: release.clone(),
            });
        let started = std::time::Instant::now();
        let outcome = registry
            .run_blocking("stuck", &json!({}), Duration::from_millis(200))
            .await;
        assert_eq!(
            outcome,
            Err(
                "The tool stuck did not finish within 0.2 s, so Foxtail stopped waiting for it."
                    .into()
            )
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        release.store(true, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            registry
                .run_blocking("stuck", &json!({}), Duration::from_secs(10))
                .await,
            Ok("done".into())
        );
        assert_eq!(
            registry
                .run_blocking("panics", &json!({}), Duration::from_secs(10))
                .await,
            Err("The tool panics failed unexpectedly and gave no result.".into())
        );
        assert!(registry
            .run_blocking("nope", &json!({}), Duration::from_secs(10))
            .await
            .unwrap_err()
            .starts_with("There is no tool named"));
    }
}
