// Closing the window waits for what is typed but not saved yet (a document is saved
// within half a second of a change). Rust tells the window once that it is being
// closed; the views that hold unsaved work save it, and then the window closes itself.
// Rust closes it anyway if that takes more than a few seconds (src-tauri/src/closing.rs).
import * as backend from './backend';

const savers = new Set<() => Promise<unknown>>();

/** Runs `save` before the window closes, until the returned function is called. */
export function saveBeforeClosing(save: () => Promise<unknown>): () => void {
  savers.add(save);
  return () => savers.delete(save);
}

/** Saves what every view holds, each on its own (one failing does not keep the others), then closes. */
export async function saveAndClose(): Promise<void> {
  await Promise.allSettled([...savers].map((save) => save()));
  await backend.closeWindow();
}

/** Asks Rust to say when the window is being closed. */
export function watchClosing(): Promise<void> {
  return backend.whenClosing(() => void saveAndClose());
}
