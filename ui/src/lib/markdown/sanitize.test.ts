import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LinkConfirmation } from './interactive';
import { sanitizeToFragment } from './sanitize';
import { createStreamingMarkdown, type StreamingMarkdown } from './streaming';

const DANGEROUS_TAGS = 'script, iframe, object, embed, style, link, meta, base, form, input, textarea, select, frame, foreignObject, image, use, animate, set';

/** Every attribute in the tree that could run script or fetch something. */
function dangerousAttributes(root: ParentNode): string[] {
  const found: string[] = [];
  for (const element of root.querySelectorAll('*')) {
    for (const { name, value } of element.attributes) {
      if (/^on/i.test(name)) found.push(`${element.nodeName} ${name}`);
      if (/^(href|src|xlink:href|action|formaction|srcset|background|poster)$/i.test(name)) {
        if (!/^(https?:|data:image\/(png|gif|jpeg|webp);)/i.test(value.trim())) {
          found.push(`${element.nodeName} ${name}=${value}`);
        }
      }
      if (name === 'src' && /^https?:/i.test(value)) found.push(`${element.nodeName} remote src`);
    }
  }
  return found;
}

let renderers: StreamingMarkdown[] = [];
afterEach(() => {
  for (const renderer of renderers) renderer.destroy();
  renderers = [];
  document.body.replaceChildren();
});

function render(markdown: string, options: Partial<Parameters<typeof createStreamingMarkdown>[1]> = {}) {
  const container = document.createElement('div');
  document.body.append(container);
  const openExternal = vi.fn<(url: string) => void>();
  const confirmLink = vi.fn<(request: LinkConfirmation) => void>();
  const copyText = vi.fn<(text: string) => Promise<void>>(async () => {});
  const renderer = createStreamingMarkdown(container, { openExternal, confirmLink, copyText, ...options });
  renderers.push(renderer);
  renderer.update(markdown);
  renderer.finish();
  return { container, openExternal, confirmLink, copyText, renderer };
}

const attacks = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned = 1">',
  '<a href="javascript:window.__pwned=1">click</a>',
  '<iframe src="https://evil.example/"></iframe>',
  '<object data="https://evil.example/x.swf"></object>',
  '<style>body { display: none }</style>',
  '<svg onload="window.__pwned = 1"><script>window.__pwned = 1</script></svg>',
  '<form action="https://evil.example/"><input name=q><button>go</button></form>',
  '<div onclick="window.__pwned = 1">hi</div>',
];

