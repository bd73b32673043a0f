import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttachmentTray } from './chat/attachmentTray.svelte';
import Composer from './Composer.svelte';
import type { Attachment, AttachmentUse } from './contract';

describe('Composer', () => {
  let target: HTMLElement;
  let sent: string[];
  let component: ReturnType<typeof mount>;

  beforeEach(() => {
    target = document.createElement('div');
    document.body.append(target);
    sent = [];
    component = mount(Composer, { target, props: { onsend: (text: string) => void sent.push(text) } });
  });

  afterEach(() => {
    unmount(component);
    target.remove();
  });

  const input = () => target.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')!;
  const sendButton = () => target.querySelector<HTMLButtonElement>('[data-testid="send"]')!;

  function type(text: string): void {
    input().value = text;
    input().dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
  }

  function press(init: KeyboardEventInit): void {
    input().dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
    flushSync();
  }

  it('cannot send an empty or blank message', () => {
    expect(sendButton().disabled).toBe(true);
    type('   \n ');
    expect(sendButton().disabled).toBe(true);
    press({ key: 'Enter' });
    expect(sent).toEqual([]);
  });

  it('sends on Enter and clears the box', () => {
    type('  hello there \n');
    expect(sendButton().disabled).toBe(false);
    press({ key: 'Enter' });
    expect(sent).toEqual(['hello there']);
    expect(input().value).toBe('');
  });

  it('keeps Shift+Enter and IME composition for the text, not for sending', () => {
    type('안녕');
    press({ key: 'Enter', shiftKey: true });
    press({ key: 'Enter', isComposing: true });
    expect(sent).toEqual([]);
    sendButton().click();
    flushSync();
    expect(sent).toEqual(['안녕']);
  });
});

describe('Composer when the message would not fit', () => {
  it('asks instead of sending, and sends anyway when told to', () => {
    const target = document.createElement('div');
    document.body.append(target);
    const sent: string[] = [];
    let asked = 0;
    const component = mount(Composer, {
      target,
      props: { onsend: (text: string) => void sent.push(text), over: true, onover: () => asked++ },
    });
    const input = target.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')!;
    input.value = 'a very long message';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    flushSync();
    expect(asked).toBe(1);
    expect(sent).toEqual([]);
    expect(input.value).toBe('a very long message');
    (component as unknown as { sendAnyway: () => void }).sendAnyway();
    flushSync();
    expect(sent).toEqual(['a very long message']);
    unmount(component);
    target.remove();
  });
});

describe('Composer with attachments', () => {
  let target: HTMLElement;
  let component: ReturnType<typeof mount>;
  let sent: { text: string; attachments: AttachmentUse[] }[];
  let accept: boolean;
  let tray: AttachmentTray;

  const prepared = (name: string): Attachment => ({
    id: `id-${name}`,
    kind: name.endsWith('.png') ? 'image' : 'document',
    name,
    mime: 'x',
    width: 0,
    height: 0,
    pages: null,
    tokens: 40,
    original_bytes: 3,
  });

  beforeEach(() => {
    target = document.createElement('div');
    document.body.append(target);
    sent = [];
    accept = true;
    tray = new AttachmentTray(async (name) => prepared(name));
    component = mount(Composer, {
      target,
      props: {
        tray,
        onsend: (text: string, attachments: AttachmentUse[]) => {
          sent.push({ text, attachments });
          return accept;
        },
      },
    });
  });

  afterEach(() => {
    unmount(component);
    target.remove();
  });

  const input = () => target.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')!;
  const sendButton = () => target.querySelector<HTMLButtonElement>('[data-testid="send"]')!;
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  };

  function paste(data: { text?: string; html?: string; files?: File[] }): Event {
    const event = new Event('paste', { bubbles: true, cancelable: true });
    const types: Record<string, string | undefined> = { 'text/plain': data.text, 'text/html': data.html };
    Object.defineProperty(event, 'clipboardData', {
      value: { getData: (type: string) => types[type] ?? '', files: data.files ?? [], items: [] },
    });
    input().dispatchEvent(event);
    return event;
  }

  it('sends files without text, with their ids and names, and clears them once sent', async () => {
    await tray.add([new File(['abc'], 'notes.txt')]);
    flushSync();
    expect(target.querySelectorAll('[data-testid="attachment"]')).toHaveLength(1);
    expect(target.querySelector('[data-testid="attachment-budget"]')?.textContent).toContain('notes.txt: about 40 tokens');
    expect(sendButton().disabled).toBe(false);
    sendButton().click();
    await settle();
    expect(sent).toEqual([{ text: '', attachments: [{ id: 'id-notes.txt', name: 'notes.txt' }] }]);
    expect(target.querySelectorAll('[data-testid="attachment"]')).toHaveLength(0);
  });

  it('keeps the text and the files when the send is refused', async () => {
    accept = false;
    await tray.add([new File(['abc'], 'notes.txt')]);
    input().value = 'read this';
    input().dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    sendButton().click();
    await settle();
    expect(sent).toHaveLength(1);
    expect(input().value).toBe('read this');
    expect(tray.ready).toHaveLength(1);
  });

  it('attaches a pasted picture or file, but leaves copied formatted text to the text box', async () => {
    const shot = new File([new Uint8Array([0x89, 0x50])], 'image.png', { type: 'image/png' });
    // Excel's cells come with a picture of themselves.
    expect(paste({ text: 'cells as text', html: '<table></table>', files: [shot] }).defaultPrevented).toBe(false);
    expect(paste({ text: 'just text' }).defaultPrevented).toBe(false);
    expect(tray.items).toHaveLength(0);
    expect(paste({ files: [shot] }).defaultPrevented).toBe(true);
    // A file manager's copy names the file as text too.
    const copied = new File(['a,b'], 'table.csv', { type: 'text/csv' });
    expect(paste({ text: 'table.csv', files: [copied] }).defaultPrevented).toBe(true);
    await settle();
    expect(tray.ready.map((a) => a.name)).toEqual(['image.png', 'table.csv']);
    expect(target.querySelector('[data-testid="attachment"]')?.getAttribute('data-kind')).toBe('image');
  });
});
