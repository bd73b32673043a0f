//! Runs the mock gateway until killed. Prints `http://ADDR` on the first line of stdout
//! once it listens, so a test harness can read the port it got.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser};
use foxtail_mock_gateway::{script, MockGateway, Reply, Script, SCENARIOS};

#[derive(Parser)]
#[command(about = "Foxtail's mock LLM gateway (test use only; listens on loopback)")]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// What to answer: see --list. Each request is answered in the protocol of its path
    /// (…/chat/completions or …/v1/messages); GET …/models lists models.
    #[arg(long, default_value = "ok")]
    scenario: String,
    /// Accepted so that older command lines keep working; the path decides now.
    #[arg(long, hide = true, value_parser = ["openai", "anthropic"])]
    #[allow(dead_code)]
    protocol: Option<String>,
    /// Replay this recorded SSE body (exact bytes) instead of a scenario.
    #[arg(long)]
    replay: Option<std::path::PathBuf>,
    /// With --replay: cut the body after this many bytes.
    #[arg(long)]
    cut: Option<usize>,
    /// Write each request's body to DIR/request-N.json as it arrives (N from 1), so a
    /// test driving the app can check what it sent.
    #[arg(long, value_name = "DIR")]
    record: Option<std::path::PathBuf>,
    /// List the scenarios and exit.
    #[arg(long)]
    list: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    // The scenarios are listed in --help too, so that nobody has to know about --list.
    let scenarios: String = SCENARIOS
        .iter()
        .map(|(name, help)| format!("  {name:<20} {help}\n"))
        .collect();
    let matches = Args::command()
        .after_help(format!("Scenarios:\n{scenarios}"))
        .get_matches();
    let args = Args::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    if args.list {
        for (name, help) in SCENARIOS {
            println!("{name:<20} {help}");
        }
        return ExitCode::SUCCESS;
    }
    let script = match &args.replay {
        Some(path) => match std::fs::read(path) {
            Ok(body) => {
                let reply = Reply::replay(&body);
                Script::same(vec![match args.cut {
                    Some(cut) => reply.cut_at(cut),
                    None => reply,
                }])
            }
            Err(err) => {
                eprintln!("cannot read {}: {err}", path.display());
                return ExitCode::from(2);
            }
        },
        None => match script(&args.scenario) {
            Ok(script) => script,
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::from(2);
            }
        },
    };
    let gateway =
        match MockGateway::bind(SocketAddr::from(([127, 0, 0, 1], args.port)), script).await {
            Ok(gateway) => gateway,
            Err(err) => {
                eprintln!("cannot listen on port {}: {err}", args.port);
                return ExitCode::FAILURE;
            }
        };
    println!("{}", gateway.url());
    let _ = std::io::stdout().flush();
    match args.record {
        None => gateway.run().await,
        Some(dir) => loop {
            // Test use only: a glance every 50 ms is soon enough for a test to read.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            for (n, request) in gateway.requests().iter().enumerate() {
                let path = dir.join(format!("request-{}.json", n + 1));
                if !path.exists() {
                    // Whole or not at all: a reader never sees half a body.
                    let part = path.with_extension("part");
                    if std::fs::write(&part, &request.body).is_ok() {
                        let _ = std::fs::rename(&part, &path);
                    }
                }
            }
        },
    }
    ExitCode::SUCCESS
}
