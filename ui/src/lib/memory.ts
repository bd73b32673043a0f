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

/** Quiet this long after the last release: a tool call, the next turn or more scrolling often follows. */
export const COLLECT_AFTER_MS = 2000;

/**
 * Characters of text let go before they are worth a collection of their own. Rows leave
 * a long conversation as it is scrolled and each new turn makes the last answer anew; a
 * collection after scrolling through 2 million characters took 78 ms in the real window,
 * so a few rows alone wait for more, or for a stream's end.
 */
export const RELEASED_ENOUGH = 100_000;

type Collect = () => void;

let streams = 0;
// A stream ended, or enough was let go, since the last collection.
let owed = false;
let releasedChars = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function collector(): Collect | undefined {
  const collect = (globalThis as { __foxtailCollect?: unknown }).__foxtailCollect;
  return typeof collect === 'function' ? (collect as Collect) : undefined;
}

/** Collects once nothing has been let go for `COLLECT_AFTER_MS` and no stream runs. */
function collectWhenQuiet(): void {
  // A browser, tests: nothing to collect with, so nothing is owed.
  if (!collector()) {
    owed = false;
    releasedChars = 0;
  }
  if (!owed || streams > 0) return;
  clearTimeout(timer);
  // streamBegan() clears it: it never fires while a stream runs.
  timer = setTimeout(() => {
    timer = undefined;
    owed = false;
    releasedChars = 0;
    collector()?.();
  }, COLLECT_AFTER_MS);
}

/** A stream began taking updates: no collection while it runs (it would cost frames). */
export function streamBegan(): void {
  streams += 1;
  clearTimeout(timer);
  timer = undefined;
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
  if (releasedChars >= RELEASED_ENOUGH) owed = true;
  collectWhenQuiet();
}
