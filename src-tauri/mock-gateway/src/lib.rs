//! Foxtail's test-only mock gateway: a real loopback HTTP server that speaks the OpenAI
//! and Anthropic streaming protocols from scripts, replays recorded streams cut at any
//! byte, and injects the faults real gateways show (401, 429, 503, resets, early close,
//! stalls, slow first bytes, HTML pages, broken JSON, endless lines, in-stream errors).
//! It also plays a model that calls tools (`tools:*` scenarios), and lists models and serves a picture, for the app's settings and image tests.

mod image;
mod models;
mod reply;
mod scenario;
mod script;
mod server;
mod tool_turns;
pub mod transcript;
mod usage;

pub use image::{IMAGE_PATH, IMAGE_PNG};
pub use models::{models_reply, MODEL_IDS};
pub use reply::{split_events, Reply, Step};
pub use scenario::{answer_text, scenario, script, MARKDOWN_ANSWER, PIECES, SCENARIOS};
pub use script::Script;
pub use server::{MockGateway, Recorded};
pub use tool_turns::{endless_arguments, ToolPlay};
pub use usage::{TurnUsage, COST, USAGE};
