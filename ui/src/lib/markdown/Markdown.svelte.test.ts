import { flushSync, mount, unmount } from 'svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../language.svelte';
import Markdown from './Markdown.svelte';
import { RELEASED_ENOUGH } from '../memory';
import { loadRenderer } from './renderer';

// First in the file: the renderer is not loaded yet, as in a window that has just opened.
describe('a message shown before the renderer has loaded', () => {
  it('renders once the renderer arrives', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const props = { text: '# Title\n\nSome **bold** words.', streaming: false, openExternal: () => {}, copyText: async () => {} };
    const component = mount(Markdown, { target, props });
    flushSync();
    expect(target.querySelector('h1')).toBeNull();
    await loadRenderer();
    await Promise.resolve();
    flushSync();
    expect(target.querySelector('h1')?.textContent).toBe('Title');
    expect(target.querySelector('strong')?.textContent).toBe('bold');
    unmount(component);
    target.remove();
  });
});

describe('Markdown component', () => {
  let target: HTMLElement;
  let component: ReturnType<typeof mount> | undefined;

  // The window loads the renderer after its first paint; here it is there from the start.
  beforeAll(async () => {
    await loadRenderer();
  });

  afterEach(() => {
    if (component) unmount(component);
    component = undefined;
    target.remove();
  });

  it('renders growing text, keeps finished blocks, and finalizes when streaming stops', () => {
    target = document.createElement('div');
    document.body.append(target);
    const openExternal = vi.fn<(url: string) => void>();
    const copyText = vi.fn<(text: string) => Promise<void>>(async () => {});
    const props = $state({ text: '# Title\n\nSome **bo', streaming: true, openExternal, copyText });
    component = mount(Markdown, { target, props });
    flushSync();

    const root = target.querySelector('.markdown')!;
    expect(root.hasAttribute('data-streaming')).toBe(true);
    expect(root.querySelector('strong')!.textContent).toBe('bo');
    expect(root.querySelector('h1')!.textContent).toBe('Title');

    // A link whose text is its address opens without asking (LinkDialog.svelte.test.ts has the rest).
    props.text = '# Title\n\nSome **bold** and <https://example.com>.\n\nNext';
    flushSync();
    // The paragraph after the heading now has a complete line: the heading is final.
    const heading = root.querySelector('h1');
    props.text += ' line';
    flushSync();
    expect(root.querySelector('h1')).toBe(heading);
    root.querySelector('a')!.click();
    expect(openExternal).toHaveBeenCalledWith('https://example.com/');

    props.text += ' **unclosed';
    props.streaming = false;
    flushSync();
    expect(root.hasAttribute('data-streaming')).toBe(false);
    expect(root.textContent).toContain('Next line **unclosed');
    expect(root.querySelector('p:last-child strong')).toBeNull();
    expect(root.getAttribute('aria-live')).toBeNull();
  });

  it('puts a long finished text into the page a slice per frame, ending as rendered at once', async () => {
    const text = Array.from(
      { length: 40 },
      (_, i) => `## Part ${i}\n\nSome **bold** words, a [link](https://example.com/${i}) and \`code\`.\n\n` +
        '```rust\nfn main() {\n\n    println!("hi");\n}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    ).join('\n\n');
    const at = (inSlices: boolean) => {
      const host = document.createElement('div');
      document.body.append(host);
      const made = mount(Markdown, { target: host, props: { text, streaming: false, openExternal: () => {}, copyText: async () => {}, inSlices } });
      flushSync();
      return { host, made };
    };
    const whole = at(false);
    target = document.createElement('div');
    const sliced = at(true);
    const first = sliced.host.querySelectorAll('h2').length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(40);
    await vi.waitFor(() => expect(sliced.host.querySelectorAll('h2').length).toBe(40), { timeout: 5000, interval: 16 });
    expect(sliced.host.innerHTML).toBe(whole.host.innerHTML);
    for (const { host, made } of [whole, sliced]) {
      unmount(made);
      host.remove();
    }
  });

  describe('a text in slices, watched for being on screen', () => {
    const observers: { callback: IntersectionObserverCallback; targets: Element[]; connected: boolean }[] = [];
    class FakeObserver {
      record: (typeof observers)[number];
      constructor(callback: IntersectionObserverCallback) {
        this.record = { callback, targets: [], connected: true };
        observers.push(this.record);
      }
      observe(element: Element) {
        this.record.targets.push(element);
      }
      disconnect() {
        this.record.connected = false;
      }
    }
    const text = Array.from({ length: 30 }, (_, i) => `## Part ${i}\n\n${'Some words in a paragraph. '.repeat(8)}`).join('\n\n');
    const parts = () => target.querySelectorAll('h2').length;
    /** The observer's first report: whether the text was on screen when it went in. */
    function mountInSlices(onScreen: boolean): void {
      observers.length = 0;
      vi.stubGlobal('IntersectionObserver', FakeObserver);
      target = document.createElement('div');
      document.body.append(target);
      component = mount(Markdown, { target, props: { text, streaming: false, openExternal: () => {}, copyText: async () => {}, inSlices: true } });
      flushSync();
      expect(parts()).toBeLessThan(30);
      const [observer] = observers;
      expect(observer?.targets).toEqual([target.querySelector('.markdown')]);
      observer!.callback([{ isIntersecting: onScreen } as IntersectionObserverEntry], observer as unknown as IntersectionObserver);
    }
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('finishes it at once when it went in on screen', () => {
      const whole = document.createElement('div');
      document.body.append(whole);
      const wholeMade = mount(Markdown, { target: whole, props: { text, streaming: false, openExternal: () => {}, copyText: async () => {} } });
      flushSync();
      mountInSlices(true);
      expect(parts()).toBe(30);
      expect(target.innerHTML).toBe(whole.innerHTML);
      expect(observers[0]!.connected).toBe(false);
      unmount(wholeMade);
      whole.remove();
    });

    it('goes on a slice a frame when it went in out of sight, and stops watching', async () => {
      mountInSlices(false);
      const shownFirst = parts();
      expect(observers[0]!.connected).toBe(false);
      // Out of sight it is not finished at once, and a later report is not asked for.
      expect(parts()).toBe(shownFirst);
      await vi.waitFor(() => expect(parts()).toBe(30), { timeout: 5000, interval: 16 });
    });
  });

  it('renders a text with reference links whole, so its links are links', () => {
    const text = `See [the docs][1].\n\n${'More words in a paragraph.\n\n'.repeat(60)}[1]: https://example.com/docs`;
    target = document.createElement('div');
    document.body.append(target);
    component = mount(Markdown, { target, props: { text, streaming: false, openExternal: () => {}, copyText: async () => {}, inSlices: true } });
    flushSync();
    expect(target.querySelector('a')?.getAttribute('href')).toBe('https://example.com/docs');
  });

  it('stops slicing when it is taken out of the page', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: ${'words '.repeat(60)}`).join('\n\n');
    target = document.createElement('div');
    document.body.append(target);
    const made = mount(Markdown, { target, props: { text, streaming: false, openExternal: () => {}, copyText: async () => {}, inSlices: true } });
    flushSync();
    const host = target.querySelector('.markdown')!;
    expect(host.querySelectorAll('p').length).toBeLessThan(40);
    unmount(made);
    await new Promise((done) => setTimeout(done, 100));
    expect(host.childNodes.length).toBe(0);
  });

  it('rewords its buttons in place when the language changes', () => {
    setLanguage('en');
    target = document.createElement('div');
    document.body.append(target);
    const props = $state({
      text: '```rust\nfn main() {}\n```\n\n![map](https://example.com/map.png)\n\nMore',
      streaming: true,
      openExternal: () => {},
      copyText: async () => {},
    });
    component = mount(Markdown, { target, props });
    flushSync();
    const copy = target.querySelector<HTMLButtonElement>('button[data-md-copy]')!;
    const image = target.querySelector<HTMLButtonElement>('button[data-md-image]')!;
    expect(copy.textContent).toBe('Copy code');
    expect(image.textContent).toBe('Show image from example.com');

    setLanguage('ko');
    flushSync();
    // The same (frozen) nodes, reworded.
    expect(target.querySelector('button[data-md-copy]')).toBe(copy);
    expect(copy.textContent).toBe('코드 복사');
    expect(image.textContent).toBe('example.com의 이미지 보기');
    // Buttons rendered after the switch speak the new language from the start.
    props.text += '\n\n```sh\nls\n```\n\nEnd';
    flushSync();
    expect([...target.querySelectorAll('button[data-md-copy]')].map((b) => b.textContent)).toEqual(['코드 복사', '코드 복사']);
    setLanguage('en');
    flushSync();
    expect(copy.textContent).toBe('Copy code');
  });
});

describe('an answer leaving the page', () => {
  it('asks for its memory back once the page is quiet', async () => {
    await loadRenderer();
    const collect = vi.fn();
    const host = globalThis as { __foxtailCollect?: () => void };
    const target = document.createElement('div');
    document.body.append(target);
    let component: ReturnType<typeof mount> | undefined;
    try {
      vi.useFakeTimers();
      host.__foxtailCollect = collect;
      // Long enough to be worth a collection of its own (memory.ts's RELEASED_ENOUGH).
      const text = 'word '.repeat(RELEASED_ENOUGH / 5);
      const props = { text, streaming: false, openExternal: () => {}, copyText: async () => {} };
      component = mount(Markdown, { target, props });
      flushSync();
      vi.advanceTimersByTime(10_000);
      expect(collect).not.toHaveBeenCalled();
      unmount(component);
      component = undefined;
      vi.advanceTimersByTime(10_000);
      expect(collect).toHaveBeenCalledTimes(1);
    } finally {
      if (component) unmount(component);
      vi.runOnlyPendingTimers();
      vi.useRealTimers();
      delete host.__foxtailCollect;
      target.remove();
    }
  });
});
