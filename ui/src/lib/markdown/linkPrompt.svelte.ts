// The one link waiting for the person to say whether it may open. Held as rune state so
// that a single LinkDialog, mounted once by the window, shows whichever answer asked last.
import { tick } from 'svelte';
import type { LinkRisk } from './linkRisk';

export interface LinkPrompt {
  /** The full address, shown as it will open. */
  url: string;
  reasons: LinkRisk[];
  open: () => void;
  /** Puts focus back where the person was before the dialog took it. */
  returnFocus: () => void;
}

// Raw: the prompt holds callbacks and is replaced whole, never changed in place.
let current: LinkPrompt | null = $state.raw(null);

export function pendingLinkPrompt(): LinkPrompt | null {
  return current;
}

/** Shows the dialog for `prompt`, in place of one still open (which then never opens). */
export function askBeforeOpening(prompt: LinkPrompt): void {
  current = prompt;
}

/** Opens the link (`open`) or not, closes the dialog, and returns focus once it is gone. */
export async function answerLinkPrompt(open: boolean): Promise<void> {
  const prompt = current;
  if (!prompt) return;
  current = null;
  if (open) prompt.open();
  // While the dialog is in the page its focus trap would pull focus straight back.
  await tick();
  prompt.returnFocus();
}
