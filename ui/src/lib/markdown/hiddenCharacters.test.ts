import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLanguage } from '../language.svelte';
import { codePointName, markBidiControls, markHiddenCharacters, removeHiddenCharacters } from './hiddenCharacters';
import { createStreamingMarkdown, type StreamingMarkdown } from './streaming';

// Trojan Source (CVE-2021-42574): shown, the comment seems to close the string; run, the
// string holds the comment.
const TROJAN = 'if (level != "user\u202E \u2066// admin only\u2069 \u2066") {\n\tgrant();\n}';

describe('removeHiddenCharacters', () => {
  it('removes bidi overrides and isolates', () => {
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(removeHiddenCharacters(`a${all}b`)).toEqual({ text: 'ab', removed: 9 });
    expect(removeHiddenCharacters(TROJAN)).toEqual({
      text: 'if (level != "user // admin only ") {\n\tgrant();\n}',
      removed: 4,
    });
  });

  it('removes zero-width characters and the byte order mark', () => {
    expect(removeHiddenCharacters('\uFEFFad\u200Bmin\u200C\u200D\u2060')).toEqual({ text: 'admin', removed: 5 });
  });

  it('removes C0 and C1 controls, ESC among them, but keeps tab and newline', () => {
    expect(removeHiddenCharacters('echo hi\u001B[2J\u001B]0;owned\u0007\n\tdone\r\u0000\u007F\u0085\u009B')).toEqual({
      text: 'echo hi[2J]0;owned\n\tdone',
      removed: 8,
    });
  });

  it('leaves ordinary text, including other scripts and emoji, alone', () => {
    const text = 'const 이름 = "مرحبا" + "שלום"; // 👋🏽 café\n\tend';
    expect(removeHiddenCharacters(text)).toEqual({ text, removed: 0 });
  });

  it('removes invisible tag characters, which can smuggle text', () => {
    const smuggled = [...'rm -rf'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    expect(removeHiddenCharacters(`ls${smuggled}`)).toEqual({ text: 'ls', removed: 6 });
  });

  it('names characters by code point', () => {
    expect(codePointName('\u202E')).toBe('U+202E');
    expect(codePointName('\u001B')).toBe('U+001B');
    expect(codePointName(String.fromCodePoint(0xe0041))).toBe('U+E0041');
  });
});

describe('markHiddenCharacters', () => {
  it('puts a visible mark in place of each hidden character, keeping the markup around it', () => {
    const code = document.createElement('code');
    code.innerHTML = '<span class="hljs-string">"user\u202E"</span> x\u200By';
    expect(markHiddenCharacters(code)).toBe(2);
    expect([...code.querySelectorAll('.md-hidden-char')].map((m) => m.textContent)).toEqual(['U+202E', 'U+200B']);
    expect(code.querySelector('.hljs-string')!.textContent).toBe('"userU+202E"');
    expect(removeHiddenCharacters(code.textContent!).removed).toBe(0);
  });
});

describe('markBidiControls', () => {
  it('marks the overrides and isolates that would reorder prose, and leaves RTL marks and scripts alone', () => {
    const p = document.createElement('p');
    // Shown with the override, this reads "Pay to account ...gnissim" backwards.
    p.textContent = 'Pay to account \u202Emissing\u202C. שלום\u200F עולם, 안녕하세요 \u2066x\u2069';
    expect(markBidiControls(p)).toBe(4);
    expect([...p.querySelectorAll('.md-hidden-char')].map((m) => m.textContent)).toEqual([
      'U+202E',
      'U+202C',
      'U+2066',
      'U+2069',
    ]);
    expect(p.textContent).toContain('שלום\u200F עולם, 안녕하세요');
  });

  it('marks them in a rendered answer, not only in code', () => {
    const container = document.createElement('div');
    const md = createStreamingMarkdown(container, { openExternal: () => {}, confirmLink: () => {}, copyText: async () => {} });
    md.update('Transfer to \u202Eevil\u202C please.\n\nDone.');
    md.finish();
    const marks = [...container.querySelectorAll('p .md-hidden-char')].map((m) => m.textContent);
    expect(marks).toEqual(['U+202E', 'U+202C']);
    expect(container.textContent).not.toMatch(/[\u202A-\u202E]/u);
    md.destroy();
  });
});

describe('the copy button on a code block with hidden characters', () => {
  let renderer: StreamingMarkdown | undefined;
  afterEach(() => {
    renderer?.destroy();
    document.body.replaceChildren();
    setLanguage('en');
  });

  function render(markdown: string) {
    const container = document.createElement('div');
    document.body.append(container);
    const copyText = vi.fn<(text: string) => Promise<void>>(async () => {});
    renderer = createStreamingMarkdown(container, { openExternal: () => {}, confirmLink: () => {}, copyText });
    renderer.update(markdown);
    renderer.finish();
    return { container, copyText };
  }

  it('marks them in the block, copies the code without them, and says how many it left out', async () => {
    setLanguage('en');
    const { container, copyText } = render(`\`\`\`js\n${TROJAN}\n\`\`\`\n\nRun \`ls\u001B[2J\` too.`);
    const block = container.querySelector('.md-code')!;
    expect([...block.querySelectorAll('.md-hidden-char')].map((m) => m.textContent)).toEqual([
      'U+202E',
      'U+2066',
      'U+2069',
      'U+2066',
    ]);
    // Inline code is marked too.
    expect(container.querySelector('p code .md-hidden-char')!.textContent).toBe('U+001B');
    expect(removeHiddenCharacters(container.textContent!).removed).toBe(0);
    expect(block.querySelector('.md-copy-notice')).toBeNull();

    block.querySelector<HTMLButtonElement>('button[data-md-copy]')!.click();
    await vi.waitFor(() => expect(block.querySelector('.md-copy-notice')).not.toBeNull());
    expect(copyText).toHaveBeenCalledWith('if (level != "user // admin only ") {\n\tgrant();\n}');
    const notice = block.querySelector('.md-copy-notice')!;
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent).toBe('Hidden characters were removed from the copied code (4).');

    // The notice follows a language switch like the buttons do.
    setLanguage('ko');
    renderer!.relabel();
    expect(notice.textContent).toBe('복사한 코드에서 숨은 문자를 지웠습니다 (4개).');
  });

  it('copies clean code as it is, with no notice', async () => {
    const { container, copyText } = render('```sh\nls -la\n```');
    container.querySelector<HTMLButtonElement>('button[data-md-copy]')!.click();
    await vi.waitFor(() => expect(copyText).toHaveBeenCalledWith('ls -la'));
    expect(container.querySelector('.md-hidden-char, .md-copy-notice')).toBeNull();
  });
});
