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

purify.addHook('uponSanitizeAttribute', (node, data) => {
  // The content security policy blocks remote images as well; this keeps them from even
  // being requested.
  if (data.attrName === 'src' && !(node.nodeName === 'IMG' && INLINE_IMAGE.test(data.attrValue))) {
    data.keepAttr = false;
  }
  // KaTeX sizes boxes with inline styles; a url() in one would still fetch.
  if (data.attrName === 'style' && /url\s*\(|expression\s*\(|@import/i.test(data.attrValue)) {
    data.keepAttr = false;
  }
});

/** Sanitized, inert nodes for a piece of rendered HTML. */
export function sanitizeToFragment(html: string): DocumentFragment {
  return purify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_UNKNOWN_PROTOCOLS: false,
  });
}

export const sanitizerSupported = purify.isSupported;
