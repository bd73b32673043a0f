import { describe, expect, it } from 'vitest';
import { renderMath } from './math';
import { boundMathLengths, MAX_MATH_LENGTH_EM } from './mathBounds';

/** Every em length in the inline styles of `html`, as numbers. */
function styleLengths(html: string): number[] {
  const container = document.createElement('div');
  container.innerHTML = html;
  return [...container.querySelectorAll('[style]')].flatMap((el) =>
    [...(el.getAttribute('style') ?? '').matchAll(/(-?[\d.e+]+|-?Infinity|NaN)em/gi)].map((m) => Number(m[1])),
  );
}

const hostile = [
  String.raw`\raisebox{-300em}{X}`,
  String.raw`\raisebox{300em}{X}`,
  String.raw`\kern{-300em}X`,
  String.raw`\hspace{-300em}X`,
  String.raw`\hskip -300em X`,
  String.raw`\mkern{-30000mu}X`,
  String.raw`\rule[-300em]{1em}{1em}`,
  String.raw`\rule{500em}{500em}`,
  String.raw`\vphantom{\rule{1em}{300em}}X`,
  String.raw`\Huge\raisebox{-300em}{\Huge X}`,
  String.raw`\rlap{\kern{-300em}X}`,
  String.raw`\kern{-${'9'.repeat(400)}em}X`,
  String.raw`\raisebox{-1${'0'.repeat(30)}em}{X}`,
];

describe('a formula that asks for huge sizes', () => {
  for (const source of hostile) {
    for (const display of [false, true]) {
      it(`${source.slice(0, 40)}${display ? ' (display)' : ''} stays within ±${MAX_MATH_LENGTH_EM}em`, () => {
        const html = renderMath(source, display);
        expect(html).toContain('class="katex');
        const lengths = styleLengths(html);
        expect(lengths.length).toBeGreaterThan(0);
        expect(lengths.filter((n) => !(Math.abs(n) <= MAX_MATH_LENGTH_EM))).toEqual([]);
      });
    }
  }

  it('asks KaTeX to cap sizes at 20em', () => {
    expect(styleLengths(renderMath(String.raw`\rule{500em}{500em}`, false))).toContain(20);
  });
});

describe('boundMathLengths', () => {
  it('bounds em lengths in style attributes, in either direction, and only there', () => {
    const html = '<span style="margin-right:-300em;top:2.5em;height:1e+26em" data-x="900em">900em</span>';
    expect(boundMathLengths(html)).toBe(
      '<span style="margin-right:-100em;top:2.5em;height:100em" data-x="900em">900em</span>',
    );
  });

  it('leaves the offsets of a long, honest derivation as KaTeX made them', () => {
    const rows = Array.from({ length: 21 }, (_, i) => `x_{${i}} &= ${i}`).join(String.raw`\\`);
    const html = renderMath(String.raw`\begin{aligned}${rows}\end{aligned}`, true);
    expect(html).toContain('height:31.2em');
    expect(Math.max(...styleLengths(html).map(Math.abs))).toBeLessThan(MAX_MATH_LENGTH_EM);
  });
});
