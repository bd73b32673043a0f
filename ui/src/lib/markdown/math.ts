// KaTeX renders to an HTML string, so math goes through the same sanitizer as everything
// else. Its fonts and CSS are bundled by Vite (see markdown.css); nothing comes from a CDN.
import katex from 'katex';
import { boundMathLengths } from './mathBounds';

/**
 * The largest size, in em, a formula may ask for (`\rule`, `\kern`, `\raisebox`…): about
 * a third of the window, more than any honest formula asks for.
 */
const MAX_SIZE_EM = 20;

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const ANNOTATION = /<annotation encoding="application\/x-tex">[\s\S]*?<\/annotation>/g;
const SEMANTICS = /<\/?semantics>/g;

/**
 * Typeset TeX, or show its source when it does not parse. The source is also what a
 * display block shows while it is still streaming (see `renderPendingMath`), so a formula
 * does not flicker between red error text and half a formula on every token.
 */
export function renderMath(content: string, displayMode: boolean): string {
  try {
    const html = katex.renderToString(content, {
      displayMode,
      throwOnError: true,
      // \href, \url, \includegraphics and \htmlClass stay off: answers are untrusted.
      trust: false,
      // LaTeX that KaTeX merely frowns on (unicode in math, a \\ at the top level) is
      // common in answers and harmless; nothing it allows reaches past the bounds below.
      strict: 'ignore',
      output: 'htmlAndMathml',
      // Bounds on size and macro expansion keep a hostile formula from hanging the window
      // or covering it. maxSize caps only positive sizes; boundMathLengths does the rest.
      maxSize: MAX_SIZE_EM,
      maxExpand: 500,
    });
    // The TeX source annotation would be dropped by the sanitizer (DOMPurify refuses
    // <semantics>/<annotation> as a mutation-XSS vector) and leave stray text behind.
    const mathml = boundMathLengths(html.replace(ANNOTATION, '').replace(SEMANTICS, ''));
    return displayMode ? `<div class="md-math">${mathml}</div>\n` : mathml;
  } catch (error) {
    const title = escape(error instanceof Error ? error.message : String(error));
    return displayMode
      ? `<pre class="md-math-source" title="${title}">${escape(content)}</pre>\n`
      : `<code class="md-math-source" title="${title}">${escape(content)}</code>`;
  }
}

/** A display formula whose closing delimiter has not arrived yet. */
export function renderPendingMath(content: string): string {
  return `<pre class="md-math-source md-math-pending">${escape(content)}</pre>\n`;
}
