// One message as the window shows it, and how engine events change it. Pure, so the
// rules (what "stopped" looks like, when a retry notice goes away) are unit-tested
// without a window. Tool cards and refusals are not built here: Rust builds them
// (tool_cards.rs), saves them, and sends them as they stand; the window shows those.
import type { AnswerExtras, AnswerUsage, Attachment, ChatMessage, ErrorReport, Role, StreamEvent, ToolActivity } from '../contract';

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

export interface ViewMessage {
  id: number;
  role: Role;
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
  error: ErrorReport | null;
  /** The provider's finish word when it was not a plain stop (`length`, `content_filter`). */
  finishNote: string | null;
  /** Rust's tool cards, each placed by how much of the text came before it. */
  tools: ToolActivity[];
  /** Rust's plain sentences about how the answer was made (a tool server that could not start). */
  notices: string[];
  model: string | null;
  /** Tokens and cost, once the provider reported them. */
  usage: AnswerUsage | null;
  /** The files the person attached to a message of theirs. */
  attachments: Attachment[];
}

export function fromStored(message: ChatMessage): ViewMessage {
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
  const shown: ViewMessage = {
    id: message.id,
    role: message.role,
    text: message.content,
    reasoning: message.reasoning,
    refusal: '',
    status,
    stopped: message.status === 'cancelled',
    phase: message.content ? 'writing' : 'connecting',
    startedAt: Date.now(),
    retry: null,
    error: status === 'error' || message.status === 'interrupted' ? message.error : null,
    finishNote: null,
    tools: [],
    notices: [],
    model: message.model,
    usage: null,
    attachments: message.attachments ?? [],
  };
  showExtras(shown, message.extras);
  return shown;
}

/** Rust's tool cards, refusal and notices as they stand now: saved with the answer, or
 * sent while it streams. Each update holds all of them, so it replaces what was shown. */
export function showExtras(message: ViewMessage, extras: AnswerExtras): void {
  // Rust leaves empty ones out of the JSON, though the generated type has them always.
  message.refusal = extras.refusal ?? '';
  message.tools = extras.tools ?? [];
  message.notices = extras.notices ?? [];
  message.usage = extras.usage ?? null;
}

/** The answer a new request starts from (its text kept when continuing). */
export function restart(message: ViewMessage, keepText: boolean, now = Date.now()): void {
  if (!keepText) {
    message.text = '';
    message.reasoning = '';
    message.refusal = '';
    message.tools = [];
    message.notices = [];
    message.usage = null;
  }
  message.status = 'streaming';
  message.stopped = false;
  message.phase = 'connecting';
  message.startedAt = now;
  message.retry = null;
  message.error = null;
  message.finishNote = null;
}

export function applyEvent(message: ViewMessage, event: StreamEvent, now = Date.now()): void {
  switch (event.type) {
    case 'text':
      message.text += event.text;
      wrote(message);
      break;
    case 'reasoning':
      message.reasoning += event.text;
      wrote(message);
      break;
    // What these change (the cards, the refusal) comes in Rust's next `extras` update;
    // here they only show that the answer is under way.
    case 'refusal':
    case 'tool_call_delta':
      wrote(message);
      break;
    case 'tool_call':
    case 'tool_result':
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
      } else {
        message.status = event.kind === 'interrupted' ? 'interrupted' : 'error';
        message.error = reportOf(event);
      }
      break;
  }
}

/** The event without its `type`, so that it is kept and compared as a report. */
function reportOf({ kind, message, status }: ErrorReport): ErrorReport {
  return status === undefined ? { kind, message } : { kind, message, status };
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
export function segments(message: ViewMessage): ({ kind: 'text'; text: string } | { kind: 'tool'; call: ToolActivity })[] {
  const out: ({ kind: 'text'; text: string } | { kind: 'tool'; call: ToolActivity })[] = [];
  let from = 0;
  for (const call of [...message.tools].sort((a, b) => a.at - b.at)) {
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
  return message.text.length > 0 || message.reasoning.length > 0 || message.refusal.length > 0 || message.tools.length > 0;
}
