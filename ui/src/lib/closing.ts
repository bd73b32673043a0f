// Closing the window waits for what is typed but not saved yet (a document is saved
// within half a second of a change). Rust tells the window, once per close, that it is
// being closed; the views that hold unsaved work save it, and then the window closes itself.
// Rust closes it anyway if that takes more than a few seconds (src-tauri/src/closing.rs),
// unless the window says it stays open: a save failed (a full disk), and the person is
// told, once, so that they can copy their text out first.
import * as backend from './backend';

/** Resolves to whether what the view holds is saved. */
type Saver = () => Promise<boolean>;
const savers = new Map<Saver, () => void>();
/** The window stayed open for unsaved text since everything was last saved. */
let keptOpen = false;

/**
 * Runs `save` before the window closes, until the returned function is called. When it
 * resolves to false and the window stays open for it, `onKeptOpen` is called, for the view
 * to say why and how to close anyway.
 */
export function saveBeforeClosing(save: Saver, onKeptOpen: () => void = () => {}): () => void {
  savers.set(save, onKeptOpen);
  return () => savers.delete(save);
}

/** A view's unsaved text is saved after all: the next close that finds unsaved text keeps the window open again. */
export function savedAgain(): void {
  keptOpen = false;
}

/**
 * Saves what every view holds, each on its own (one failing does not keep the others),
 * then closes; or, when some text could not be saved, stays open once, so that the person
 * can copy it out. A second close quits. A view that throws is a fault of the window's
 * own, which must not keep anyone from quitting.
 */
export async function saveAndClose(): Promise<void> {
  const entries = [...savers];
  const saved = await Promise.allSettled(entries.map(([save]) => save()));
  const unsaved = entries.filter((_, i) => {
    const result = saved[i];
    return result?.status === 'fulfilled' && !result.value;
  });
  if (unsaved.length && !keptOpen) {
    keptOpen = true;
    for (const [, onKeptOpen] of unsaved) onKeptOpen();
    await backend.keepWindowOpen();
  } else await backend.closeWindow();
}

/** Asks Rust to say when the window is being closed. */
export function watchClosing(): Promise<void> {
  return backend.whenClosing(() => void saveAndClose());
}
