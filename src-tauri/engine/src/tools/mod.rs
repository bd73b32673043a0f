//! The tools a model may call. Each kind of tool is one file implementing [`Tool`]; the
//! [`Registry`] is the set offered in one conversation and runs the calls by name.

mod calculator;
mod current_time;
mod declared;

use std::path::Path;
use std::sync::Arc;

use futures_util::future::BoxFuture;
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
pub trait Tool: Send + Sync {
    /// The name the model calls it by: letters, digits, `_` and `-`, at most 64.
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    /// The JSON Schema of the arguments object.
    fn parameters(&self) -> Value;
    fn run<'a>(&'a self, arguments: &'a Value) -> BoxFuture<'a, Result<String, String>>;
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

    /// Runs one call. An unknown tool or arguments that are not an object give `Err`
    /// text for the model, like a tool's own failure.
    pub async fn run(&self, name: &str, arguments: &Value) -> Result<String, String> {
        let Some(tool) = self.tools.iter().find(|tool| tool.name() == name) else {
            return Err(format!(
                "There is no tool named {name:?}. The tools are: {}.",
                self.names().join(", ")
            ));
        };
        if !arguments.is_object() {
            return Err(format!(
                "The arguments for {name} were not a JSON object (they may have been cut off)."
            ));
        }
        tool.run(arguments).await
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

    #[tokio::test]
    async fn calls_run_by_name_and_failures_are_text_for_the_model() {
        let registry = Registry::builtin();
        assert_eq!(
            registry
                .run("calculator", &json!({"expression": "12*7"}))
                .await,
            Ok("84".into())
        );
        let unknown = registry.run("no_such_tool", &json!({})).await.unwrap_err();
        assert_eq!(
            unknown,
            "There is no tool named \"no_such_tool\". The tools are: current_time, calculator."
        );
        let cut = registry.run("calculator", &Value::Null).await.unwrap_err();
        assert!(cut.contains("not a JSON object"), "{cut}");
        let bad = registry
            .run("calculator", &json!({"expr": "1"}))
            .await
            .unwrap_err();
        assert_eq!(
            bad,
            "Bad arguments for calculator: missing field `expression`."
        );
    }
}
