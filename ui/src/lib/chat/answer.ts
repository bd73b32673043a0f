// One message as the window shows it, and how engine events change it. Pure, so the
// rules (what "stopped" looks like, when a retry notice goes away) are unit-tested
// without a window.
import type { BackendError, EngineEvent, StoredMessage } from '../backend';

/** `data-status` in the page: what tests and styles key on. */
export type ViewStatus = 'streaming' | 'done' | 'error' | 'interrupted';

/** What a streaming answer is doing, for the line under it. */
export type Phase = 'connecting' | 'writing' | 'retrying' | 'resumed';

export interface RetryNotice {
  attempt: number;
  maxAttempts: number;
  /** When the wait ends, in `Date.now()` milliseconds. */
  until: number;
  resume: boolean;
}

export interface ToolCallView {
  /** The call's place in its model turn; each turn of a tool loop counts from 0. */
  index: number;
  /** How much of the answer's text came before the call (UTF-16 units), so the card
   * shows where it happened. */
  at: number;
  id: string;
  name: string;
  arguments: string;
  /** The model finished writing the call. */
  done: boolean;
  result: string | null;
  isError: boolean;
}

/** The saved form (src-tauri/src/answer_extras.rs). */
interface SavedExtras {
  refusal?: string;
  tools?: {
    index: number;
    at?: number;
    id: string;
    name: string;
    arguments: string;
    done: boolean;
    result: string | null;
    is_error: boolean;
  }[];
}

function parseExtras(raw: string): { refusal: string; toolCalls: ToolCallView[] } {
  let saved: SavedExtras = {};
  try {
    if (raw) saved = JSON.parse(raw) as SavedExtras;
  } catch {
    // Unreadable extras: the answer's text is what matters, and it is kept apart.
  }
  return {
    refusal: saved.refusal ?? '',
    toolCalls: (saved.tools ?? []).map((t) => ({
      index: t.index,
      at: t.at ?? 0,
      id: t.id,
      name: t.name,
      arguments: t.arguments,
      done: t.done,
      result: t.result,
      isError: t.is_error,
    })),
  };
}

/** The call still being written at `index`; a finished one belongs to an earlier turn. */
function openCall(message: ViewMessage, index: number): ToolCallView {
  for (let i = message.toolCalls.length - 1; i >= 0; i--) {
    const call = message.toolCalls[i]!;
    if (call.index === index && !call.done) return call;
  }
  message.toolCalls.push({
    index,
    at: message.text.length,
    id: '',
    name: '',
    arguments: '',
    done: false,
    result: null,
    isError: false,
  });
  // Return the list's own (possibly reactive) element, not the literal.
  return message.toolCalls[message.toolCalls.length - 1]!;
}

export interface ViewMessage {
  id: number;
  role: 'user' | 'assistant';
  text: string;
  reasoning: string;
  refusal: string;
  status: ViewStatus;
  /** The person pressed Stop: the answer is kept, marked as stopped. */
  stopped: boolean;
  phase: Phase;
  /** When the request started, for "waiting for the first token (3 s)". */
  startedAt: number;
  retry: RetryNotice | null;
  error: BackendError | null;
  /** The provider's finish word when it was not a plain stop (`length`, `content_filter`). */
  finishNote: string | null;
  toolCalls: ToolCallView[];
  model: string | null;
}

function parseError(raw: string | null): BackendError | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && 'kind' in value && 'message' in value) {
      return { kind: String(value.kind), message: String(value.message) };
    }
  } catch {
    // An unreadable error is still an error; show its text.
  }
  return { kind: 'unknown', message: raw };
}

export function fromStored(message: StoredMessage): ViewMessage {
  const error = parseError(message.error);
  let status: ViewStatus;
  switch (message.status) {
    case 'complete':
      status = 'done';
      break;
    case 'streaming':
      status = 'streaming';
      break;
    case 'error':
      status = 'error';
      break;
    default:
      status = 'interrupted';
  }
  const extras = parseExtras(message.extras);
  return {
    id: message.id,
    role: message.role,
    text: message.content,
    reasoning: message.reasoning,
    refusal: extras.refusal,
    status,
    stopped: message.status === 'cancelled',
    phase: message.content ? 'writing' : 'connecting',
    startedAt: Date.now(),
    retry: null,
    error: status === 'error' || message.status === 'interrupted' ? error : null,
    finishNote: null,
    toolCalls: extras.toolCalls,
    model: message.model,
  };
}

