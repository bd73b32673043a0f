// How full the model's context is with the conversation and the message being typed:
// "12k of 128k". Every figure is an approximation (the window has no tokenizer), and
// the meter says so. Pure apart from the language, so unit-tested.
import type { AnswerUsage, Attachment, Role } from '../contract';
import { t } from '../messages';
import { ASSUMED_CONTEXT_TOKENS, formatNumber, roughly } from './attachments';
import { compactTokens } from './models';

/**
 * Text as Rust counts it for attachments (attachments/tokens.rs): one token per CJK or
 * Hangul character, one per four UTF-8 bytes of everything else, rounded up. Korean
 * runs close to a token a syllable, which a bytes-based count would put at a third.
 */
export function textTokens(text: string): number {
  const count = countFrom(text, 0, { wide: 0, bytes: 0 });
  return count.wide + Math.ceil(count.bytes / 4);
}

interface Count {
  wide: number;
  bytes: number;
}

/** Adds the characters of `text` from `from` on (a code point boundary) to `count`. */
function countFrom(text: string, from: number, count: Count): Count {
  let { wide, bytes } = count;
  for (let i = from; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (isCjkOrHangul(code)) wide += 1;
    else bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return { wide, bytes };
}

// What each message's text came to when last counted. An answer only grows while it
// streams, and the meter is worked out again on every frame: only what was added since
// is counted, or the count would cost the whole answer on each frame.
const counted = new WeakMap<object, { text: string; count: Count }>();

function messageTokens(message: Counted): number {
  const text = message.text;
  const before = counted.get(message);
  const tail = Math.min(64, before?.text.length ?? 0);
  const grown =
    before !== undefined &&
    text.length >= before.text.length &&
    // The end of what was counted is still where it was (a regenerated answer is not),
    // and does not split a surrogate pair.
    text.startsWith(before.text.slice(before.text.length - tail), before.text.length - tail) &&
    !isHighSurrogate(before.text.charCodeAt(before.text.length - 1));
  const count = grown ? countFrom(text, before.text.length, before.count) : countFrom(text, 0, { wide: 0, bytes: 0 });
  counted.set(message, { text, count });
  return count.wide + Math.ceil(count.bytes / 4);
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isCjkOrHangul(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x2e80 && code <= 0x9fff) ||
    (code >= 0xa960 && code <= 0xa97f) ||
    (code >= 0xac00 && code <= 0xd7ff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xff00 && code <= 0xffef) ||
    (code >= 0x20000 && code <= 0x3ffff)
  );
}

/** What the meter reads of a message. */
export interface Counted {
  role: Role;
  text: string;
  usage?: AnswerUsage | null;
  attachments: readonly Pick<Attachment, 'tokens'>[];
}

export interface Meter {
  /** The conversation so far. */
  conversation: number;
  /** The message being typed, with its files. */
  draft: number;
  total: number;
  context: number;
  /** The model's own context is not known: the assumed figure is used. */
  assumed: boolean;
  /** The conversation's figure is the provider's own count for the last answer. */
  reported: boolean;
  /** Sending this would go past what the model reads at once. */
  over: boolean;
  /** 0–1, for the bar. */
  fraction: number;
}

function estimate(message: Counted): number {
  return messageTokens(message) + message.attachments.reduce((sum, a) => sum + a.tokens, 0);
}

/**
 * The last answer's reported usage is what the provider read and wrote for it: the
 * whole conversation up to it, so the next request starts there. Messages after it
 * (one that failed, say) are estimated; with no report at all, everything is.
 */
export function measure(input: {
  messages: readonly Counted[];
  draft: string;
  attachments: readonly Pick<Attachment, 'tokens'>[];
  context: number | null;
}): Meter {
  const { messages } = input;
  let last = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === 'assistant' && messages[i]!.usage) {
      last = i;
      break;
    }
  }
  const reportedUsage = last >= 0 ? messages[last]!.usage! : null;
  const before = reportedUsage ? reportedUsage.input_tokens + reportedUsage.output_tokens : 0;
  const conversation = messages.slice(last + 1).reduce((sum, m) => sum + estimate(m), before);
  const draft = textTokens(input.draft) + input.attachments.reduce((sum, a) => sum + a.tokens, 0);
  const context = input.context && input.context > 0 ? input.context : ASSUMED_CONTEXT_TOKENS;
  const total = conversation + draft;
  return {
    conversation,
    draft,
    total,
    context,
    assumed: !(input.context && input.context > 0),
    reported: reportedUsage !== null,
    over: total > context,
    fraction: Math.min(1, total / context),
  };
}

/** "12k of 128k" */
export function meterLabel(meter: Meter): string {
  return t('contextMeter', { used: compactTokens(meter.total), context: compactTokens(meter.context) });
}

/** The meter's tooltip: the figures in full, and how they were come by. */
export function meterTitle(meter: Meter): string {
  const lines = [
    t('contextMeterTitle', {
      used: formatNumber(roughly(meter.total)),
      context: formatNumber(meter.context),
      conversation: formatNumber(roughly(meter.conversation)),
      draft: formatNumber(roughly(meter.draft)),
    }),
    meter.reported ? t('contextMeterReported') : t('contextMeterEstimated'),
  ];
  if (meter.assumed) lines.push(t('contextMeterAssumed', { context: formatNumber(meter.context) }));
  return lines.join('\n');
}
