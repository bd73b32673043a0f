// Generated from the Rust types by foxtail-core (src-tauri/core/src/contract.rs).
// Do not edit: run `make contract`. A test fails when this file is stale.

import type { Channel } from '@tauri-apps/api/core';

export type ErrorKind = "auth" | "rate_limit" | "server" | "network" | "timeout" | "bad_request" | "protocol" | "interrupted" | "cancelled" | "tool_limit" | "tool_file" | "redirect" | "too_large" | "disk_full" | "storage_locked" | "storage_corrupt" | "not_found" | "storage_migration" | "storage" | "keychain_unavailable" | "keychain_platform" | "empty_key" | "keychain_invalid" | "data_dir" | "settings" | "no_key" | "key_origin" | "empty_message" | "busy" | "link_refused" | "link_failed" | "clipboard" | "image_refused" | "image_failed" | "export" | "draft" | "mcp_not_found" | "mcp_exited" | "mcp_handshake" | "mcp_refused" | "mcp_auth" | "mcp_config" | "attachment_too_large" | "attachment_unsupported" | "attachment_unreadable" | "attachment_encrypted" | "attachment_no_text";

export type ErrorReport = { kind: ErrorKind, message: string, status?: number, };

export type AppInfo = { version: string, data_dir: string, 
/**
 * Set when an unreadable settings file was put aside at start-up, so the window
 * can tell the person instead of silently starting over.
 */
settings_recovered_from: string | null, 
/**
 * The same for a history database that could not be read.
 */
history_recovered_from: string | null, };

export type Settings = { 
/**
 * A preset id (`presets::PRESETS`); the key is stored under it.
 */
provider: string, protocol: "openai" | "anthropic", base_url: string, 
/**
 * Empty means the protocol's default model.
 */
model: string, system_prompt: string, 
/**
 * Empty (`null`) means the model's default.
 */
temperature: number | null, 
/**
 * Empty means no limit.
 */
max_tokens: number | null, 
/**
 * Empty means the engine's default.
 */
connect_timeout_s: number | null, idle_timeout_s: number | null, language: Language, theme: Theme, setup_done: boolean, 
/**
 * Tools the person switched off; tools not listed are on, so a new built-in tool is
 * available without a settings change.
 */
disabled_tools: Array<string>, 
/**
 * MCP servers, without the values of their secrets (those are in the keychain).
 */
mcp_servers: Array<McpServer>, 
/**
 * Tools' standing rules, by `server/tool` (`mcp::rule_key`).
 */
tool_rules: { [key in string]: ToolRule }, 
/**
 * Every provider set up, the one in use (`provider`) among them.
 */
providers: Array<ProviderSetup>, 
/**
 * Models starred in the picker, and the ones used last (newest first).
 */
favorite_models: Array<ModelRef>, recent_models: Array<ModelRef>, 
/**
 * The person's own assistants (the built-in ones are in `assistants::BUILTIN`).
 */
assistants: Array<Assistant>, 
/**
 * How hard a model that can reason should think; `None` leaves it to the model.
 */
reasoning: ReasoningEffort | null, announce_answers: AnnounceAnswers, 
/**
 * Percent of the normal text size (see [`TEXT_SIZES`]).
 */
text_size: number, };

export type Language = "system" | "en" | "ko";

export type AnnounceAnswers = "sentences" | "end";

export type Theme = "system" | "light" | "dark";

export type Preset = { id: string, name: string, 
/**
 * The base URL for each protocol the gateway speaks; empty when it does not.
 */
openai_base_url: string, anthropic_base_url: string, 
/**
 * The model to start with in the OpenAI protocol.
 */
default_model: string, 
/**
 * The model to start with in the Anthropic protocol: gateways name models by
 * provider, so one that speaks both has a different natural default in each.
 */
anthropic_default_model: string, needs_key: boolean, 
/**
 * Headers this gateway wants on every request (its quirks live here, as data).
 */
extra_headers: Array<[string, string]>, 
/**
 * Whether its Anthropic protocol takes `cache_control` marks. Off for the rest:
 * some self-hosted gateways lose the text of a message sent as blocks.
 */
prompt_cache: boolean, 
/**
 * Whether it asks for reasoning as OpenRouter does (`reasoning: {effort}`) rather
 * than as OpenAI does (`reasoning_effort`).
 */
reasoning_object: boolean, };

