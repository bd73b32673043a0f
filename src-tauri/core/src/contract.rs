//! The window's contract, generated from the Rust types: every command with its
//! arguments and result, what crosses the channels, the settings, the error kinds, and
//! the presets and default settings as data. `ui/src/lib/contract.ts` is this module's
//! output, checked in; a test fails when it is stale (`make contract` writes it).
//!
//! ts-rs was picked over specta/tauri-specta: it derives plain declarations from the
//! serde types with no runtime part and no pre-release dependency, and the list of
//! commands below is checked against the shell's handler list, `build.rs` and the
//! capability by a test in the shell.

use serde::Serialize;
use ts_rs::{Config, TS};

use crate::answer_sink::Update;
use crate::assistants::{Assistant, BuiltinAssistant};
use crate::catalog::{CatalogModel, CatalogProblem, ModelCatalog};
use crate::connection::{ConnectionReport, ModelReport};
use crate::conversation::{ChatMessage, ConversationPage, MessageUsage, Turn};
use crate::draft_prompts::DraftRequest;
use crate::keys::KeyReport;
use crate::mcp::{
    Decision, Hints, ImportedServer, McpServer, McpToolInfo, McpTransport, Secrets, ToolRule,
    WellKnownServer,
};
use crate::message_attachments::{Attachment, AttachmentUse};
use crate::presets::{Preset, PRESETS};
use crate::profile::ToolInfo;
use crate::providers::{ChatStart, ModelRef, ProviderSetup};
use crate::settings::{AnnounceAnswers, Language, Settings, Theme};
use crate::tool_cards::{AnswerExtras, ToolActivity};
use crate::usage::{AnswerUsage, CostSource};
use crate::{ErrorKind, ErrorReport};
use foxtail_storage::{
    AttachmentKind, ConversationSummary, Document, DocumentHit, DocumentSummary, MessageStatus,
    PageAt, Role, SearchHit, UsageRow, UsageTotals,
};

/// Where the generated file lives, from the repository's root.
pub const FILE: &str = "ui/src/lib/contract.ts";

/// What `app_info` tells the window about the app itself.
#[derive(Debug, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    /// Set when an unreadable settings file was put aside at start-up, so the window
    /// can tell the person instead of silently starting over.
    pub settings_recovered_from: Option<String>,
    /// The same for a history database that could not be read.
    pub history_recovered_from: Option<String>,
}

/// One command: its name, its arguments as `invoke` sends them (camelCase), and its
/// result, each as a TypeScript type.
pub struct Command {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub result: String,
}

fn config() -> Config {
    // Ids and times are i64 in Rust but plain numbers in JSON.
    Config::new().with_large_int("number")
}

fn ty<T: TS + ?Sized>() -> String {
    T::name(&config())
}

macro_rules! command {
    ($name:literal ( $($arg:literal : $ty:ty),* ) -> $result:ty) => {
        Command {
            name: $name,
            args: vec![$(($arg, ty::<$ty>())),*],
            result: ty::<$result>(),
        }
    };
}

