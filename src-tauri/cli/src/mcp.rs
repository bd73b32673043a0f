//! `--mcp CONFIG.json`: the servers of an `mcpServers` file, their tools in the tool
//! loop, and each call asked about on the terminal (or allowed by `--yes`).

use std::io::{BufRead, Write};
use std::path::Path;

use foxtail_core::mcp::{
    parse_mcp_servers, AllowAll, Approvals, Asker, Decision, Mcp, McpServer, Question, Secrets,
    ToolUse,
};
use foxtail_engine::Registry;
use futures_util::future::BoxFuture;

/// The conversation "Allow in this chat" holds for: this run.
const THIS_RUN: i64 = 0;

/// The servers of one `--mcp` file, ready to start.
pub struct McpFile {
    servers: Vec<(McpServer, Secrets)>,
    mcp: Mcp,
}

/// Reads the file; the error says what is wrong with it. With `yes`, every call runs;
/// otherwise each is asked about on the terminal, and without one this refuses.
pub fn open(path: &Path, yes: bool) -> Result<McpFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|err| format!("cannot read the MCP file {}: {err}", path.display()))?;
    let servers = parse_mcp_servers(&text)
        .map_err(|err| format!("the MCP file {}: {err}", path.display()))?
        .into_iter()
        .map(|imported| (imported.server, imported.secrets))
        .collect();
    let approvals = if yes {
        Approvals::new(AllowAll, |_| {})
    } else {
        if std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_err()
        {
            return Err(
                "--mcp asks before each tool call runs, and there is no terminal to ask on: \
                 give --yes to allow every call"
                    .into(),
            );
        }
        Approvals::new(TerminalAsker, |_| {})
    };
    Ok(McpFile {
        servers,
        mcp: Mcp::new(approvals),
    })
}

impl McpFile {
    /// `tools` with the servers' tools added; a server that cannot start is reported
    /// and left out.
    pub async fn add_to(&self, tools: Registry) -> Registry {
        let configs: Vec<McpServer> = self.servers.iter().map(|(s, _)| s.clone()).collect();
        let secrets_of = |server: &McpServer| {
            self.servers
                .iter()
                .find(|(s, _)| s.id == server.id)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let using = ToolUse {
            approvals: self.mcp.approvals.clone(),
            conversation: Some(THIS_RUN),
        };
        let (tools, failed) = self
            .mcp
            .live
            .add_tools(tools, &configs, secrets_of, using)
            .await;
        for (name, err) in failed {
            eprintln!("foxtail-cli: the MCP server “{name}” is left out: {err}");
        }
        tools
    }

    /// Stops every server started.
    pub async fn stop(&self) {
        self.mcp.live.stop_all().await;
    }
}

/// Asks on the terminal itself, so that a prompt read from standard input and an
/// answer written to a pipe are left alone.
struct TerminalAsker;

impl Asker for TerminalAsker {
    fn ask(&self, question: Question) -> BoxFuture<'static, Decision> {
        Box::pin(async move {
            tokio::task::spawn_blocking(move || ask_on_terminal(&question))
                .await
                .unwrap_or(Decision::Deny)
        })
    }
}

fn ask_on_terminal(question: &Question) -> Decision {
    let Ok(tty) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
    else {
        return Decision::Deny;
    };
    let mut writer = &tty;
    let warning = match question.destructive {
        true => " (it says it can change or delete things)",
        false => "",
    };
    let arguments = crate::terminal::strip(&question.arguments.to_string());
    let _ = write!(
        writer,
        "\nRun {} from {}{warning} with {arguments}?\n[y] once, [a] for this run, [n] no: ",
        crate::terminal::strip(&question.tool),
        crate::terminal::strip(&question.server),
    );
    let _ = writer.flush();
    let mut line = String::new();
    if std::io::BufReader::new(&tty).read_line(&mut line).is_err() {
        return Decision::Deny;
    }
    match line.trim().to_lowercase().as_str() {
        "y" | "yes" => Decision::Once,
        "a" | "all" | "always" => Decision::Chat,
        _ => Decision::Deny,
    }
}
