//! How a person describes an MCP server: the settings entry (no secrets), the
//! `mcpServers` JSON that server READMEs show, and a few well-known servers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// Longest a tool call may take when the server says nothing else.
pub const DEFAULT_CALL_TIMEOUT_S: f64 = 60.0;

/// One MCP server in the settings. The values of its environment variables and
/// headers are secrets kept in the keychain; only their names are here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct McpServer {
    /// Stable and unique: letters, digits, `-` and `_`. Keychain entries and tool
    /// rules are filed under it.
    pub id: String,
    /// What the person calls it.
    pub name: String,
    pub enabled: bool,
    pub transport: McpTransport,
    /// Tools that declare themselves read-only run without asking.
    pub auto_read_only: bool,
    /// Longest a call may take, in seconds; empty means 60.
    pub timeout_s: Option<f64>,
}

impl Default for McpServer {
    fn default() -> Self {
        McpServer {
            id: String::new(),
            name: String::new(),
            enabled: true,
            transport: McpTransport::Stdio {
                command: String::new(),
                args: Vec::new(),
                env: Vec::new(),
            },
            auto_read_only: false,
            timeout_s: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum McpTransport {
    /// A program Foxtail starts, speaking MCP on its standard input and output.
    Stdio {
        command: String,
        #[serde(default)]
        args: Vec<String>,
        /// Names of the environment variables set for it.
        #[serde(default)]
        env: Vec<String>,
    },
    /// A Streamable HTTP address.
    Http {
        url: String,
        /// Names of the headers sent with each request (`Authorization` for a token).
        #[serde(default)]
        headers: Vec<String>,
    },
}

/// Values of a server's environment variables or headers, by name.
pub type Secrets = BTreeMap<String, String>;

/// A server read from pasted JSON, with the secret values it carried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedServer {
    pub server: McpServer,
    pub secrets: Secrets,
}

/// A server a person can add with one click.
#[derive(Debug, Clone, Serialize, TS)]
pub struct WellKnownServer {
    pub name: String,
    pub description: String,
    pub server: McpServer,
    /// What must be on the computer first, in plain words.
    pub needs: String,
}

pub fn well_known() -> Vec<WellKnownServer> {
    let stdio = |id: &str, name: &str, command: &str, args: &[&str]| McpServer {
        id: id.into(),
        name: name.into(),
        transport: McpTransport::Stdio {
            command: command.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
        },
        ..McpServer::default()
    };
    vec![
        WellKnownServer {
            name: "Time".into(),
            description: "The current time in any time zone, and conversions between them.".into(),
            server: McpServer {
                auto_read_only: true,
                ..stdio("time", "Time", "uvx", &["mcp-server-time"])
            },
            needs: "uv (Python)".into(),
        },
        WellKnownServer {
            name: "Fetch".into(),
            description: "Reads a web page and gives its text to the model.".into(),
            server: stdio("fetch", "Fetch", "uvx", &["mcp-server-fetch"]),
            needs: "uv (Python)".into(),
        },
        WellKnownServer {
            name: "Files".into(),
            description: "Reads and writes files in your Documents folder.".into(),
            server: stdio(
                "files",
                "Files",
                "npx",
                &[
                    "-y",
                    "@modelcontextprotocol/server-filesystem",
                    "~/Documents",
                ],
            ),
            needs: "Node.js".into(),
        },
        WellKnownServer {
            name: "Memory".into(),
            description: "A small knowledge graph the model can remember things in.".into(),
            server: stdio(
                "memory",
                "Memory",
                "npx",
                &["-y", "@modelcontextprotocol/server-memory"],
            ),
            needs: "Node.js".into(),
        },
        WellKnownServer {
            name: "Everything (demo)".into(),
            description: "MCP's own demonstration server, with a tool of every kind.".into(),
            server: stdio(
                "everything",
                "Everything",
                "npx",
                &["-y", "@modelcontextprotocol/server-everything"],
            ),
            needs: "Node.js".into(),
        },
    ]
}

impl McpServer {
    /// What is wrong with this entry, in plain words, or `None`.
    pub fn problem(&self) -> Option<String> {
        if !valid_id(&self.id) {
            return Some(format!(
                "“{}” cannot name a server: use 1 to 32 letters, digits, - or _.",
                self.id
            ));
        }
        if self.name.trim().is_empty() {
            return Some("The server needs a name.".into());
        }
        if let Some(timeout) = self.timeout_s {
            if !(timeout > 0.0 && timeout <= 3600.0) {
                return Some(
                    "The call timeout must be a number of seconds above 0 and at most 3600.".into(),
                );
            }
        }
        match &self.transport {
            McpTransport::Stdio { command, env, .. } => {
                if command.trim().is_empty() {
                    return Some(format!(
                        "“{}” needs a command to start, such as npx or uvx.",
                        self.name
                    ));
                }
                env.iter()
                    .find(|name| !valid_env_name(name))
                    .map(|name| format!("“{name}” is not an environment variable name."))
            }
            McpTransport::Http { url, headers } => {
                match url::Url::parse(url.trim()) {
                    Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
                    _ => {
                        return Some(format!(
                            "“{url}” is not a web address: it should start with https://."
                        ))
                    }
                }
                headers
                    .iter()
                    .find(|name| reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err())
                    .map(|name| format!("“{name}” is not a header name."))
            }
        }
    }

    /// The names whose values are kept in the keychain.
    pub fn secret_names(&self) -> &[String] {
        match &self.transport {
            McpTransport::Stdio { env, .. } => env,
            McpTransport::Http { headers, .. } => headers,
        }
    }

    /// The keychain account of the secret `name`.
    pub fn secret_account(&self, name: &str) -> String {
        let what = match self.transport {
            McpTransport::Stdio { .. } => "env",
            McpTransport::Http { .. } => "header",
        };
        format!("mcp/{}/{what}/{name}", self.id)
    }

    pub fn call_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.timeout_s.unwrap_or(DEFAULT_CALL_TIMEOUT_S))
    }
}

