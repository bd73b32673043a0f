// Characters in code that change what it does without showing. Bidi overrides and isolates
// reorder what is displayed, so the code reads differently from how it runs (Trojan Source,
// CVE-2021-42574); zero-width characters split or join identifiers invisibly; control bytes
// such as ESC drive the terminal the code is pasted into. An answer's code blocks show each
// one as a visible mark, and the copy button leaves them out and says how many it left out.

// C0 and C1 controls (Unicode's Cc) except tab and line feed; the Arabic letter mark, the
// zero-width space, non-joiner and joiner, and the left-to-right and right-to-left marks;
// the bidi embeddings, overrides and isolates; the word joiner; the byte order mark; and
// the invisible tag characters that can smuggle text past a reader.
const HIDDEN = '[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u202A-\\u202E\\u2060\\u2066-\\u2069\\uFEFF\\u{E0000}-\\u{E007F}]';
const HIDDEN_ALL = new RegExp(HIDDEN, 'gu');
const HIDDEN_ANY = new RegExp(HIDDEN, 'u');

// In prose, only the bidi embeddings, overrides and isolates: one of them reverses or
// reorders the rest of a paragraph, so an answer could show words in another order
// than it wrote them. The marks that right-to-left text needs (LRM, RLM) stay.
const BIDI_CONTROLS = '[\u202A-\u202E\u2066-\u2069]';

/** The class of the mark that stands in for a hidden character in rendered code. */
export const HIDDEN_MARK_CLASS = 'md-hidden-char';

export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN_ANY.test(text);
}

/** `text` without its hidden characters, and how many there were. */
export function removeHiddenCharacters(text: string): { text: string; removed: number } {
  let removed = 0;
  const cleaned = text.replace(HIDDEN_ALL, () => {
    removed++;
    return '';
  });
  return { text: cleaned, removed };
}

/** How a hidden character is named on its mark: its code point, which no font can fake. */
export function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Replaces each hidden character under `root` with a visible mark naming it. The character
 * itself goes: left in the page, a bidi override would still reorder the code around it.
 * Returns how many were marked.
 */
export function markHiddenCharacters(root: Element): number {
  return markMatches(root, HIDDEN);
}

/**
 * Replaces each bidi embedding, override and isolate in the text under `root` with a
 * visible mark, so prose cannot reorder itself. Returns how many were marked.
 */
export function markBidiControls(root: Element): number {
  return markMatches(root, BIDI_CONTROLS);
}

function markMatches(root: Element, pattern: string): number {
  const any = new RegExp(pattern, 'u');
  const all = new RegExp(pattern, 'gu');
  if (!any.test(root.textContent ?? '')) return 0;
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (any.test((node as Text).data)) texts.push(node as Text);
  }
  let marked = 0;
  for (const text of texts) {
    const pieces = doc.createDocumentFragment();
    let last = 0;
    for (const match of text.data.matchAll(all)) {
      const at = match.index;
      if (at > last) pieces.append(text.data.slice(last, at));
      const mark = doc.createElement('span');
      mark.className = HIDDEN_MARK_CLASS;
      mark.textContent = codePointName(match[0]);
      pieces.append(mark);
      last = at + match[0].length;
      marked++;
    }
    if (last < text.data.length) pieces.append(text.data.slice(last));
    text.replaceWith(pieces);
  }
  return marked;
}

/** The text of a rendered code element as it should be copied: without marks or hidden characters. */
export function codeForCopy(code: Element): { text: string; removed: number } {
  const copy = code.cloneNode(true) as Element;
  const marks = copy.querySelectorAll(`.${HIDDEN_MARK_CLASS}`);
  for (const mark of marks) mark.remove();
  const { text, removed } = removeHiddenCharacters(copy.textContent ?? '');
  return { text, removed: removed + marks.length };
}
