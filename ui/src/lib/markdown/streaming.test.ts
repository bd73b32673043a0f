import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleAnswer } from './fixtures';
import { md } from './parser';
import { createStreamingMarkdown, renderMarkdown, type StreamingMarkdown } from './streaming';

const noop = {
  openExternal: () => {},
  confirmLink: () => {},
  copyText: async () => {},
};

/** A small seeded generator, so a failing cut sequence can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text cut into tokens of 1–`max` code points (never inside a surrogate pair). */
function tokens(text: string, seed: number, max = 8): string[] {
  const points = Array.from(text);
  const next = random(seed);
  const out: string[] = [];
  for (let i = 0; i < points.length; ) {
    const size = 1 + Math.floor(next() * max);
    out.push(points.slice(i, i + size).join(''));
    i += size;
  }
  return out;
}

function oneShot(text: string): string {
  const container = document.createElement('div');
  container.append(renderMarkdown(text));
  return container.innerHTML;
}

let renderers: StreamingMarkdown[] = [];
function streamInto(container: HTMLElement): StreamingMarkdown {
  const renderer = createStreamingMarkdown(container, noop);
  renderers.push(renderer);
  return renderer;
}

/** A renderer whose answer ended as `text`, as a Continue finds it. */
function endedAs(text: string): { container: HTMLElement; renderer: StreamingMarkdown } {
  const container = document.createElement('div');
  const renderer = streamInto(container);
  renderer.update(text);
  renderer.finish();
  return { container, renderer };
}

afterEach(() => {
  for (const renderer of renderers) renderer.destroy();
  renderers = [];
  vi.restoreAllMocks();
});

