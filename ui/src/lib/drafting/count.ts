// Word and character counts for a draft. Korean is written in spaced eojeol, so a word
// count says little about its length; Korean writers count characters (글자 수). When
// most letters are Hangul the primary count is characters, otherwise words.

export interface TextCount {
  /** Whitespace-separated runs that hold at least one letter or digit. */
  words: number;
  /** User-perceived characters (grapheme clusters), spaces and line breaks included. */
  characters: number;
  /** Characters without whitespace. */
  charactersNoSpaces: number;
  /** Which count to show first: characters when most letters are Hangul. */
  primary: 'words' | 'characters';
}

export interface CountOptions {
  /** Count the text as a reader sees it: Markdown marks (#, **, list markers, link addresses) are left out. */
  markdown?: boolean;
}

const WORD = /[\p{L}\p{N}]/u;
const NOT_HANGUL = /[^\p{Script=Hangul}]+/gu;
const NOT_LETTER = /\P{L}+/gu;
const GRAPHEME_LIMIT = 50_000;
const SPACE = /^\s+$/u;

const graphemes: Intl.Segmenter | null =
  typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

/** Markdown as a reader sees it: the text without its marks. */
export function stripMarkdown(text: string): string {
  return (
    text
      // Fences of code blocks, and setext underlines and thematic breaks.
      .replace(/^[ \t]{0,3}(`{3,}|~{3,}).*$/gmu, '')
      .replace(/^[ \t]{0,3}([-*_=])(?:[ \t]*\1){2,}[ \t]*$/gmu, '')
      // Block marks at the start of a line: quotes, headings, list markers, task boxes.
      .replace(/^[ \t]*(?:>[ \t]?)+/gmu, '')
      .replace(/^[ \t]{0,3}#{1,6}(?=[ \t]|$)[ \t]*/gmu, '')
      .replace(/^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/gmu, '')
      // Images and links keep their text, not their address.
      .replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/gu, '$1')
      // Emphasis, strikethrough and code marks (an underscore inside a word stays).
      .replace(/\*{1,3}|~~|`+/gu, '')
      .replace(/(^|[^\p{L}\p{N}])_{1,3}|_{1,3}(?=[^\p{L}\p{N}]|$)/gmu, '$1')
  );
}

export function countText(input: string, options: CountOptions = {}): TextCount {
  const text = options.markdown ? stripMarkdown(input) : input;
  let words = 0;
  for (const run of text.split(/\s+/u)) if (run && WORD.test(run)) words++;

  let characters = 0;
  let spaces = 0;
  // Segmenting every grapheme of a long document takes most of a second in WebKit; past
  // this length characters are counted as code points, which differ only for emoji and
  // combining sequences, a rounding error in a text that long.
  if (graphemes && text.length <= GRAPHEME_LIMIT) {
    for (const { segment } of graphemes.segment(text)) {
      characters++;
      if (SPACE.test(segment)) spaces++;
    }
  } else {
    for (const ch of text) {
      characters++;
      if (ch === ' ' || ch === '\n' || ch === '\t' || SPACE.test(ch)) spaces++;
    }
  }

  // Counted by what is left after removing everything else: matching would build an
  // array of every letter.
  const hangul = text.replace(NOT_HANGUL, '').length;
  const letters = text.replace(NOT_LETTER, '').length;
  return {
    words,
    characters,
    charactersNoSpaces: characters - spaces,
    primary: letters > 0 && hangul * 2 > letters ? 'characters' : 'words',
  };
}
