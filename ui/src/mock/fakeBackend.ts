// An in-page stand-in for the Rust side, for UI tests in a plain browser (mock.html).
// It keeps conversations in memory and plays scripted answers through the same channel
// shape the real backend uses; tests steer it through `window.foxtailMock`.
import type { Channel } from '@tauri-apps/api/core';
import type {
  AnswerUpdate,
  ConversationSummary,
  EngineEvent,
  Preset,
  Settings,
  StoredMessage,
} from '../lib/backend';

/** One step of a scripted answer: wait, then send these events. */
export interface ScriptStep {
  delay: number;
  events: EngineEvent[];
}

interface Conversation {
  id: number;
  title: string;
  updated_at: number;
  deleted: boolean;
  messages: StoredMessage[];
}

interface Running {
  timer: ReturnType<typeof setTimeout> | undefined;
  channel: Channel<AnswerUpdate>;
  message: StoredMessage;
}

const presets: Preset[] = [
  { id: 'ofox', name: 'OfoxAI', openai_base_url: 'https://api.ofox.ai/v1', anthropic_base_url: 'https://api.ofox.ai/anthropic', default_model: 'openai/gpt-4o', anthropic_default_model: 'anthropic/claude-sonnet-4.5', needs_key: true },
  { id: 'openai', name: 'OpenAI', openai_base_url: 'https://api.openai.com/v1', anthropic_base_url: '', default_model: 'gpt-4o', anthropic_default_model: '', needs_key: true },
  { id: 'anthropic', name: 'Anthropic', openai_base_url: '', anthropic_base_url: 'https://api.anthropic.com', default_model: 'claude-sonnet-4-5', anthropic_default_model: 'claude-sonnet-4-5', needs_key: true },
  { id: 'openrouter', name: 'OpenRouter', openai_base_url: 'https://openrouter.ai/api/v1', anthropic_base_url: '', default_model: 'openai/gpt-4o', anthropic_default_model: '', needs_key: true },
  { id: 'ollama', name: 'Ollama (on this computer)', openai_base_url: 'http://localhost:11434/v1', anthropic_base_url: '', default_model: 'llama3.2', anthropic_default_model: '', needs_key: false },
  { id: 'custom', name: 'Custom', openai_base_url: '', anthropic_base_url: '', default_model: '', anthropic_default_model: '', needs_key: true },
];

/** Splits text into token-sized pieces streamed `delay` ms apart. */
export function tokens(text: string, delay = 10): ScriptStep[] {
  const pieces = text.match(/\s*\S+|\s+/g) ?? [];
  return pieces.map((piece) => ({ delay, events: [{ type: 'text', text: piece }] }));
}

export const DEFAULT_ANSWER =
  '# A heading\n\nSome **bold** text and a list:\n\n- one\n- two\n\n```rust\nfn main() {}\n```\n\nThe end.';