export type KeyReport = { is_set: boolean, last_four: string | null, 
/**
 * The key is kept in memory only, and is gone when the app closes.
 */
session_only: boolean, 
/**
 * The address (origin) the key was saved for; `None` when it goes only to its
 * preset's own addresses. The window warns when the address typed differs.
 */
origin: string | null, };

export type ConnectionReport = { model: string, reply: string, elapsed_ms: number, };

export type ModelReport = { model: string, context_length: number | null, image_input: boolean | null, };

export type ToolInfo = { name: string, description: string, };

export type Turn = { conversation_id: number, user_message: ChatMessage | null, answer: ChatMessage, };

export type Update = { "type": "events", events: Array<StreamEvent>, } | { "type": "extras", extras: AnswerExtras, } | { "type": "save_failed", kind: ErrorKind, message: string, } | { "type": "pending", outbox: number, };

export type StreamEvent = { "type": "text", text: string, } | { "type": "reasoning", text: string, } | { "type": "refusal", text: string, } | { "type": "tool_call_delta", index: number, id?: string, name?: string, arguments_delta: string, } | { "type": "tool_call" } & ToolCall | { "type": "tool_result", id: string, name: string, content: string, is_error: boolean, 
/**
 * Pictures the tool gave, for the person; the model reads only `content`.
 */
images?: Array<ToolImage>, } | { "type": "tool_stage", id: string, source: string, stage: ToolStage, } | { "type": "usage" } & Usage | { "type": "retry", attempt: number, max_attempts: number, delay_ms: number, reason: string, 
/**
 * True when the wait is before continuing an answer that was cut off, false for
 * a plain retry before any output.
 */
resume: boolean, } | { "type": "finish", reason: FinishReason, raw: string, } | { "type": "error" } & ErrorReport;

export type ToolCall = { index: number, id: string, name: string, arguments: unknown, arguments_raw: string, };

export type Usage = { input_tokens: number, output_tokens: number, 
/**
 * Input tokens read from the provider's prompt cache.
 */
cache_read_tokens: number, 
/**
 * Input tokens written to the prompt cache (Anthropic bills them higher).
 */
cache_write_tokens: number, 
/**
 * Output tokens spent thinking, where reported.
 */
reasoning_tokens: number, 
/**
 * What the gateway says the turn cost, in US dollars (OpenRouter's `usage.cost`);
 * `None` when it does not say.
 */
cost: number | null, };

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "refusal" | "other";

export type ToolActivity = { 
/**
 * The call's place in its model turn; turns of a tool loop each count from 0.
 */
index: number, 
/**
 * How much of the answer's text came before the call, in UTF-16 units as the
 * window counts, so the card shows where it happened.
 */
at: number, id: string, name: string, 
/**
 * The arguments as the model wrote them (JSON text, possibly cut off).
 */
arguments: string, done: boolean, result: string | null, is_error: boolean, 
/**
 * Where the tool comes from (an MCP server's name); empty for Foxtail's own.
 */
source: string, 
/**
 * Where a call that runs elsewhere stands: asking, running or declined.
 */
stage?: ToolStage, images?: Array<ToolImage>, };

export type AnswerExtras = { refusal: string, tools: Array<ToolActivity>, 
/**
 * What the person should know about how the answer was made, such as a tool
 * server that could not start (so its tools were not offered).
 */
notices?: Array<string>, 
/**
 * Tokens and cost, once the provider reported them.
 */
usage?: AnswerUsage, };

export type DraftRequest = { 
/**
 * One of the ids in `ACTIONS`.
 */
action: string, 
/**
 * The person's words: what to write, the tone or language wanted, a custom
 * instruction, or a follow-up for Refine.
 */
instruction: string, 
/**
 * The document before the cursor or selection.
 */
before: string, 
/**
 * The selected text; empty for actions at the cursor.
 */
selection: string, 
/**
 * The document after the cursor or selection.
 */
after: string, 
/**
 * For Refine: the result the follow-up applies to…
 */
previous: string | null, 
/**
 * …and the follow-up itself ("shorter", "friendlier").
 */
refinement: string | null, 
/**
 * Files the model is given with the instruction ("summarize this PDF here",
 * "describe this chart"), added with `add_attachment`.
 */
attachments?: Array<AttachmentUse>, };

