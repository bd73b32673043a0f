// The window's only door to the Rust side. Every call goes through `call`, typed by the
// contract that Rust generates (contract.ts), so a renamed command, argument or result
// field fails the type check instead of failing at run time.
import { Channel, invoke } from '@tauri-apps/api/core';
import * as memory from './memory';
import {
  ERROR_KINDS,
  RAW_ARGUMENT_HEADERS,
  type AttachmentUse,
  type ChatStart,
  type Commands,
  type Decision,
  type DraftRequest,
  type ErrorReport,
  type McpServer,
  type PageAt,
  type Settings,
  type Update,
} from './contract';

export type {
  ConversationPage,
  PageAt,
  AnswerExtras,
  AnswerUsage,
  AppInfo,
  Assistant,
  Attachment,
  AttachmentKind,
  AttachmentUse,
  BuiltinAssistant,
  CatalogModel,
  CatalogProblem,
  ChatMessage,
  ChatStart,
  ConnectionReport,
  ConversationSummary,
  Decision,
  Document,
  DocumentHit,
  DocumentSummary,
  DraftRequest,
  ErrorKind,
  ErrorReport,
  Hints,
  ImportedServer,
  KeyReport,
  McpServer,
  McpToolInfo,
  McpTransport,
  ModelCatalog,
  ModelRef,
  Preset,
  Pricing,
  ProviderSetup,
  ReasoningEffort,
  SearchHit,
  Settings,
  StreamEvent,
  ToolActivity,
  ToolImage,
  ToolInfo,
  ToolRule,
  ToolStage,
  Turn,
  Update,
  UsageRow,
  UsageTotals,
  WellKnownServer,
} from './contract';

/**
 * A rejection that is not one of Rust's reports: the bridge itself failed (no backend
 * behind the window, an argument the command did not take) or the window has a bug.
 */
export interface UnknownFailure {
  kind: 'unknown';
  message: string;
}

/** What a failed call is shown as. */
export type BackendError = ErrorReport | UnknownFailure;

const knownKinds: ReadonlySet<string> = new Set(ERROR_KINDS);

function isErrorReport(value: unknown): value is ErrorReport {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, message } = value as Record<string, unknown>;
  return typeof kind === 'string' && knownKinds.has(kind) && typeof message === 'string';
}

/** Anything thrown, as something the window can show. */
export function asBackendError(value: unknown): BackendError {
  if (isErrorReport(value)) return value;
  return { kind: 'unknown', message: value instanceof Error ? value.message : String(value) };
}

/** One command, with its arguments and result as the contract has them. */
export function call<K extends keyof Commands>(name: K, args: Commands[K]['args']): Promise<Commands[K]['result']> {
  return invoke<Commands[K]['result']>(name, args);
}

// Commands that answer `null` have nothing to read, so their wrappers resolve to void
// and fit callbacks that expect `Promise<void>`.
async function nothing(pending: Promise<null>): Promise<void> {
  await pending;
}

/** What an answer or a draft sends the window; `pending` never reaches the caller. */
export type StreamUpdate = Exclude<Update, { type: 'pending' }>;

/** Whether `update` carries the stream's one end, after which nothing more comes (Rust's `Event::is_end`). */
export function endsStream(update: Update): boolean {
  return update.type === 'events' && update.events.some((e) => e.type === 'finish' || e.type === 'error');
}

/**
 * What waited in an outbox as few updates as it can be: runs of events become one update,
 * and runs of text (or reasoning) one event. Rust batches a frame's events, but it also
 * sends whatever it has whenever the network pauses, which at a model's pace is after
 * nearly every token; a window that took thirty of those in one frame spent a document
 * change (or a render) on each.
 */
export function joinUpdates(updates: readonly Update[]): StreamUpdate[] {
  const out: StreamUpdate[] = [];
  for (const update of updates) {
    if (update.type === 'pending') continue;
    const last = out[out.length - 1];
    if (update.type !== 'events' || last?.type !== 'events') {
      out.push(update.type === 'events' ? { type: 'events', events: [...update.events] } : update);
      continue;
    }
    for (const event of update.events) {
      const previous = last.events[last.events.length - 1];
      if ((event.type === 'text' || event.type === 'reasoning') && previous?.type === event.type) {
        last.events[last.events.length - 1] = { type: event.type, text: previous.text + event.text };
      } else {
        last.events.push(event);
      }
    }
  }
  return out;
}

