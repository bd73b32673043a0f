import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Composer from './Composer.svelte';

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
