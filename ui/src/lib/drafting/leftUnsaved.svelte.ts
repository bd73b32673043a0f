// Typing that a document's view could not save before it was closed (another document
// opened, the section switched) while saving failed, a full disk say. The view is gone,
// so the text is kept here: saved again until it goes through, given back to the view
// when the document is opened again (which then saves it itself), said in the window,
// and a reason for closing the window to stay open once.
import * as backend from '../backend';
import type { BackendError } from '../backend';
import { saveBeforeClosing } from '../closing';

interface Left {
  text: string;
  /** The view had no pending change left (it was accepted into `text`): cleared once `text` is saved. */
  clearPending: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  tries: number;
}

const left = new Map<number, Left>();

/** What the window shows while some closed document's typing is not saved. */
export const leftUnsaved = $state({
  /** How many documents' typing waits. */
  count: 0,
  error: null as BackendError | null,
  /** The window was kept open for it; closing again quits. */
  keptOpen: false,
});

function changed(): void {
  leftUnsaved.count = left.size;
  if (left.size === 0) {
    leftUnsaved.error = null;
    leftUnsaved.keptOpen = false;
  }
}

/** Saves the document's text whole; resolves to whether it went through. */
async function save(documentId: number): Promise<boolean> {
  const entry = left.get(documentId);
  if (!entry) return true;
  clearTimeout(entry.timer);
  entry.timer = undefined;
  try {
    await backend.saveTyping(documentId, { edit: () => 'whole', whole: () => entry.text, failed: () => {} });
    if (entry.clearPending) await backend.saveDocumentPending(documentId, () => '');
  } catch (err) {
    const error = backend.asBackendError(err);
    // A deleted document has nowhere to be saved; its text went with it, as it would
    // have with the view open.
    if (error.kind !== 'not_found' && left.get(documentId) === entry) {
      leftUnsaved.error = error;
      entry.timer = setTimeout(() => void save(documentId), Math.min(10_000, 2_000 * 2 ** entry.tries++));
      return false;
    }
  }
  if (left.get(documentId) === entry) left.delete(documentId);
  changed();
  return true;
}

/** Keeps `text`, which the closed view of `documentId` could not save, and tries again soon. */
export function keepLeftUnsaved(documentId: number, text: string, error: BackendError, clearPending: boolean): void {
  clearTimeout(left.get(documentId)?.timer);
  const entry: Left = { text, clearPending, timer: undefined, tries: 0 };
  left.set(documentId, entry);
  leftUnsaved.error = error;
  entry.timer = setTimeout(() => void save(documentId), 2_000);
  changed();
}

/** The document is opened again: its view takes the text back and saves it itself. */
export function takeLeftUnsaved(documentId: number): { text: string; clearPending: boolean; error: BackendError | null } | null {
  const entry = left.get(documentId);
  if (!entry) return null;
  clearTimeout(entry.timer);
  left.delete(documentId);
  const error = leftUnsaved.error;
  changed();
  return { text: entry.text, clearPending: entry.clearPending, error };
}

saveBeforeClosing(async () => {
  const saved = await Promise.all([...left.keys()].map(save));
  if (saved.every(Boolean) || leftUnsaved.keptOpen) return true;
  leftUnsaved.keptOpen = true;
  return false;
});