/** Resolves at the next frame, or after 100 ms in a hidden window, where frames stop. */
function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * How long the window goes on taking, every other frame, after it last found something. A
 * model writing 100 tokens a second fills the outbox about every other frame: stopping
 * at the first empty take meant a notice (a script evaluated) and two takes for each
 * update, and in the real window each cost the web process memory it kept. Half a
 * second covers the gaps of a steady stream; a longer pause (a tool running, a slow
 * model) ends the taking with a take that says so (`waitAfter`), and the next update
 * notifies again. Time, not frames: a hidden window's frames are 100 ms or more apart.
 */
const KEEP_TAKING_MS = 500;

/**
 * Frames from one take to the next while updates keep coming. Each update the window
 * takes in is rendered, and the real window's web process keeps memory for each: 30 s
 * after a 20,000-token answer at 1,000 tokens a second it held 6 MB less taking every
 * other frame (+60 MB over idle against +66, two runs each; bench-window). Text that
 * grows 30 times a second reads as smoothly as at 60, and the window still paints
 * every frame.
 */
const FRAMES_PER_TAKE = 2;

/**
 * The channel an answer or a draft streams over. Rust keeps the updates in an outbox
 * and says only that something waits (`pending`): each channel message is a script
 * evaluated in the web view, which WebKitGTK pays for in memory. The window takes what
 * waits every other frame while it finds something and for half a second after, so a
 * streaming answer costs one channel message, not one per frame or per update (Rust's
 * `outbox` module has the why).
 */
function channel(onUpdate: (update: StreamUpdate) => void): Channel<Update> {
  const ch = new Channel<Update>();
  let taking = false;
  // A notice can arrive while the last take (`waitAfter`) is on its way back: it is not lost.
  let again = false;
  const take = async (outbox: number): Promise<void> => {
    if (taking) {
      again = true;
      return;
    }
    taking = true;
    let ended = false;
    memory.streamBegan();
    try {
      do {
        again = false;
        let found = performance.now();
        for (;;) {
          const waitAfter = performance.now() - found >= KEEP_TAKING_MS;
          const waiting = await call('take_updates', { outbox, waitAfter });
          for (const next of joinUpdates(waiting)) onUpdate(next);
          // Rust drops an outbox once its end is taken (Event::is_end): nothing more comes.
          ended = waiting.some(endsStream);
          if (ended) return;
          if (waiting.length) found = performance.now();
          else if (waitAfter) break;
          for (let frame = 0; frame < FRAMES_PER_TAKE; frame++) await nextFrame();
        }
      } while (again);
    } finally {
      taking = false;
      memory.streamStopped(ended);
    }
  };
  ch.onmessage = (update) => {
    if (update.type === 'pending') void take(update.outbox);
    else onUpdate(update);
  };
  return ch;
}

/** `onClosing` runs when the person closes the window, which then waits for `closeWindow`. */
export function whenClosing(onClosing: () => void): Promise<void> {
  const closing = new Channel<null>();
  closing.onmessage = onClosing;
  return nothing(call('when_closing', { closing }));
}

export const appInfo = () => call('app_info', {});
export const getSettings = () => call('get_settings', {});
/** Rust checks each change and answers with all the settings as saved. */
export const saveSettings = (changes: Partial<Settings>) => call('save_settings', { changes });
export const presets = () => call('presets', {});

export const keyStatus = (provider: string) => call('key_status', { provider });
/** Rust binds the key to the origin of `baseUrl`, the address it was typed for, and
 * sends it nowhere else. */
export const saveKey = (provider: string, key: string, sessionOnly: boolean, baseUrl: string | null) =>
  call('save_key', { provider, key, sessionOnly, baseUrl });
export const deleteKey = (provider: string) => call('delete_key', { provider });
export const testConnection = () => call('test_connection', {});
/** The first pages (or paragraphs) of a stored document that cost at most `maxTokens`. */
export const attachmentFirstPart = (id: string, name: string, maxTokens: number) =>
  call('attachment_first_part', { id, name, maxTokens });
/** A summary the saved model writes of a stored document, part by part. */
export const summarizeAttachment = (id: string, name: string) => call('summarize_attachment', { id, name });
/** What the saved model reads at once and whether it takes pictures (null: not said). */
export const modelReport = () => call('model_report', {});
/** The models of the saved gateway, or of the provider, protocol and address given. */
export const listModels = (provider?: string, protocol?: Settings['protocol'], baseUrl?: string) =>
  call('list_models', { provider: provider ?? null, protocol: protocol ?? null, baseUrl: baseUrl ?? null });
