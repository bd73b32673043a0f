//! What an answer used and cost, as `--json` ends with it, and `foxtail-cli models`.

mod common;

use common::*;
use serde_json::Value;

/// The last line of `--json` output, parsed.
fn last_line(o: &std::process::Output) -> Value {
    let out = stdout(o);
    serde_json::from_str(out.lines().last().expect("some output")).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_ends_with_the_answers_usage_costed_from_the_published_prices() {
    // Anthropic's model list publishes no prices: the same usage has no cost there.
    let gateway = start("ok", true).await;
    let o = run(
        &gateway,
        &[
            "--protocol",
            "anthropic",
            "--model",
            "mock/alpha",
            "--json",
            "Hi",
        ],
    );
    let usage = last_line(&o);
    assert_eq!(usage["type"], "usage", "{usage}");
    assert_eq!(usage["input_tokens"], 2000);
    assert_eq!(usage["cache_read_tokens"], 1536);
    assert!(usage["cost"].is_null(), "{usage}");

    for anthropic in [false] {
        let gateway = start("ok", anthropic).await;
        let protocol = if anthropic { "anthropic" } else { "openai" };
        let o = run(
            &gateway,
            &[
                "--protocol",
                protocol,
                "--model",
                "mock/alpha",
                "--json",
                "Hi",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let usage = last_line(&o);
        assert_eq!(usage["type"], "usage", "{usage}");
        // The mock reports 2,000 input tokens (1,536 read from the cache, 256 written to
        // it) and 120 output; mock/alpha costs $3 / $15 per M, cache reads $0.30 and
        // writes $3.75: 208 × 3 + 1,536 × 0.3 + 256 × 3.75 + 120 × 15 = 3,844.8 µ$.
        assert_eq!(usage["input_tokens"], 2000);
        assert_eq!(usage["cache_read_tokens"], 1536);
        assert_eq!(usage["cache_write_tokens"], 256);
        assert_eq!(usage["output_tokens"], 120);
        assert_eq!(usage["cost_source"], "prices");
        let cost = usage["cost"].as_f64().unwrap();
        assert!(close(cost, 0.0038448), "{protocol}: {cost}");
        // 1,536 × ($3 − $0.30) per M.
        assert!(close(usage["cache_saving"].as_f64().unwrap(), 0.0041472));
        // Usage is one summed line, never one per turn as well.
        let usage_lines = stdout(&o)
            .lines()
            .filter(|l| l.contains(r#""type":"usage""#))
            .count();
        assert_eq!(usage_lines, 1);
        // The end still comes before it, once.
        let ends = stdout(&o)
            .lines()
            .filter(|l| l.contains(r#""type":"finish""#))
            .count();
        assert_eq!(ends, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateways_own_cost_wins_and_an_unpriced_model_has_none() {
    let gateway = start("ok:cost", false).await;
    let o = run(&gateway, &["--model", "mock/alpha", "--json", "Hi"]);
    let usage = last_line(&o);
    assert_eq!(usage["cost"], 0.0123, "{usage}");
    assert_eq!(usage["cost_source"], "gateway");
    // The gateway said; its price list was not asked for.
    assert!(gateway
        .requests()
        .iter()
        .all(|r| !r.path.ends_with("/models")));

    let gateway = start("ok", false).await;
    let o = run(&gateway, &["--model", "not/listed", "--json", "Hi"]);
    let usage = last_line(&o);
    assert_eq!(usage["type"], "usage");
    assert_eq!(usage["input_tokens"], 2000);
    assert!(usage["cost"].is_null(), "never a made-up cost: {usage}");
    assert!(usage["cost_source"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_lists_context_and_prices_in_words_and_as_json() {
    let gateway = start("ok", false).await;
    let o = run(&gateway, &["models"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "mock/alpha  128k context  $3.00 / $15.00 per M  pictures, tools, reasoning",
            "mock/beta  32k context  $0.50 / $1.50 per M  tools",
        ]
    );
    let o = run(&gateway, &["models", "--json"]);
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list[0]["id"], "mock/alpha");
    assert_eq!(list[0]["context_length"], 128000);
    assert!(close(list[0]["pricing"]["prompt"].as_f64().unwrap(), 3e-6));
    assert_eq!(list[1]["pricing"]["cache_read"], Value::Null);
    // It asked for the list, and nothing else.
    assert!(gateway
        .requests()
        .iter()
        .all(|r| r.path.ends_with("/models")));

    let o = output(&mut bare_cli(&[
        "--base-url",
        "http://127.0.0.1:9/v1",
        "models",
    ]));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("model list"), "{}", stderr(&o));
}
