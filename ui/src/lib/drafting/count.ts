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
const HANGUL = /[\p{Script=Hangul}]/gu;
const LETTER = /\p{L}/gu;
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
  if (graphemes) {
    for (const { segment } of graphemes.segment(text)) {
      characters++;
      if (SPACE.test(segment)) spaces++;
    }
  } else {
    for (const ch of text) {
      characters++;
      if (SPACE.test(ch)) spaces++;
    }
  }

  const hangul = text.match(HANGUL)?.length ?? 0;
  const letters = text.match(LETTER)?.length ?? 0;
  return {
    words,
    characters,
    charactersNoSpaces: characters - spaces,
    primary: letters > 0 && hangul * 2 > letters ? 'characters' : 'words',
  };
}
