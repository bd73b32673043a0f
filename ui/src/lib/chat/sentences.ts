// Cuts a streaming answer into what a screen reader should hear: whole sentences, each
// once and only once complete. Tokens arrive a word or less at a time; reading each would
// drown the listener, and reading the whole answer again at its end would repeat what they
// heard. Pure, so the rules are unit-tested without a window.

export interface SentenceOptions {
  /** The answer has ended: what is left is read even without an ending mark. */
  final?: boolean;
  /** A run longer than this without a sentence end is cut (at a space when there is one). */
  maxLength?: number;
  /** Said once for a whole code block, in place of its code. */
  codeBlock?: string;
}

export interface NextSentences {
  /** Plain sentences, Markdown marks taken out, ready to be read. */
  sentences: string[];
  /** How much of the text is now read (or skipped): the next call starts here. */
  announced: number;
}

/** Long enough for a long sentence, short enough that a screen reader is never silent for long. */
export const MAX_SENTENCE = 240;

// `.`, `!`, `?` and `…` end a sentence only when a space or a line break follows: "3.14"
// and "e.g" mid-token are not ends, and a mark at the very end may still grow ("..").
const LATIN_END = new Set(['.', '!', '?', '…']);
// The full-width marks end a sentence by themselves: no space follows them in CJK text.
const WIDE_END = new Set(['。', '！', '？', '．']);
// Quotes and brackets that close over a sentence's end belong to it.
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '」', '』', '》', '*', '_', '`']);

const FENCE_OPEN = /^[ \t]{0,3}(`{3,}|~{3,})[^\n]*/;

/**
 * The next complete sentences of `text`, starting at `announced` (what earlier calls
 * returned). A code block is one "code block" once it is closed; a list item, a heading or
 * a table row is complete at its line break.
 */
export function nextSentences(text: string, announced: number, options: SentenceOptions = {}): NextSentences {
  const final = options.final ?? false;
  const maxLength = Math.max(20, options.maxLength ?? MAX_SENTENCE);
  const codeBlock = options.codeBlock ?? 'code block';
  const sentences: string[] = [];
  let at = Math.max(0, Math.min(announced, text.length));

  for (;;) {
    const start = skipSpace(text, at);
    if (start >= text.length) {
      // Only blank space is left: it is read (as nothing) once it can no longer start a line.
      if (final) at = text.length;
      break;
    }
    if (atLineStart(text, start)) {
      const fence = FENCE_OPEN.exec(text.slice(start));
      if (fence) {
        const end = fenceEnd(text, start + fence[0].length, fence[1] ?? '```', final);
        if (end === null) break;
        sentences.push(codeBlock);
        at = end;
        continue;
      }
    }
    const end = sentenceEnd(text, start, final, maxLength);
    if (end === null) break;
    const spoken = plain(text.slice(start, end.cut));
    if (spoken) sentences.push(spoken);
    at = end.next;
  }
  return { sentences, announced: at };
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at] ?? '')) at++;
  return at;
}

function atLineStart(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n') return true;
    if (c !== ' ' && c !== '\t') return false;
  }
  return true;
}

/** Where the code block opened before `from` ends (after its closing line), or null while it is still open. */
function fenceEnd(text: string, from: number, fence: string, final: boolean): number | null {
  const mark = fence[0] === '~' ? '~' : '`';
  const close = new RegExp(`\\n[ \\t]{0,3}\\${mark}{${fence.length},}[ \\t]*(\\n|$)`, 'g');
  close.lastIndex = from;
  const found = close.exec(text);
  if (found) {
    const closedLine = found[1] === '\n';
    // A closing fence at the very end may still grow, or be the start of a longer line.
    if (closedLine || final) return found.index + found[0].length;
    return null;
  }
  return final ? text.length : null;
}

/** Where the sentence that starts at `start` ends: `cut` ends what is read, `next` what is consumed. */
function sentenceEnd(text: string, start: number, final: boolean, maxLength: number): { cut: number; next: number } | null {
  // A list number ("1. ") is not a sentence of its own.
  let i = start + (/^\d{1,3}[.)][ \t]/.exec(text.slice(start, start + 6))?.[0].length ?? 0);
  for (; i < text.length; i++) {
    if (i - start >= maxLength) return cutLong(text, start, maxLength);
    const c = text[i] ?? '';
    if (c === '\n') return { cut: i, next: i + 1 };
    if (WIDE_END.has(c)) {
      const after = pastClosers(text, i + 1);
      return { cut: after, next: after };
    }
    if (LATIN_END.has(c)) {
      let after = i + 1;
      while (after < text.length && LATIN_END.has(text[after] ?? '')) after++;
      after = pastClosers(text, after);
      if (after >= text.length) {
        if (final) return { cut: after, next: after };
        return null;
      }
      if (/\s/.test(text[after] ?? '')) return { cut: after, next: after };
      i = after - 1;
    }
  }
  if (final) return { cut: text.length, next: text.length };
  if (text.length - start >= maxLength) return cutLong(text, start, maxLength);
  return null;
}

function pastClosers(text: string, at: number): number {
  while (at < text.length && CLOSERS.has(text[at] ?? '')) at++;
  return at;
}

/** A run with no sentence end: cut at the last space in its second half, else at the length. */
function cutLong(text: string, start: number, maxLength: number): { cut: number; next: number } {
  const limit = start + maxLength;
  const space = text.lastIndexOf(' ', limit);
  const cut = space > start + maxLength / 2 ? space : limit;
  return { cut, next: cut };
}

/** A sentence as it is heard: Markdown's marks out, links as their words, table cells apart. */
export function plain(markdown: string): string {
  const line = markdown.trim();
  // A table's rule row or a horizontal rule says nothing.
  if (/^\|?[\s:|-]*-[\s:|-]*\|?$/.test(line) && line.includes('-') && (line.includes('|') || /^-{3,}$/.test(line))) return '';
  if (/^([*_-]\s*){3,}$/.test(line)) return '';
  return line
    .replace(/^(?:#{1,6}\s+|>\s?|[-*+]\s+(?:\[[ xX]\]\s+)?|\d{1,3}[.)]\s+)+/, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '')
    .replace(/^\||\|$/g, '')
    .replace(/\s*\|\s*/g, ', ')
    .replace(/(\*\*|__|~~|\*|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