describe('untrusted markup in Markdown', () => {
  for (const attack of attacks) {
    it(`shows ${attack.slice(0, 30)}… as text, inert`, () => {
      const { container } = render(`Before\n\n${attack}\n\nand inline ${attack} too`);
      expect(container.querySelectorAll(DANGEROUS_TAGS).length).toBe(0);
      expect(container.querySelectorAll('img, svg, button, div[onclick]').length).toBe(0);
      expect(dangerousAttributes(container)).toEqual([]);
      // Raw HTML is displayed, not parsed.
      expect(container.textContent).toContain(attack);
      expect((window as { __pwned?: number }).__pwned).toBeUndefined();
    });
  }

  it('renders javascript:, vbscript: and data: links as inert text', () => {
    const { container, openExternal } = render(
      '[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](vbscript:msgbox) [d](data:text/html;base64,PHNjcmlwdD4=) [e](jav&#x09;ascript:alert(1)) <javascript:alert(1)>',
    );
    expect(container.querySelectorAll('a').length).toBe(0);
    expect(dangerousAttributes(container)).toEqual([]);
    for (const span of container.querySelectorAll('span')) span.click();
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('opens http(s) links externally on click, and only those', () => {
    const { container, openExternal, confirmLink } = render(
      'https://example.com/a?b=1 <http://example.org> [mail](mailto:a@b.c) [rel](/etc/passwd) [anchor](#top) [file](file:///etc/passwd)',
    );
    const links = [...container.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/a?b=1', 'http://example.org']);
    expect(openExternal).not.toHaveBeenCalled();

    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    links[0]!.dispatchEvent(click);
    // The web view itself never navigates.
    expect(click.defaultPrevented).toBe(true);
    links[1]!.click();
    expect(openExternal.mock.calls).toEqual([['https://example.com/a?b=1'], ['http://example.org/']]);
    expect(confirmLink).not.toHaveBeenCalled();

    const inert = [...container.querySelectorAll('.md-link-inert')];
    expect(inert.map((span) => span.getAttribute('title'))).toEqual(['mailto:a@b.c', '/etc/passwd', '#top']);
    for (const span of inert) span.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(openExternal).toHaveBeenCalledTimes(2);
  });

  it('asks first, instead of opening, for a link that could mislead', () => {
    const { container, openExternal, confirmLink } = render(
      `[https://bank.example](https://evil.example/login) and http://localhost:8080/admin and https://example.com/?d=${'x'.repeat(101)}`,
    );
    const links = [...container.querySelectorAll('a')];
    expect(links).toHaveLength(3);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    links[0]!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    links[1]!.click();
    links[2]!.click();
    expect(openExternal).not.toHaveBeenCalled();
    expect(confirmLink.mock.calls.map(([request]) => [request.url, request.reasons, request.link])).toEqual([
      ['https://evil.example/login', ['text'], links[0]],
      ['http://localhost:8080/admin', ['local'], links[1]],
      [`https://example.com/?d=${'x'.repeat(101)}`, ['query'], links[2]],
    ]);
  });

  it('middle-click on a link neither navigates nor opens anything', () => {
    const { container, openExternal, confirmLink } = render('[web](https://example.com/) https://example.com/');
    for (const link of container.querySelectorAll('a')) {
      const auxclick = new MouseEvent('auxclick', { bubbles: true, cancelable: true, button: 1 });
      link.dispatchEvent(auxclick);
      expect(auxclick.defaultPrevented).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
    expect(confirmLink).not.toHaveBeenCalled();
  });

  it('never loads a remote image, and offers a button naming the host', async () => {
    const { container, openExternal } = render('![chart](https://cdn.example.com/c.png "t")');
    expect(container.querySelector('img')).toBeNull();
    const button = container.querySelector<HTMLButtonElement>('button.md-image-placeholder')!;
    expect(button.textContent).toBe('Show image from cdn.example.com');
    expect(button.type).toBe('button');
    button.click();
    await Promise.resolve();
    expect(openExternal).toHaveBeenCalledWith('https://cdn.example.com/c.png');
    expect(container.querySelector('img')).toBeNull();
  });

  it('loads a remote image through loadImage only when asked, and only as a local URL', async () => {
    const loadImage = vi.fn(async () => 'blob:app/1234');
    const { container, openExternal } = render('![chart](https://cdn.example.com/c.png)', { loadImage });
    expect(loadImage).not.toHaveBeenCalled();
    container.querySelector<HTMLButtonElement>('.md-image-placeholder')!.click();
    await vi.waitFor(() => expect(container.querySelector('img')).not.toBeNull());
    expect(loadImage).toHaveBeenCalledWith('https://cdn.example.com/c.png');
    expect(container.querySelector('img')!.getAttribute('src')).toBe('blob:app/1234');
    expect(container.querySelector('img')!.alt).toBe('chart');
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('refuses a loadImage result that is itself remote', async () => {
    const loadImage = vi.fn(async () => 'https://cdn.example.com/c.png');
    const { container } = render('![chart](https://cdn.example.com/c.png)', { loadImage });
    const button = container.querySelector<HTMLButtonElement>('.md-image-placeholder')!;
    button.click();
    await vi.waitFor(() => expect(button.disabled).toBe(false));
    expect(container.querySelector('img')).toBeNull();
    expect(button.textContent).toContain('cdn.example.com');
  });

  it('keeps inline data: images, which load nothing remote', () => {
    const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const { container } = render(`![dot](${pixel}) ![svg](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)`);
    const images = [...container.querySelectorAll('img')];
    expect(images.map((img) => img.getAttribute('src'))).toEqual([pixel]);
  });

  it('keeps KaTeX from linking or styling its way out', () => {
    const { container } = render(
      String.raw`$\href{javascript:alert(1)}{x}$ and $\url{https://evil.example}$ and $\htmlStyle{background:url(https://evil.example/x.png)}{y}$`,
    );
    expect(container.querySelectorAll('a').length).toBe(0);
    expect(dangerousAttributes(container)).toEqual([]);
    expect(container.innerHTML).not.toContain('evil.example/x.png)');
  });
});

describe('the sanitizer itself', () => {
  // markdown-it escapes raw HTML, so these reach DOMPurify only if a renderer rule or
  // plugin ever lets markup through; the second wall must hold on its own.
  const hostile = [
    '<script>alert(1)</script><p>ok</p>',
    '<img src="https://evil.example/x.png" onerror="alert(1)">',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x"></object><embed src="x">',
    '<style>*{display:none}</style>',
    '<svg onload="alert(1)"><script>alert(1)</script><image href="https://evil.example/i.png"/><use href="#x"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<form action="https://evil.example"><input><button formaction="javascript:alert(1)">b</button></form>',
    '<p style="background:url(https://evil.example/track.png)">styled</p>',
    '<div onclick="alert(1)" onmouseover="alert(1)">x</div>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">',
  ];

  for (const html of hostile) {
    it(`neutralises ${html.slice(0, 40)}`, () => {
      const fragment = sanitizeToFragment(html);
      expect(fragment.querySelectorAll(DANGEROUS_TAGS).length).toBe(0);
      expect(fragment.querySelectorAll('button').length).toBe(0);
      expect(dangerousAttributes(fragment)).toEqual([]);
      const styled = [...fragment.querySelectorAll('[style]')].map((el) => el.getAttribute('style'));
      expect(styled.filter((style) => /url\(/i.test(style ?? ''))).toEqual([]);
    });
  }

  it('keeps the safe parts', () => {
    const fragment = sanitizeToFragment('<p>Hello <strong>there</strong> <a href="https://example.com">x</a></p>');
    expect(fragment.querySelector('strong')!.textContent).toBe('there');
    expect(fragment.querySelector('a')!.getAttribute('href')).toBe('https://example.com');
  });
});