export const listTools = () => call('list_tools', {});

export const listConversations = () => call('list_conversations', {});
/** A page of a conversation: its newest messages, those before or after one, or those
 * around a search hit. */
export const conversationPage = (conversationId: number, at: PageAt) => call('conversation_page', { conversationId, at });
export const renameConversation = (conversationId: number, title: string) =>
  nothing(call('rename_conversation', { conversationId, title }));
export const deleteConversation = (conversationId: number) => nothing(call('delete_conversation', { conversationId }));
export const restoreConversation = (conversationId: number) =>
  nothing(call('restore_conversation', { conversationId }));
export const searchConversations = (query: string) => call('search_conversations', { query });
export const exportConversation = (conversationId: number) => call('export_conversation', { conversationId });

/** `text` may be empty when the message carries attachments. `start` (what a new chat
 * talks to) is read only when `conversationId` is null; a conversation keeps its own. */
export const sendMessage = (
  conversationId: number | null,
  text: string,
  attachments: AttachmentUse[] | null,
  replaceFrom: number | null,
  start: ChatStart | null,
  onUpdate: (update: StreamUpdate) => void,
) => call('send_message', { conversationId, text, attachments, replaceFrom, start, onUpdate: channel(onUpdate) });
export const regenerateAnswer = (answerId: number, onUpdate: (update: StreamUpdate) => void) =>
  call('regenerate_answer', { answerId, onUpdate: channel(onUpdate) });
export const continueAnswer = (answerId: number, onUpdate: (update: StreamUpdate) => void) =>
  call('continue_answer', { answerId, onUpdate: channel(onUpdate) });
export const stopAnswer = (answerId: number) => call('stop_answer', { answerId });

/** Every model of every provider set up, with what each list failed on; `refresh`
 * fetches the lists again instead of using the ones kept. */
export const listAllModels = (refresh: boolean) => call('list_all_models', { refresh });
/** Picks a model for the conversation (when given), for new chats and as the most
 * recent; answers with the settings as saved. */
export const chooseModel = (conversationId: number | null, provider: string, model: string) =>
  call('choose_model', { conversationId, provider, model });
/** Tokens and cost by day and by model. */
export const usageTotals = () => call('usage_totals', {});
/** The conversation summed up by its own model, to start a new chat from. */
export const summarizeConversation = (conversationId: number) => call('summarize_conversation', { conversationId });

export const openLink = (url: string) => nothing(call('open_link', { url }));
export const copyText = (text: string) => nothing(call('copy_text', { text }));
/** HTML and its plain-text form on the clipboard, so a paste keeps the formatting. */
export const copyFormatted = (html: string, text: string) => nothing(call('copy_formatted', { html, text }));
export const fetchImage = (url: string) => call('fetch_image', { url });
/** Writes an export into the Downloads folder; returns where it went. With a conversation's
 * id, Rust also writes its attachments into a folder beside the file, which the Markdown links. */
export const saveExport = (fileName: string, content: string, conversationId: number | null = null) =>
  call('save_export', { fileName, content, conversationId });

type AddAttachment = Commands['add_attachment'];
type SaveDocument = Commands['save_document'];
type EditDocument = Commands['edit_document'];
/**
 * Prepares a file for a message: Rust decodes it off its main thread (a big photo takes a
 * second or two) and answers with what the model will be given. The bytes go as the raw
 * request body, not as JSON (a number array would be several times the file's size), so
 * the name travels in a header, percent-encoded because headers are ASCII.
 */
export const addAttachment = (name: AddAttachment['args']['name'], bytes: AddAttachment['args']['bytes']) =>
  invoke<AddAttachment['result']>('add_attachment', bytes, {
    headers: { [RAW_ARGUMENT_HEADERS.add_attachment.name]: encodeURIComponent(name) },
  });
/** A picture attachment as a `data:` URL: a 256-px thumbnail, or exactly what the model got. */
export const attachmentImage = (id: string, thumbnail: boolean) => call('attachment_image', { id, thumbnail });

export const listDocuments = () => call('list_documents', {});

// Rust saves and opens a document off its main thread, so two calls sent back to back
// could land in either order. Each call that writes a document, and each opening of one,
// waits for the ones sent before it: saves land in the order they were made, and a
// document opened again shows what was typed. (Lists and searches do not wait; a
// moment's lag there is harmless.)
let documentCalls: Promise<unknown> = Promise.resolve();
function inOrder<T>(next: () => Promise<T>): Promise<T> {
  const done = documentCalls.then(next, next);
  documentCalls = done.catch(() => undefined);
  return done;
}

