import { describe, expect, it } from 'vitest';
import type { Attachment } from '../contract';
import { AttachmentTray } from './attachmentTray.svelte';
import { MAX_FILE_BYTES } from './attachments';

const prepared = (name: string, id = name): Attachment => ({
  id,
  kind: name.endsWith('.png') ? 'image' : 'document',
  name,
  mime: 'x',
  width: 0,
  height: 0,
  pages: null,
  tokens: 100,
  original_bytes: 3,
});

/** A tray whose "Rust" answers when told to, so each step can be looked at. */
function trayWithHandle() {
  const pending = new Map<string, { resolve: (a: Attachment) => void; reject: (e: unknown) => void }>();
  const seen: { name: string; bytes: Uint8Array }[] = [];
  const tray = new AttachmentTray(
    (name, bytes) =>
      new Promise((resolve, reject) => {
        seen.push({ name, bytes });
        pending.set(name, { resolve, reject });
      }),
  );
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { tray, pending, seen, settle };
}

const named = (name: string, text = 'abc') => new File([text], name);

describe('the files waiting to go with a message', () => {
  it('shows each file as preparing, then ready, and sends ids with names', async () => {
    const { tray, pending, seen, settle } = trayWithHandle();
    const done = tray.add([named('a.txt'), named('b.png')]);
    await settle();
    expect(tray.items.map((i) => [i.name, i.attachment])).toEqual([
      ['a.txt', null],
      ['b.png', null],
    ]);
    expect(tray.preparing).toBe(true);
    expect(new TextDecoder().decode(seen[0]!.bytes)).toBe('abc');
    pending.get('a.txt')!.resolve(prepared('a.txt', 'id-a'));
    pending.get('b.png')!.resolve(prepared('b.png', 'id-b'));
    await done;
    expect(tray.preparing).toBe(false);
    const { uses, keys } = tray.outgoing();
    expect(uses).toEqual([
      { id: 'id-a', name: 'a.txt' },
      { id: 'id-b', name: 'b.png' },
    ]);
    tray.sent(keys);
    expect(tray.items).toEqual([]);
  });

  it('turns a refused file into a notice and keeps the others', async () => {
    const { tray, pending, settle } = trayWithHandle();
    const done = tray.add([named('good.txt'), named('scan.pdf')]);
    await settle();
    pending.get('good.txt')!.resolve(prepared('good.txt'));
    pending.get('scan.pdf')!.reject({ kind: 'attachment_no_text', message: 'scan.pdf has no text.' });
    await done;
    expect(tray.ready.map((a) => a.name)).toEqual(['good.txt']);
    expect(tray.refusals).toMatchObject([{ name: 'scan.pdf', error: { kind: 'attachment_no_text', message: 'scan.pdf has no text.' } }]);
    tray.dismissRefusal(tray.refusals[0]!.key);
    expect(tray.hasNotices).toBe(false);
  });

  it('takes up to ten files and names the ones left out', async () => {
    const { tray, pending, settle } = trayWithHandle();
    const files = Array.from({ length: 12 }, (_, i) => named(`f${i}.txt`, `text ${i}`));
    const done = tray.add(files);
    await settle();
    expect(tray.items).toHaveLength(10);
    expect(tray.leftOut).toEqual(['f10.txt', 'f11.txt']);
    // Three at a time: the rest wait their turn.
    expect(pending.size).toBe(3);
    for (let i = 0; i < 10; i++) {
      await settle();
      pending.get(`f${i}.txt`)!.resolve(prepared(`f${i}.txt`));
    }
    await done;
    expect(tray.ready).toHaveLength(10);
  });

  it('forgets a file removed while it was prepared, and keeps the same file once', async () => {
    const { tray, pending, settle } = trayWithHandle();
    const done = tray.add([named('gone.txt'), named('one.txt'), named('again.txt')]);
    await settle();
    tray.remove(tray.items[0]!.key);
    pending.get('gone.txt')!.resolve(prepared('gone.txt'));
    pending.get('one.txt')!.resolve(prepared('one.txt', 'same'));
    await settle();
    pending.get('again.txt')!.resolve(prepared('again.txt', 'same'));
    await done;
    expect(tray.items.map((i) => i.name)).toEqual(['one.txt']);
    expect(tray.refusals).toEqual([]);
  });

  it('refuses a file larger than Rust takes without reading it', async () => {
    const { tray, seen } = trayWithHandle();
    const huge = named('video.mov');
    Object.defineProperty(huge, 'size', { value: MAX_FILE_BYTES + 1 });
    huge.arrayBuffer = () => Promise.reject(new Error('read'));
    await tray.add([huge]);
    expect(seen).toEqual([]);
    expect(tray.refusals[0]?.error.kind).toBe('attachment_too_large');
    expect(tray.refusals[0]?.error.message).toMatch(/video\.mov.*50 MB/);
  });
});