export type ChatMessage = { id: number, conversation_id: number, role: Role, content: string, reasoning: string, status: MessageStatus, 
/**
 * What the answer ended with, when it failed or was stopped.
 */
error: ErrorReport | null, 
/**
 * The model that wrote an answer.
 */
model: string | null, extras: AnswerExtras, 
/**
 * The files the person attached to this message.
 */
attachments: Array<Attachment>, created_at: number, updated_at: number, };

export type ConversationPage = { 
/**
 * Oldest first.
 */
messages: Array<ChatMessage>, 
/**
 * Older messages are left to read.
 */
more_before: boolean, 
/**
 * Newer messages are left to read (a page around a search hit).
 */
more_after: boolean, 
/**
 * The usage of every answer of the conversation that reported one, loaded or not,
 * for its running total.
 */
usages: Array<MessageUsage>, };

export type MessageUsage = { message_id: number, usage: AnswerUsage, };

export type PageAt = { "at": "latest" } | { "at": "before", "message_id": number } | { "at": "after", "message_id": number } | { "at": "around", "message_id": number };

export type MessageStatus = "complete" | "streaming" | "interrupted" | "cancelled" | "error";

export type Role = "user" | "assistant";

export type ConversationSummary = { id: number, title: string, updated_at: number, message_count: number, provider: string | null, model: string | null, assistant: string | null, };

export type SearchHit = { conversation_id: number, 
/**
 * The message that matched, to open the conversation at; none when the title did.
 */
message_id: number | null, title: string, 
/**
 * A piece of the matching text, with the match between `[` and `]`.
 */
snippet: string, };

export type Document = { id: number, title: string, content: string, 
/**
 * The app's JSON for a change the model was writing and nobody accepted or
 * discarded yet; empty when none.
 */
pending: string, created_at: number, updated_at: number, };

export type DocumentSummary = { id: number, title: string, updated_at: number, };

export type DocumentHit = { document_id: number, title: string, 
/**
 * A piece of the matching text, with the match between `[` and `]`.
 */
snippet: string, };

export type McpServer = { 
/**
 * Stable and unique: letters, digits, `-` and `_`. Keychain entries and tool
 * rules are filed under it.
 */
id: string, 
/**
 * What the person calls it.
 */
name: string, enabled: boolean, transport: McpTransport, 
/**
 * Tools that declare themselves read-only run without asking.
 */
auto_read_only: boolean, 
/**
 * Longest a call may take, in seconds; empty means 60.
 */
timeout_s: number | null, };

export type McpTransport = { "kind": "stdio", command: string, args: Array<string>, 
/**
 * Names of the environment variables set for it.
 */
env: Array<string>, } | { "kind": "http", url: string, 
/**
 * Names of the headers sent with each request (`Authorization` for a token).
 */
headers: Array<string>, };

export type ImportedServer = { server: McpServer, secrets: { [key in string]: string }, };

export type WellKnownServer = { name: string, description: string, server: McpServer, 
/**
 * What must be on the computer first, in plain words.
 */
needs: string, };

export type McpToolInfo = { name: string, 
/**
 * The tool's own title, when it gives one.
 */
title: string, description: string, hints: Hints, };

export type Hints = { read_only: boolean, destructive: boolean, };

export type ToolRule = "ask" | "allow";

export type Decision = "once" | "chat" | "always" | "deny";

export type ToolStage = { "stage": "asking", destructive: boolean, } | { "stage": "running" } | { "stage": "declined" };

export type ToolImage = { mime: string, data: string, };

export type Attachment = { 
/**
 * The content id: the same file attached twice is stored once.
 */
id: string, kind: AttachmentKind, name: string, mime: string, 
/**
 * An image's size after scaling; 0 for documents.
 */
width: number, height: number, 
/**
 * A PDF's pages.
 */
pages: number | null, 
/**
 * About how many tokens it costs the model (a stated approximation).
 */
tokens: number, 
/**
 * The size of the file the person gave.
 */
original_bytes: number, 
/**
 * Set when only a part of the document is given, in words: "pages 1–37 of 120".
 */
part?: string, };

export type AttachmentUse = { id: string, name: string, };

export type AttachmentKind = "image" | "document";

export type ProviderSetup = { id: string, protocol: "openai" | "anthropic", base_url: string, };