fn valid_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn valid_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.as_bytes()[0].is_ascii_digit()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// An id made from a name: lower-case letters, digits and `-`.
pub fn id_from(name: &str) -> String {
    let mut id: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    id = id.trim_matches('-').chars().take(32).collect();
    if id.is_empty() {
        id = "server".into();
    }
    id
}

/// Reads the `mcpServers` JSON that server READMEs show (the Claude Desktop format):
/// `{"mcpServers": {"name": {"command", "args", "env"} | {"url", "headers"}}}`, or the
/// inner object alone. The error says what is wrong in plain words.
pub fn parse_mcp_servers(text: &str) -> Result<Vec<ImportedServer>, String> {
    let value: Value = serde_json::from_str(text.trim()).map_err(|err| {
        format!("This is not JSON that Foxtail can read ({err}). Paste the whole block, with its braces.")
    })?;
    let Value::Object(mut top) = value else {
        return Err("Expected an object like {\"mcpServers\": {…}}.".into());
    };
    let servers = match top.remove("mcpServers").or_else(|| top.remove("servers")) {
        Some(Value::Object(servers)) => servers,
        Some(_) => return Err("“mcpServers” should hold an object of servers by name.".into()),
        // One server alone, or the inner object of servers by name.
        None if top.contains_key("command") || top.contains_key("url") => {
            let mut one = Map::new();
            one.insert("server".into(), Value::Object(top));
            one
        }
        None => top,
    };
    if servers.is_empty() {
        return Err("There is no server in this JSON.".into());
    }
    let mut taken: Vec<String> = Vec::new();
    servers
        .into_iter()
        .map(|(name, entry)| {
            let imported = one_server(&name, entry)?;
            let mut id = imported.server.id.clone();
            let mut n = 2;
            while taken.contains(&id) {
                id = format!("{}-{n}", imported.server.id);
                n += 1;
            }
            taken.push(id.clone());
            Ok(ImportedServer {
                server: McpServer {
                    id,
                    ..imported.server
                },
                ..imported
            })
        })
        .collect()
}

fn one_server(name: &str, entry: Value) -> Result<ImportedServer, String> {
    let Value::Object(entry) = entry else {
        return Err(format!("The server “{name}” should be an object."));
    };
    let strings = |key: &str| -> Result<Vec<String>, String> {
        match entry.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(format!("“{key}” of “{name}” should be a list of text.")),
                })
                .collect(),
            Some(_) => Err(format!("“{key}” of “{name}” should be a list.")),
        }
    };
    let pairs = |key: &str| -> Result<Secrets, String> {
        match entry.get(key) {
            None | Some(Value::Null) => Ok(Secrets::new()),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| match v {
                    Value::String(s) => Ok((k.clone(), s.clone())),
                    Value::Number(_) | Value::Bool(_) => Ok((k.clone(), v.to_string())),
                    _ => Err(format!("“{key}.{k}” of “{name}” should be text.")),
                })
                .collect(),
            Some(_) => Err(format!("“{key}” of “{name}” should be an object.")),
        }
    };
    let kind = entry.get("type").and_then(Value::as_str).unwrap_or("");
    if kind == "sse" {
        return Err(format!(
            "“{name}” uses the old SSE transport, which Foxtail does not support. Use the server's Streamable HTTP address (often ending in /mcp)."
        ));
    }
    let (transport, secrets) = match (entry.get("command"), entry.get("url")) {
        (Some(Value::String(command)), _) => {
            let secrets = pairs("env")?;
            (
                McpTransport::Stdio {
                    command: command.trim().to_owned(),
                    args: strings("args")?,
                    env: secrets.keys().cloned().collect(),
                },
                secrets,
            )
        }
        (None, Some(Value::String(url))) => {
            let secrets = pairs("headers")?;
            (
                McpTransport::Http {
                    url: url.trim().to_owned(),
                    headers: secrets.keys().cloned().collect(),
                },
                secrets,
            )
        }
        _ => {
            return Err(format!(
                "“{name}” needs either a “command” (a program to start) or a “url”."
            ))
        }
    };
    let server = McpServer {
        id: id_from(name),
        name: name.to_owned(),
        enabled: !entry
            .get("disabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        transport,
        ..McpServer::default()
    };
    if let Some(problem) = server.problem() {
        return Err(problem);
    }
    Ok(ImportedServer { server, secrets })
}

