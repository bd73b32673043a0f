// One markdown-it instance, configured for untrusted model output.
//
// markdown-it rather than marked: its block parser hands back a token stream with the source
// line range of every top-level block (`token.map`), which is exactly what incremental
// rendering needs to cut the answer into finished blocks and a growing tail; it escapes raw
// HTML when `html` is off, validates link protocols, and has a maintained TeX plugin
// (@mdit/plugin-tex) that knows all four delimiters models use.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { tex } from '@mdit/plugin-tex';
import { highlightCode, knownLanguage } from './highlight';
import { renderMath, renderPendingMath } from './math';

/** The URL remend puts into a link whose target has not arrived yet. */
export const INCOMPLETE_LINK = 'streamdown:incomplete-link';
export const INCOMPLETE_IMAGE = 'streamdown:incomplete-image';

// markdown-it lets these data: images through; anything else is fetched over the network.
const INLINE_IMAGE = /^data:image\/(gif|png|jpeg|webp);/i;

export const md = new MarkdownIt({
  // Raw HTML in an answer is shown as text, never parsed.
  html: false,
  // GFM autolinks bare URLs.
  linkify: true,
  typographer: false,
});

md.use(tex, { delimiters: 'all', render: renderMath });

const escapeHtml = md.utils.escapeHtml;

function codeBlock(code: string, info: string): string {
  const lang = info.split(/\s+/)[0] ?? '';
  const language = knownLanguage(lang);
  const body = language ? highlightCode(code, language) : escapeHtml(code);
  const langClass = language ? ` language-${language}` : '';
  const label = lang ? `<span class="md-code-lang">${escapeHtml(lang)}</span>` : '';
  // The copy button is added after sanitizing (see interactive.ts): untrusted HTML never
  // contains interactive elements.
  return (
    `<div class="md-code"><div class="md-code-bar">${label}</div>` +
    `<pre><code class="hljs${langClass}">${body}</code></pre></div>\n`
  );
}

md.renderer.rules.fence = (tokens, idx) => {
  const token = tokens[idx] as Token;
  return codeBlock(token.content, md.utils.unescapeAll(token.info).trim());
};
md.renderer.rules.code_block = (tokens, idx) => codeBlock((tokens[idx] as Token).content, '');

// Wide tables scroll on their own instead of widening the whole message.
md.renderer.rules.table_open = () => '<div class="md-table"><table>\n';
md.renderer.rules.table_close = () => '</table></div>\n';

const defaultLinkOpen = md.renderer.rules.link_open;
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx] as Token;
  if (token.attrGet('href') === INCOMPLETE_LINK) {
    return '<a data-md-pending="">';
  }
  return defaultLinkOpen
    ? defaultLinkOpen(tokens, idx, options, env, self)
    : self.renderToken(tokens, idx, options);
};

// Remote images are never put into an <img>: loading one tells the image's host that this
// conversation is being read. The span becomes a "show image" button after sanitizing.
md.renderer.rules.image = (tokens, idx, _options, _env, self) => {
  const token = tokens[idx] as Token;
  const src = token.attrGet('src') ?? '';
  const alt = self.renderInlineAsText(token.children ?? [], _options, _env);
  if (src === INCOMPLETE_IMAGE) return '';
  if (INLINE_IMAGE.test(src)) {
    return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
  }
  return `<span class="md-image-blocked" data-md-src="${escapeHtml(src)}">${escapeHtml(alt)}</span>`;
};

// streaming.ts marks a display formula whose closing `$$` has not arrived as pending.
const typesetBlock = md.renderer.rules.math_block;
md.renderer.rules.math_block = (tokens, idx, options, env, self) => {
  const token = tokens[idx] as Token;
  if (token.meta?.pending) return renderPendingMath(token.content);
  return typesetBlock ? typesetBlock(tokens, idx, options, env, self) : '';
};