/// A type the window knows by a TypeScript name of its own, with no Rust type behind it.
macro_rules! named_in_typescript {
    ($(#[doc = $doc:literal])* $name:ident = $typescript:literal) => {
        $(#[doc = $doc])*
        struct $name;

        impl TS for $name {
            type WithoutGenerics = Self;
            type OptionInnerType = Self;
            fn name(_: &Config) -> String {
                $typescript.into()
            }
            fn inline(cfg: &Config) -> String {
                Self::name(cfg)
            }
        }
    };
}

named_in_typescript! {
    /// The channel an answer or a draft streams over.
    UpdateChannel = "Channel<Update>"
}

named_in_typescript! {
    /// The channel on which Rust says, once, that the person closed the window.
    ClosingChannel = "Channel<null>"
}

named_in_typescript! {
    /// A file's bytes or a document's UTF-8 text, sent as the request's raw body, not as
    /// JSON (`backend.ts` puts the other arguments in headers).
    RawBytes = "Uint8Array"
}

named_in_typescript! {
    /// Setting changes: any of the settings, each checked by Rust.
    SettingChanges = "Partial<Settings>"
}

/// The header that carries an attached file's name.
pub const FILE_NAME_HEADER: &str = "foxtail-file-name";
/// The header that names the document a raw `save_document` body belongs to.
pub const DOCUMENT_ID_HEADER: &str = "foxtail-document-id";

/// The headers in which a command whose main argument is the raw body (`RawBytes`)
/// receives its other arguments, percent-encoded as headers are ASCII: command,
/// argument, header.
pub const RAW_ARGUMENT_HEADERS: &[(&str, &str, &str)] = &[
    ("add_attachment", "name", FILE_NAME_HEADER),
    ("save_document", "documentId", DOCUMENT_ID_HEADER),
];

/// Every command the window may call.
pub fn commands() -> Vec<Command> {
    vec![
        command!("app_info"() -> AppInfo),
        command!("get_settings"() -> Settings),
        command!("save_settings"("changes": SettingChanges) -> Settings),
        command!("presets"() -> Vec<Preset>),
        command!("key_status"("provider": String) -> KeyReport),
        command!("save_key"("provider": String, "key": String, "sessionOnly": bool, "baseUrl": Option<String>) -> KeyReport),
        command!("delete_key"("provider": String) -> KeyReport),
        command!("test_connection"() -> ConnectionReport),
        command!("model_report"() -> ModelReport),
        command!("list_models"("provider": Option<String>, "protocol": Option<String>, "baseUrl": Option<String>) -> Vec<String>),
        command!("list_conversations"() -> Vec<ConversationSummary>),
        command!("conversation_page"("conversationId": i64, "at": PageAt) -> ConversationPage),
        command!("rename_conversation"("conversationId": i64, "title": String) -> ()),
        command!("delete_conversation"("conversationId": i64) -> ()),
        command!("restore_conversation"("conversationId": i64) -> ()),
        command!("search_conversations"("query": String) -> Vec<SearchHit>),
        command!("export_conversation"("conversationId": i64) -> String),
        command!("save_export"("fileName": String, "content": String, "conversationId": Option<i64>) -> String),
        command!("list_documents"() -> Vec<DocumentSummary>),
        command!("open_document"("documentId": i64) -> Document),
        command!("create_document"("title": String, "content": String) -> Document),
        command!("save_document"("documentId": i64, "content": RawBytes) -> ()),
        command!("edit_document"("documentId": i64, "from": u64, "to": u64, "length": u64, "text": String) -> bool),
        command!("save_document_pending"("documentId": i64, "pending": String) -> ()),
        command!("rename_document"("documentId": i64, "title": String) -> ()),
        command!("delete_document"("documentId": i64) -> ()),
        command!("restore_document"("documentId": i64) -> ()),
        command!("search_documents"("query": String) -> Vec<DocumentHit>),
        command!("draft_action"("request": DraftRequest, "onUpdate": UpdateChannel) -> i64),
        command!("stop_draft"("runId": i64) -> bool),
        command!("send_message"("conversationId": Option<i64>, "text": String, "attachments": Option<Vec<AttachmentUse>>, "replaceFrom": Option<i64>, "start": Option<ChatStart>, "onUpdate": UpdateChannel) -> Turn),
        command!("regenerate_answer"("answerId": i64, "onUpdate": UpdateChannel) -> Turn),
        command!("continue_answer"("answerId": i64, "onUpdate": UpdateChannel) -> Turn),
        command!("stop_answer"("answerId": i64) -> bool),
        command!("list_tools"() -> Vec<ToolInfo>),
        command!("open_link"("url": String) -> ()),
        command!("copy_text"("text": String) -> ()),
        command!("copy_formatted"("html": String, "text": String) -> ()),
        command!("fetch_image"("url": String) -> String),
        command!("mcp_well_known"() -> Vec<WellKnownServer>),
        command!("mcp_import"("text": String) -> Vec<ImportedServer>),
        command!("mcp_save_server"("server": McpServer, "secrets": Secrets) -> Settings),
        command!("mcp_delete_server"("id": String) -> Settings),
        command!("mcp_test_server"("server": McpServer, "secrets": Secrets) -> Vec<McpToolInfo>),
        command!("answer_tool_call"("callId": String, "decision": Decision) -> bool),
        command!("add_attachment"("name": String, "bytes": RawBytes) -> Attachment),
        command!("attachment_image"("id": String, "thumbnail": bool) -> String),
        command!("attachment_first_part"("id": String, "name": String, "maxTokens": u64) -> Attachment),
        command!("summarize_attachment"("id": String, "name": String) -> Attachment),
        command!("list_all_models"("refresh": bool) -> ModelCatalog),
        command!("choose_model"("conversationId": Option<i64>, "provider": String, "model": String) -> Settings),
        command!("usage_totals"() -> UsageTotals),
        command!("summarize_conversation"("conversationId": i64) -> String),
        command!("take_updates"("outbox": i64, "waitAfter": bool) -> Vec<Update>),
        command!("when_closing"("closing": ClosingChannel) -> ()),
        command!("close_window"() -> ()),
        command!("keep_window_open"() -> ()),
    ]
}

macro_rules! declarations {
    ($($t:ty),* $(,)?) => {
        vec![$(format!("export {}", <$t as TS>::decl(&config()))),*]
    };
}

/// The whole generated file.
pub fn typescript() -> String {
    let mut out = String::from(
        "// Generated from the Rust types by foxtail-core (src-tauri/core/src/contract.rs).\n\
         // Do not edit: run `make contract`. A test fails when this file is stale.\n\n\
         import type { Channel } from '@tauri-apps/api/core';\n\
\n",
    );
    let types = declarations![
        ErrorKind,
        ErrorReport,
        AppInfo,
        Settings,
        Language,
        AnnounceAnswers,
        Theme,
        Preset,
        KeyReport,
        ConnectionReport,
        ModelReport,
        ToolInfo,
        Turn,
        Update,
        foxtail_engine::Event,
        foxtail_engine::ToolCall,
        foxtail_engine::Usage,
        foxtail_engine::FinishReason,
        ToolActivity,
        AnswerExtras,
        DraftRequest,
        ChatMessage,
        ConversationPage,
        MessageUsage,
        PageAt,
        MessageStatus,
        Role,
        ConversationSummary,
        SearchHit,
        Document,
        DocumentSummary,
        DocumentHit,
        McpServer,
        McpTransport,
        ImportedServer,
        WellKnownServer,
        McpToolInfo,
        Hints,
        ToolRule,
        Decision,
        foxtail_engine::ToolStage,
        foxtail_engine::ToolImage,
        Attachment,
        AttachmentUse,
        AttachmentKind,
        ProviderSetup,
        ModelRef,
        ChatStart,
        Assistant,
        BuiltinAssistant,
        foxtail_engine::ReasoningEffort,
        foxtail_engine::Pricing,
        CatalogModel,
        CatalogProblem,
        ModelCatalog,
        AnswerUsage,
        CostSource,
        UsageRow,
        UsageTotals,
    ];
    for declaration in types {
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out.push_str("/** Every command the window may call: its arguments and its result. */\n");
    out.push_str("export interface Commands {\n");
    for command in commands() {
        let args: Vec<String> = command
            .args
            .iter()
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        out.push_str(&format!(
            "  {}: {{ args: {{ {} }}; result: {} }};\n",
            command.name,
            args.join("; "),
            command.result
        ));
    }
    out.push_str("}\n\n");
    let error_kinds: Vec<String> = all_error_kinds().iter().map(|k| format!("'{k}'")).collect();
    out.push_str(&format!(
        "/** Every error kind, for exhaustive tables. */\nexport const ERROR_KINDS = [{}] as const satisfies readonly ErrorKind[];\n\n",
        error_kinds.join(", ")
    ));
    out.push_str(
        "/** The headers in which a raw-body command receives its other arguments, percent-encoded. */\nexport const RAW_ARGUMENT_HEADERS = {\n",
    );
    for (command, argument, header) in RAW_ARGUMENT_HEADERS {
        out.push_str(&format!("  {command}: {{ {argument}: '{header}' }},\n"));
    }
    out.push_str("} as const;\n\n");
    out.push_str(&format!(
        "/** The gateways the setup screen offers. */\nexport const PRESETS: Preset[] = {};\n\n",
        serde_json::to_string_pretty(PRESETS).unwrap_or_default()
    ));
    out.push_str(&format!(
        "/** The assistants that come with Foxtail. */\nexport const BUILTIN_ASSISTANTS: BuiltinAssistant[] = {};\n\n",
        serde_json::to_string_pretty(crate::assistants::BUILTIN).unwrap_or_default()
    ));
    out.push_str(&format!(
        "/** The settings of a first start. */\nexport const DEFAULT_SETTINGS: Settings = {};\n",
        serde_json::to_string_pretty(&Settings::default()).unwrap_or_default()
    ));
    out
}

/// Every error kind, in declaration order.
pub fn all_error_kinds() -> Vec<ErrorKind> {
    // Parsing the declaration keeps this list from being a second copy of the enum.
    let declaration = ErrorKind::decl(&config());
    declaration
        .split('"')
        .skip(1)
        .step_by(2)
        .filter_map(|word| serde_json::from_value(serde_json::Value::String(word.into())).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A raw-body command's other arguments each have a header, and every header belongs
    /// to such an argument.
    #[test]
    fn every_argument_beside_a_raw_body_has_a_header() {
        let raw = ty::<RawBytes>();
        let mut beside_raw: Vec<(&str, &str)> = commands()
            .iter()
            .filter(|command| command.args.iter().any(|(_, ty)| *ty == raw))
            .flat_map(|command| {
                command
                    .args
                    .iter()
                    .filter(|(_, ty)| *ty != raw)
                    .map(|(name, _)| (command.name, *name))
            })
            .collect();
        let mut with_header: Vec<(&str, &str)> = RAW_ARGUMENT_HEADERS
            .iter()
            .map(|(command, argument, _)| (*command, *argument))
            .collect();
        beside_raw.sort();
        with_header.sort();
        assert_eq!(beside_raw, with_header);
        assert!(!with_header.is_empty());
    }

    /// The checked-in file is what the Rust types make now. With
    /// `FOXTAIL_WRITE_CONTRACT=1` the file is written instead (`make contract`).
    #[test]
    fn the_generated_contract_is_fresh() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(FILE);
        let now = typescript();
        if std::env::var_os("FOXTAIL_WRITE_CONTRACT").is_some() {
            std::fs::write(&path, &now).unwrap();
            return;
        }
        let saved = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            saved == now,
            "{} is stale: run `make contract` and commit the result",
            path.display()
        );
    }

    #[test]
    fn every_error_kind_is_listed_once() {
        let kinds = all_error_kinds();
        assert!(kinds.len() >= 30, "{kinds:?}");
        assert!(kinds.contains(&ErrorKind::Auth) && kinds.contains(&ErrorKind::Draft));
        let unique: std::collections::HashSet<_> = kinds.iter().collect();
        assert_eq!(unique.len(), kinds.len());
    }

    #[test]
    fn command_names_are_unique() {
        let names: Vec<_> = commands().iter().map(|c| c.name).collect();
        let unique: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }
}