/// The settings rule for the list of servers: each entry well formed, ids unique.
pub fn check_servers(value: Value) -> Result<Value, String> {
    let servers: Vec<McpServer> = serde_json::from_value(value)
        .map_err(|err| format!("The MCP server list cannot be read: {err}."))?;
    for (at, server) in servers.iter().enumerate() {
        if let Some(problem) = server.problem() {
            return Err(problem);
        }
        if servers[..at].iter().any(|other| other.id == server.id) {
            return Err(format!("Two servers are named “{}”.", server.id));
        }
    }
    serde_json::to_value(servers).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_claude_desktop_format_is_read_with_secrets_kept_apart() {
        let text = r#"{
          "mcpServers": {
            "Weather Server": {"command": "npx", "args": ["-y", "weather", 3], "env": {"API_KEY": "s3cret"}},
            "remote": {"type": "http", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer t0ken"}}
          }
        }"#;
        let servers = parse_mcp_servers(text).unwrap();
        assert_eq!(servers.len(), 2);
        let remote = servers.iter().find(|s| s.server.id == "remote").unwrap();
        assert_eq!(
            remote.server.transport,
            McpTransport::Http {
                url: "https://mcp.example.com/mcp".into(),
                headers: vec!["Authorization".into()]
            }
        );
        assert_eq!(remote.secrets["Authorization"], "Bearer t0ken");
        let weather = servers
            .iter()
            .find(|s| s.server.id == "weather-server")
            .unwrap();
        assert_eq!(weather.server.name, "Weather Server");
        assert_eq!(
            weather.server.transport,
            McpTransport::Stdio {
                command: "npx".into(),
                args: vec!["-y".into(), "weather".into(), "3".into()],
                env: vec!["API_KEY".into()]
            }
        );
        // The settings entry carries no secret value.
        let entry = serde_json::to_string(&weather.server).unwrap();
        assert!(!entry.contains("s3cret"), "{entry}");
        // The inner object alone, and one server alone, are read too.
        assert_eq!(
            parse_mcp_servers(r#"{"time": {"command": "uvx", "args": ["mcp-server-time"]}}"#)
                .unwrap()[0]
                .server
                .id,
            "time"
        );
        assert_eq!(
            parse_mcp_servers(r#"{"command": "uvx"}"#).unwrap()[0]
                .server
                .id,
            "server"
        );
    }

    #[test]
    fn bad_json_says_what_is_wrong() {
        for (text, words) in [
            ("{\"mcpServers\": ", "not JSON"),
            ("[1]", "Expected an object"),
            ("{\"mcpServers\": {}}", "no server"),
            (
                "{\"mcpServers\": {\"a\": {\"args\": []}}}",
                "either a “command”",
            ),
            (
                "{\"mcpServers\": {\"a\": {\"type\": \"sse\", \"url\": \"https://x/sse\"}}}",
                "old SSE transport",
            ),
            (
                "{\"mcpServers\": {\"a\": {\"url\": \"ftp://x\"}}}",
                "not a web address",
            ),
            (
                "{\"mcpServers\": {\"a\": {\"command\": \"x\", \"env\": {\"1BAD\": \"v\"}}}}",
                "not an environment variable name",
            ),
            (
                "{\"mcpServers\": {\"a\": {\"command\": \"x\", \"args\": \"-y\"}}}",
                "should be a list",
            ),
        ] {
            let err = parse_mcp_servers(text).unwrap_err();
            assert!(err.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn the_settings_keep_only_well_formed_servers_with_unique_ids() {
        let one = json!({"id": "a", "name": "A", "transport": {"kind": "stdio", "command": "x"}});
        assert!(check_servers(json!([one.clone()])).is_ok());
        assert!(check_servers(json!([one.clone(), one]))
            .unwrap_err()
            .contains("Two servers"));
        assert!(check_servers(json!([{"id": "has space", "name": "A"}]))
            .unwrap_err()
            .contains("cannot name a server"));
        assert!(check_servers(json!("nope")).is_err());
        for known in well_known() {
            assert_eq!(known.server.problem(), None, "{}", known.name);
        }
    }
}