describe('streaming render', () => {
  it('renders the sample with every construct it is meant to exercise', () => {
    const html = oneShot(sampleAnswer);
    const container = document.createElement('div');
    container.innerHTML = html;
    expect(container.querySelectorAll('h1, h2').length).toBe(2);
    expect(container.querySelectorAll('ol > li').length).toBe(4);
    expect(container.querySelectorAll('blockquote').length).toBe(2);
    expect(container.querySelectorAll('.md-code').length).toBe(3);
    expect(container.querySelectorAll('pre code .hljs-keyword').length).toBeGreaterThan(0);
    expect(container.querySelectorAll('table tbody tr').length).toBe(2);
    expect(container.querySelectorAll('.md-math .katex-display').length).toBe(1 + 1);
    expect(container.querySelectorAll('p .katex').length).toBe(2);
    expect(container.querySelectorAll('hr').length).toBe(1);
    expect(container.textContent).toContain('훈민정음');
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`ends with the same DOM as a one-shot render when streamed in random tokens (seed ${seed})`, () => {
      const container = document.createElement('div');
      const renderer = streamInto(container);
      let text = '';
      for (const token of tokens(sampleAnswer, seed, seed % 2 ? 3 : 12)) {
        text += token;
        renderer.update(text);
      }
      renderer.finish();
      expect(container.innerHTML).toBe(oneShot(sampleAnswer));
    }, 30_000);
  }

  it('matches a one-shot render of every prefix, finished mid-stream and then continued', () => {
    // finish() on each prefix must equal a one-shot render of that prefix, and streaming
    // must carry on correctly after it: this walks cuts inside fences, tables, lists, math,
    // Korean and emoji.
    const points = Array.from(sampleAnswer);
    const container = document.createElement('div');
    const renderer = streamInto(container);
    let text = '';
    for (let i = 0; i < points.length; i++) {
      text += points[i];
      renderer.update(text);
      if (i % 11 === 0 || i === points.length - 1) {
        renderer.finish();
        expect(container.innerHTML, `prefix of ${i + 1} code points`).toBe(oneShot(text));
      }
    }
  }, 120_000);

  it('never touches a frozen block again', () => {
    const container = document.createElement('div');
    const renderer = streamInto(container);
    // "Last" has a complete first line, so everything before it is finished.
    const first = '# Title\n\nA paragraph.\n\n```js\nlet x = 1;\n```\n\nLast\n';
    renderer.update(first);
    const heading = container.querySelector('h1');
    const paragraph = container.querySelector('p');
    const code = container.querySelector('.md-code');
    expect(heading && paragraph && code).toBeTruthy();

    const later = `${first}paragraph grows\n\n- a list\n- that grows\n\n| t | u |\n|---|---|\n| 1 | 2 |\n`;
    for (let end = first.length; end <= later.length; end += 3) renderer.update(later.slice(0, end));
    renderer.update(later);
    renderer.finish();

    expect(container.querySelector('h1')).toBe(heading);
    expect(container.querySelector('p')).toBe(paragraph);
    expect(container.querySelector('.md-code')).toBe(code);
    expect([heading, paragraph, code].every((node) => node!.parentNode === container)).toBe(true);
    expect(container.innerHTML).toBe(oneShot(later));
  });

  it('keeps an open code fence as one growing block, even across blank lines', () => {
    const container = document.createElement('div');
    const renderer = streamInto(container);
    renderer.update('Intro\n\n```py\nx = 1\n\n\ny = 2\n\n# not a heading\n');
    const blocks = container.querySelectorAll('.md-code');
    expect(blocks.length).toBe(1);
    expect(container.querySelector('h1')).toBeNull();
    expect(blocks[0]!.querySelector('code')!.textContent).toBe('x = 1\n\n\ny = 2\n\n# not a heading\n');
    const codeNode = blocks[0];
    renderer.update('Intro\n\n```py\nx = 1\n\n\ny = 2\n\n# not a heading\n```\n\nAfter\n\nmore');
    expect(container.querySelectorAll('.md-code').length).toBe(1);
    // Once closed and followed by another block, the code block itself is frozen.
    const frozen = container.querySelector('.md-code');
    renderer.update('Intro\n\n```py\nx = 1\n\n\ny = 2\n\n# not a heading\n```\n\nAfter\n\nmore text');
    expect(container.querySelector('.md-code')).toBe(frozen);
    expect(frozen).not.toBe(codeNode);
  });

  it('does not freeze a list while a following line could still continue it', () => {
    const container = document.createElement('div');
    const renderer = streamInto(container);
    renderer.update('1. one\n\n2');
    renderer.update('1. one\n\n2. two\n');
    renderer.finish();
    expect(container.querySelectorAll('ol').length).toBe(1);
    expect(container.querySelectorAll('ol > li').length).toBe(2);
  });

  it('parses only the unfinished tail on each update', () => {
    const paragraphs = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} with **some** text.\n\n`);
    const answer = `${paragraphs.join('')}\`\`\`js\nconst end = true;\n\`\`\`\n`;
    const parse = vi.spyOn(md, 'parse');
    const container = document.createElement('div');
    const renderer = streamInto(container);
    let longest = 0;
    for (let end = 1; end <= answer.length; end += 17) {
      renderer.update(answer.slice(0, end));
      for (const call of parse.mock.calls) longest = Math.max(longest, call[0].length);
      parse.mockClear();
    }
    renderer.update(answer);
    renderer.finish();
    expect(answer.length).toBeGreaterThan(4_500);
    // Two paragraphs at most: the finished one waiting to be frozen, and the growing one.
    expect(longest).toBeLessThan(120);
    expect(container.querySelectorAll('p').length).toBe(150);
  }, 60_000);

  it.each([
    ['between its links', '[1]: https://example.com/guide "Guide"\n\nThen [the guide][1] again.\n\nThe end.\n'],
    ['at the end', 'The end.\n\n[1]: https://example.com/guide'],
  ])('makes reference links links, with the definition %s', (_, ending) => {
    const answer = `See [the guide][1] first.\n\nA paragraph between.\n\n${ending}`;
    const halfDefinition = answer.indexOf('https://') + 'https://exa'.length;
    for (const seed of [7, 8, 9]) {
      const container = document.createElement('div');
      const renderer = streamInto(container);
      // The first paragraph is frozen in the same update in which half the definition
      // arrives (a frame's worth of tokens), then the rest comes in small tokens.
      renderer.update(answer.slice(0, answer.indexOf('A paragraph') + 6));
      let text = answer.slice(0, halfDefinition);
      for (const token of [text, ...tokens(answer.slice(halfDefinition), seed)]) {
        if (token !== text) text += token;
        renderer.update(text);
        // A link to a definition still being written is not a link yet, never a link to
        // half the URL.
        for (const link of container.querySelectorAll('a')) {
          expect(link.getAttribute('href'), text).toBe('https://example.com/guide');
        }
      }
      renderer.finish();
      const links = [...container.querySelectorAll('a')];
      expect(links.length).toBe(answer.split('[the guide][1]').length - 1);
      for (const link of links) expect(link.getAttribute('href')).toBe('https://example.com/guide');
      expect(container.textContent).not.toContain('[1]');
      expect(container.innerHTML).toBe(oneShot(answer));
    }
  });

  it('keeps a link to a definition frozen earlier a link while the answer streams', () => {
    const container = document.createElement('div');
    const renderer = streamInto(container);
    const start = '[1]: https://example.com/guide\n\nIntro.\n\nMore\n';
    renderer.update(start);
    const answer = `${start}text.\n\nSee [the guide][1].\n\nAnd more.\n`;
    renderer.update(answer);
    const link = container.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/guide');
    // It was frozen with the definition, so it stays the same node as the answer grows.
    renderer.update(`${answer}\nA new paragraph.`);
    expect(container.querySelector('a')).toBe(link);
  });

  it('keeps a definition from an answer that ended, for the text a Continue adds', () => {
    // The whole answer arrives in one update and ends; with a definition in it, the end
    // renders it again in full, and what that render froze is all there is.
    const ended = 'Intro.\n\n[1]: https://example.com/guide\n\nThe end.\n';
    const { container, renderer } = endedAs(ended);
    // Continue: more of the same answer, with a link to the definition frozen above.
    const continued = `${ended}\nSee [the guide][1].\n\nAnd `;
    renderer.update(continued);
    expect(container.querySelector('a')?.getAttribute('href')).toBe('https://example.com/guide');
    renderer.update(`${continued}more.\n`);
    renderer.finish();
    expect(container.innerHTML).toBe(oneShot(`${continued}more.\n`));
  });

  it('does not keep a definition that a Continue may still extend', () => {
    // Cut off by the length limit in the middle of the URL, the last block stays the tail.
    const ended = 'Intro.\n\nSee [the guide][1].\n\n[1]: https://exa';
    const { container, renderer } = endedAs(ended);
    const continued = `${ended}mple.com/guide\n\nAnd [again][1].\n\nMore`;
    renderer.update(continued);
    const hrefs = () => [...container.querySelectorAll('a')].map((link) => link.getAttribute('href'));
    expect(hrefs()).toContain('https://example.com/guide');
    expect(hrefs()).not.toContain('https://exa');
    renderer.finish();
    expect(hrefs()).toEqual(['https://example.com/guide', 'https://example.com/guide']);
    expect(container.innerHTML).toBe(oneShot(continued));
  });

  it('does not keep half a URL in a link frozen by the end, while a Continue completes it', () => {
    // The end renders the link with the definition as it was cut off, and freezes it
    // with the paragraphs after it.
    const ended = 'Intro.\n\nSee [the guide][1].\n\nMore text.\n\nAnd more.\n\n[1]: https://exa';
    const { container, renderer } = endedAs(ended);
    expect(container.querySelector('a')?.getAttribute('href')).toBe('https://exa');
    const hrefs = () => [...container.querySelectorAll('a')].map((link) => link.getAttribute('href'));
    // The Continue's first words only extend the URL.
    renderer.update(`${ended}mple.com/gu`);
    expect(hrefs()).not.toContain('https://exa');
    const continued = `${ended}mple.com/guide\n\nMore`;
    renderer.update(continued);
    expect(hrefs()).not.toContain('https://exa');
    renderer.finish();
    expect(hrefs()).toEqual(['https://example.com/guide']);
    expect(container.innerHTML).toBe(oneShot(continued));
  });

  it('keeps links to whole definitions links while a Continue streams', () => {
    const ended = 'Intro.\n\nSee [the guide][1].\n\nMore text.\n\n[1]: https://example.com/guide\n';
    const { container, renderer } = endedAs(ended);
    const link = container.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://example.com/guide');
    renderer.update(`${ended}\nAnd `);
    expect(container.querySelector('a')).toBe(link);
    renderer.update(`${ended}\nAnd more.\n`);
    renderer.finish();
    expect(container.innerHTML).toBe(oneShot(`${ended}\nAnd more.\n`));
  });

  it('starts over when the text is replaced rather than extended', () => {
    const container = document.createElement('div');
    const renderer = streamInto(container);
    renderer.update('# Old answer\n\nold paragraph\n\nmore');
    renderer.update('New answer');
    renderer.finish();
    expect(container.innerHTML).toBe(oneShot('New answer'));
  });

  it('puts no aria-live region in the rendered answer', () => {
    const container = document.createElement('div');
    streamInto(container).update(sampleAnswer);
    expect(container.querySelector('[aria-live]')).toBeNull();
    expect(container.hasAttribute('aria-live')).toBe(false);
  });
});
