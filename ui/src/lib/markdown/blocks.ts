// Cutting a parsed tail into top-level blocks and deciding which of them are finished.
import type Token from 'markdown-it/lib/token.mjs';

export interface Block {
  /** Token index of the block's first token. */
  start: number;
  /** Token index one past its last token. */
  end: number;
  /** Source lines [first, last) in the parsed text. */
  lines: [number, number];
}

/** The top-level blocks of a markdown-it token stream, in order. */
export function topLevelBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i] as Token;
    let end = i + 1;
    if (first.nesting === 1) {
      let depth = 1;
      while (end < tokens.length && depth > 0) {
        depth += (tokens[end] as Token).nesting;
        end++;
      }
    }
    const map = first.map ?? [0, 0];
    blocks.push({ start: i, end, lines: [map[0], map[1]] });
    i = end;
  }
  return blocks;
}

/**
 * Offsets at which each source line starts, counting line breaks the way markdown-it does
 * (CRLF, CR and LF each end a line). The last entry is where the unterminated last line
 * starts, so line `n` is complete when `n + 1 < starts.length`.
 */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) starts.push(i + 1);
    else if (code === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

const BRACKET_OPEN = /^[ \t>*+\-\d.)]*\\\[/;
const BRACKET_CLOSE = /\\\]\s*$/;
// A `\[` at the start of a line that stays open this long is taken for text, not math, so
// that a stray one cannot keep the rest of a long answer out of the frozen prefix.
const BRACKET_MATH_MAX_LINES = 100;
const LITERAL_BLOCKS = new Set(['fence', 'code_block', 'math_block']);

/**
 * The first line of a `\[` display formula that has not been closed yet, or Infinity.
 * The TeX plugin only takes `\[` as math once `\]` arrives; until then the lines after it
 * parse as paragraphs that merely look finished, so nothing from there on may be frozen.
 * (An open ``` fence or `$$` needs no such care: markdown-it runs both to the end of the
 * text until they close, which keeps them in the tail.)
 */
export function openBracketMathLine(text: string, starts: number[], blocks: Block[], tokens: Token[]): number {
  if (!text.includes('\\[')) return Infinity;
  // Lines inside top-level code and math blocks are literal text.
  const literal = new Uint8Array(starts.length);
  for (const block of blocks) {
    if (LITERAL_BLOCKS.has((tokens[block.start] as Token).type)) {
      literal.fill(1, block.lines[0], block.lines[1]);
    }
  }
  let open = Infinity;
  for (let line = 0; line < starts.length; line++) {
    if (literal[line]) continue;
    const content = text.slice(starts[line], starts[line + 1] ?? text.length);
    if (open === Infinity) {
      const opener = BRACKET_OPEN.exec(content);
      if (opener && !BRACKET_CLOSE.test(content.slice(opener[0].length))) open = line;
    } else if (BRACKET_CLOSE.test(content) || line - open > BRACKET_MATH_MAX_LINES) {
      open = Infinity;
    }
  }
  return open;
}

/**
 * How many leading blocks are finished. A block is finished once the block after it has
 * begun and the first line of that next block is complete: before then, a line like `2`
 * after a list may still turn into `2. item` and join the list, and an underline may turn a
 * paragraph into a heading. Once a different block has a complete first line, CommonMark
 * gives later text no way to reach back into the earlier block, except a reference
 * definition (`[1]: https://…`), which streaming.ts makes up for.
 */
export function finishedBlockCount(blocks: Block[], starts: number[], openMathLine: number): number {
  let count = 0;
  for (let i = 0; i + 1 < blocks.length; i++) {
    const block = blocks[i] as Block;
    const next = blocks[i + 1] as Block;
    if (next.lines[0] + 1 >= starts.length) break;
    if (block.lines[1] > openMathLine) break;
    count = i + 1;
  }
  return count;
}

/**
 * Whether `text` holds a reference definition (`[1]: https://…`). A link to it elsewhere in
 * the text, `[text][1]`, is only a link when parsed together with the definition, which is
 * what rendering a text in pieces has to make up for.
 */
export function hasReferenceDefinition(text: string): boolean {
  return REFERENCE_DEFINITION.test(text);
}
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:/m;

/** The text's last line, not ended yet, is a reference definition: its URL may be cut off. */
export function endsInReferenceDefinition(text: string): boolean {
  return REFERENCE_DEFINITION.test(text.slice(text.lastIndexOf('\n') + 1));
}
