// A long finished text put into the page over several frames (Markdown.svelte's
// `inSlices`): where the slices end, and the frames they are rendered in.
import { hasReferenceDefinition, lineStarts } from './blocks';

/** A few paragraphs of Markdown: small enough that a frame's share can be kept. */
export const SLICE_CHARS = 600;

/**
 * What the slices of every text being put into the page may take of one frame, in
 * script; laying them out comes after, in the same frame. Shared, so that a frame in
 * which several long messages come into the list costs no more than one in which one does.
 */
export const FRAME_BUDGET_MS = 1;

/**
 * Whether `text` may go in in slices: it is long, and holds no reference definition
 * (`[1]: https://…`). A link to one earlier in the text is only a link once the
 * definition is parsed with it, and a slice's finished blocks are never rendered again.
 */
export function canSlice(text: string): boolean {
  return text.length > SLICE_CHARS && !hasReferenceDefinition(text);
}

/**
 * The ends of the successive prefixes to render: each at least `size` characters past
 * the last, at a blank line where there is one, so a slice seldom stops inside a block;
 * the last is the whole text. Never at a blank line inside fenced code: the fence would
 * stay open, and its code be highlighted again with every slice until it closes, while
 * the slice that closes it costs as much as the whole block in one.
 */
export function sliceEnds(text: string, size = SLICE_CHARS): number[] {
  const fences = text.includes('```') || text.includes('~~~') ? fencedCode(text) : [];
  const ends: number[] = [];
  // The blank lines looked at only move forward, and so does the first fence not behind them.
  let next = 0;
  const inside = (at: number): [number, number] | undefined => {
    while (next < fences.length && fences[next]![1] <= at) next++;
    const fence = fences[next];
    return at >= 0 && fence && at > fence[0] ? fence : undefined;
  };
  let end = 0;
  while (end < text.length) {
    let blank = blankLine(text, end + size);
    for (let fence = inside(blank.at); fence; fence = inside(blank.at)) {
      blank = blankLine(text, fence[1]);
    }
    end = blank.at < 0 ? text.length : blank.end;
    ends.push(end);
  }
  return ends;
}

// A line break as Markdown reads one: LF, CRLF, or a lone CR.
const BREAK = String.raw`(?:\r\n|\r(?!\n)|\n)`;
const BLANK_LINE = new RegExp(`${BREAK}[ \t]*${BREAK}`, 'g');
const LINE_BREAK_AT_END = new RegExp(`${BREAK}$`);

/** The first blank line from `from`: where the line before it ends, and where the line after it starts (`at` is -1 for none). */
function blankLine(text: string, from: number): { at: number; end: number } {
  BLANK_LINE.lastIndex = from;
  const found = BLANK_LINE.exec(text);
  return found ? { at: found.index, end: found.index + found[0].length } : { at: -1, end: -1 };
}

// A fence's first line: three or more backticks or tildes after any indentation, quote
// marks and list markers (a backtick fence's info string holds no backtick, or the line
// is inline code). Its last: at least as many of the same, alone on their line.
const FENCE_OPEN = /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:(`{3,})[^`]*$|(~{3,}))/;
const FENCE_CLOSE = /^[ \t>]*(`{3,}|~{3,})[ \t]*$/;

/** Where each fenced code block runs, [its first line's start, its last line's end); an unclosed one runs to the end. */
function fencedCode(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open: { start: number; marker: string } | null = null;
  const starts = lineStarts(text);
  for (const [i, at] of starts.entries()) {
    const line = text.slice(at, starts[i + 1] ?? text.length).replace(LINE_BREAK_AT_END, '');
    const lineEnd = at + line.length;
    if (!open) {
      const opener = FENCE_OPEN.exec(line);
      const marker = opener?.[1] ?? opener?.[2];
      if (marker) open = { start: at, marker };
    } else {
      const marker = FENCE_CLOSE.exec(line)?.[1];
      if (marker && marker[0] === open.marker[0] && marker.length >= open.marker.length) {
        ranges.push([open.start, lineEnd]);
        open = null;
      }
    }
  }
  if (open) ranges.push([open.start, text.length]);
  return ranges;
}


/** Each renders its next slice and says whether more are left. */
const queue = new Set<() => boolean>();
let frame = 0;

function runFrame(): void {
  frame = 0;
  const until = performance.now() + FRAME_BUDGET_MS;
  try {
    for (const step of queue) {
      // At least one slice a frame, so every text gets there however slow the machine.
      do {
        let more = false;
        try {
          more = step();
        } finally {
          // A slice that failed is not tried again.
          if (!more) queue.delete(step);
        }
        if (!more) break;
      } while (performance.now() < until);
      if (performance.now() >= until) break;
    }
  } finally {
    // Even after a failure: the other texts go on next frame.
    if (queue.size > 0) frame = requestAnimationFrame(runFrame);
  }
}

/**
 * Calls `step` in the frames to come, as often as the frame's budget allows, until it
 * returns false. Returns what stops it sooner.
 */
export function inFrames(step: () => boolean): () => void {
  queue.add(step);
  frame ||= requestAnimationFrame(runFrame);
  return () => {
    queue.delete(step);
  };
}
