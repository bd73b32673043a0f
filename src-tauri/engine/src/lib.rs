//! Foxtail's streaming engine. It has no Tauri dependency, so the desktop app, the
//! `foxtail-cli` binary, tests and benchmarks all drive the same code.
//!
//! ```no_run
//! # async fn demo(key: secrecy::SecretString) {
//! use foxtail_engine::{ChatRequest, Client, Event, Options, Protocol};
//! let client = Client::new(key, Options::default()).unwrap();
//! let request = ChatRequest::new(Protocol::Openai, "Hello!");
//! let cancel = tokio_util::sync::CancellationToken::new();
//! let end = client
//!     .stream_chat(&request, &cancel, &mut |event: Event| println!("{event:?}"))
//!     .await;
//! # }
//! ```
//!
//! With tools, [`Client::converse`] runs the tool loop and leaves the conversation,
//! tool calls and results included, in the request:
//!
//! ```no_run
//! # async fn demo(client: foxtail_engine::Client) {
//! use foxtail_engine::{ChatRequest, Event, Protocol, Registry, DEFAULT_MAX_TOOL_STEPS};
//! let mut request = ChatRequest::new(Protocol::Openai, "What is 12 times 7?");
//! let asked = request.messages.len();
//! let cancel = tokio_util::sync::CancellationToken::new();
//! let end = client
//!     .converse(&mut request, &Registry::builtin(), DEFAULT_MAX_TOOL_STEPS, &cancel,
//!         &mut |event: Event| println!("{event:?}"))
//!     .await;
//! let added = &request.messages[asked..];
//! # }
//! ```
//!
//! To continue an answer that was cut off, send the request
//! [`continuing_from`](ChatRequest::continuing_from) it: the engine asks the model to go
//! on in the protocol's way, and its events carry only the text that follows.
//!
//! Every answer is held to limits set in [`Options`], so that a broken or hostile
//! gateway, or a model talked into misbehaving, cannot exhaust the machine: the size of
//! one event, the number of tool calls in one turn, the size of one call and of the
//! whole answer, and how long a tool may run. A limit that is hit ends the answer at
//! once with an error that says which (kind `tool_limit` or `too_large`); what was
//! passed on before stands.
//!
//! Each wire protocol lives in one module behind [`protocol::Wire`].

mod client;
pub mod decode;
mod error;
mod event;
mod gateway_headers;
mod idle;
mod limits;
mod models;
mod options;
pub mod protocol;
mod request;
pub mod resume;
mod retry;
pub mod sse;
mod text;
mod tool_loop;
pub mod tools;

pub use client::{stream_chat, Client, Finish, Sink};
pub use error::Error;
pub use event::{Event, FinishReason, ToolCall, Usage};
pub use models::{ModelFacts, Pricing};
pub use options::{
    Options, MAX_ANSWER_BYTES, MAX_TOOL_ARGUMENT_BYTES, MAX_TOOL_CALLS, TOOL_TIMEOUT,
};
pub use request::{
    ChatRequest, Message, Part, Protocol, ReasoningEffort, ReasoningFormat, Role, ToolSpec,
    DEFAULT_ANTHROPIC_MAX_TOKENS,
};
pub use secrecy::SecretString;
pub use tokio_util::sync::CancellationToken;
pub use tool_loop::DEFAULT_MAX_TOOL_STEPS;
pub use tools::{AsyncTool, CallContext, Registry, Tool, ToolImage, ToolOutput, ToolStage};

/// The name and version that requests identify themselves with.
pub const USER_AGENT: &str = concat!("Foxtail/", env!("CARGO_PKG_VERSION"));
