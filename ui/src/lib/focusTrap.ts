// Keeps keyboard focus inside a modal dialog while it is open: Tab and Shift+Tab wrap
// around within it, and focus that escapes (a click on the backdrop, a script) is brought
// back. Without it, Tab walks into the page behind the backdrop, which cannot be seen.
const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

function focusable(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

/**
 * A Svelte attachment: `{@attach trapFocus}`. Focus starts on the element marked
 * `data-initial-focus`, else on the first focusable one.
 */
export function trapFocus(node: HTMLElement): () => void {
  const first = node.querySelector<HTMLElement>('[data-initial-focus]') ?? focusable(node)[0];
  first?.focus();

  function onkeydown(event: KeyboardEvent): void {
    if (event.key !== 'Tab') return;
    const items = focusable(node);
    const head = items[0];
    const tail = items[items.length - 1];
    if (!head || !tail) {
      event.preventDefault();
      return;
    }
    const active = node.ownerDocument.activeElement;
    if (event.shiftKey && (active === head || !node.contains(active))) {
      event.preventDefault();
      tail.focus();
    } else if (!event.shiftKey && (active === tail || !node.contains(active))) {
      event.preventDefault();
      head.focus();
    }
  }

  function onfocusin(event: FocusEvent): void {
    if (event.target instanceof Node && !node.contains(event.target)) focusable(node)[0]?.focus();
  }

  node.addEventListener('keydown', onkeydown);
  node.ownerDocument.addEventListener('focusin', onfocusin);
  return () => {
    node.removeEventListener('keydown', onkeydown);
    node.ownerDocument.removeEventListener('focusin', onfocusin);
  };
}
