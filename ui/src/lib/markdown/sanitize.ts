// DOMPurify is the sanitizer: maintained by security researchers, fast because it uses the
// browser's own parser, and it knows the SVG and MathML that KaTeX emits. markdown-it
// already escapes raw HTML, so this is the second wall: it is what stands if a plugin or
// a renderer rule ever lets markup through.
import DOMPurify from 'dompurify';

const INLINE_IMAGE = /^data:image\/(gif|png|jpeg|webp);/i;

const purify = DOMPurify();

// Anything that can run script, submit, embed another document, load a remote resource or
// restyle the page. KaTeX's output needs none of these.
const FORBID_TAGS = [
  'script', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed',
  'applet', 'form', 'input', 'button', 'textarea', 'select', 'option', 'dialog', 'audio',
  'video', 'source', 'track', 'picture', 'image', 'use', 'foreignobject', 'animate', 'set',
  'animatemotion', 'animatetransform', 'template', 'slot', 'portal',
];
// data-md-label and data-md-params mark the buttons and notices interactive.ts makes, which
// relabel() rewrites; nothing from the answer may carry them.
const FORBID_ATTR = [
  'srcset', 'action', 'formaction', 'xlink:href', 'ping', 'target', 'id', 'name', 'data-md-label', 'data-md-params',
];

// After DOMPurify's own attribute checks, still in its inert document, so nothing is
// fetched before this runs. (An `uponSanitizeAttribute` hook would do the same, but with
// one DOMPurify copies its whole attribute allowlist on every call, and a streaming
// answer is sanitized on every frame.)
purify.addHook('afterSanitizeAttributes', (node) => {
  // The content security policy blocks remote images as well; this keeps them from even
  // being requested.
  const src = node.getAttribute('src');
  if (src !== null && !(node.nodeName === 'IMG' && INLINE_IMAGE.test(src))) node.removeAttribute('src');
  // KaTeX sizes boxes with inline styles; a url() in one would still fetch.
  const style = node.getAttribute('style');
  if (style !== null && /url\s*\(|expression\s*\(|@import/i.test(style)) node.removeAttribute('style');
});

// Set once: a configuration passed to each sanitize() call is parsed again every time
// (DOMPurify clones its tag and attribute sets), and a streaming answer sanitizes its
// unfinished block on every frame. With the hook above, that was most of what an answer
// allocated (about 100 MB for 28 KB of Markdown), which WebKit's web process then keeps.
purify.setConfig({
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS,
  FORBID_ATTR,
  ALLOW_UNKNOWN_PROTOCOLS: false,
});

/** Sanitized, inert nodes for a piece of rendered HTML. */
export function sanitizeToFragment(html: string): DocumentFragment {
  // The overload for RETURN_DOM_FRAGMENT is chosen by the per-call configuration, which
  // is set once above instead.
  return purify.sanitize(html) as unknown as DocumentFragment;
}

export const sanitizerSupported = purify.isSupported;
