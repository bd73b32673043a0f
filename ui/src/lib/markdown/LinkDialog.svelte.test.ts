import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../language.svelte';
import LinkDialog from './LinkDialog.svelte';
import { answerLinkPrompt } from './linkPrompt.svelte';
import Markdown from './Markdown.svelte';
import { loadRenderer } from './renderer';

describe('the link confirmation dialog', () => {
  let components: ReturnType<typeof mount>[] = [];

  // The window loads the renderer after its first paint; here it is there from the start.
  beforeAll(async () => {
    await loadRenderer();
  });

  afterEach(() => {
    // The prompt is one for the window, held outside the components: a test leaves none behind.
    void answerLinkPrompt(false);
    for (const component of components) unmount(component);
    components = [];
    document.body.replaceChildren();
    setLanguage('en');
  });

  function show(text: string) {
    const answer = document.createElement('div');
    const dialogHost = document.createElement('div');
    document.body.append(answer, dialogHost);
    const openExternal = vi.fn<(url: string) => void>();
    components.push(
      mount(Markdown, { target: answer, props: { text, streaming: false, openExternal, copyText: async () => {} } }),
      mount(LinkDialog, { target: dialogHost }),
    );
    flushSync();
    const link = answer.querySelector('a')!;
    const dialog = () => document.querySelector<HTMLElement>('[data-testid="link-dialog"]');
    const button = (id: string) => document.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!;
    return { link, dialog, button, openExternal };
  }

  function press(key: string, shiftKey = false): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true });
    (document.activeElement ?? document.body).dispatchEvent(event);
    flushSync();
    return event;
  }

  it('shows the full address with its host in bold, and opens it only on Open', async () => {
    const url = 'https://evil.example/transfer?to=me#now';
    const { link, dialog, button, openExternal } = show(`Log in at [https://bank.example](${url}).`);
    link.focus();
    link.click();
    flushSync();

    expect(openExternal).not.toHaveBeenCalled();
    expect(dialog()).not.toBeNull();
    expect(dialog()!.getAttribute('role')).toBe('alertdialog');
    expect(dialog()!.getAttribute('aria-modal')).toBe('true');
    expect(dialog()!.querySelector('h1')!.textContent).toBe('Open this link?');
    expect(document.querySelector('[data-testid="link-dialog-url"]')!.textContent).toBe(url);
    expect(document.querySelector('[data-testid="link-dialog-host"]')!.textContent).toBe('evil.example');
    expect([...dialog()!.querySelectorAll('li')].map((li) => li.dataset.reason)).toEqual(['text']);
    // The safe choice has focus, so Enter alone does not open the link.
    expect(document.activeElement).toBe(button('link-cancel'));

    button('link-open').click();
    flushSync();
    expect(openExternal.mock.calls).toEqual([[url]]);
    expect(dialog()).toBeNull();
    await tick();
    expect(document.activeElement).toBe(link);
  });

  it('is cancelled by Escape, which goes no further, and gives focus back', async () => {
    const { link, dialog, openExternal } = show('[docs](http://192.168.1.1/admin)');
    const behind = vi.fn();
    window.addEventListener('keydown', behind);
    try {
      link.click();
      flushSync();
      expect([...dialog()!.querySelectorAll('li')].map((li) => li.dataset.reason)).toEqual(['text', 'local']);
      const escape = press('Escape');
      expect(escape.defaultPrevented).toBe(true);
      expect(behind).not.toHaveBeenCalled();
      expect(dialog()).toBeNull();
      await tick();
      expect(document.activeElement).toBe(link);
      expect(openExternal).not.toHaveBeenCalled();
    } finally {
      window.removeEventListener('keydown', behind);
    }
  });

  it('keeps Tab and Shift+Tab inside the dialog', () => {
    const { link, button } = show('[x](https://example.com/)');
    link.click();
    flushSync();
    expect(document.activeElement).toBe(button('link-cancel'));
    expect(press('Tab').defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(button('link-open'));
    expect(press('Tab', true).defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(button('link-cancel'));
    // Focus that lands behind the dialog is brought back into it.
    link.focus();
    expect(document.activeElement).toBe(button('link-open'));
  });

  it('is cancelled by a click on the backdrop', () => {
    const { link, dialog, openExternal } = show('[x](https://example.com/)');
    link.click();
    flushSync();
    dialog()!.parentElement!.click();
    flushSync();
    expect(dialog()).toBeNull();
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('speaks Korean, and rewords itself on a switch', () => {
    setLanguage('ko');
    const { link, dialog, button } = show('[x](https://example.com/)');
    link.click();
    flushSync();
    expect(dialog()!.querySelector('h1')!.textContent).toBe('이 링크를 열까요?');
    expect(button('link-open').textContent!.trim()).toBe('열기');
    expect(button('link-cancel').textContent!.trim()).toBe('취소');
    setLanguage('en');
    flushSync();
    expect(button('link-open').textContent!.trim()).toBe('Open');
  });

  it('opens a link whose text is its address without asking', () => {
    const { link, dialog, openExternal } = show('See https://example.com/docs for more.');
    link.click();
    flushSync();
    expect(dialog()).toBeNull();
    expect(openExternal.mock.calls).toEqual([['https://example.com/docs']]);
  });
});
