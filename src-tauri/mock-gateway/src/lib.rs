//! Foxtail's test-only mock gateway: a real loopback HTTP server that speaks the OpenAI
//! and Anthropic streaming protocols from scripts, replays recorded streams cut at any
//! byte, and injects the faults real gateways show (401, 429, 503, resets, early close,
//! stalls, slow first bytes, HTML pages, broken JSON, endless lines, in-stream errors).

mod reply;
mod scenario;
mod server;
pub mod transcript;

pub use reply::{split_events, Reply, Step};
pub use scenario::{answer_text, scenario, PIECES, SCENARIOS};
pub use server::{MockGateway, Recorded};
