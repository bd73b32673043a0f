// Showing half-written Markdown while it streams. remend (from Vercel's Streamdown) closes
// what the model has opened but not yet closed, on the unfinished tail only, never on
// frozen blocks and never on the final render:
// - `**bold`, `*italic`, `~~strike`, `` `code `` are closed at the end, so the text shows in
//   its final style at once instead of flashing raw asterisks that vanish a moment later;
// - `[text](htt` becomes a pending link (its text, styled as a link, not clickable) rather
//   than raw brackets that jump when the URL completes; `![alt](htt` shows nothing yet;
// - a half tag like `<di` at the very end is held back until it is complete (raw HTML is
//   shown as text, so this only avoids a flash of a lone `<`);
// - a lone `-` or `=` line under a paragraph is kept from turning it into a heading for a
//   frame.
// Open code fences and `$$` blocks need no repair: markdown-it runs them to the end of the
// text (see streaming.ts for how an open formula is shown).
import remend from 'remend';

const REMEND_OPTIONS = {
  // These rewrite text that renders the same either way, or would render differently
  // from the final answer (a `> 25` inside a list item is a quote in CommonMark).
  singleTilde: false,
  comparisonOperators: false,
  // An open `$$` is handled by the parser; a single `$` is too often a price.
  katex: false,
  inlineKatex: false,
} as const;

/** Text for displaying the unfinished tail of a streaming answer. */
export function completeForDisplay(tail: string): string {
  // A token may end between the two halves of a surrogate pair (an emoji); the lone half
  // would show as a replacement character for one frame.
  const last = tail.charCodeAt(tail.length - 1);
  const whole = last >= 0xd800 && last <= 0xdbff ? tail.slice(0, -1) : tail;
  return remend(whole, REMEND_OPTIONS);
}
