/**
 * Asks the web process for its memory back once the page has let go of a lot of it: a
 * stream stopped, or a rendered answer or a document left the page (a conversation
 * switched, rows scrolled out of a long one, a document closed).
 *
 * That garbage is mostly DOM nodes, which JavaScriptCore does not count when it times a
 * full collection, so in the real window that collection came late or not at all while
 * the page sat idle. The app's web process extension gives the page
 * `__foxtailCollect()`, a full collection at once (`src-tauri/src/web_extension.rs`);
 * elsewhere (a browser, tests) there is none, and nothing happens.
 */

import { afterPaint } from './paint';

/** Quiet this long after the last release: a tool call, the next turn or more scrolling often follows. */
export const COLLECT_AFTER_MS = 2000;

/**
 * Characters of text let go before they are worth a collection of their own. Rows leave
 * a long conversation as it is scrolled and each new turn makes the last answer anew; a
 * collection after scrolling through 2 million characters took 78 ms in the real window,
 * so a few rows alone wait for more, or for a stream's end.
 */
export const RELEASED_ENOUGH = 100_000;

/**
 * Characters let go with no quiet moment between (a long conversation scrolled through
 * without a pause) before a collection comes anyway, at the next task. What the web
 * process still held once it was over grew with what had been let go before the first
 * collection: scrolling through 2 million characters left +102 MB, and collecting every
 * 70,000 or so on the way +71 MB (README, the sixteenth run).
 */
export const RELEASED_TOO_MUCH = 150_000;

type Collect = () => void;
type Cancel = () => void;

let streams = 0;
// A stream ended, or enough was let go, since the last collection.
let owed = false;
let releasedChars = 0;
let pending: Cancel | undefined;
// The last collection came on the way, before a quiet moment: what is let go after it is
// the rest of the same scroll, and is collected at the quiet moment however little it is.
let onTheWay = false;

function collector(): Collect | undefined {
  const collect = (globalThis as { __foxtailCollect?: unknown }).__foxtailCollect;
  return typeof collect === 'function' ? (collect as Collect) : undefined;
}

const MEASURE = 'foxtail:collect';
const MEASURES_KEPT = 500;

function collectNow(quiet: boolean): void {
  pending = undefined;
  owed = false;
  releasedChars = 0;
  onTheWay = !quiet;
  const collect = collector();
  if (!collect) return;
  // A measure, so the window's benchmark can say how long the page stood still for it;
  // the page's timeline keeps every one, so only the latest are kept.
  const started = performance.now();
  collect();
  if (performance.getEntriesByName(MEASURE).length >= MEASURES_KEPT) performance.clearMeasures(MEASURE);
  performance.measure(MEASURE, { start: started });
}

/** Collects once nothing has been let go for `COLLECT_AFTER_MS` and no stream runs. */
function collectWhenQuiet(): void {
  // A browser, tests: nothing to collect with, so nothing is owed.
  if (!collector()) {
    owed = false;
    releasedChars = 0;
    onTheWay = false;
  }
  if (!owed || streams > 0) return;
  pending?.();
  // streamBegan() cancels it: it never runs while a stream runs. Past the ceiling it does
  // not wait for a quiet moment, which may not come, only for what was just changed (a
  // conversation switched, rows scrolled in) to be painted.
  if (releasedChars >= RELEASED_TOO_MUCH) {
    pending = afterPaint(() => collectNow(false));
  } else {
    const timer = setTimeout(() => collectNow(true), COLLECT_AFTER_MS);
    pending = () => clearTimeout(timer);
  }
}

/** A stream began taking updates: no collection while it runs (it would cost frames). */
export function streamBegan(): void {
  streams += 1;
  pending?.();
  pending = undefined;
}

/**
 * A stream stopped taking updates; `ended` when its end came. A pause (a tool running, a
 * slow model) collects only what is still owed (let go meanwhile, or an earlier stream's
 * end): the stream's own garbage is collected once, at its end.
 */
export function streamStopped(ended: boolean): void {
  streams = Math.max(0, streams - 1);
  if (ended) owed = true;
  collectWhenQuiet();
}

/** The page dropped a rendered answer or a document of `chars` characters: collect once things are quiet and enough was dropped. */
export function released(chars: number): void {
  releasedChars += chars;
  if (releasedChars >= RELEASED_ENOUGH || onTheWay) owed = true;
  collectWhenQuiet();
}
