// Incremental rendering of an answer that grows token by token.
//
// The container holds the frozen blocks followed by the tail. Frozen blocks were rendered
// once, from text that can no longer change their meaning (blocks.ts decides when that
// is), and their DOM nodes are never touched again. Each update parses only the text after
// the frozen prefix, freezes whatever in it has become finished, and re-renders the rest:
// the cost of a token depends on the length of the unfinished block, not of the answer.
import type Token from 'markdown-it/lib/token.mjs';
import {
  endsInReferenceDefinition,
  finishedBlockCount,
  hasReferenceDefinition,
  lineStarts,
  openBracketMathLine,
  topLevelBlocks,
} from './blocks';
import { completeForDisplay } from './halfwritten';
import { enhance, listenForClicks, relabel, type StreamingMarkdownOptions } from './interactive';
import { md } from './parser';
import { sanitizeToFragment } from './sanitize';

export type { StreamingMarkdownOptions } from './interactive';

export interface StreamingMarkdown {
  /** Renders the whole answer so far; call it as often as text arrives. */
  update(fullText: string): void;
  /** The answer is complete: render the tail as final, without streaming repairs. */
  finish(): void;
  /** Rewords the buttons already shown (copy code, show image) after a language switch. */
  relabel(): void;
  /** Empties the container and stops handling its clicks. */
  destroy(): void;
}

// Enough of the frozen prefix to notice that a caller started over with different text.
const PREFIX_CHECK_CHARS = 64;

function renderTokens(tokens: Token[], env: object): DocumentFragment {
  const fragment = sanitizeToFragment(md.renderer.render(tokens, md.options, env));
  enhance(fragment);
  return fragment;
}

/** A finished answer in one go (for history, where nothing streams). */
export function renderMarkdown(text: string): DocumentFragment {
  return renderTokens(md.parse(text, {}), {});
}

export function createStreamingMarkdown(
  container: HTMLElement,
  options: StreamingMarkdownOptions,
): StreamingMarkdown {
  let frozenLength = 0;
  let tailNodes: ChildNode[] = [];
  let tailHtml = '';
  let text = '';
  // The reference definitions in the frozen text, so that links to them in the tail are
  // links. The tail's own definitions may be half written, so each parse of it gets a copy.
  let references: Record<string, unknown> = {};
  // The last render was the end's, and froze blocks with every definition, the last of
  // which was cut off (half a URL, say): a Continue may still complete it.
  let frozenWithCutDefinition = false;
  const stopListening = listenForClicks(container, options);

  function reset(): void {
    container.replaceChildren();
    frozenLength = 0;
    tailNodes = [];
    tailHtml = '';
    references = {};
  }

  function freeze(tokens: Token[], env: object): void {
    const fragment = renderTokens(tokens, env);
    container.insertBefore(fragment, tailNodes[0] ?? null);
  }

  function showTail(html: string): void {
    if (html === tailHtml) return;
    tailHtml = html;
    for (const node of tailNodes) node.remove();
    const fragment = sanitizeToFragment(html);
    enhance(fragment);
    tailNodes = [...fragment.childNodes];
    container.append(fragment);
  }

  function render(fullText: string, final: boolean): void {
    const checkFrom = Math.max(0, frozenLength - PREFIX_CHECK_CHARS);
    if (
      fullText.length < frozenLength ||
      fullText.slice(checkFrom, frozenLength) !== text.slice(checkFrom, frozenLength)
    ) {
      reset();
    }
    // A link frozen before its definition arrived is still brackets: the answer in full,
    // parsed once with every definition, makes it a link.
    if (final && frozenLength > 0 && hasReferenceDefinition(fullText)) reset();
    // A Continue: what the end froze with a definition it may now complete starts over.
    // Only then, since until the Continue ends, links to the definitions in the tail are
    // brackets again.
    if (!final && frozenWithCutDefinition) reset();
    frozenWithCutDefinition = final && endsInReferenceDefinition(fullText);
    text = fullText;

    const tail = fullText.slice(frozenLength);
    const env = { references: { ...references } };
    const tokens = md.parse(tail, env);
    const blocks = topLevelBlocks(tokens);
    const starts = lineStarts(tail);
    const finished = finishedBlockCount(blocks, starts, openBracketMathLine(tail, starts, blocks, tokens));

    let rest = tail;
    let restTokens = tokens;
    if (finished > 0) {
      const firstOpen = blocks[finished]!;
      const cut = starts[firstOpen.lines[0]]!;
      const frozenText = tail.slice(0, cut);
      // The frozen text's definitions are kept for later tails, which a Continue may add
      // after the end too. They come from the frozen text parsed on its own: a definition
      // in the unfinished text may be half written, or be extended by a Continue.
      if (hasReferenceDefinition(final ? frozenText : tail)) {
        const frozenEnv = { references: { ...references } };
        const frozenTokens = md.parse(frozenText, frozenEnv);
        references = frozenEnv.references;
        // At the end the answer is as it will be shown, and links to definitions in the
        // tail are links; before it, a link to one could keep half a URL once frozen.
        if (final) freeze(tokens.slice(0, firstOpen.start), env);
        else freeze(frozenTokens, frozenEnv);
      } else {
        freeze(tokens.slice(0, firstOpen.start), env);
      }
      frozenLength += cut;
      rest = tail.slice(cut);
      restTokens = tokens.slice(firstOpen.start);
    }

    if (final) {
      showTail(md.renderer.render(restTokens, md.options, env));
      return;
    }
    const display = completeForDisplay(rest);
    const displayTokens = display === rest ? restTokens : md.parse(display, env);
    markPendingMath(displayTokens, display);
    showTail(md.renderer.render(displayTokens, md.options, env));
  }

  return {
    update: (fullText) => render(fullText, false),
    finish: () => render(text, true),
    relabel: () => relabel(container),
    destroy: () => {
      stopListening();
      reset();
    },
  };
}

/**
 * A `$$` block runs to the end of the text until its closing `$$` arrives. Half a formula
 * is usually not valid TeX, so while it is open the block shows its source instead of
 * flickering between typeset output and an error on every token.
 */
function markPendingMath(tokens: Token[], source: string): void {
  const last = tokens[tokens.length - 1];
  if (last?.type !== 'math_block' || last.markup !== '$$' || !last.map) return;
  const starts = lineStarts(source);
  const body = source.slice(starts[last.map[0]]).trim().slice(2);
  if (!body.trimEnd().endsWith('$$')) last.meta = { ...(last.meta as object), pending: true };
}
