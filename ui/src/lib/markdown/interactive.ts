// What a person can click in an answer. Links and images are rewritten after sanitizing,
// in the fragment, before it reaches the page; clicks are handled by one listener on the
// container so that re-rendered tail nodes need no listeners of their own.
import { t, type MessageKey } from '../messages';
import { codeForCopy, markBidiControls, markHiddenCharacters } from './hiddenCharacters';
import { linkRisks, type LinkRisk } from './linkRisk';

/** A link the person clicked that should be confirmed before it opens (see linkRisk.ts). */
export interface LinkConfirmation {
  /** The full address the link opens. */
  url: string;
  reasons: LinkRisk[];
  /** The link clicked, for focus to return to once the person has decided. */
  link: HTMLAnchorElement;
}

export interface StreamingMarkdownOptions {
  /** Opens a URL in the system browser. Called only on a click, only for http(s) URLs. */
  openExternal: (url: string) => void;
  /**
   * Asks the person before a link that could mislead is opened; opening it is then the
   * caller's business. Links whose text is their own public address go to openExternal.
   */
  confirmLink: (request: LinkConfirmation) => void;
  /** Puts text on the clipboard; the code blocks' copy button uses it. */
  copyText: (text: string) => Promise<void>;
  /**
   * Fetches a remote image on request and returns a `blob:` or `data:` URL for it. Without
   * it, "show image" opens the image in the system browser instead.
   */
  loadImage?: ((url: string) => Promise<string>) | undefined;
}

type ButtonLabel = Extract<MessageKey, `markdown${string}`>;

/**
 * Words a button or notice with a catalogue message, and notes which one (and its
 * parameters) on the element, so that relabel() can reword it after a language switch:
 * these elements are made here, outside Svelte, and frozen blocks are never rendered again.
 */
function setLabel(element: HTMLElement, key: ButtonLabel, params: Record<string, string> = {}): void {
  element.dataset.mdLabel = key;
  if (Object.keys(params).length) element.dataset.mdParams = JSON.stringify(params);
  else delete element.dataset.mdParams;
  element.textContent = t(key, params);
}

/**
 * Rewords every labelled element in `container` in the current language. The sanitizer
 * strips data-md-label from the answer (sanitize.ts), so every one was made by setLabel.
 */
export function relabel(container: ParentNode): void {
  for (const element of container.querySelectorAll<HTMLElement>('[data-md-label]')) {
    const params = element.dataset.mdParams ? (JSON.parse(element.dataset.mdParams) as Record<string, string>) : {};
    setLabel(element, element.dataset.mdLabel as ButtonLabel, params);
  }
}

/** The URL when it is an absolute http(s) URL, else undefined. */
export function webUrl(raw: string | null): URL | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function replaceWithSpan(element: Element, className: string, title: string | null): void {
  const span = element.ownerDocument.createElement('span');
  span.className = className;
  if (title) span.title = title;
  span.append(...element.childNodes);
  element.replaceWith(span);
}

/** Makes sanitized nodes safe to click: see the module comment. */
export function enhance(fragment: DocumentFragment): void {
  const doc = fragment.ownerDocument;
  for (const link of fragment.querySelectorAll('a')) {
    const href = link.getAttribute('href');
    if (link.hasAttribute('data-md-pending')) {
      // A link whose URL is still streaming: its text, styled as a link, not yet clickable.
      replaceWithSpan(link, 'md-link-pending', null);
    } else if (webUrl(href)) {
      link.title = href ?? '';
      link.rel = 'noopener noreferrer';
    } else {
      // mailto:, relative paths, anchors…: following them would navigate the web view.
      replaceWithSpan(link, 'md-link-inert', href);
    }
  }

  for (const blocked of fragment.querySelectorAll('span[data-md-src]')) {
    const src = blocked.getAttribute('data-md-src') ?? '';
    const alt = blocked.textContent ?? '';
    const url = webUrl(src);
    if (!url) {
      replaceWithSpan(blocked, 'md-image-inert', src);
      continue;
    }
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'md-image-placeholder';
    button.dataset.mdImage = url.href;
    if (alt) button.dataset.mdAlt = alt;
    button.title = alt ? `${alt} — ${url.href}` : url.href;
    setLabel(button, 'markdownShowImage', { host: url.host });
    blocked.replaceWith(button);
  }

  // Inline code too: a command copied from a sentence goes to a terminal just the same.
  for (const code of fragment.querySelectorAll('code')) markHiddenCharacters(code);
  // Prose: a bidi override would show the rest of a paragraph in another order.
  for (const block of fragment.children) markBidiControls(block);

  for (const bar of fragment.querySelectorAll('.md-code-bar')) {
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'md-copy';
    button.dataset.mdCopy = '';
    setLabel(button, 'markdownCopyCode');
    bar.append(button);
  }
}

