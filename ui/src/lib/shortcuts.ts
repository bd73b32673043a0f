// Every keyboard shortcut of the window, in one list: the help panel (KeyboardHelp.svelte)
// shows exactly this, so a key added to a handler without a line here goes unseen. The
// handlers are App.svelte (new, search, stop, help), Composer.svelte (send, new line),
// chat/MessageView.svelte (editing), ItemList.svelte (renaming), chat/ModelPicker.svelte,
// drafting/DocumentView.svelte (the instruction box) and drafting/pending.ts (accept,
// discard, stop, undo and redo while a change is pending); dialogs close on Escape.
import type { MessageKey } from './messages';

/** A key combination as `+`-joined names; `Mod` is Ctrl, or ⌘ on a Mac. */
export type Keys = string;

export interface Shortcut {
  /** Alternatives: any one of them does it. */
  keys: Keys[];
  what: MessageKey;
}

export interface ShortcutGroup {
  title: MessageKey;
  shortcuts: Shortcut[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'shortcutsAnywhere',
    shortcuts: [
      { keys: ['?', 'F1'], what: 'keyHelp' },
      { keys: ['Mod+N'], what: 'keyNew' },
      { keys: ['Mod+K'], what: 'keySearch' },
      { keys: ['Tab', 'Shift+Tab'], what: 'keyTab' },
    ],
  },
  {
    title: 'shortcutsChat',
    shortcuts: [
      { keys: ['Enter'], what: 'keySend' },
      { keys: ['Shift+Enter'], what: 'keyNewLine' },
      { keys: ['Escape'], what: 'keyStop' },
      { keys: ['Enter'], what: 'keyEditSend' },
      { keys: ['Escape'], what: 'keyEditCancel' },
    ],
  },
  {
    title: 'shortcutsDocuments',
    shortcuts: [
      { keys: ['Enter'], what: 'keyDraftWrite' },
      { keys: ['Enter', 'Tab'], what: 'keyDraftAccept' },
      { keys: ['Escape'], what: 'keyDraftDiscard' },
      { keys: ['Mod+Z'], what: 'keyUndo' },
      { keys: ['Mod+Y', 'Mod+Shift+Z'], what: 'keyRedo' },
    ],
  },
  {
    title: 'shortcutsLists',
    shortcuts: [
      { keys: ['Enter'], what: 'keyRename' },
      { keys: ['Escape'], what: 'keyRenameCancel' },
      { keys: ['ArrowUp', 'ArrowDown', 'Home', 'End'], what: 'keyModelMove' },
      { keys: ['Escape'], what: 'keyClose' },
    ],
  },
];

const SHOWN: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' };

/** The parts of a combination as a keyboard shows them, on this computer. */
export function keyParts(keys: Keys, mac: boolean): string[] {
  return keys.split(/\+(?!$)/).map((key) => (key === 'Mod' ? (mac ? '⌘' : 'Ctrl') : (SHOWN[key] ?? key)));
}

/** Whether this key press asks for the help panel: F1 anywhere, `?` when not typing. */
export function asksForHelp(event: KeyboardEvent): boolean {
  if (event.key === 'F1') return true;
  if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return false;
  return !typingIn(event.target);
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'file', 'color'].includes(target.type);
}