export const openDocument = (documentId: number) => inOrder(() => call('open_document', { documentId }));
export const createDocument = (title: string, content: string) => inOrder(() => call('create_document', { title, content }));
/** The text goes as the raw UTF-8 body: a long document is hundreds of kilobytes, and JSON would copy and escape it. */
const saveWhole = (documentId: number, content: string) =>
  nothing(
    invoke<SaveDocument['result']>('save_document', new TextEncoder().encode(content), {
      headers: { [RAW_ARGUMENT_HEADERS.save_document.documentId]: encodeURIComponent(documentId) },
    }),
  );

/** What was typed since the last save (`drafting/unsaved.ts`), taken when its save's turn comes. */
export interface Typed {
  /** The edit of the saved text; null when nothing changed; 'whole' to send all of it. */
  edit(): Omit<EditDocument['args'], 'documentId'> | null | 'whole';
  /** The whole text, now counted as saved. */
  whole(): string;
  /** The save failed: called in its turn, so that the next save, already queued, knows. */
  failed(): void;
}

/**
 * Saves a document's typing. It is taken only when the save's turn comes among the
 * document calls, so each edit counts from what the saves before it left, and the whole
 * text goes in the same turn when the backend refuses the edit (its copy is not the text
 * the edit counts from): a delete or a close asked for after the save lands after it.
 * Resolves to whether anything was saved.
 */
export const saveTyping = (documentId: number, typed: Typed) =>
  inOrder(async () => {
    try {
      const edit = typed.edit();
      if (edit === null) return false;
      if (edit === 'whole' || !(await call('edit_document', { documentId, ...edit }))) await saveWhole(documentId, typed.whole());
      return true;
    } catch (err) {
      typed.failed();
      throw err;
    }
  });
/**
 * Closes the window once the document calls sent before it are answered: a save already
 * on its way when the window was closed lands before the app quits.
 */
export const closeWindow = () => inOrder(() => nothing(call('close_window', {})));
/** The window stays open after all (what it holds is not saved): Rust stops waiting to close it. */
export const keepWindowOpen = () => nothing(call('keep_window_open', {}));
/**
 * Saves a document's pending change (its JSON; '' clears it), taken when the save's turn
 * comes, after the typing saved before it has landed or failed; null skips it. Resolves
 * to whether it was saved.
 */
export const saveDocumentPending = (documentId: number, take: () => string | null) =>
  inOrder(async () => {
    const pending = take();
    if (pending === null) return false;
    await call('save_document_pending', { documentId, pending });
    return true;
  });
export const renameDocument = (documentId: number, title: string) =>
  inOrder(() => nothing(call('rename_document', { documentId, title })));
export const deleteDocument = (documentId: number) => inOrder(() => nothing(call('delete_document', { documentId })));
export const restoreDocument = (documentId: number) => inOrder(() => nothing(call('restore_document', { documentId })));
export const searchDocuments = (query: string) => call('search_documents', { query });
/** Starts a drafting action; resolves to its run id for `stopDraft`. */
export const draftAction = (request: DraftRequest, onUpdate: (update: StreamUpdate) => void) =>
  call('draft_action', { request, onUpdate: channel(onUpdate) });
export const stopDraft = (runId: number) => call('stop_draft', { runId });

/** Values of a server's environment variables or headers, by name. */
export type Secrets = { [name: string]: string };

export const mcpWellKnown = () => call('mcp_well_known', {});
/** Reads pasted `mcpServers` JSON; refused with `mcp_config` and a plain reason. */
export const mcpImport = (text: string) => call('mcp_import', { text });
/** The secrets' values go to the keychain and never come back; a name given no value
 * keeps the value saved for it. */
export const mcpSaveServer = (server: McpServer, secrets: Secrets) => call('mcp_save_server', { server, secrets });
/** Removes the server with its secrets and its tools' rules. */
export const mcpDeleteServer = (id: string) => call('mcp_delete_server', { id });
/** Starts the server, lists its tools and stops it: up to a minute. Typed secrets are
 * used before the saved ones, so a server can be tried before it is saved. */
export const mcpTestServer = (server: McpServer, secrets: Secrets) => call('mcp_test_server', { server, secrets });
/** The person's answer on a tool card; false when the call no longer waits. */
export const answerToolCall = (callId: string, decision: Decision) => call('answer_tool_call', { callId, decision });