const COPIED_FOR_MS = 1500;

/** Wires clicks in `container`; returns the function that unwires them. */
export function listenForClicks(container: HTMLElement, options: StreamingMarkdownOptions): () => void {
  function onClick(event: MouseEvent): void {
    const target = event.target;
    if (!(target instanceof Element)) return;

    const link = target.closest('a');
    if (link && container.contains(link)) {
      // The web view must never navigate: every link goes out through openExternal or nowhere.
      event.preventDefault();
      const url = webUrl(link.getAttribute('href'));
      if (!url || event.type !== 'click') return;
      const reasons = linkRisks(url, link.textContent ?? '');
      if (reasons.length) options.confirmLink({ url: url.href, reasons, link });
      else options.openExternal(url.href);
      return;
    }

    const button = target.closest('button');
    if (!button || !container.contains(button) || event.type !== 'click') return;
    if (button.dataset.mdCopy !== undefined) void copyCode(button);
    else if (button.dataset.mdImage) void showImage(button);
  }

  async function copyCode(button: HTMLButtonElement): Promise<void> {
    const block = button.closest('.md-code');
    const code = block?.querySelector('pre > code');
    if (!block || !code) return;
    const { text, removed } = codeForCopy(code);
    // markdown-it keeps the newline before the closing fence; nobody wants it pasted.
    await options.copyText(text.endsWith('\n') ? text.slice(0, -1) : text);
    setLabel(button, 'markdownCopied');
    setTimeout(() => setLabel(button, 'markdownCopyCode'), COPIED_FOR_MS);
    showCopyNotice(block, removed);
  }

  /** Says under the code's bar how many hidden characters the copy left out, if any. */
  function showCopyNotice(block: Element, removed: number): void {
    let notice = block.querySelector<HTMLElement>(':scope > .md-copy-notice');
    if (!removed) {
      notice?.remove();
      return;
    }
    if (!notice) {
      notice = block.ownerDocument.createElement('p');
      notice.className = 'md-copy-notice';
      notice.setAttribute('role', 'status');
      notice.dataset.testid = 'copy-notice';
      // In the page before it has words, so that screen readers announce the words.
      block.querySelector(':scope > .md-code-bar')?.after(notice);
    }
    setLabel(notice, 'markdownHiddenRemoved', { count: String(removed) });
  }

  async function showImage(button: HTMLButtonElement): Promise<void> {
    const url = button.dataset.mdImage ?? '';
    if (!webUrl(url)) return;
    if (!options.loadImage) {
      options.openExternal(url);
      return;
    }
    button.disabled = true;
    setLabel(button, 'markdownImageLoading');
    try {
      const local = await options.loadImage(url);
      // The page may only show images it already holds; never hand a remote URL to <img>.
      if (!/^(blob:|data:image\/)/i.test(local)) throw new Error('loadImage returned a remote URL');
      const image = button.ownerDocument.createElement('img');
      image.src = local;
      image.alt = button.dataset.mdAlt ?? '';
      image.className = 'md-image';
      button.replaceWith(image);
    } catch {
      button.disabled = false;
      setLabel(button, 'markdownImageFailed', { host: new URL(url).host });
    }
  }

  container.addEventListener('click', onClick);
  container.addEventListener('auxclick', onClick);
  return () => {
    container.removeEventListener('click', onClick);
    container.removeEventListener('auxclick', onClick);
  };
}
