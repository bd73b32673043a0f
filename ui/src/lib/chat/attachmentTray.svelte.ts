// The files waiting to go with the next message: each is read and handed to Rust as soon
// as it is attached, so its cost shows before anything is sent. A refused file becomes a
// notice and takes nothing else with it: not the other files, not the text typed.
import { addAttachment, asBackendError, type BackendError } from '../backend';
import type { Attachment, AttachmentUse } from '../contract';
import { MAX_FILE_BYTES, MAX_FILES, nameOf } from './attachments';

export interface TrayItem {
  /** The window's own key: Rust's id is known only once the file is prepared. */
  key: number;
  name: string;
  /** Null while Rust prepares the file. */
  attachment: Attachment | null;
}

export interface Refusal {
  key: number;
  name: string;
  error: BackendError;
}

type Prepare = (name: string, bytes: Uint8Array) => Promise<Attachment>;

// Files prepared at once: Rust decodes each on its own thread, but ten 30 MB photos read
// into memory together would be a lot for the window to hold.
const PARALLEL = 3;

export class AttachmentTray {
  items: TrayItem[] = $state([]);
  refusals: Refusal[] = $state([]);
  /** Files left out because the message already had as many as it may carry. */
  leftOut: string[] = $state([]);

  #prepare: Prepare;
  #nextKey = 1;
  #running = 0;
  #waiting: (() => void)[] = [];

  constructor(prepare: Prepare = addAttachment) {
    this.#prepare = prepare;
  }

  /** The files ready to send. */
  get ready(): Attachment[] {
    return this.items.flatMap((item) => (item.attachment ? [item.attachment] : []));
  }

  /** Some file is still being prepared: sending waits for it. */
  get preparing(): boolean {
    return this.items.some((item) => !item.attachment);
  }

  get hasNotices(): boolean {
    return this.refusals.length > 0 || this.leftOut.length > 0;
  }

  /** What `send_message` is given, and the keys to clear once it is sent. */
  outgoing(): { uses: AttachmentUse[]; keys: number[] } {
    const ready = this.items.filter((item) => item.attachment);
    return {
      uses: ready.map((item) => ({ id: item.attachment!.id, name: item.attachment!.name })),
      keys: ready.map((item) => item.key),
    };
  }

  /** Puts `attachment` in place of the ready file `id` (its first part, say). */
  replace(id: string, attachment: Attachment): void {
    const item = this.items.find((i) => i.attachment?.id === id);
    if (item) item.attachment = attachment;
  }

  /** Attaches `files`, up to the limit; resolves once each is prepared or refused. */
  add(files: readonly File[]): Promise<void> {
    // A new batch is a new start: old notices no longer describe what is in the tray.
    this.refusals = [];
    const room = Math.max(0, MAX_FILES - this.items.length);
    this.leftOut = files.slice(room).map((file) => nameOf(file));
    return Promise.all(files.slice(0, room).map((file) => this.#add(file))).then(() => undefined);
  }

  async #add(file: File): Promise<void> {
    const key = this.#nextKey++;
    const name = nameOf(file);
    this.items.push({ key, name, attachment: null });
    try {
      const attachment = await this.#slot(async () => {
        if (!this.#has(key)) return null;
        // Nothing Rust would take is this large; reading it would only fill memory.
        if (file.size > MAX_FILE_BYTES) {
          throw {
            kind: 'attachment_too_large',
            message: `${name} is ${Math.ceil(file.size / 1024 / 1024)} MB; Foxtail takes files up to ${MAX_FILE_BYTES / 1024 / 1024} MB.`,
          } satisfies BackendError;
        }
        return this.#prepare(name, new Uint8Array(await file.arrayBuffer()));
      });
      const item = this.items.find((i) => i.key === key);
      // Removed while it was being prepared: the person no longer wants it.
      if (!item || !attachment) return;
      // The same file twice goes once (Rust stores it once anyway).
      if (this.ready.some((a) => a.id === attachment.id)) this.remove(key);
      else item.attachment = attachment;
    } catch (err) {
      if (!this.#has(key)) return;
      this.remove(key);
      this.refusals.push({ key, name, error: asBackendError(err) });
    }
  }

  #has(key: number): boolean {
    return this.items.some((item) => item.key === key);
  }

  async #slot<T>(job: () => Promise<T>): Promise<T> {
    while (this.#running >= PARALLEL) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await job();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  remove(key: number): void {
    this.items = this.items.filter((item) => item.key !== key);
  }

  dismissRefusal(key: number): void {
    this.refusals = this.refusals.filter((r) => r.key !== key);
  }

  dismissLeftOut(): void {
    this.leftOut = [];
  }

  /** The message went: its files leave the tray (files added meanwhile stay). */
  sent(keys: readonly number[]): void {
    this.items = this.items.filter((item) => !keys.includes(item.key));
    this.refusals = [];
    this.leftOut = [];
  }

  clear(): void {
    this.items = [];
    this.refusals = [];
    this.leftOut = [];
  }
}
