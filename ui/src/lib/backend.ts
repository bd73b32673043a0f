// The window's only door to the Rust side. Every command the capability allows has a
// typed wrapper here, so a renamed argument fails the type check instead of at run time.
import { Channel, invoke } from '@tauri-apps/api/core';

/** Errors from the Rust side always arrive as `{kind, message}`. */
export interface BackendError {
  kind: string;
  message: string;
  status?: number;
}

export function isBackendError(value: unknown): value is BackendError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).kind === 'string' &&
    typeof (value as Record<string, unknown>).message === 'string'
  );
}

/** Anything thrown, as `{kind, message}`: a rejected invoke, or a bug of the window's. */
export function asBackendError(value: unknown): BackendError {
  if (isBackendError(value)) return value;
  return { kind: 'unknown', message: value instanceof Error ? value.message : String(value) };
}

export interface AppInfo {
  version: string;
  data_dir: string;
  settings_recovered_from: string | null;
  history_recovered_from: string | null;
}

export type Protocol = 'openai' | 'anthropic';
export type ThemeChoice = 'system' | 'light' | 'dark';
export type LanguageChoice = 'system' | 'en' | 'ko';

/** Saved settings; `settings.rs` holds the defaults and `save_settings` the rules. */
export interface Settings {
  provider?: string;
  protocol?: Protocol;
  base_url?: string;
  model?: string;
  temperature?: number | null;
  max_tokens?: number | null;
  system_prompt?: string;
  connect_timeout_s?: number;
  idle_timeout_s?: number;
  language?: LanguageChoice;
  theme?: ThemeChoice;
  setup_done?: boolean;
  /** Tools switched off in Settings; every other tool is on. */
  disabled_tools?: string[];
}

export interface ToolInfo {
  name: string;
  description: string;
}

export interface Preset {
  id: string;
  name: string;
  openai_base_url: string;
  anthropic_base_url: string;
  default_model: string;
  anthropic_default_model: string;
  needs_key: boolean;
}

export interface KeyReport {
  is_set: boolean;
  last_four: string | null;
  session_only: boolean;
}

export interface ConnectionReport {
  model: string;
  reply: string;
  elapsed_ms: number;
}

export type MessageStatus = 'complete' | 'streaming' | 'interrupted' | 'cancelled' | 'error';

export interface StoredMessage {
  id: number;
  conversation_id: number;
  role: 'user' | 'assistant';
  content: string;
  reasoning: string;
  status: MessageStatus;
  /** The `{kind, message}` JSON the answer ended with, if it failed. */
  error: string | null;
  model: string | null;
  /** JSON of what the answer showed besides its text (answer_extras.rs); empty when nothing. */
  extras: string;
  created_at: number;
  updated_at: number;
}

export interface ConversationSummary {
  id: number;
  title: string;
  updated_at: number;
  message_count: number;
}

export interface SearchHit {
  conversation_id: number;
  title: string;
  /** A piece of the matching text, with the match between `[` and `]`. */
  snippet: string;
}

export interface Turn {
  conversation_id: number;
  user_message: StoredMessage | null;
  answer: StoredMessage;
}

/** The engine's provider-neutral events (src-tauri/engine/src/event.rs). */
export type EngineEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'refusal'; text: string }
  | { type: 'tool_call_delta'; index: number; id?: string; name?: string; arguments_delta: string }
  | { type: 'tool_call'; index: number; id: string; name: string; arguments: unknown; arguments_raw: string }
  | { type: 'tool_result'; id: string; name: string; content: string; is_error: boolean }
  | { type: 'usage'; input_tokens: number; output_tokens: number }
  | { type: 'retry'; attempt: number; max_attempts: number; delay_ms: number; reason: string; resume: boolean }
  | { type: 'finish'; reason: string; raw: string }
  | ({ type: 'error' } & BackendError);

/** What one answer's channel carries (src-tauri/src/answer_sink.rs). */
export type AnswerUpdate =
  | { type: 'events'; events: EngineEvent[] }
  | { type: 'save_failed'; kind: string; message: string };

export const appInfo = (): Promise<AppInfo> => invoke('app_info');
export const getSettings = (): Promise<Settings> => invoke('get_settings');
export const saveSettings = (changes: Settings): Promise<Settings> => invoke('save_settings', { changes });
export const presets = (): Promise<Preset[]> => invoke('presets');

export const keyStatus = (provider: string): Promise<KeyReport> => invoke('key_status', { provider });
export const saveKey = (provider: string, key: string, sessionOnly: boolean): Promise<KeyReport> =>
  invoke('save_key', { provider, key, sessionOnly });
export const deleteKey = (provider: string): Promise<KeyReport> => invoke('delete_key', { provider });
export const testConnection = (): Promise<ConnectionReport> => invoke('test_connection');
/** The models of the saved gateway, or of the provider, protocol and address given. */
export const listModels = (provider?: string, protocol?: Protocol, baseUrl?: string): Promise<string[]> =>
  invoke('list_models', { provider, protocol, baseUrl });