export function createFakeBackend() {
  const control = {
    settings: {
      provider: 'ofox',
      protocol: 'openai',
      base_url: 'https://api.ofox.ai/v1',
      model: 'openai/gpt-4o',
      theme: 'system',
      language: 'en',
    } as Settings,
    keys: new Map<string, { key: string; sessionOnly: boolean }>(),
    keychainAvailable: true,
    /** What test_connection answers: null for success, or an error. */
    connectionError: null as { kind: string; message: string } | null,
    /** Scripts for the next answers, first in first out; the default answer after. */
    answers: [] as ScriptStep[][],
    calls: [] as { cmd: string; args: Record<string, unknown> }[],
    clipboard: '',
    clipboardHtml: '',
    opened: [] as string[],
    conversations: [] as Conversation[],
    documents: [] as {
      id: number;
      title: string;
      content: string;
      pending: string;
      created_at: number;
      updated_at: number;
      deleted: boolean;
    }[],
    /** Scripts for the next drafting runs, first in first out; a default text after. */
    drafts: [] as ScriptStep[][],
    draftRequests: [] as Record<string, unknown>[],
    draftRunning: new Map<number, { timer: ReturnType<typeof setTimeout> | undefined; channel: Channel<AnswerUpdate> }>(),
    nextId: 1,
    running: new Map<number, Running>(),
  };

  const now = () => Date.now();

  function summary(c: Conversation): ConversationSummary {
    return { id: c.id, title: c.title, updated_at: c.updated_at, message_count: c.messages.length };
  }

  function conversation(id: number): Conversation {
    const found = control.conversations.find((c) => c.id === id && !c.deleted);
    if (!found) throw { kind: 'not_found', message: `No conversation ${id}.` };
    return found;
  }

  function findMessage(id: number): { conv: Conversation; message: StoredMessage } {
    for (const conv of control.conversations) {
      const message = conv.messages.find((m) => m.id === id);
      if (message) return { conv, message };
    }
    throw { kind: 'not_found', message: `No message ${id}.` };
  }

  function newMessage(conv: Conversation, role: 'user' | 'assistant', content: string): StoredMessage {
    const message: StoredMessage = {
      id: control.nextId++,
      conversation_id: conv.id,
      role,
      content,
      reasoning: '',
      status: role === 'user' ? 'complete' : 'streaming',
      error: null,
      model: role === 'assistant' ? (control.settings.model ?? null) : null,
      extras: '',
      created_at: now(),
      updated_at: now(),
    };
    conv.messages.push(message);
    conv.updated_at = now();
    return message;
  }

  function requireKey(): void {
    const provider = control.settings.provider ?? 'ofox';
    const preset = presets.find((p) => p.id === provider);
    if ((preset?.needs_key ?? true) && !control.keys.has(provider)) {
      throw { kind: 'no_key', message: 'No API key is set for this provider. Add one in Settings.' };
    }
  }

  function play(message: StoredMessage, channel: Channel<AnswerUpdate>): void {
    const script = control.answers.shift() ?? [
      ...tokens(DEFAULT_ANSWER),
      { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ];
    const running: Running = { timer: undefined, channel, message };
    control.running.set(message.id, running);
    let step = 0;
    const next = () => {
      const current = script[step++];
      if (!current) {
        control.running.delete(message.id);
        return;
      }
      running.timer = setTimeout(() => {
        for (const event of current.events) record(message, event);
        channel.onmessage({ type: 'events', events: current.events });
        if (current.events.some((e) => e.type === 'finish' || e.type === 'error')) {
          control.running.delete(message.id);
          return;
        }
        next();
      }, current.delay);
    };
    next();
  }

  function record(message: StoredMessage, event: EngineEvent): void {
    if (event.type === 'text') message.content += event.text;
    if (event.type === 'reasoning') message.reasoning += event.text;
    if (event.type === 'finish') message.status = 'complete';
    if (event.type === 'error') {
      message.status = event.kind === 'cancelled' ? 'cancelled' : event.kind === 'interrupted' ? 'interrupted' : 'error';
      message.error = JSON.stringify({ kind: event.kind, message: event.message });
    }
  }

  const commands: Record<string, (args: Record<string, unknown>) => unknown> = {
    app_info: () => ({ version: '0.0.0-mock', data_dir: '/mock', settings_recovered_from: null, history_recovered_from: null }),
    get_settings: () => ({ ...control.settings }),
    save_settings: (args) => {
      const changes = args.changes as Settings;
      if (changes.base_url !== undefined && !/^(https:\/\/|http:\/\/(localhost|127\.0\.0\.1))/.test(changes.base_url)) {
        throw { kind: 'settings', message: 'Use an https:// address.' };
      }
      Object.assign(control.settings, changes);
      return { ...control.settings };
    },
    presets: () => presets,
    list_tools: () => [
      { name: 'current_time', description: 'The local date, time and time zone.' },
      { name: 'calculator', description: 'Evaluates an arithmetic expression.' },
    ],
    key_status: (args) => {
      const entry = control.keys.get(String(args.provider));
      return entry
        ? { is_set: true, last_four: entry.key.slice(-4), session_only: entry.sessionOnly }
        : { is_set: false, last_four: null, session_only: false };
    },
    save_key: (args) => {
      const sessionOnly = Boolean(args.sessionOnly);
      if (!sessionOnly && !control.keychainAvailable) {
        throw { kind: 'keychain_unavailable', message: 'No Secret Service is running.' };
      }
      control.keys.set(String(args.provider), { key: String(args.key), sessionOnly });
      return commands.key_status!(args);
    },
    delete_key: (args) => {
      control.keys.delete(String(args.provider));
      return commands.key_status!(args);
    },
    test_connection: () => {
      requireKey();
      if (control.connectionError) throw control.connectionError;
      return { model: control.settings.model, reply: 'OK', elapsed_ms: 120 };
    },
    list_models: () => {
      requireKey();
      return ['mock/alpha', 'mock/beta'];
    },
    list_conversations: () =>
      control.conversations
        .filter((c) => !c.deleted)
        .sort((a, b) => b.updated_at - a.updated_at || b.id - a.id)
        .map(summary),
    conversation_messages: (args) => conversation(Number(args.conversationId)).messages.map((m) => ({ ...m })),
    rename_conversation: (args) => {
      conversation(Number(args.conversationId)).title = String(args.title);
    },
    delete_conversation: (args) => {
      conversation(Number(args.conversationId)).deleted = true;
    },
    restore_conversation: (args) => {
      const found = control.conversations.find((c) => c.id === Number(args.conversationId));
      if (found) found.deleted = false;
    },
    search_conversations: (args) => {
      const query = String(args.query).toLowerCase();
      return control.conversations
        .filter((c) => !c.deleted)
        .flatMap((c) => {
          const hit = [c.title, ...c.messages.map((m) => m.content)].find((text) => text.toLowerCase().includes(query));
          if (!hit) return [];
          const at = hit.toLowerCase().indexOf(query);
          const snippet = `${hit.slice(0, at)}[${hit.slice(at, at + query.length)}]${hit.slice(at + query.length)}`;
          return [{ conversation_id: c.id, title: c.title, snippet }];
        });
    },
    export_conversation: (args) => {
      const conv = conversation(Number(args.conversationId));
      return `# ${conv.title}\n\n` + conv.messages.map((m) => `## ${m.role}\n\n${m.content}`).join('\n\n');
    },
    save_export: (args) => `/home/me/Downloads/${String(args.fileName)}`,
    send_message: (args) => {
      requireKey();
      const text = String(args.text).trim();
      if (!text) throw { kind: 'empty_message', message: 'The message is empty.' };
      let conv: Conversation;
      if (args.conversationId == null) {
        conv = { id: control.nextId++, title: text.split('\n')[0]!.slice(0, 48), updated_at: now(), deleted: false, messages: [] };
        control.conversations.push(conv);
      } else {
        conv = conversation(Number(args.conversationId));
      }
      if (args.replaceFrom != null) {
        const cut = conv.messages.findIndex((m) => m.id === Number(args.replaceFrom));
        if (cut >= 0) conv.messages.splice(cut);
      }
      const user = newMessage(conv, 'user', text);
      const answer = newMessage(conv, 'assistant', '');
      play(answer, args.onUpdate as Channel<AnswerUpdate>);
      return { conversation_id: conv.id, user_message: { ...user }, answer: { ...answer } };
    },
    regenerate_answer: (args) => {
      requireKey();
      const { conv, message } = findMessage(Number(args.answerId));
      message.content = '';
      message.status = 'streaming';
      play(message, args.onUpdate as Channel<AnswerUpdate>);
      return { conversation_id: conv.id, user_message: null, answer: { ...message } };
    },
    continue_answer: (args) => {
      requireKey();
      const { conv, message } = findMessage(Number(args.answerId));
      message.status = 'streaming';
      play(message, args.onUpdate as Channel<AnswerUpdate>);
      return { conversation_id: conv.id, user_message: null, answer: { ...message } };
    },
    stop_answer: (args) => {
      const running = control.running.get(Number(args.answerId));
      if (!running) return false;
      clearTimeout(running.timer);
      control.running.delete(Number(args.answerId));
      const event: EngineEvent = { type: 'error', kind: 'cancelled', message: 'Cancelled.' };
      record(running.message, event);
      running.channel.onmessage({ type: 'events', events: [event] });
      return true;
    },
    list_documents: () =>
      control.documents
        .filter((d) => !d.deleted)
        .sort((a, b) => b.updated_at - a.updated_at || b.id - a.id)
        .map((d) => ({ id: d.id, title: d.title, updated_at: d.updated_at })),
    open_document: (args) => {
      const doc = control.documents.find((d) => d.id === Number(args.documentId) && !d.deleted);
      if (!doc) throw { kind: 'not_found', message: 'No such document.' };
      return doc;
    },
    create_document: (args) => {
      const doc = {
        id: control.nextId++,
        title: String(args.title).trim(),
        content: String(args.content),
        pending: '',
        created_at: now(),
        updated_at: now(),
        deleted: false,
      };
      control.documents.push(doc);
      return doc;
    },
    save_document: (args) => {
      const doc = control.documents.find((d) => d.id === Number(args.documentId) && !d.deleted);
      if (!doc) throw { kind: 'not_found', message: 'No such document.' };
      doc.content = String(args.content);
      doc.updated_at = now();
    },
    save_document_pending: (args) => {
      const doc = control.documents.find((d) => d.id === Number(args.documentId) && !d.deleted);
      if (doc) doc.pending = String(args.pending);
    },
    rename_document: (args) => {
      const doc = control.documents.find((d) => d.id === Number(args.documentId));
      if (doc) doc.title = String(args.title);
    },
    delete_document: (args) => {
      const doc = control.documents.find((d) => d.id === Number(args.documentId));
      if (doc) doc.deleted = true;
    },
    restore_document: (args) => {
      const doc = control.documents.find((d) => d.id === Number(args.documentId));
      if (doc) doc.deleted = false;
    },
    search_documents: (args) => {
      const query = String(args.query).toLowerCase();
      return control.documents
        .filter((d) => !d.deleted && `${d.title}\n${d.content}`.toLowerCase().includes(query))
        .map((d) => ({ document_id: d.id, title: d.title, snippet: d.content.slice(0, 60) }));
    },
    draft_action: (args) => {
      requireKey();
      const request = args.request as Record<string, unknown>;
      control.draftRequests.push(request);
      const needsSelection = !['write', 'continue'].includes(String(request.action));
      if (needsSelection && !String(request.selection).trim()) {
        throw { kind: 'draft', message: 'Select the text this action should work on first.' };
      }
      const channel = args.onUpdate as Channel<AnswerUpdate>;
      const script = control.drafts.shift() ?? [
        ...tokens('Thank you for the invitation. I am sorry, but I cannot attend on Friday.', 10),
        { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ];
      const id = control.nextId++;
      const running = { timer: undefined as ReturnType<typeof setTimeout> | undefined, channel };
      control.draftRunning.set(id, running);
      let step = 0;
      const next = () => {
        const current = script[step++];
        if (!current) return;
        running.timer = setTimeout(() => {
          channel.onmessage({ type: 'events', events: current.events });
          if (current.events.some((e) => e.type === 'finish' || e.type === 'error')) {
            control.draftRunning.delete(id);
            return;
          }
          next();
        }, current.delay);
      };
      next();
      return id;
    },
    stop_draft: (args) => {
      const running = control.draftRunning.get(Number(args.runId));
      if (!running) return false;
      clearTimeout(running.timer);
      control.draftRunning.delete(Number(args.runId));
      running.channel.onmessage({ type: 'events', events: [{ type: 'error', kind: 'cancelled', message: 'Cancelled.' }] });
      return true;
    },
    copy_formatted: (args) => {
      control.clipboard = String(args.text);
      control.clipboardHtml = String(args.html);
    },
    open_link: (args) => {
      control.opened.push(String(args.url));
    },
    copy_text: (args) => {
      control.clipboard = String(args.text);
    },
    fetch_image: () => {
      throw { kind: 'image', message: 'Images are not fetched in the mock.' };
    },
  };

  async function handle(cmd: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const logged = Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'onUpdate'));
    control.calls.push({ cmd, args: logged });
    const command = commands[cmd];
    if (!command) throw { kind: 'unknown_command', message: `The mock has no command ${cmd}.` };
    // Like the real bridge: answers arrive asynchronously, and objects are copies.
    await Promise.resolve();
    const result = command(args);
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }

  return { control, handle, tokens };
}
