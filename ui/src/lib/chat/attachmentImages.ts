// Pictures of attachments, fetched from Rust only when they are shown. Thumbnails are
// kept by id for as long as the window is open: a conversation re-renders on every
// streamed token, and an attachment's content never changes (its id is its content).
// Full-size pictures are fetched each time one is opened, since they can be megabytes.
import { attachmentImage } from '../backend';
import { isPictureUrl } from './attachments';

type Load = (id: string, thumbnail: boolean) => Promise<string>;

const loading = new Map<string, Promise<string>>();
const loaded = new Map<string, string>();

/** A thumbnail already fetched, to show at once without waiting a tick. */
export function cachedThumbnail(id: string): string | undefined {
  return loaded.get(id);
}

async function checked(pending: Promise<string>): Promise<string> {
  const url = await pending;
  if (!isPictureUrl(url)) throw new Error('The picture is not one the window shows.');
  return url;
}

/** The thumbnail of `id`, fetched once; a failure is forgotten so a later showing tries again. */
export function thumbnail(id: string, load: Load = attachmentImage): Promise<string> {
  let pending = loading.get(id);
  if (!pending) {
    pending = checked(load(id, true));
    loading.set(id, pending);
    pending.then(
      (url) => loaded.set(id, url),
      () => loading.delete(id),
    );
  }
  return pending;
}

/** The picture exactly as the model got it. */
export function fullPicture(id: string, load: Load = attachmentImage): Promise<string> {
  return checked(load(id, false));
}

/** For tests: forget every thumbnail. */
export function forgetThumbnails(): void {
  loading.clear();
  loaded.clear();
}
