//! Runs the mock gateway until killed. Prints `http://ADDR` on the first line of stdout
//! once it listens, so a test harness can read the port it got.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use foxtail_mock_gateway::{scenario, MockGateway, Reply, SCENARIOS};

#[derive(Parser)]
#[command(about = "Foxtail's mock LLM gateway (test use only; listens on loopback)")]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// What to answer: see --list. Both /chat/completions and /v1/messages are served.
    #[arg(long, default_value = "ok")]
    scenario: String,
    /// Speak the Anthropic protocol instead of the OpenAI one.
    #[arg(long, value_parser = ["openai", "anthropic"], default_value = "openai")]
    protocol: String,
    /// Replay this recorded SSE body (exact bytes) instead of a scenario.
    #[arg(long)]
    replay: Option<std::path::PathBuf>,
    /// With --replay: cut the body after this many bytes.
    #[arg(long)]
    cut: Option<usize>,
    /// List the scenarios and exit.
    #[arg(long)]
    list: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if args.list {
        for (name, help) in SCENARIOS {
            println!("{name:<20} {help}");
        }
        return ExitCode::SUCCESS;
    }
    let replies = match &args.replay {
        Some(path) => match std::fs::read(path) {
            Ok(body) => {
                let reply = Reply::replay(&body);
                vec![match args.cut {
                    Some(cut) => reply.cut_at(cut),
                    None => reply,
                }]
            }
            Err(err) => {
                eprintln!("cannot read {}: {err}", path.display());
                return ExitCode::from(2);
            }
        },
        None => match scenario(&args.scenario, args.protocol == "anthropic") {
            Ok(replies) => replies,
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::from(2);
            }
        },
    };
    let gateway =
        match MockGateway::bind(SocketAddr::from(([127, 0, 0, 1], args.port)), replies).await {
            Ok(gateway) => gateway,
            Err(err) => {
                eprintln!("cannot listen on port {}: {err}", args.port);
                return ExitCode::FAILURE;
            }
        };
    println!("{}", gateway.url());
    let _ = std::io::stdout().flush();
    gateway.run().await;
    ExitCode::SUCCESS
}
