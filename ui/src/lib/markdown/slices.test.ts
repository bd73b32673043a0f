import { afterEach, describe, expect, it, vi } from 'vitest';
import { canSlice, FRAME_BUDGET_MS, inFrames, SLICE_CHARS, sliceEnds } from './slices';

describe('sliceEnds', () => {
  it('ends each slice at the first blank line past its size, and the last at the end', () => {
    const text = 'aaaa\n\nbbbb\n\ncccc\n\ndddd';
    expect(sliceEnds(text, 4)).toEqual([6, 12, 18, text.length]);
    expect(sliceEnds(text, 5)).toEqual([12, text.length]);
  });

  it('takes the rest in one slice when no blank line follows', () => {
    const text = 'one\n\n' + 'x'.repeat(50);
    expect(sliceEnds(text, 10)).toEqual([text.length]);
  });

  it('covers the text in growing prefixes, each at least a slice long but the last', () => {
    const text = Array.from({ length: 200 }, (_, i) => `Paragraph ${i} ${'word '.repeat(i % 17)}`).join('\n\n');
    const ends = sliceEnds(text, 300);
    expect(ends.at(-1)).toBe(text.length);
    expect(ends[0]).toBeGreaterThanOrEqual(300);
    ends.slice(1, -1).forEach((end, i) => expect(end - ends[i]!).toBeGreaterThanOrEqual(300));
    ends.slice(0, -1).forEach((end) => expect(text.slice(end - 2, end)).toBe('\n\n'));
  });

  it('never ends a slice inside fenced code, blank lines and all', () => {
    const code = Array.from({ length: 40 }, (_, i) => `let x${i} = ${i};\n`).join('\n');
    const paragraphs = 'A paragraph of words.\n\n'.repeat(10);
    const text = `${paragraphs}\`\`\`js\n${code}\`\`\`\n\n${paragraphs}- A step:\n\n  ~~~~\n  one\n\n  ~~~\n  two\n  ~~~~\n\n${paragraphs}`;
    const codeStart = text.indexOf('```js');
    const codeEnd = text.indexOf('```\n\n', codeStart + 5) + 3;
    const listStart = text.indexOf('  ~~~~');
    const listEnd = text.indexOf('~~~~\n\n', listStart + 6) + 4;
    const ends = sliceEnds(text, 50);
    expect(ends.at(-1)).toBe(text.length);
    for (const end of ends) {
      expect(end <= codeStart || end > codeEnd, `end ${end} inside the code at ${codeStart}-${codeEnd}`).toBe(true);
      expect(end <= listStart || end > listEnd, `end ${end} inside the list's code at ${listStart}-${listEnd}`).toBe(true);
    }
    // The code block goes in whole, with the blank line after it.
    expect(ends).toContain(codeEnd + 2);
    // Still one slice per blank line past the size elsewhere.
    expect(ends.length).toBeGreaterThan(10);
  });

  it('takes the rest in one slice from a fence that never closes', () => {
    const text = `${'Words here.\n\n'.repeat(5)}\`\`\`\ncode\n\nmore code\n\n${'x\n\n'.repeat(20)}`;
    const ends = sliceEnds(text, 20);
    expect(ends.at(-1)).toBe(text.length);
    expect(ends.every((end) => end <= text.indexOf('```') || end === text.length)).toBe(true);
  });

  it('closes a fence on a line ending in CRLF, and takes a line of inline code for no fence', () => {
    const words = 'Words here.\n\n'.repeat(5);
    const crlf = `${words}\`\`\`\r\ncode\r\n\`\`\`\r\n\n${words}`;
    const closed = crlf.lastIndexOf('```') + 3;
    expect(sliceEnds(crlf, 20).some((end) => end > closed && end < crlf.length)).toBe(true);
    const inline = `${words}\`\`\`js\`\`\` starts a fence.\n\n${words}`;
    expect(sliceEnds(inline, 20)).toEqual(sliceEnds(inline.replaceAll('`', 'x'), 20));
  });

  it('finds blank lines in CRLF and lone-CR text as in LF text, fences and all', () => {
    const code = Array.from({ length: 20 }, (_, i) => `let x${i} = ${i};\n`).join('\n');
    const lf = `${'A paragraph of words.\n\n'.repeat(10)}\`\`\`js\n${code}\`\`\`\n \n${'More words.\n\n'.repeat(10)}`;
    const expected = sliceEnds(lf, 30);
    expect(expected.length).toBeGreaterThan(8);
    // The code goes in whole, up to the blank line (of spaces) after it.
    expect(expected).toContain(lf.indexOf('```\n \n') + 6);
    for (const lineBreak of ['\r\n', '\r']) {
      const text = lf.replaceAll('\n', lineBreak);
      // The same slices, each end moved by the extra characters of the breaks before it.
      const moved = expected.map((end) => end + (lf.slice(0, end).split('\n').length - 1) * (lineBreak.length - 1));
      expect(sliceEnds(text, 30), JSON.stringify(lineBreak)).toEqual(moved);
    }
  });

  it('has no slices for no text', () => {
    expect(sliceEnds('', 10)).toEqual([]);
  });
});

