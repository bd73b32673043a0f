// Which files can become documents, checked before a byte of them is read: a file picked
// or dropped by mistake (a video, a disk image) would otherwise be read whole into the
// window's memory, and then into the editor and the database.
import type { MessageKey } from '../messages';

/** The largest file that is opened: far beyond any text a person drafts by hand. */
export const MAX_IMPORT_BYTES = 5_000_000;

const TEXT_FILE = /^(.*)\.(md|markdown|txt)$/i;

export type ImportCheck =
  | { ok: true; title: string }
  | { ok: false; message: MessageKey; params: Record<string, string> };

/**
 * How a byte count is said: in decimal megabytes, as file managers on macOS and GNOME show
 * them, rounded up so that a file just over the limit never reads as the limit itself.
 */
export function megabytes(bytes: number): string {
  const mb = bytes / 1_000_000;
  return `${mb >= 10 ? Math.ceil(mb) : Math.ceil(mb * 10) / 10} MB`;
}

/** Whether `file` may be opened as a document, from its name and size alone. */
export function checkImport(file: Pick<File, 'name' | 'size'>): ImportCheck {
  const match = TEXT_FILE.exec(file.name);
  if (!match) return { ok: false, message: 'importFailed', params: {} };
  if (file.size > MAX_IMPORT_BYTES) {
    return {
      ok: false,
      message: 'importTooLarge',
      params: { size: megabytes(file.size), limit: megabytes(MAX_IMPORT_BYTES) },
    };
  }
  return { ok: true, title: match[1] || file.name };
}

/** The document a file becomes, or why it does not; reads the file only when it passed. */
export async function readImport(
  file: Pick<File, 'name' | 'size' | 'text'>,
): Promise<{ ok: true; title: string; content: string } | Extract<ImportCheck, { ok: false }>> {
  const check = checkImport(file);
  if (!check.ok) return check;
  return { ok: true, title: check.title, content: await file.text() };
}
