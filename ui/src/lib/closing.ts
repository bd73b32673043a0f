// Closing the window waits for what is typed but not saved yet (a document is saved
// within half a second of a change). Rust tells the window once that it is being
// closed; the views that hold unsaved work save it, and then the window closes itself.
// Rust closes it anyway if that takes more than a few seconds (src-tauri/src/closing.rs),
// unless the window says it stays open: a save failed (a full disk), and the person is
// told, once, so that they can copy their text out first.
import * as backend from './backend';

/** Resolves to false when what the view holds could not be saved and it says so: the window stays open. */
type Saver = () => Promise<boolean>;
const savers = new Set<Saver>();

/** Runs `save` before the window closes, until the returned function is called. */
export function saveBeforeClosing(save: Saver): () => void {
  savers.add(save);
  return () => savers.delete(save);
}

/**
 * Saves what every view holds, each on its own (one failing does not keep the others),
 * then closes; or stays open when a view could not save and asks for that. A view that
 * throws is a fault of the window's own, which must not keep anyone from quitting.
 */
export async function saveAndClose(): Promise<void> {
  const saved = await Promise.allSettled([...savers].map((save) => save()));
  if (saved.some((result) => result.status === 'fulfilled' && !result.value)) await backend.keepWindowOpen();
  else await backend.closeWindow();
}

/** Asks Rust to say when the window is being closed. */
export function watchClosing(): Promise<void> {
  return backend.whenClosing(() => void saveAndClose());
}
