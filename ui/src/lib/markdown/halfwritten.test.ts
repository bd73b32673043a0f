import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStreamingMarkdown, type StreamingMarkdown } from './streaming';

let renderers: StreamingMarkdown[] = [];
afterEach(() => {
  for (const renderer of renderers) renderer.destroy();
  renderers = [];
  document.body.replaceChildren();
});

function streaming(text: string) {
  const container = document.createElement('div');
  document.body.append(container);
  const openExternal = vi.fn<(url: string) => void>();
  const confirmLink = vi.fn();
  const copyText = vi.fn<(text: string) => Promise<void>>(async () => {});
  const renderer = createStreamingMarkdown(container, { openExternal, confirmLink, copyText });
  renderers.push(renderer);
  renderer.update(text);
  return { container, renderer, openExternal, confirmLink, copyText };
}

describe('half-written Markdown while streaming', () => {
  it('shows an unclosed code fence as a growing code block', () => {
    const { container, renderer } = streaming('Here:\n\n```python\ndef f(x):\n    return x *');
    const code = container.querySelector('.md-code pre code')!;
    expect(code.textContent).toBe('def f(x):\n    return x *');
    expect(code.classList.contains('language-python')).toBe(true);
    expect(container.querySelector('.md-code-lang')!.textContent).toBe('python');
    expect(container.textContent).not.toContain('```');
    renderer.update('Here:\n\n```python\ndef f(x):\n    return x * 2\n');
    expect(container.querySelector('.md-code pre code')!.textContent).toBe('def f(x):\n    return x * 2\n');
  });

  it('shows a half link as its text, not as brackets, and does not make it clickable', () => {
    const { container, openExternal, confirmLink } = streaming('See [the docs](https://exa');
    expect(container.textContent!.trim()).toBe('See the docs');
    const pending = container.querySelector('.md-link-pending')!;
    expect(pending.textContent).toBe('the docs');
    expect(container.querySelector('a')).toBeNull();
    pending.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(openExternal).not.toHaveBeenCalled();
    expect(confirmLink).not.toHaveBeenCalled();
  });

  it('turns the half link into a real one once the URL is complete', () => {
    const { container, renderer } = streaming('See [the docs](https://exa');
    renderer.update('See [the docs](https://example.com/docs) now');
    expect(container.querySelector('a')!.getAttribute('href')).toBe('https://example.com/docs');
    expect(container.querySelector('.md-link-pending')).toBeNull();
  });

  it('closes an unfinished **bold** and `code` for display instead of showing the markers', () => {
    const { container, renderer } = streaming('This is **very imp');
    expect(container.querySelector('strong')!.textContent).toBe('very imp');
    expect(container.textContent!.trim()).toBe('This is very imp');
    renderer.update('This is **very important** and `npm i');
    expect(container.querySelector('code')!.textContent).toBe('npm i');
    expect(container.textContent).not.toContain('`');
  });

  it('shows the raw markers in the final render when the answer really ends unclosed', () => {
    const { container, renderer } = streaming('This is **not closed');
    expect(container.querySelector('strong')).not.toBeNull();
    renderer.finish();
    expect(container.querySelector('strong')).toBeNull();
    expect(container.textContent!.trim()).toBe('This is **not closed');
  });

  it('renders a half table row as a table with the cells so far', () => {
    const { container } = streaming('| Name | Age |\n|------|-----|\n| Kim  | 3');
    expect(container.querySelectorAll('table tbody tr').length).toBe(1);
    const cells = [...container.querySelectorAll('tbody td')].map((td) => td.textContent);
    expect(cells).toEqual(['Kim', '3']);
    expect(container.textContent).not.toContain('|');
  });

  it('shows a display formula as source until its closing $$ arrives, then typesets it', () => {
    const { container, renderer } = streaming('Area:\n\n$$\n\\frac{1}{');
    const pending = container.querySelector('.md-math-pending')!;
    expect(pending.textContent).toBe('\\frac{1}{');
    expect(container.querySelector('.katex, .katex-error')).toBeNull();
    renderer.update('Area:\n\n$$\n\\frac{1}{2}\n$$');
    expect(container.querySelector('.md-math-pending')).toBeNull();
    expect(container.querySelector('.md-math .katex-display')).not.toBeNull();
  });

  it('shows TeX that does not parse as its source, not as an error', () => {
    const { container, renderer } = streaming('$$\n\\frac{1}{\n$$');
    renderer.finish();
    const source = container.querySelector('.md-math-source')!;
    expect(source.textContent).toBe('\\frac{1}{\n');
    expect(source.getAttribute('title')).toMatch(/KaTeX parse error/);
  });

  it('holds back the first half of an emoji cut between its two UTF-16 halves', () => {
    const { container, renderer } = streaming('안녕 🦊'.slice(0, -1));
    // Without the repair the paragraph would end in a lone surrogate (shown as �).
    expect(container.querySelector('p')!.textContent).toBe('안녕');
    renderer.update('안녕 🦊');
    expect(container.textContent!.trim()).toBe('안녕 🦊');
  });

  it('does not flash a heading while a list marker or underline is half typed', () => {
    const { container, renderer } = streaming('Some paragraph\n-');
    expect(container.querySelector('h2')).toBeNull();
    renderer.update('Some paragraph\n---\n');
    renderer.finish();
    expect(container.querySelector('h2')!.textContent).toBe('Some paragraph');
  });
});

describe('code blocks', () => {
  it('copies exactly the code, without the fence or the trailing newline', async () => {
    const code = 'const greeting = "안녕 <b>&amp;</b>";\n\n  console.log(greeting); // 👋';
    const { container, renderer, copyText } = streaming(`Intro\n\n\`\`\`js\n${code}\n\`\`\`\n\nAfter\n`);
    renderer.finish();
    const button = container.querySelector<HTMLButtonElement>('.md-copy')!;
    expect(button.textContent).toBe('Copy code');
    button.click();
    expect(copyText).toHaveBeenCalledTimes(1);
    expect(copyText).toHaveBeenCalledWith(code);
    await vi.waitFor(() => expect(button.textContent).toBe('Copied'));
  });

  it('highlights known languages and escapes unknown ones', () => {
    const { container, renderer } = streaming('```rust\nfn main() {}\n```\n\n```nosuchlang\n<b>x</b>\n```\n');
    renderer.finish();
    const [rust, unknown] = [...container.querySelectorAll('pre code')];
    expect(rust!.querySelector('.hljs-keyword')!.textContent).toBe('fn');
    expect(unknown!.querySelector('b')).toBeNull();
    expect(unknown!.textContent).toBe('<b>x</b>\n');
    expect(container.querySelectorAll('.md-code-lang')[1]!.textContent).toBe('nosuchlang');
  });
});
