// How far a typeset formula may reach. KaTeX caps the sizes a formula asks for at maxSize
// only from above, so `\raisebox{-300em}`, `\kern{-300em}` or `\rule[-300em]` come out as
// inline styles of -300em (and a thousand digits make Infinity). Each length in KaTeX's
// inline styles is therefore held to MAX_MATH_LENGTH_EM here, and the stylesheet clips
// every formula to its own box (markdown.css), which is what keeps it off other messages:
// nesting can still add bounded offsets up, and only the clip holds against that.

/**
 * Generous on purpose: KaTeX places the rows of an `aligned` or a matrix by offsets that
 * grow with the row count (21 rows reach 31em), so a tight bound would fold a long but
 * honest derivation onto itself. 100em is about 65 rows.
 */
export const MAX_MATH_LENGTH_EM = 100;

const STYLE = /style="([^"]*)"/g;
const EM = /(-?)(\d*\.?\d+(?:e[+-]?\d+)?|Infinity|NaN)em\b/gi;

/** `html` with every em length in its style attributes held within ±MAX_MATH_LENGTH_EM. */
export function boundMathLengths(html: string): string {
  return html.replace(STYLE, (_whole, style: string) => {
    const bounded = style.replace(EM, (_length, sign: string, digits: string) => {
      const size = Number(digits);
      if (Number.isNaN(size)) return '0em';
      return size > MAX_MATH_LENGTH_EM ? `${sign}${MAX_MATH_LENGTH_EM}em` : `${sign}${digits}em`;
    });
    return `style="${bounded}"`;
  });
}