export const listTools = (): Promise<ToolInfo[]> => invoke('list_tools');

export const listConversations = (): Promise<ConversationSummary[]> => invoke('list_conversations');
export const conversationMessages = (conversationId: number): Promise<StoredMessage[]> =>
  invoke('conversation_messages', { conversationId });
export const renameConversation = (conversationId: number, title: string): Promise<void> =>
  invoke('rename_conversation', { conversationId, title });
export const deleteConversation = (conversationId: number): Promise<void> =>
  invoke('delete_conversation', { conversationId });
export const restoreConversation = (conversationId: number): Promise<void> =>
  invoke('restore_conversation', { conversationId });
export const searchConversations = (query: string): Promise<SearchHit[]> =>
  invoke('search_conversations', { query });
export const exportConversation = (conversationId: number): Promise<string> =>
  invoke('export_conversation', { conversationId });

function channel(onUpdate: (update: AnswerUpdate) => void): Channel<AnswerUpdate> {
  const ch = new Channel<AnswerUpdate>();
  ch.onmessage = onUpdate;
  return ch;
}

export const sendMessage = (
  conversationId: number | null,
  text: string,
  replaceFrom: number | null,
  onUpdate: (update: AnswerUpdate) => void,
): Promise<Turn> => invoke('send_message', { conversationId, text, replaceFrom, onUpdate: channel(onUpdate) });
export const regenerateAnswer = (answerId: number, onUpdate: (update: AnswerUpdate) => void): Promise<Turn> =>
  invoke('regenerate_answer', { answerId, onUpdate: channel(onUpdate) });
export const continueAnswer = (answerId: number, onUpdate: (update: AnswerUpdate) => void): Promise<Turn> =>
  invoke('continue_answer', { answerId, onUpdate: channel(onUpdate) });
export const stopAnswer = (answerId: number): Promise<boolean> => invoke('stop_answer', { answerId });

export const openLink = (url: string): Promise<void> => invoke('open_link', { url });
export const copyText = (text: string): Promise<void> => invoke('copy_text', { text });
/** HTML and its plain-text form on the clipboard, so a paste keeps the formatting. */
export const copyFormatted = (html: string, text: string): Promise<void> => invoke('copy_formatted', { html, text });
export const fetchImage = (url: string): Promise<string> => invoke('fetch_image', { url });
/** Writes an export into the Downloads folder; returns where it went. */
export const saveExport = (fileName: string, content: string): Promise<string> =>
  invoke('save_export', { fileName, content });

export interface DocumentSummary {
  id: number;
  title: string;
  updated_at: number;
}

export interface DraftDocument extends DocumentSummary {
  content: string;
  /** JSON of a change the model was writing when the app last stopped; "" when none. */
  pending: string;
  created_at: number;
}

export interface DocumentHit {
  document_id: number;
  title: string;
  snippet: string;
}

export type DraftActionId =
  | 'write'
  | 'continue'
  | 'improve'
  | 'fix'
  | 'shorter'
  | 'longer'
  | 'tone'
  | 'translate'
  | 'summarize'
  | 'custom';

/** One drafting action (src-tauri/src/draft_prompts.rs). */
export interface DraftRequest {
  action: DraftActionId;
  instruction: string;
  before: string;
  selection: string;
  after: string;
  /** Refine: the result the follow-up applies to, and the follow-up itself. */
  previous: string | null;
  refinement?: string | null;
}

export const listDocuments = (): Promise<DocumentSummary[]> => invoke('list_documents');
export const openDocument = (documentId: number): Promise<DraftDocument> => invoke('open_document', { documentId });
export const createDocument = (title: string, content: string): Promise<DraftDocument> =>
  invoke('create_document', { title, content });
export const saveDocument = (documentId: number, content: string): Promise<void> =>
  invoke('save_document', { documentId, content });
export const saveDocumentPending = (documentId: number, pending: string): Promise<void> =>
  invoke('save_document_pending', { documentId, pending });
export const renameDocument = (documentId: number, title: string): Promise<void> =>
  invoke('rename_document', { documentId, title });
export const deleteDocument = (documentId: number): Promise<void> => invoke('delete_document', { documentId });
export const restoreDocument = (documentId: number): Promise<void> => invoke('restore_document', { documentId });
export const searchDocuments = (query: string): Promise<DocumentHit[]> => invoke('search_documents', { query });
/** Starts a drafting action; resolves to its run id for `stopDraft`. */
export const draftAction = (request: DraftRequest, onUpdate: (update: AnswerUpdate) => void): Promise<number> =>
  invoke('draft_action', { request, onUpdate: channel(onUpdate) });
export const stopDraft = (runId: number): Promise<boolean> => invoke('stop_draft', { runId });