export type ModelRef = { provider: string, model: string, };

export type ChatStart = { provider: string | null, model: string | null, assistant: string | null, };

export type Assistant = { id: string, name: string, 
/**
 * The system prompt of every chat started from it.
 */
instructions: string, 
/**
 * The model its chats start with; `None` keeps the one picked.
 */
model: ModelRef | null, };

export type BuiltinAssistant = { id: string, name_en: string, name_ko: string, description_en: string, description_ko: string, instructions: string, };

export type ReasoningEffort = "low" | "medium" | "high";

export type Pricing = { prompt: number, completion: number, cache_read: number | null, cache_write: number | null, };

export type CatalogModel = { provider: string, id: string, name: string | null, context_length: number | null, image_input: boolean | null, tools: boolean | null, reasoning: boolean | null, pricing: Pricing | null, };

export type CatalogProblem = { provider: string, error: ErrorReport, };

export type ModelCatalog = { 
/**
 * In the order of the providers set up, each provider's models sorted by id.
 */
models: Array<CatalogModel>, problems: Array<CatalogProblem>, };

export type AnswerUsage = { input_tokens: number, output_tokens: number, cache_read_tokens: number, cache_write_tokens: number, reasoning_tokens: number, 
/**
 * US dollars; `None` when neither the gateway nor a price list says.
 */
cost: number | null, cost_source: CostSource | null, 
/**
 * What reading from the prompt cache saved, in US dollars, where prices are known.
 */
cache_saving: number | null, };

export type CostSource = "gateway" | "prices";

export type UsageRow = { 
/**
 * `YYYY-MM-DD` in local time, or a model id.
 */
key: string, answers: number, input_tokens: number, output_tokens: number, cost: number, uncosted: number, };

export type UsageTotals = { 
/**
 * The most recent days first (at most 90).
 */
by_day: Array<UsageRow>, 
/**
 * The most costly models first.
 */
by_model: Array<UsageRow>, };

/** Every command the window may call: its arguments and its result. */
export interface Commands {
  app_info: { args: {  }; result: AppInfo };
  get_settings: { args: {  }; result: Settings };
  save_settings: { args: { changes: Partial<Settings> }; result: Settings };
  presets: { args: {  }; result: Array<Preset> };
  key_status: { args: { provider: string }; result: KeyReport };
  save_key: { args: { provider: string; key: string; sessionOnly: boolean; baseUrl: string | null }; result: KeyReport };
  delete_key: { args: { provider: string }; result: KeyReport };
  test_connection: { args: {  }; result: ConnectionReport };
  model_report: { args: {  }; result: ModelReport };
  list_models: { args: { provider: string | null; protocol: string | null; baseUrl: string | null }; result: Array<string> };
  list_conversations: { args: {  }; result: Array<ConversationSummary> };
  conversation_page: { args: { conversationId: number; at: PageAt }; result: ConversationPage };
  rename_conversation: { args: { conversationId: number; title: string }; result: null };
  delete_conversation: { args: { conversationId: number }; result: null };
  restore_conversation: { args: { conversationId: number }; result: null };
  search_conversations: { args: { query: string }; result: Array<SearchHit> };
  export_conversation: { args: { conversationId: number }; result: string };
  save_export: { args: { fileName: string; content: string; conversationId: number | null }; result: string };
  list_documents: { args: {  }; result: Array<DocumentSummary> };
  open_document: { args: { documentId: number }; result: Document };
  create_document: { args: { title: string; content: string }; result: Document };
  save_document: { args: { documentId: number; content: Uint8Array }; result: null };
  edit_document: { args: { documentId: number; from: number; to: number; length: number; text: string }; result: boolean };
  save_document_pending: { args: { documentId: number; pending: string }; result: null };
  rename_document: { args: { documentId: number; title: string }; result: null };
  delete_document: { args: { documentId: number }; result: null };
  restore_document: { args: { documentId: number }; result: null };
  search_documents: { args: { query: string }; result: Array<DocumentHit> };
  draft_action: { args: { request: DraftRequest; onUpdate: Channel<Update> }; result: number };
  stop_draft: { args: { runId: number }; result: boolean };
  send_message: { args: { conversationId: number | null; text: string; attachments: Array<AttachmentUse> | null; replaceFrom: number | null; start: ChatStart | null; onUpdate: Channel<Update> }; result: Turn };
  regenerate_answer: { args: { answerId: number; onUpdate: Channel<Update> }; result: Turn };
  continue_answer: { args: { answerId: number; onUpdate: Channel<Update> }; result: Turn };
  stop_answer: { args: { answerId: number }; result: boolean };
  list_tools: { args: {  }; result: Array<ToolInfo> };
  open_link: { args: { url: string }; result: null };
  copy_text: { args: { text: string }; result: null };
  copy_formatted: { args: { html: string; text: string }; result: null };
  fetch_image: { args: { url: string }; result: string };
  mcp_well_known: { args: {  }; result: Array<WellKnownServer> };
  mcp_import: { args: { text: string }; result: Array<ImportedServer> };
  mcp_save_server: { args: { server: McpServer; secrets: { [key in string]: string } }; result: Settings };
  mcp_delete_server: { args: { id: string }; result: Settings };
  mcp_test_server: { args: { server: McpServer; secrets: { [key in string]: string } }; result: Array<McpToolInfo> };
  answer_tool_call: { args: { callId: string; decision: Decision }; result: boolean };
  add_attachment: { args: { name: string; bytes: Uint8Array }; result: Attachment };
  attachment_image: { args: { id: string; thumbnail: boolean }; result: string };
  attachment_first_part: { args: { id: string; name: string; maxTokens: number }; result: Attachment };
  summarize_attachment: { args: { id: string; name: string }; result: Attachment };
  list_all_models: { args: { refresh: boolean }; result: ModelCatalog };
  choose_model: { args: { conversationId: number | null; provider: string; model: string }; result: Settings };
  usage_totals: { args: {  }; result: UsageTotals };
  summarize_conversation: { args: { conversationId: number }; result: string };
  take_updates: { args: { outbox: number; waitAfter: boolean }; result: Array<Update> };
  when_closing: { args: { closing: Channel<null> }; result: null };
  close_window: { args: {  }; result: null };
  keep_window_open: { args: {  }; result: null };
}

