// KaTeX renders to an HTML string, so math goes through the same sanitizer as everything
// else. Its fonts and CSS are bundled by Vite (see markdown.css); nothing comes from a CDN.
import katex from 'katex';

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
      strict: 'ignore',
      output: 'htmlAndMathml',
      // Bounds on size and macro expansion keep a hostile formula from hanging the window.
      maxSize: 50,
      maxExpand: 500,
    });
    // The TeX source annotation would be dropped by the sanitizer (DOMPurify refuses
    // <semantics>/<annotation> as a mutation-XSS vector) and leave stray text behind.
    const mathml = html.replace(ANNOTATION, '').replace(SEMANTICS, '');
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
