/**
 * Asks the web process for its memory back once streaming has stopped.
 *
 * A streaming answer or draft leaves its garbage mostly as DOM nodes, which
 * JavaScriptCore does not count when it times a full collection, so in the real window
 * that collection came late or not at all while the page sat idle after an answer.
 * The app's web process extension gives the page `__foxtailCollect()`, a full
 * collection at once (`src-tauri/src/web_extension.rs`); elsewhere (a browser, tests)
 * there is none, and nothing happens.
 */

/** Quiet this long after the last stream ended: a tool call or the next turn often follows. */
export const COLLECT_AFTER_MS = 2000;

type Collect = () => void;

let streams = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

function collector(): Collect | undefined {
  const collect = (globalThis as { __foxtailCollect?: unknown }).__foxtailCollect;
  return typeof collect === 'function' ? (collect as Collect) : undefined;
}

/** A stream began taking updates: no collection while it runs (it would cost frames). */
export function streamBegan(): void {
  streams += 1;
  clearTimeout(timer);
  timer = undefined;
}

/** A stream stopped taking updates; `ended` when its end came (a pause does not collect). */
export function streamStopped(ended: boolean): void {
  streams = Math.max(0, streams - 1);
  if (!ended || streams > 0 || !collector()) return;
  clearTimeout(timer);
  timer = setTimeout(() => {
    timer = undefined;
    if (streams === 0) collector()?.();
  }, COLLECT_AFTER_MS);
}
