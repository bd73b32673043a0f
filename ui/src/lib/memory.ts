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
 * Characters let go since the last collection before one comes without waiting for a
 * quiet moment, only for the next paint: a long conversation scrolled through without a
 * pause never gives one. What the web process still held once it was over grew with what
 * had been let go before the first collection: after scrolling through 2 million
 * characters, +101 to +103 MB; collecting every 300 frames on the way (from the
 * benchmark), +71 MB (README, the sixteenth run).
 */
export const RELEASED_TOO_MUCH = 150_000;

type Collect = () => void;
type Cancel = () => void;

let streams = 0;
// A stream ended, or enough was let go, since the last collection.
let owed = false;
let releasedChars = 0;
// The last collection came on the way and no quiet moment has passed since: what is let
// go meanwhile is the rest of the same scroll, collected at that moment however little.
let onTheWay = false;
let pending: Cancel | undefined;

const MEASURE = 'foxtail:collect';
const MEASURES_KEPT = 500;

function collector(): Collect | undefined {
  const collect = (globalThis as { __foxtailCollect?: unknown }).__foxtailCollect;
  return typeof collect === 'function' ? (collect as Collect) : undefined;
}

function cancelPending(): void {
  pending?.();
  pending = undefined;
}

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
  if (onTheWay) waitForQuiet();
}

/** Collects what is owed once nothing has been let go for `COLLECT_AFTER_MS`; with nothing owed by then, the scroll is over. */
function waitForQuiet(): void {
  cancelPending();
  const timer = setTimeout(() => {
    pending = undefined;
    if (owed) collectNow(true);
    else onTheWay = false;
  }, COLLECT_AFTER_MS);
  pending = () => clearTimeout(timer);
}

function schedule(): void {
  // A browser, tests: nothing to collect with, so nothing is owed.
  if (!collector()) {
    owed = false;
    releasedChars = 0;
    onTheWay = false;
  }
  // streamBegan() cancels what is pending: nothing is collected while a stream runs.
  if (streams === 0 && (owed || onTheWay)) waitForQuiet();
}

/** A stream began taking updates: no collection while it runs (it would cost frames). */
export function streamBegan(): void {
  streams += 1;
  cancelPending();
}

/**
 * A stream stopped taking updates; `ended` when its end came. A pause (a tool running, a
 * slow model) collects only what is still owed (let go meanwhile, or an earlier stream's
 * end): the stream's own garbage is collected once, at its end.
 */
export function streamStopped(ended: boolean): void {
  streams = Math.max(0, streams - 1);
  if (ended) owed = true;
  schedule();
}

/**
 * The page dropped a rendered answer or a document of `chars` characters: collect once
 * things are quiet and enough was dropped, or after the next paint once too much was.
 */
export function released(chars: number): void {
  releasedChars += chars;
  if (releasedChars >= RELEASED_ENOUGH || onTheWay) owed = true;
  if (releasedChars >= RELEASED_TOO_MUCH && streams === 0 && collector()) {
    // What was just changed (rows scrolled in, a conversation switched) is painted first.
    cancelPending();
    pending = afterPaint(() => collectNow(false));
  } else {
    schedule();
  }
}