/** Every error kind, for exhaustive tables. */
export const ERROR_KINDS = ['auth', 'rate_limit', 'server', 'network', 'timeout', 'bad_request', 'protocol', 'interrupted', 'cancelled', 'tool_limit', 'tool_file', 'redirect', 'too_large', 'disk_full', 'storage_locked', 'storage_corrupt', 'not_found', 'storage_migration', 'storage', 'keychain_unavailable', 'keychain_platform', 'empty_key', 'keychain_invalid', 'data_dir', 'settings', 'no_key', 'key_origin', 'empty_message', 'busy', 'link_refused', 'link_failed', 'clipboard', 'image_refused', 'image_failed', 'export', 'draft', 'mcp_not_found', 'mcp_exited', 'mcp_handshake', 'mcp_refused', 'mcp_auth', 'mcp_config', 'attachment_too_large', 'attachment_unsupported', 'attachment_unreadable', 'attachment_encrypted', 'attachment_no_text'] as const satisfies readonly ErrorKind[];

/** The headers in which a raw-body command receives its other arguments, percent-encoded. */
export const RAW_ARGUMENT_HEADERS = {
  add_attachment: { name: 'foxtail-file-name' },
  save_document: { documentId: 'foxtail-document-id' },
} as const;

/** The gateways the setup screen offers. */
export const PRESETS: Preset[] = [
  {
    "id": "ofox",
    "name": "OfoxAI",
    "openai_base_url": "https://api.ofox.ai/v1",
    "anthropic_base_url": "https://api.ofox.ai/anthropic",
    "default_model": "openai/gpt-4o",
    "anthropic_default_model": "anthropic/claude-sonnet-4.5",
    "needs_key": true,
    "extra_headers": [],
    "prompt_cache": true,
    "reasoning_object": true
  },
  {
    "id": "openai",
    "name": "OpenAI",
    "openai_base_url": "https://api.openai.com/v1",
    "anthropic_base_url": "",
    "default_model": "gpt-4o",
    "anthropic_default_model": "",
    "needs_key": true,
    "extra_headers": [],
    "prompt_cache": false,
    "reasoning_object": false
  },
  {
    "id": "anthropic",
    "name": "Anthropic",
    "openai_base_url": "",
    "anthropic_base_url": "https://api.anthropic.com",
    "default_model": "claude-sonnet-4-5",
    "anthropic_default_model": "claude-sonnet-4-5",
    "needs_key": true,
    "extra_headers": [],
    "prompt_cache": true,
    "reasoning_object": false
  },
  {
    "id": "openrouter",
    "name": "OpenRouter",
    "openai_base_url": "https://openrouter.ai/api/v1",
    "anthropic_base_url": "",
    "default_model": "openai/gpt-4o",
    "anthropic_default_model": "",
    "needs_key": true,
    "extra_headers": [
      [
        "HTTP-Referer",
        "https://foxtail.ai"
      ],
      [
        "X-Title",
        "Foxtail"
      ]
    ],
    "prompt_cache": false,
    "reasoning_object": true
  },
  {
    "id": "ollama",
    "name": "Ollama (on this computer)",
    "openai_base_url": "http://localhost:11434/v1",
    "anthropic_base_url": "",
    "default_model": "llama3.2",
    "anthropic_default_model": "",
    "needs_key": false,
    "extra_headers": [],
    "prompt_cache": false,
    "reasoning_object": false
  },
  {
    "id": "custom",
    "name": "Custom (OpenAI- or Anthropic-compatible)",
    "openai_base_url": "",
    "anthropic_base_url": "",
    "default_model": "",
    "anthropic_default_model": "",
    "needs_key": true,
    "extra_headers": [],
    "prompt_cache": false,
    "reasoning_object": false
  }
];

