//! The tools a model may call. Each kind of tool is one file implementing [`Tool`]; the
//! [`Registry`] is the set offered in one conversation and runs the calls by name.

mod calculator;
mod current_time;
mod declared;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

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

/// The tools offered in a conversation, in the order they are offered. Cheap to clone.
#[derive(Clone, Default)]
pub struct Registry {
    tools: Vec<Arc<dyn Tool>>,
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
    pub fn with(mut self, tool: impl Tool + 'static) -> Self {
        let tool: Arc<dyn Tool> = Arc::new(tool);
        match self.tools.iter().position(|t| t.name() == tool.name()) {
            Some(at) => self.tools[at] = tool,
            None => self.tools.push(tool),
        }
        self
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
        self.tools
            .iter()
            .map(|tool| ToolSpec {
                name: tool.name().to_owned(),
                description: tool.description().to_owned(),
                parameters: tool.parameters(),
            })
            .collect()
    }

    /// Runs one call here and now. An unknown tool or arguments that are not an object
    /// give `Err` text for the model, like a tool's own failure.
    pub fn run(&self, name: &str, arguments: &Value) -> Result<String, String> {
        self.find(name, arguments)?.run(arguments)
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
        let tool = self.find(name, arguments)?;
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
    fn find(&self, name: &str, arguments: &Value) -> Result<Arc<dyn Tool>, String> {
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
