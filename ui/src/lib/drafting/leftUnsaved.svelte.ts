// Typing, or a model's pending change, that a document's view could not save before it
// was closed (another document opened, the section switched) while saving failed, a full
// disk say. The view is gone, so they are kept here: saved again until it goes through, given back to the view
// when the document is opened again (which then saves it itself), said in the window,
// and a reason for closing the window to stay open once (closing.ts).
import * as backend from '../backend';
import type { BackendError } from '../backend';
import { saveBeforeClosing, savedAgain } from '../closing';

/** How long to wait before trying a failed save again: soon at first, then every ten seconds. */
export const retryDelay = (tries: number): number => Math.min(10_000, 2_000 * 2 ** tries);

interface Left {
  text: string;
  /**
   * The text went through before the view closed, and only the pending change did not: it
   * is not saved again (that would move the document up the list as if just edited).
   */
  textSaved: boolean;
  /** Why this document's last save failed: given back with the text, for its own notice. */
  error: BackendError;
  /** The view's pending change as it was saved every second ('' for none), saved after `text`. */
  pending: string;
  timer: ReturnType<typeof setTimeout> | undefined;
  tries: number;
  /** The document was deleted: kept, untried and unsaid, in case Undo brings it back. */
  parked: boolean;
}

const left = new Map<number, Left>();
/** Closed views' last saves, not answered yet: a close waits for them. */
const lastSaves = new Set<Promise<unknown>>();

/** What the window shows while some closed document's typing is not saved. */
export const leftUnsaved = $state({
  /** How many documents' typing or pending change waits. */
  count: 0,
  error: null as BackendError | null,
  /** The window was kept open for it; closing again quits. */
  keptOpen: false,
});

const waiting = () => [...left.values()].filter((entry) => !entry.parked);

function changed(): void {
  leftUnsaved.count = waiting().length;
  if (leftUnsaved.count === 0) {
    leftUnsaved.error = null;
    leftUnsaved.keptOpen = false;
  }
}

/** Saves the document's text whole (unless it was saved), then its pending change; resolves to whether both went through. */
async function save(documentId: number): Promise<boolean> {
  const entry = left.get(documentId);
  if (!entry || entry.parked) return true;
  clearTimeout(entry.timer);
  entry.timer = undefined;
  try {
    if (!entry.textSaved) {
      await backend.saveTyping(documentId, { edit: () => 'whole', whole: () => entry.text, failed: () => {} });
      entry.textSaved = true;
    }
    await backend.saveDocumentPending(documentId, () => entry.pending);
  } catch (err) {
    if (left.get(documentId) !== entry) return true;
    const error = backend.asBackendError(err);
    if (error.kind === 'not_found') entry.parked = true;
    else {
      leftUnsaved.error = entry.error = error;
      entry.timer = setTimeout(() => void save(documentId), retryDelay(entry.tries++));
    }
    changed();
    return entry.parked;
  }
  if (left.get(documentId) === entry) left.delete(documentId);
  changed();
  // Saved, not handed to a view or parked: a later close that finds unsaved text keeps
  // the window open again.
  if (!waiting().length) savedAgain();
  return true;
}

/**
 * A view is closing with `lastSave` on its way: a close of the window waits for it, so
 * that what it could not save is here by then.
 */
export function closingWith(lastSave: Promise<unknown>): void {
  lastSaves.add(lastSave);
  void lastSave.finally(() => lastSaves.delete(lastSave));
}

/** What a closed view could not save: its text (saved or not) and its pending change. */
export interface Unsaved {
  text: string;
  textSaved: boolean;
  pending: string;
}

/** Keeps what the closed view of `documentId` could not save, and tries again soon. */
export function keepLeftUnsaved(documentId: number, { text, textSaved, pending }: Unsaved, error: BackendError): void {
  clearTimeout(left.get(documentId)?.timer);
  const entry: Left = { text, textSaved, error, pending, timer: undefined, tries: 0, parked: false };
  left.set(documentId, entry);
  leftUnsaved.error = error;
  entry.timer = setTimeout(() => void save(documentId), retryDelay(entry.tries++));
  changed();
}

/** The document is opened again: its view takes back what waits, and saves it itself. */
export function takeLeftUnsaved(documentId: number): (Unsaved & { error: BackendError }) | null {
  const entry = left.get(documentId);
  if (!entry) return null;
  clearTimeout(entry.timer);
  left.delete(documentId);
  changed();
  return { text: entry.text, textSaved: entry.textSaved, pending: entry.pending, error: entry.error };
}

/** The document was brought back (Undo after a delete): its kept text is saved now. */
export function documentRestored(documentId: number): void {
  const entry = left.get(documentId);
  if (!entry?.parked) return;
  entry.parked = false;
  changed();
  void save(documentId);
}

saveBeforeClosing(
  async () => {
    await Promise.allSettled([...lastSaves]);
    const saved = await Promise.all([...left.keys()].map(save));
    return saved.every(Boolean);
  },
  () => (leftUnsaved.keptOpen = true),
);