/** The assistants that come with Foxtail. */
export const BUILTIN_ASSISTANTS: BuiltinAssistant[] = [
  {
    "id": "translator",
    "name_en": "Translator",
    "name_ko": "번역가",
    "description_en": "Translates between Korean and English, or into the language you name.",
    "description_ko": "한국어와 영어 사이, 또는 말씀하신 언어로 번역합니다.",
    "instructions": "You are a translator. Translate the person's text: Korean into natural English, any other language into natural Korean, unless they name a target language. Keep the meaning, tone and formatting. Reply with the translation only, without notes, unless they ask for an explanation."
  },
  {
    "id": "email",
    "name_en": "Email writer",
    "name_ko": "이메일 작성",
    "description_en": "Turns a few notes into a clear, polite email.",
    "description_ko": "짧은 메모를 분명하고 정중한 이메일로 바꿉니다.",
    "instructions": "You write emails. From the person's notes, write a clear, polite email with a subject line, in the language of the notes. Keep it short, keep every fact they gave, and invent none: mark anything missing as [to fill in]."
  },
  {
    "id": "korean-tutor",
    "name_en": "Korean tutor",
    "name_ko": "한국어 선생님",
    "description_en": "Practises Korean with you and corrects gently.",
    "description_ko": "한국어 연습을 도와주고 부드럽게 고쳐 줍니다.",
    "instructions": "You are a patient Korean tutor. Talk with the person in simple Korean suited to their level. When they make a mistake, show the corrected sentence and explain it briefly in English. Offer romanization only when asked."
  },
  {
    "id": "summarizer",
    "name_en": "Summarizer",
    "name_ko": "요약",
    "description_en": "Summarizes text into short key points.",
    "description_ko": "글을 핵심만 짧게 요약합니다.",
    "instructions": "You summarize. Give the key points of the person's text as a short list, then one sentence on what matters most. Use the language of the text. Add nothing the text does not say."
  }
];

/** The settings of a first start. */
export const DEFAULT_SETTINGS: Settings = {
  "provider": "ofox",
  "protocol": "openai",
  "base_url": "https://api.ofox.ai/v1",
  "model": "openai/gpt-4o",
  "system_prompt": "",
  "temperature": null,
  "max_tokens": null,
  "connect_timeout_s": null,
  "idle_timeout_s": null,
  "language": "system",
  "theme": "system",
  "setup_done": false,
  "disabled_tools": [],
  "mcp_servers": [],
  "tool_rules": {},
  "providers": [
    {
      "id": "ofox",
      "protocol": "openai",
      "base_url": "https://api.ofox.ai/v1"
    }
  ],
  "favorite_models": [],
  "recent_models": [],
  "assistants": [],
  "reasoning": null,
  "announce_answers": "sentences",
  "text_size": 100
};
