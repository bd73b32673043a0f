// A long finished text put into the page over several frames (Markdown.svelte's
// `inSlices`): where the slices end, and the frames they are rendered in.
import { hasReferenceDefinition } from './parser';

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
 * the last is the whole text.
 */
export function sliceEnds(text: string, size = SLICE_CHARS): number[] {
  const ends: number[] = [];
  let end = 0;
  while (end < text.length) {
    const blank = text.indexOf('\n\n', end + size);
    end = blank < 0 ? text.length : blank + 2;
    ends.push(end);
  }
  return ends;
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
