// An in-page stand-in for the Rust side, for UI tests in a plain browser (mock.html).
// It keeps conversations and documents in memory and plays scripted answers through the
// same channel shape the real backend uses; tests steer it through `window.foxtailMock`.
//
// Its handlers are checked against the contract Rust generates (contract.ts), so a
// command, argument, result field or error kind that changes in Rust fails
// `npm run check` until the fake follows. It keeps none of Rust's rules (which addresses
// are allowed, how titles are cut, how much of a key is shown, how tool cards are built):
// where a test needs Rust's decision, the test scripts it, and Rust's own tests check
// the rules through IPC.
import type { Channel, InvokeOptions } from '@tauri-apps/api/core';
import {
  DEFAULT_SETTINGS,
  PRESETS,
  RAW_ARGUMENT_HEADERS,
  type AnswerExtras,
  type Attachment,
  type AttachmentUse,
  type ChatMessage,
  type ChatStart,
  type ConversationPage,
  type Commands,
  type ConversationSummary,
  type Decision,
  type PageAt,
  type Document,
  type DraftRequest,
  type ErrorKind,
  type ErrorReport,
  type ImportedServer,
  type KeyReport,
  type McpServer,
  type McpToolInfo,
  type ModelCatalog,
  type Role,
  type StreamEvent,
  type ToolActivity,
  type ToolStage,
  type Update,
  type UsageRow,
  type UsageTotals,
  type WellKnownServer,
} from '../lib/contract';

/** One step of a scripted answer or draft: wait, then send what Rust would send. */
export interface ScriptStep {
  delay: number;
  events?: StreamEvent[];
  /** The answer's tool cards and refusal as Rust has them after these events. */
  extras?: AnswerExtras;
  /** Saving the answer failed here; it streams on, as in Rust. */
  saveFailed?: { kind: ErrorKind; message: string };
}

type Handlers = {
  [K in keyof Commands]: (args: Commands[K]['args']) => Commands[K]['result'] | Promise<Commands[K]['result']>;
};

interface Conversation {
  id: number;
  title: string;
  updated_at: number;
  deleted: boolean;
  messages: ChatMessage[];
  /** What it talks to; null means the settings' default, as in Rust. */
  provider?: string | null;
  model?: string | null;
  assistant?: string | null;
}

interface StoredDocument extends Document {
  deleted: boolean;
}

/** A key as the window sent it, so tests can check what was saved and for which address. */
interface StoredKey {
  key: string;
  sessionOnly: boolean;
  baseUrl?: string | null;
}

interface Running {
  timer: ReturnType<typeof setTimeout> | undefined;
  channel: Channel<Update>;
}

/**
 * What the picker lists unless a test scripts `control.catalog`: two models of the
 * default provider, one of them able to reason, with prices per token as Rust has them.
 */
export const FAKE_CATALOG: ModelCatalog = {
  models: [
    {
      provider: 'ofox',
      id: 'anthropic/claude-sonnet-4.5',
      name: 'Claude Sonnet 4.5',
      context_length: 200_000,
      image_input: true,
      tools: true,
      reasoning: true,
      pricing: { prompt: 0.000003, completion: 0.000015, cache_read: 0.0000003, cache_write: 0.00000375 },
    },
    {
      provider: 'ofox',
      id: 'openai/gpt-4o',
      name: 'GPT-4o',
      context_length: 128_000,
      image_input: true,
      tools: true,
      reasoning: false,
      pricing: { prompt: 0.0000025, completion: 0.00001, cache_read: null, cache_write: null },
    },
  ],
  problems: [],
};

export const FAKE_CONVERSATION_SUMMARY =
  '- You asked for a plan for the trip to Busan.\n- We settled on the train on Friday morning.';

/** Splits text into token-sized pieces streamed `delay` ms apart. */
export function tokens(text: string, delay = 10): ScriptStep[] {
  const pieces = text.match(/\s*\S+|\s+/g) ?? [];
  return pieces.map((piece) => ({ delay, events: [{ type: 'text', text: piece }] }));
}

export const DEFAULT_ANSWER =
  '# A heading\n\nSome **bold** text and a list:\n\n- one\n- two\n\n```rust\nfn main() {}\n```\n\nThe end.';

const DEFAULT_DRAFT = 'Thank you for the invitation. I am sorry, but I cannot attend on Friday.';

/** The tools every fake MCP server offers when tested: one that reads, one that deletes. */
export const FAKE_MCP_TOOLS: McpToolInfo[] = [
  {
    name: 'lookup',
    title: 'Look up a value',
    description: 'Finds the value stored under a key.',
    hints: { read_only: true, destructive: false },
  },
  {
    name: 'delete_note',
    title: '',
    description: 'Deletes a note for good.',
    hints: { read_only: false, destructive: true },
  },
];

const FAKE_WELL_KNOWN: WellKnownServer[] = [
  {
    name: 'Time',
    description: 'The current time in any time zone, and conversions between them.',
    server: {
      id: 'time',
      name: 'Time',
      enabled: true,
      transport: { kind: 'stdio', command: 'uvx', args: ['mcp-server-time'], env: [] },
      auto_read_only: true,
      timeout_s: null,
    },
    needs: 'uv (Python)',
  },
  {
    name: 'Memory',
    description: 'A small knowledge graph the model can remember things in.',
    server: {
      id: 'memory',
      name: 'Memory',
      enabled: true,
      transport: { kind: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: [] },
      auto_read_only: false,
      timeout_s: null,
    },
    needs: 'Node.js',
  },
];

/**
 * Calls that wait for the person: a user message containing `trigger` (and no scripted
 * answer queued) gets an answer that calls `name` on the "Test server" and waits for
 * `answer_tool_call`. Allowed, it goes on with `result`; denied, without it. A drafting
 * instruction containing `trigger` (and no scripted draft queued) does the same, with
 * no text before the call, since a draft's text goes into the document.
 */