/** The answer a new request starts from (its text kept when continuing). */
export function restart(message: ViewMessage, keepText: boolean, now = Date.now()): void {
  if (!keepText) {
    message.text = '';
    message.reasoning = '';
    message.refusal = '';
    message.toolCalls = [];
  }
  message.status = 'streaming';
  message.stopped = false;
  message.phase = 'connecting';
  message.startedAt = now;
  message.retry = null;
  message.error = null;
  message.finishNote = null;
}

export function applyEvent(message: ViewMessage, event: EngineEvent, now = Date.now()): void {
  switch (event.type) {
    case 'text':
      message.text += event.text;
      wrote(message);
      break;
    case 'reasoning':
      message.reasoning += event.text;
      wrote(message);
      break;
    case 'refusal':
      message.refusal += event.text;
      wrote(message);
      break;
    case 'tool_call_delta': {
      const call = openCall(message, event.index);
      if (event.id) call.id = event.id;
      if (event.name) call.name = event.name;
      call.arguments += event.arguments_delta;
      wrote(message);
      break;
    }
    case 'tool_call': {
      const call = openCall(message, event.index);
      call.id = event.id;
      call.name = event.name;
      call.arguments = event.arguments_raw;
      call.done = true;
      break;
    }
    case 'tool_result': {
      const call = [...message.toolCalls].reverse().find((c) => c.id === event.id);
      if (call) {
        call.result = event.content;
        call.isError = event.is_error;
      } else {
        message.toolCalls.push({
          index: -1,
          at: message.text.length,
          id: event.id,
          name: event.name,
          arguments: '',
          done: true,
          result: event.content,
          isError: event.is_error,
        });
      }
      break;
    }
    case 'usage':
      break;
    case 'retry':
      message.phase = 'retrying';
      message.retry = {
        attempt: event.attempt,
        maxAttempts: event.max_attempts,
        until: now + event.delay_ms,
        resume: event.resume,
      };
      break;
    case 'finish':
      message.status = 'done';
      message.retry = null;
      message.finishNote = event.reason === 'stop' || event.reason === 'tool_calls' ? null : event.reason;
      break;
    case 'error':
      message.retry = null;
      if (event.kind === 'cancelled') {
        message.status = 'interrupted';
        message.stopped = true;
      } else if (event.kind === 'interrupted') {
        message.status = 'interrupted';
        message.error = { kind: event.kind, message: event.message };
      } else {
        message.status = 'error';
        message.error = { kind: event.kind, message: event.message };
        if (event.status !== undefined) message.error.status = event.status;
      }
      break;
  }
}

function wrote(message: ViewMessage): void {
  if (message.phase === 'retrying' && message.retry?.resume) {
    message.phase = 'resumed';
  } else if (message.phase !== 'resumed') {
    message.phase = 'writing';
  }
  message.retry = null;
}

/** The answer's text cut where its tool calls happened: text, card, text, card, text. */
export function segments(message: ViewMessage): ({ kind: 'text'; text: string } | { kind: 'tool'; call: ToolCallView })[] {
  const out: ({ kind: 'text'; text: string } | { kind: 'tool'; call: ToolCallView })[] = [];
  let from = 0;
  for (const call of [...message.toolCalls].sort((a, b) => a.at - b.at)) {
    const at = Math.min(Math.max(call.at, from), message.text.length);
    if (at > from) out.push({ kind: 'text', text: message.text.slice(from, at) });
    out.push({ kind: 'tool', call });
    from = at;
  }
  if (from < message.text.length || out.length === 0) out.push({ kind: 'text', text: message.text.slice(from) });
  return out;
}

/** True once the answer has shown anything, so "waiting for the first token" is over. */
export function hasOutput(message: ViewMessage): boolean {
  return message.text.length > 0 || message.reasoning.length > 0 || message.refusal.length > 0 || message.toolCalls.length > 0;
}
