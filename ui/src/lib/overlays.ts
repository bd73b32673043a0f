// Dialogs opened from inside the message list (a picture a tool gave, an attached file)
// are shown from the window's overlay layer. The list is a compositing layer of its own
// (`will-change: transform` in styles.css), and inside it `position: fixed` would be
// fixed to the list, scrolling away with the conversation, not to the window.

/** A Svelte attachment: moves the element into the overlay layer while it is shown. */
export function inOverlays(node: HTMLElement): () => void {
  // Within the app's root, where Svelte listens for delegated events.
  const layer = document.querySelector('[data-overlays]');
  if (!layer) return () => {};
  // Moving an element blurs what has focus inside it (the dialog has just focused its
  // first button): it is focused again.
  const focused = document.activeElement instanceof HTMLElement && node.contains(document.activeElement) ? document.activeElement : null;
  layer.append(node);
  focused?.focus();
  return () => node.remove();
}