export const ASKING_CALLS = [
  {
    trigger: 'use the lookup tool',
    name: 'lookup',
    arguments: { key: 'x', options: { exact: true } },
    destructive: false,
    before: 'Let me look that up.',
    result: 'value of x is 42',
    allowed: 'The value of x is 42.',
    denied: 'Without the lookup I cannot say what x is.',
  },
  {
    trigger: 'use the delete tool',
    name: 'delete_note',
    arguments: { title: 'Shopping list' },
    destructive: true,
    before: 'I will delete that note.',
    result: 'Deleted the note “Shopping list”.',
    allowed: 'The note is gone.',
    denied: 'The note stays as it is.',
  },
];

type AskingCall = (typeof ASKING_CALLS)[number];

/**
 * A user message containing `trigger` (and no scripted answer queued) gets the default
 * answer with this notice in its extras, sent first, as Rust does when a server could not
 * start and its tools were left out.
 */
export const BROKEN_SERVER = {
  trigger: 'use the broken server',
  notice:
    'The tools of “Time” were not offered in this answer: The server “Time” could not start: “uvx” was not found in any of these folders: /usr/local/bin, /usr/bin, /bin.',
};

export const ASKING_SOURCE = 'Test server';
/** The id the asking calls' server has in tool rules. */
export const ASKING_SERVER_ID = 'test';
export const DECLINED =
  'The person declined this tool call. Go on without it, and do not try it again unless they ask.';

/**
 * Files `add_attachment` refuses by name, as Rust would refuse them by content; and
 * `long.pdf`, which is taken but holds more than a model reads at once, so a message
 * carrying it is refused when it is sent.
 */
export const ATTACHMENT_TRIGGERS = {
  noText: 'scan.pdf',
  tooLarge: 'huge.pdf',
  long: 'long.pdf',
};

/** What the fake says a PDF has: the example the window's wording was written for. */
export const FAKE_PDF = { pages: 12, tokens: 9_800 };
/** The size every fake picture "has" after scaling, and its tokens (w × h / 750). */
export const FAKE_PICTURE = { width: 800, height: 600, tokens: 640 };
/** Rust's caps, for the fake's refusals. */
const MAX_ATTACHMENTS = 10;
const CONTEXT_TOKENS = 128_000;

// A small orange picture and a smaller blue one: the thumbnail and the full view differ,
// so a test can tell which was asked for.
const THUMBNAIL_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAAQ0lEQVR42u3PQQkAAAgEsAtgTbsbwwp+hcEKLNP1WgQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQErha66SzxI8sxWgAAAABJRU5ErkJggg==';
const FULL_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mOQqzgBRAwQCgAjrgV5ttAibgAAAABJRU5ErkJggg==';

const PICTURE_NAME = /\.(png|jpe?g|webp|gif)$/i;
const DOCUMENT_NAME =
  /\.(pdf|docx|txt|text|md|markdown|csv|tsv|json|xml|html?|ya?ml|toml|ini|log|py|js|mjs|ts|tsx|jsx|rs|go|java|c|h|cpp|cs|rb|php|sh|sql|css|svelte)$/i;

/** A content id, as Rust's is: the same bytes under any name are one attachment. */
function contentId(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return `fake-${hash.toString(16).padStart(8, '0')}-${bytes.length}`;
}

function fail(kind: ErrorKind, message: string): never {
  throw { kind, message } satisfies ErrorReport;
}

const isEnd = (event: StreamEvent) => event.type === 'finish' || event.type === 'error';

/** The event without its `type`, as Rust saves it with the answer. */
function reportOf({ kind, message, status }: ErrorReport): ErrorReport {
  return status === undefined ? { kind, message } : { kind, message, status };
}