describe('canSlice', () => {
  const long = 'Some words in a paragraph.\n\n'.repeat(Math.ceil(SLICE_CHARS / 20));
  it('slices long text, but not short text or text with a reference definition', () => {
    expect(canSlice(long)).toBe(true);
    expect(canSlice('Short.')).toBe(false);
    expect(canSlice(`See [the docs][1].\n\n${long}\n[1]: https://example.com/docs`)).toBe(false);
    expect(canSlice(`${long}\n   [Docs]: <https://example.com> "Title"`)).toBe(false);
    // Brackets and a colon inside a line are not a definition.
    expect(canSlice(`${long}\nA list [a]: b`)).toBe(true);
  });
});

describe('inFrames', () => {
  let clock = 0;
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  function frames(): void {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame'] });
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
  }

  /** A text of `slices` slices, each taking `ms` of script. */
  function text(slices: number, ms: number) {
    const made = { done: 0 };
    const step = () => {
      clock += ms;
      made.done++;
      return made.done < slices;
    };
    return { made, step };
  }

  it('runs nothing until the next frame, then as many slices as the frame allows', () => {
    frames();
    const { made, step } = text(100, 1);
    const stop = inFrames(step);
    expect(made.done).toBe(0);
    vi.advanceTimersToNextFrame();
    expect(made.done).toBe(FRAME_BUDGET_MS);
    vi.advanceTimersToNextFrame();
    expect(made.done).toBe(2 * FRAME_BUDGET_MS);
    stop();
    vi.advanceTimersToNextFrame();
  });

  it('shares one budget between the texts of a frame, and runs at least one slice a frame', () => {
    frames();
    const a = text(10, FRAME_BUDGET_MS + 1);
    const b = text(10, 1);
    inFrames(a.step);
    inFrames(b.step);
    vi.advanceTimersToNextFrame();
    // The first slice of `a` used the whole frame: `b` waits for the next.
    expect([a.made.done, b.made.done]).toEqual([1, 0]);
    vi.advanceTimersToNextFrame();
    expect([a.made.done, b.made.done]).toEqual([2, 0]);
    // Once `a` is done, `b` goes on.
    for (let i = 0; i < 20; i++) vi.advanceTimersToNextFrame();
    expect([a.made.done, b.made.done]).toEqual([10, 10]);
  });

  it('drops a text whose slice failed, and goes on with the others', () => {
    frames();
    const failing = vi.fn(() => {
      clock += 0.1;
      throw new Error('no');
    });
    const other = text(3, 0.1);
    inFrames(failing);
    inFrames(other.step);
    expect(() => vi.advanceTimersToNextFrame()).toThrow('no');
    for (let i = 0; i < 3; i++) vi.advanceTimersToNextFrame();
    expect(failing).toHaveBeenCalledTimes(1);
    expect(other.made.done).toBe(3);
  });

  it('stops calling a text once it has no slice left, or once stopped', () => {
    frames();
    const short = text(3, 0.5);
    const long = text(1000, 0.5);
    inFrames(short.step);
    const stop = inFrames(long.step);
    for (let i = 0; i < 3; i++) vi.advanceTimersToNextFrame();
    expect(short.made.done).toBe(3);
    const before = long.made.done;
    expect(before).toBeGreaterThan(0);
    stop();
    for (let i = 0; i < 5; i++) vi.advanceTimersToNextFrame();
    expect([short.made.done, long.made.done]).toEqual([3, before]);
  });
});
