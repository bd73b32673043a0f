//! Foxtail's logic, without Tauri: settings, presets and keys; conversations, the
//! answers written into them and the drafts written into documents; and the contract
//! the window is typed against. The desktop shell and `foxtail-cli` are thin hosts
//! around this crate.

pub mod answer_sink;
pub mod assistants;
pub mod attachments;
pub mod catalog;
pub mod connection;
pub mod contract;
pub mod conversation;
pub mod conversation_summary;
pub mod document_summary;
pub mod draft_prompts;
pub mod drafting;
mod error;
pub mod exports;
pub mod files;
pub mod frame_batch;
pub mod keys;
pub mod links;
pub mod mcp;
pub mod message_attachments;
pub mod presets;
pub mod profile;
pub mod providers;
pub mod remote_image;
pub mod runs;
pub mod settings;
pub mod tool_cards;
pub mod usage;

pub use error::{AppError, ErrorKind, ErrorReport};