export function createFakeBackend() {
  const control = {
    settings: structuredClone(DEFAULT_SETTINGS),
    keys: new Map<string, StoredKey>(),
    /**
     * What key reports give as the end of a saved key. Rust decides how much of a key
     * the window may see, so the fake does not cut it from the key itself.
     */
    keyTail: 'wxyz',
    keychainAvailable: true,
    /** The next call of each command listed fails with this report, as Rust would refuse it. */
    failNext: {} as { [K in keyof Commands]?: ErrorReport },
    /** Every call of each command listed fails with this report until it is taken out (a full disk). */
    failing: {} as { [K in keyof Commands]?: ErrorReport },
    /** Scripts for the next answers, first in first out; the default answer after. */
    answers: [] as ScriptStep[][],
    calls: [] as { cmd: string; args: Record<string, unknown> }[],
    /** Channel notices sent ("something waits in the outbox"), each a script Rust has evaluated in the page. */
    notices: 0,
    clipboard: '',
    clipboardHtml: '',
    opened: [] as string[],
    conversations: [] as Conversation[],
    documents: [] as StoredDocument[],
    /** Scripts for the next drafting runs, first in first out; a default text after. */
    drafts: [] as ScriptStep[][],
    draftRequests: [] as DraftRequest[],
    /** The last `draft_action`'s request, files and all, whether it started or was refused. */
    lastDraft: null as DraftRequest | null,
    draftRunning: new Map<number, Running>(),
    nextId: 1,
    running: new Map<number, Running & { message: ChatMessage }>(),
    /** Values of the MCP servers' secrets, by server id, as the keychain would keep them. */
    mcpSecrets: new Map<string, Record<string, string>>(),
    /** How long a server test takes, so its busy state can be seen. */
    mcpTestDelay: 300,
    /** How long an approved tool runs in a draft, so its running state can be seen. */
    toolRunDelay: 200,
    /** Tool calls waiting for the person, by call id, with the answer or draft run they hold up. */
    waiting: new Map<string, { owner: number; decide: (decision: Decision) => void }>(),
    /** What the gateway's model list says of the saved model; unknown unless a test sets it. */
    modelFacts: { context_length: null as number | null, image_input: null as boolean | null },
    /** Attachments prepared, by id, as Rust stores them once by content. */
    attachments: new Map<string, Attachment>(),
    /** How long preparing a file takes, so the busy chip can be seen. */
    attachmentDelay: 150,
    /** The arguments of the last `send_message`, without its channel. */
    lastSend: null as null | {
      conversationId: number | null;
      text: string;
      attachments: AttachmentUse[] | null;
      replaceFrom: number | null;
      start: ChatStart | null;
    },
    /** What `list_all_models` answers, refreshed or not; tests replace it. */
    catalog: structuredClone(FAKE_CATALOG),
    /** How long listing the models takes, so the picker's loading state can be seen. */
    catalogDelay: 0,
    /** How long opening a document takes, so a view can be left before its text arrives. */
    openDelay: 0,
    /** What `summarize_conversation` answers, after `summaryDelay` ms. */
    conversationSummary: FAKE_CONVERSATION_SUMMARY,
    summaryDelay: 200,
    /** What `usage_totals` answers; null sums up the stored answers' usage instead. */
    usageTotals: null as UsageTotals | null,
    /** Where the window asked to be told that it is being closed; a test closes it through this. */
    closing: null as Channel<null> | null,
    /** The window closed itself (`close_window`) after saving. */
    closed: false,
    /** Times the window stayed open when closed (`keep_window_open`): what it held was not saved. */
    keptOpen: 0,
  };

  const now = () => Date.now();

  function summary(c: Conversation): ConversationSummary {
    return {
      id: c.id,
      title: c.title,
      updated_at: c.updated_at,
      message_count: c.messages.length,
      provider: c.provider ?? null,
      model: c.model ?? null,
      assistant: c.assistant ?? null,
    };
  }

  /** What a new chat talks to, in Rust's order: the picker's choice, else the
   * assistant's model, else the settings. */
  function started(start: ChatStart | null): { provider: string; model: string; assistant: string | null } {
    const { settings } = control;
    const assistant = start?.assistant || null;
    const own = settings.assistants.find((a) => a.id === assistant);
    const chosen = start?.provider ? { provider: start.provider, model: start.model } : own?.model;
    const setup = chosen ? settings.providers.find((p) => p.id === chosen.provider) : undefined;
    if (!setup || !chosen) return { provider: settings.provider, model: settings.model, assistant };
    return { provider: setup.id, model: chosen.model?.trim() || settings.model, assistant };
  }

  /** A plain sum of the stored answers' usage; how Rust groups days and orders rows is
   * Rust's to test. */
  function summedUsage(): UsageTotals {
    const rows = new Map<string, UsageRow>();
    const add = (key: string, usage: NonNullable<AnswerExtras['usage']>) => {
      const row = rows.get(key) ?? { key, answers: 0, input_tokens: 0, output_tokens: 0, cost: 0, uncosted: 0 };
      row.answers += 1;
      row.input_tokens += usage.input_tokens;
      row.output_tokens += usage.output_tokens;
      if (usage.cost === null) row.uncosted += 1;
      else row.cost += usage.cost;
      rows.set(key, row);
    };
    for (const conv of control.conversations) {
      for (const m of conv.messages) {
        if (!m.extras.usage) continue;
        const day = new Date(m.created_at);
        const pad = (n: number) => String(n).padStart(2, '0');
        add(`day:${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`, m.extras.usage);
        add(`model:${m.model ?? ''}`, m.extras.usage);
      }
    }
    const pick = (prefix: string) =>
      [...rows.values()].filter((r) => r.key.startsWith(prefix)).map((r) => ({ ...r, key: r.key.slice(prefix.length) }));
    return {
      by_day: pick('day:').sort((a, b) => b.key.localeCompare(a.key)),
      by_model: pick('model:').sort((a, b) => b.cost - a.cost),
    };
  }

  /** Rust's paging (storage/src/message_pages.rs), with its page size. */
  function pageOf(messages: ChatMessage[], at: PageAt): ConversationPage {
    const PAGE = 40;
    const index = (id: number) => messages.findIndex((m) => m.id >= id);
    const end = (id: number) => (index(id) < 0 ? messages.length : index(id));
    let from: number;
    let to: number;
    switch (at.at) {
      case 'latest':
        to = messages.length;
        from = Math.max(0, to - PAGE);
        break;
      case 'before':
        to = end(at.message_id);
        from = Math.max(0, to - PAGE);
        break;
      case 'after':
        from = end(at.message_id + 1);
        to = Math.min(messages.length, from + PAGE);
        break;
      case 'around': {
        const hit = end(at.message_id);
        from = Math.max(0, hit - PAGE / 4);
        to = Math.min(messages.length, hit + PAGE - (hit - from));
        break;
      }
    }
    const usages = messages.flatMap((m) => (m.extras.usage ? [{ message_id: m.id, usage: m.extras.usage }] : []));
    return { messages: messages.slice(from, to), more_before: from > 0, more_after: to < messages.length, usages };
  }

  function conversation(id: number): Conversation {
    return control.conversations.find((c) => c.id === id && !c.deleted) ?? fail('not_found', `No conversation ${id}.`);
  }

  function findMessage(id: number): { conv: Conversation; message: ChatMessage } {
    for (const conv of control.conversations) {
      const message = conv.messages.find((m) => m.id === id);
      if (message) return { conv, message };
    }
    return fail('not_found', `No message ${id}.`);
  }

  function document(id: number): StoredDocument {
    return control.documents.find((d) => d.id === id && !d.deleted) ?? fail('not_found', `No document ${id}.`);
  }

  function documentOf(d: StoredDocument): Document {
    const { id, title, content, pending, created_at, updated_at } = d;
    return { id, title, content, pending, created_at, updated_at };
  }

  function newMessage(conv: Conversation, role: Role, content: string): ChatMessage {
    const message: ChatMessage = {
      id: control.nextId++,
      conversation_id: conv.id,
      role,
      content,
      reasoning: '',
      status: role === 'user' ? 'complete' : 'streaming',
      error: null,
      model: role === 'assistant' ? (conv.model ?? control.settings.model) : null,
      extras: { refusal: '', tools: [] },
      attachments: [],
      created_at: now(),
      updated_at: now(),
    };
    conv.messages.push(message);
    conv.updated_at = now();
    return message;
  }

  /** The origin a key is bound to, as Rust reports it (the binding rule itself is Rust's). */
  function originOf(url: string | null | undefined): string | null {
    try {
      return url ? new URL(url).origin : null;
    } catch {
      return null;
    }
  }

  function keyReport(provider: string): KeyReport {
    const entry = control.keys.get(provider);
    return entry
      ? { is_set: true, last_four: control.keyTail, session_only: entry.sessionOnly, origin: originOf(entry.baseUrl) }
      : { is_set: false, last_four: null, session_only: false, origin: null };
  }

  /** Each channel's outbox, as Rust keeps them (src-tauri/src/outbox.rs). */
  const outboxes = new Map<number, { updates: Update[]; told: boolean }>();
  const outboxOf = new WeakMap<Channel<Update>, number>();

  /** Puts an update in the channel's outbox and, as Rust does, says so once until the
   * window finds the outbox empty with a take after which it waits (`waitAfter`): the
   * window's taking is what the tests exercise. */
  function post(channel: Channel<Update>, update: Update): void {
    let id = outboxOf.get(channel);
    if (id === undefined) {
      id = outboxes.size + 1;
      outboxOf.set(channel, id);
      outboxes.set(id, { updates: [], told: false });
    }
    const outbox = outboxes.get(id)!;
    outbox.updates.push(update);
    if (!outbox.told) {
      outbox.told = true;
      control.notices += 1;
      channel.onmessage({ type: 'pending', outbox: id });
    }
  }

  /** Sends one step in Rust's order: the events, the cards they changed, the end last. */
  function deliver(channel: Channel<Update>, step: ScriptStep): boolean {
    const events = step.events ?? [];
    const body = events.filter((e) => !isEnd(e));
    const end = events.filter(isEnd);
    if (body.length) post(channel, { type: 'events', events: body });
    if (step.extras) post(channel, { type: 'extras', extras: step.extras });
    if (step.saveFailed) post(channel, { type: 'save_failed', ...step.saveFailed });
    if (end.length) post(channel, { type: 'events', events: end });
    return end.length > 0;
  }

  /** Plays `script` step by step; `keep` saves what each step changed. */
  function play(script: ScriptStep[], running: Running, keep: (step: ScriptStep) => void, done: () => void): void {
    let next = 0;
    const tick = () => {
      const step = script[next++];
      if (!step) {
        done();
        return;
      }
      running.timer = setTimeout(() => {
        keep(step);
        if (deliver(running.channel, step)) done();
        else tick();
      }, step.delay);
    };
    tick();
  }

  function record(message: ChatMessage, step: ScriptStep): void {
    for (const event of step.events ?? []) {
      if (event.type === 'text') message.content += event.text;
      if (event.type === 'reasoning') message.reasoning += event.text;
      if (event.type === 'finish') message.status = 'complete';
      if (event.type === 'error') {
        message.status = event.kind === 'cancelled' ? 'cancelled' : event.kind === 'interrupted' ? 'interrupted' : 'error';
        message.error = reportOf(event);
      }
    }
    if (step.extras) message.extras = step.extras;
  }

  /** The user message an answer answers. */
  function askedFor(conv: Conversation, message: ChatMessage): string {
    const before = conv.messages.slice(0, conv.messages.indexOf(message));
    return before.reverse().find((m) => m.role === 'user')?.content ?? '';
  }

  function answer(conv: Conversation, message: ChatMessage, channel: Channel<Update>): void {
    const running = { timer: undefined, channel, message };
    control.running.set(message.id, running);
    const scripted = control.answers.shift();
    const asked = askedFor(conv, message);
    const keep = (step: ScriptStep) => record(message, step);
    const end = () => control.running.delete(message.id);
    const asking = scripted ? undefined : ASKING_CALLS.find((c) => asked.includes(c.trigger));
    if (asking) {
      askingRun(message.id, running, asking, { chat: true, keep, end });
      return;
    }
    const broken = !scripted && asked.includes(BROKEN_SERVER.trigger);
    const script = scripted ?? [
      ...(broken ? [{ delay: 10, extras: { refusal: '', tools: [], notices: [BROKEN_SERVER.notice] } }] : []),
      ...tokens(DEFAULT_ANSWER),
      { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ];
    play(script, running, keep, end);
  }

  /**
   * A run whose tool call waits for the person's answer, then goes on with the result or
   * without it. A chat answer says something first, and its steps carry the cards Rust
   * would send after each event; a draft has no cards, and its text (the document's)
   * starts after the call.
   */
  function askingRun(
    owner: number,
    running: Running,
    tool: AskingCall,
    how: { chat: boolean; keep: (step: ScriptStep) => void; end: () => void },
  ): void {
    const id = `call_${control.nextId++}`;
    const raw = JSON.stringify(tool.arguments);
    const before = how.chat ? tool.before : '';
    const card: ToolActivity = {
      index: 0,
      at: before.length,
      id,
      name: tool.name,
      arguments: raw,
      done: true,
      result: null,
      is_error: false,
      source: ASKING_SOURCE,
    };
    /** A step with these events, and with the card as it then stands when `over` is given. */
    const step = (events: StreamEvent[], over?: Partial<ToolActivity>, delay = 10): ScriptStep =>
      how.chat && over ? { delay, events, extras: { refusal: '', tools: [{ ...card, ...over }] } } : { delay, events };
    const staged = (stage: ToolStage, over: Partial<ToolActivity> = {}): ScriptStep =>
      step([{ type: 'tool_stage', id, source: ASKING_SOURCE, stage }], { stage, ...over });
    const finish = step([{ type: 'finish', reason: 'stop', raw: 'stop' }]);
    // The engine starts a later turn's text on a new paragraph only after earlier text.
    const after = (text: string) => tokens(before ? `\n\n${text}` : text);
    const half = Math.ceil(raw.length / 2);
    const first: ScriptStep[] = [
      ...(before ? [step([{ type: 'text', text: before }])] : []),
      step([
        { type: 'tool_call_delta', index: 0, id, name: tool.name, arguments_delta: raw.slice(0, half) },
        { type: 'tool_call_delta', index: 0, arguments_delta: raw.slice(half) },
      ]),
      step([{ type: 'tool_call', index: 0, id, name: tool.name, arguments: tool.arguments, arguments_raw: raw }], {}),
      staged({ stage: 'asking', destructive: tool.destructive }),
    ];
    play(first, running, how.keep, () => {
      control.waiting.set(id, {
        owner,
        decide: (decision) => {
          const declined: ToolStage = { stage: 'declined' };
          const then: ScriptStep[] =
            decision === 'deny'
              ? [
                  staged(declined),
                  step([{ type: 'tool_result', id, name: tool.name, content: DECLINED, is_error: true }], {
                    stage: declined,
                    result: DECLINED,
                    is_error: true,
                  }),
                  ...after(tool.denied),
                  finish,
                ]
              : [
                  staged({ stage: 'running' }),
                  step([{ type: 'tool_result', id, name: tool.name, content: tool.result, is_error: false }], { result: tool.result }, control.toolRunDelay),
                  ...after(tool.allowed),
                  finish,
                ];
          if (decision === 'always') {
            control.settings.tool_rules = { ...control.settings.tool_rules, [`${ASKING_SERVER_ID}/${tool.name}`]: 'allow' };
          }
          play(then, running, how.keep, how.end);
        },
      });
    });
  }

  /** Calls that wait for the person wait no more once their answer or draft is stopped. */
  function stopWaiting(owner: number): void {
    for (const [id, waiting] of control.waiting) if (waiting.owner === owner) control.waiting.delete(id);
  }

  /** A fake server's entry as Rust reads it from pasted JSON (its checks are Rust's). */
  function importServers(text: string): ImportedServer[] {
    const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    let value: unknown;
    try {
      value = JSON.parse(text.trim());
    } catch (err) {
      fail('mcp_config', `This is not JSON that Foxtail can read (${String(err)}). Paste the whole block, with its braces.`);
    }
    if (!isObject(value)) fail('mcp_config', 'Expected an object like {"mcpServers": {…}}.');
    const inner = value.mcpServers ?? value.servers;
    const servers: unknown = inner ?? ('command' in value || 'url' in value ? { server: value } : value);
    if (!isObject(servers)) fail('mcp_config', '“mcpServers” should hold an object of servers by name.');
    if (Object.keys(servers).length === 0) fail('mcp_config', 'There is no server in this JSON.');
    const taken: string[] = [];
    return Object.entries(servers).map(([name, entry]) => {
      if (!isObject(entry)) fail('mcp_config', `The server “${name}” should be an object.`);
      const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'server';
      let id = base;
      for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
      taken.push(id);
      const pairs = (v: unknown) => (isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {});
      let secrets: Record<string, string>;
      let transport: McpServer['transport'];
      if (typeof entry.command === 'string') {
        secrets = pairs(entry.env);
        const args = Array.isArray(entry.args) ? entry.args.map(String) : [];
        transport = { kind: 'stdio', command: entry.command.trim(), args, env: Object.keys(secrets) };
      } else if (typeof entry.url === 'string') {
        secrets = pairs(entry.headers);
        transport = { kind: 'http', url: entry.url.trim(), headers: Object.keys(secrets) };
      } else {
        fail('mcp_config', `“${name}” needs either a “command” (a program to start) or a “url”.`);
      }
      const server: McpServer = { id, name, enabled: entry.disabled !== true, transport, auto_read_only: false, timeout_s: null };
      return { server, secrets };
    });
  }

  /** A file the person attached, prepared as Rust would describe it (without reading it). */
  async function prepareAttachment(name: string, bytes: Uint8Array): Promise<Attachment> {
    await new Promise((resolve) => setTimeout(resolve, control.attachmentDelay));
    const lower = name.toLowerCase();
    if (lower.includes(ATTACHMENT_TRIGGERS.noText)) {
      fail('attachment_no_text', `${name} has no text that Foxtail can read: it looks like scanned pages. Attach the pages as pictures instead.`);
    }
    if (lower.includes(ATTACHMENT_TRIGGERS.tooLarge)) {
      fail('attachment_too_large', `${name} is 80 MB; Foxtail takes documents up to 50 MB.`);
    }
    const isPicture = PICTURE_NAME.test(name) || (bytes[0] === 0x89 && bytes[1] === 0x50);
    if (!isPicture && !DOCUMENT_NAME.test(name)) {
      fail('attachment_unsupported', `${name} isn't a kind of file Foxtail can read. Foxtail takes PNG, JPEG, WebP and GIF images, PDF and Word (.docx) documents, and text files.`);
    }
    const base = { id: contentId(bytes), name, original_bytes: bytes.length };
    let attachment: Attachment;
    if (isPicture) {
      const { width, height, tokens } = FAKE_PICTURE;
      attachment = { ...base, kind: 'image', mime: 'image/png', width, height, pages: null, tokens };
    } else if (lower.endsWith('.pdf')) {
      const long = lower.includes(ATTACHMENT_TRIGGERS.long);
      attachment = {
        ...base,
        kind: 'document',
        mime: 'application/pdf',
        width: 0,
        height: 0,
        pages: long ? 400 : FAKE_PDF.pages,
        tokens: long ? 130_000 : FAKE_PDF.tokens,
      };
    } else {
      const tokens = Math.max(1, Math.ceil(bytes.length / 4));
      attachment = { ...base, kind: 'document', mime: 'text/plain', width: 0, height: 0, pages: null, tokens };
    }
    control.attachments.set(attachment.id, attachment);
    return attachment;
  }

  /** What a message carries, checked as Rust checks it before anything is saved. */
  function attachmentsFor(uses: AttachmentUse[]): Attachment[] {
    if (uses.length > MAX_ATTACHMENTS) {
      fail('attachment_too_large', `A message can carry up to ${MAX_ATTACHMENTS} files; this one has ${uses.length}.`);
    }
    const found = uses.map((use) => {
      const attachment = control.attachments.get(use.id) ?? fail('not_found', `No attachment ${use.id}.`);
      return { ...attachment, name: use.name };
    });
    const tokens = found.reduce((sum, a) => sum + a.tokens, 0);
    if (tokens > CONTEXT_TOKENS) {
      fail(
        'attachment_too_large',
        `These files come to about ${tokens} tokens, more than a model reads at once (about ${CONTEXT_TOKENS}). Remove one, or attach a shorter part.`,
      );
    }
    return found;
  }

  function secretNames(server: McpServer): string[] {
    return server.transport.kind === 'stdio' ? server.transport.env : server.transport.headers;
  }

  /**
   * The one shape of the settings the window relies on, as Rust keeps it on loading and
   * on every save: the provider in use is among the providers set up, at its protocol
   * and address (tests may set `settings.provider` alone).
   */
  function keepProviderInUse() {
    const { settings } = control;
    const current = { id: settings.provider, protocol: settings.protocol, base_url: settings.base_url };
    const at = settings.providers.findIndex((p) => p.id === current.id);
    if (at >= 0) settings.providers[at] = current;
    else settings.providers.unshift(current);
    return settings;
  }

  const handlers = {
    app_info: () => ({ version: '0.0.0-mock', data_dir: '/mock', settings_recovered_from: null, history_recovered_from: null }),
    get_settings: () => keepProviderInUse(),
    save_settings: ({ changes }) => {
      Object.assign(control.settings, changes);
      return keepProviderInUse();
    },
    presets: () => PRESETS,
    list_tools: () => [
      { name: 'current_time', description: 'The local date, time and time zone.' },
      { name: 'calculator', description: 'Evaluates an arithmetic expression.' },
    ],
    key_status: ({ provider }) => keyReport(provider),
    save_key: ({ provider, key, sessionOnly, baseUrl }) => {
      if (!sessionOnly && !control.keychainAvailable) fail('keychain_unavailable', 'No Secret Service is running.');
      control.keys.set(provider, { key, sessionOnly, baseUrl });
      return keyReport(provider);
    },
    delete_key: ({ provider }) => {
      control.keys.delete(provider);
      return keyReport(provider);
    },
    test_connection: () => ({ model: control.settings.model, reply: 'OK', elapsed_ms: 120 }),
    model_report: () => ({ model: control.settings.model, ...control.modelFacts }),
    list_models: () => ['mock/alpha', 'mock/beta'],
    list_conversations: () =>
      control.conversations
        .filter((c) => !c.deleted)
        .sort((a, b) => b.updated_at - a.updated_at || b.id - a.id)
        .map(summary),
    conversation_page: ({ conversationId, at }) => pageOf(conversation(conversationId).messages, at),
    rename_conversation: ({ conversationId, title }) => {
      conversation(conversationId).title = title;
      return null;
    },
    delete_conversation: ({ conversationId }) => {
      conversation(conversationId).deleted = true;
      return null;
    },
    restore_conversation: ({ conversationId }) => {
      const found = control.conversations.find((c) => c.id === conversationId);
      if (found) found.deleted = false;
      return null;
    },
    search_conversations: ({ query }) => {
      const wanted = query.toLowerCase();
      return control.conversations
        .filter((c) => !c.deleted)
        .flatMap((c) => {
          const hit = [c.title, ...c.messages.map((m) => m.content)].find((text) => text.toLowerCase().includes(wanted));
          if (!hit) return [];
          const at = hit.toLowerCase().indexOf(wanted);
          const snippet = `${hit.slice(0, at)}[${hit.slice(at, at + wanted.length)}]${hit.slice(at + wanted.length)}`;
          const matched = c.messages.find((m) => m.content === hit);
          return [{ conversation_id: c.id, message_id: matched?.id ?? null, title: c.title, snippet }];
        });
    },
    export_conversation: ({ conversationId }) => {
      const conv = conversation(conversationId);
      return `# ${conv.title}\n\n` + conv.messages.map((m) => `## ${m.role}\n\n${m.content}`).join('\n\n');
    },
    save_export: ({ fileName }) => `/home/me/Downloads/${fileName}`,
    send_message: ({ conversationId, text, attachments, replaceFrom, start, onUpdate }) => {
      control.lastSend = { conversationId, text, attachments, replaceFrom, start };
      if (!text.trim() && !attachments?.length) fail('empty_message', 'The message is empty.');
      const carried = attachmentsFor(attachments ?? []);
      let conv: Conversation;
      if (conversationId === null) {
        // The first line as it is (or the first file's name); how Rust shortens a title
        // is Rust's to test.
        const title = text.split('\n')[0] || (carried[0]?.name ?? '');
        conv = { id: control.nextId++, title, updated_at: now(), deleted: false, messages: [], ...started(start) };
        control.conversations.push(conv);
      } else {
        conv = conversation(conversationId);
      }
      if (replaceFrom !== null) {
        const cut = conv.messages.findIndex((m) => m.id === replaceFrom);
        if (cut >= 0) conv.messages.splice(cut);
      }
      const user = newMessage(conv, 'user', text);
      user.attachments = carried;
      const reply = newMessage(conv, 'assistant', '');
      answer(conv, reply, onUpdate);
      return { conversation_id: conv.id, user_message: user, answer: reply };
    },
    regenerate_answer: ({ answerId, onUpdate }) => {
      const { conv, message } = findMessage(answerId);
      Object.assign(message, {
        content: '',
        reasoning: '',
        status: 'streaming',
        error: null,
        extras: { refusal: '', tools: [] },
      } satisfies Partial<ChatMessage>);
      answer(conv, message, onUpdate);
      return { conversation_id: conv.id, user_message: null, answer: message };
    },
    continue_answer: ({ answerId, onUpdate }) => {
      const { conv, message } = findMessage(answerId);
      message.status = 'streaming';
      message.error = null;
      answer(conv, message, onUpdate);
      return { conversation_id: conv.id, user_message: null, answer: message };
    },
    stop_answer: ({ answerId }) => {
      const running = control.running.get(answerId);
      if (!running) return false;
      clearTimeout(running.timer);
      control.running.delete(answerId);
      stopWaiting(answerId);
      const stopped: ScriptStep = { delay: 0, events: [{ type: 'error', kind: 'cancelled', message: 'Cancelled.' }] };
      record(running.message, stopped);
      deliver(running.channel, stopped);
      return true;
    },
    list_documents: () =>
      control.documents
        .filter((d) => !d.deleted)
        .sort((a, b) => b.updated_at - a.updated_at || b.id - a.id)
        .map((d) => ({ id: d.id, title: d.title, updated_at: d.updated_at })),
    open_document: async ({ documentId }) => {
      if (control.openDelay) await new Promise((resolve) => setTimeout(resolve, control.openDelay));
      return documentOf(document(documentId));
    },
    create_document: ({ title, content }) => {
      const doc: StoredDocument = {
        id: control.nextId++,
        title,
        content,
        pending: '',
        created_at: now(),
        updated_at: now(),
        deleted: false,
      };
      control.documents.push(doc);
      return documentOf(doc);
    },
    save_document: ({ documentId, content }) => {
      const doc = document(documentId);
      doc.content = new TextDecoder('utf-8', { fatal: true }).decode(content);
      doc.updated_at = now();
      return null;
    },
    // As Rust: offsets count UTF-16 code units (JavaScript's own), and an edit counted
    // from a text of another length, or that would split a character, is refused and
    // changes nothing.
    edit_document: ({ documentId, from, to, length, text }) => {
      const doc = document(documentId);
      const splits = (at: number) => /[\uDC00-\uDFFF]/.test(doc.content.charAt(at)) && /[\uD800-\uDBFF]/.test(doc.content.charAt(at - 1));
      if (doc.content.length !== length || from > to || to > length || splits(from) || splits(to)) return false;
      doc.content = doc.content.slice(0, from) + text + doc.content.slice(to);
      doc.updated_at = now();
      return true;
    },
    save_document_pending: ({ documentId, pending }) => {
      document(documentId).pending = pending;
      return null;
    },
    rename_document: ({ documentId, title }) => {
      document(documentId).title = title;
      return null;
    },
    delete_document: ({ documentId }) => {
      document(documentId).deleted = true;
      return null;
    },
    restore_document: ({ documentId }) => {
      const doc = control.documents.find((d) => d.id === documentId);
      if (doc) doc.deleted = false;
      return null;
    },
    search_documents: ({ query }) => {
      const wanted = query.toLowerCase();
      return control.documents
        .filter((d) => !d.deleted && `${d.title}\n${d.content}`.toLowerCase().includes(wanted))
        .map((d) => ({ document_id: d.id, title: d.title, snippet: d.content.slice(0, 60) }));
    },
    draft_action: ({ request, onUpdate }) => {
      control.lastDraft = request;
      // The files are checked before anything is sent, as Rust checks them.
      attachmentsFor(request.attachments ?? []);
      control.draftRequests.push(request);
      const scripted = control.drafts.shift();
      const id = control.nextId++;
      const running: Running = { timer: undefined, channel: onUpdate };
      control.draftRunning.set(id, running);
      const end = () => control.draftRunning.delete(id);
      const asking = scripted ? undefined : ASKING_CALLS.find((c) => request.instruction.includes(c.trigger));
      if (asking) {
        askingRun(id, running, asking, { chat: false, keep: () => {}, end });
        return id;
      }
      const script = scripted ?? [
        ...tokens(DEFAULT_DRAFT),
        { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ];
      play(script, running, () => {}, end);
      return id;
    },
    stop_draft: ({ runId }) => {
      const running = control.draftRunning.get(runId);
      if (!running) return false;
      clearTimeout(running.timer);
      control.draftRunning.delete(runId);
      stopWaiting(runId);
      deliver(running.channel, { delay: 0, events: [{ type: 'error', kind: 'cancelled', message: 'Cancelled.' }] });
      return true;
    },
    copy_formatted: ({ html, text }) => {
      control.clipboard = text;
      control.clipboardHtml = html;
      return null;
    },
    open_link: ({ url }) => {
      control.opened.push(url);
      return null;
    },
    copy_text: ({ text }) => {
      control.clipboard = text;
      return null;
    },
    fetch_image: () => fail('image_failed', 'The fake backend downloads no images.'),
    mcp_well_known: () => FAKE_WELL_KNOWN,
    mcp_import: ({ text }) => importServers(text),
    mcp_save_server: ({ server, secrets }) => {
      const runs = server.transport.kind === 'stdio' ? server.transport.command : server.transport.url;
      if (!server.id || !server.name.trim() || !runs.trim()) fail('mcp_config', 'The server needs a name and a command or address.');
      // As the keychain keeps them: a name given no value keeps its value; dropped names go.
      const old = control.mcpSecrets.get(server.id) ?? {};
      const kept: Record<string, string> = {};
      for (const name of secretNames(server)) {
        const value = secrets[name] || old[name];
        if (value) kept[name] = value;
      }
      control.mcpSecrets.set(server.id, kept);
      const servers = control.settings.mcp_servers.filter((s) => s.id !== server.id);
      const at = control.settings.mcp_servers.findIndex((s) => s.id === server.id);
      servers.splice(at < 0 ? servers.length : at, 0, server);
      control.settings.mcp_servers = servers;
      return control.settings;
    },
    mcp_delete_server: ({ id }) => {
      control.settings.mcp_servers = control.settings.mcp_servers.filter((s) => s.id !== id);
      control.mcpSecrets.delete(id);
      control.settings.tool_rules = Object.fromEntries(
        Object.entries(control.settings.tool_rules).filter(([key]) => !key.startsWith(`${id}/`)),
      );
      return control.settings;
    },
    mcp_test_server: async ({ server }) => {
      await new Promise((resolve) => setTimeout(resolve, control.mcpTestDelay));
      if (server.transport.kind === 'stdio' && server.transport.command === 'missing') {
        fail(
          'mcp_not_found',
          'The program “missing” was not found. Foxtail looked for it in /usr/local/bin:/usr/bin:/bin.',
        );
      }
      return FAKE_MCP_TOOLS;
    },
    add_attachment: ({ name, bytes }) => prepareAttachment(name, bytes),
    attachment_image: ({ id, thumbnail }) => {
      const attachment = control.attachments.get(id) ?? fail('not_found', `No attachment ${id}.`);
      if (attachment.kind !== 'image') fail('attachment_unsupported', 'This attachment is a document, not a picture.');
      return thumbnail ? THUMBNAIL_PNG : FULL_PNG;
    },
    summarize_attachment: async ({ id, name }) => {
      const whole = control.attachments.get(id) ?? fail('not_found', `No attachment ${id}.`);
      if (whole.kind !== 'document') fail('attachment_unsupported', 'Only a document can be summarized.');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const summary: Attachment = {
        ...whole,
        id: `${id}-summary`,
        name,
        tokens: 1_200,
        part: `a summary the model wrote of all ${whole.pages ?? 1} pages`,
      };
      control.attachments.set(summary.id, summary);
      return summary;
    },
    attachment_first_part: ({ id, name, maxTokens }) => {
      const whole = control.attachments.get(id) ?? fail('not_found', `No attachment ${id}.`);
      if (whole.kind !== 'document') fail('attachment_unsupported', 'Only a document can be shortened.');
      // Whole pages, as Rust cuts them: as many as the tokens allow.
      const pages = whole.pages ?? 1;
      const perPage = whole.tokens / pages;
      const fit = Math.floor(maxTokens / perPage);
      if (fit < 1) fail('attachment_too_large', 'Not even the first page fits in what the model reads at once.');
      const part: Attachment = {
        ...whole,
        id: `${id}-first-${fit}`,
        name,
        tokens: Math.round(fit * perPage),
        part: `pages 1–${fit} of ${pages}`,
      };
      control.attachments.set(part.id, part);
      return part;
    },
    list_all_models: async () => {
      if (control.catalogDelay) await new Promise((resolve) => setTimeout(resolve, control.catalogDelay));
      return control.catalog;
    },
    choose_model: ({ conversationId, provider, model }) => {
      const { settings } = control;
      const setup = settings.providers.find((p) => p.id === provider);
      if (!setup) fail('settings', `Provider “${provider}” is not set up: add it in Settings first.`);
      const picked = model.trim();
      if (!picked) fail('settings', 'Pick a model.');
      if (conversationId !== null) {
        const conv = conversation(conversationId);
        conv.provider = provider;
        conv.model = picked;
      }
      const recent = [{ provider, model: picked }, ...settings.recent_models.filter((r) => r.provider !== provider || r.model !== picked)];
      Object.assign(settings, {
        provider: setup.id,
        protocol: setup.protocol,
        base_url: setup.base_url,
        model: picked,
        recent_models: recent.slice(0, 8),
      });
      return settings;
    },
    usage_totals: () => control.usageTotals ?? summedUsage(),
    take_updates: ({ outbox, waitAfter }) => {
      const found = outboxes.get(outbox);
      if (!found) return [];
      const updates = found.updates;
      found.updates = [];
      if (!updates.length && waitAfter) found.told = false;
      return updates;
    },
    when_closing: ({ closing }) => {
      control.closing = closing;
      return null;
    },
    close_window: () => {
      control.closed = true;
      return null;
    },
    keep_window_open: () => {
      control.keptOpen += 1;
      return null;
    },
    summarize_conversation: async ({ conversationId }) => {
      const conv = conversation(conversationId);
      if (!conv.messages.some((m) => m.content.trim())) fail('empty_message', 'The message is empty.');
      await new Promise((resolve) => setTimeout(resolve, control.summaryDelay));
      return control.conversationSummary;
    },
    answer_tool_call: ({ callId, decision }) => {
      const waiting = control.waiting.get(callId);
      if (!waiting) return false;
      control.waiting.delete(callId);
      waiting.decide(decision);
      return true;
    },
  } satisfies Handlers;

  /**
   * A command as the bridge gives it. A raw body (`add_attachment`'s file, `save_document`'s
   * text) arrives as the bytes themselves with the other argument in a header, as in Rust;
   * it is handed on as the contract's arguments, and logged by size.
   */
  async function handle(cmd: string, body: unknown = {}, options?: InvokeOptions): Promise<unknown> {
    let args: Record<string, unknown>;
    let logged: Record<string, unknown>;
    if (body instanceof Uint8Array || body instanceof ArrayBuffer || Array.isArray(body)) {
      const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
      const headers = new Headers(options?.headers);
      const documentId = headers.get(RAW_ARGUMENT_HEADERS.save_document.documentId);
      if (documentId !== null) {
        args = { documentId: Number(documentId), content: bytes };
        logged = { documentId: Number(documentId), size: bytes.length };
      } else {
        const name = decodeURIComponent(headers.get(RAW_ARGUMENT_HEADERS.add_attachment.name) ?? '');
        args = { name, bytes };
        logged = { name, size: bytes.length };
      }
    } else {
      args = (body ?? {}) as Record<string, unknown>;
      logged = Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'onUpdate'));
    }
    control.calls.push({ cmd, args: logged });
    // Like the real bridge: answers arrive asynchronously, and objects are copies.
    await Promise.resolve();
    // Tauri refuses an unknown command with a bare string, not a report.
    if (!Object.hasOwn(handlers, cmd)) throw `command ${cmd} not found`;
    const name = cmd as keyof Commands;
    const refused = control.failNext[name];
    if (refused) {
      delete control.failNext[name];
      throw refused;
    }
    if (control.failing[name]) throw control.failing[name];
    const result = await (handlers[name] as (args: Record<string, unknown>) => unknown)(args);
    return JSON.parse(JSON.stringify(result));
  }

  return { control, handle, tokens };
}
