//! Tools declared in a JSON file: offered to the model so that its calls can be seen
//! (`foxtail-cli --tools FILE`), never run.

use std::path::Path;

use serde::Deserialize;
use serde_json::{json, Value};

use super::Tool;
use crate::error::Error;
use crate::request::ToolSpec;

pub struct Declared {
    spec: ToolSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Declaration {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default = "no_parameters")]
    parameters: Value,
}

fn no_parameters() -> Value {
    json!({"type": "object", "properties": {}})
}

/// Both APIs accept these names and no others.
fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub(crate) fn read(path: &Path) -> Result<Vec<Declared>, Error> {
    let text = std::fs::read_to_string(path).map_err(|err| {
        Error::tool_file(format!(
            "cannot read the tools file {}: {err}",
            path.display()
        ))
    })?;
    parse(&text).map_err(|message| {
        Error::tool_file(format!("the tools file {}: {message}", path.display()))
    })
}

fn parse(text: &str) -> Result<Vec<Declared>, String> {
    let declarations: Vec<Declaration> = serde_json::from_str(text).map_err(|err| {
        format!("{err} (expected an array of {{\"name\", \"description\", \"parameters\"}})")
    })?;
    let mut tools: Vec<Declared> = Vec::with_capacity(declarations.len());
    for Declaration {
        name,
        description,
        parameters,
    } in declarations
    {
        if !valid_name(&name) {
            return Err(format!(
                "{name:?} is not a tool name: use 1 to 64 letters, digits, _ or -"
            ));
        }
        if tools.iter().any(|tool| tool.spec.name == name) {
            return Err(format!("{name:?} is declared twice"));
        }
        if parameters.get("type").and_then(Value::as_str) != Some("object") {
            return Err(format!(
                "the parameters of {name:?} must be a JSON Schema with \"type\": \"object\""
            ));
        }
        tools.push(Declared {
            spec: ToolSpec {
                name,
                description,
                parameters,
            },
        });
    }
    Ok(tools)
}

impl Tool for Declared {
    fn name(&self) -> &str {
        &self.spec.name
    }

    fn description(&self) -> &str {
        &self.spec.description
    }

    fn parameters(&self) -> Value {
        self.spec.parameters.clone()
    }

    fn run(&self, _: &Value) -> Result<String, String> {
        Err(format!(
            "{} is only declared: it cannot be run here.",
            self.spec.name
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_become_specs() {
        let tools = parse(
            r#"[
                {"name": "get_weather", "description": "Weather for a city",
                 "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                                "required": ["city"]}},
                {"name": "ping"}
            ]"#,
        )
        .unwrap();
        assert_eq!(tools.len(), 2);
        assert_eq!(tools[0].spec.name, "get_weather");
        assert_eq!(tools[0].spec.parameters["required"], json!(["city"]));
        assert_eq!(tools[1].description(), "");
        assert_eq!(tools[1].parameters(), no_parameters());
    }

    #[test]
    fn bad_declarations_say_what_is_wrong() {
        for (text, words) in [
            ("{}", "expected an array"),
            ("[{\"description\": \"x\"}]", "missing field `name`"),
            ("[{\"name\": \"has space\"}]", "is not a tool name"),
            ("[{\"name\": \"a\"}, {\"name\": \"a\"}]", "declared twice"),
            (
                "[{\"name\": \"a\", \"parameters\": {\"type\": \"string\"}}]",
                "\"type\": \"object\"",
            ),
            (
                "[{\"name\": \"a\", \"params\": {}}]",
                "unknown field `params`",
            ),
        ] {
            let err = parse(text)
                .err()
                .unwrap_or_else(|| panic!("{text} accepted"));
            assert!(err.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn a_declared_tool_is_never_run() {
        let tools = parse(r#"[{"name": "launch"}]"#).unwrap();
        let err = tools[0].run(&json!({})).unwrap_err();
        assert_eq!(err, "launch is only declared: it cannot be run here.");
    }
}
