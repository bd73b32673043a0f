// What the person changed in the document since it was last saved, as one range of the
// saved text, so that a save sends the few characters typed rather than the whole
// document. A long document is hundreds of kilobytes, and building, encoding and sending
// it every half second made typing into it stutter.
import type { EditorState, Transaction } from '@codemirror/state';
import { committedPosition, committedText, isPendingOnlyChange } from './pending';

/**
 * Replace `[from, to)` of the saved text with `text`. Offsets count UTF-16 code units of
 * the text as saved (line breaks as the document writes them), which was `length` units
 * long: the backend checks that before it applies the edit.
 */
export interface DocumentEdit {
  from: number;
  to: number;
  text: string;
  length: number;
}

export class UnsavedEdits {
  /**
   * How much of the head and the tail of the document is as saved, in the document's
   * positions without the pending change; Infinity while nothing changed.
   */
  #head = Infinity;
  #tail = Infinity;
  /** The saved text's length as a string. */
  #savedLength: number;

  /** `state` holds the document as it was saved. */
  constructor(state: EditorState) {
    this.#savedLength = stringLength(state);
  }

  /** Takes in a transaction; whether it changed the document without the pending change. */
  record(tr: Transaction): boolean {
    if (!tr.docChanged || isPendingOnlyChange(tr)) return false;
    const before = tr.startState;
    const length = committedText(before).length;
    tr.changes.iterChangedRanges((fromA, toA) => {
      this.#head = Math.min(this.#head, committedPosition(before, fromA));
      this.#tail = Math.min(this.#tail, length - committedPosition(before, toA));
    });
    return true;
  }

  /** The edit since the last take, or null when nothing changed; `state` is now the saved one. */
  take(state: EditorState): DocumentEdit | null {
    if (this.#head === Infinity) return null;
    const text = committedText(state);
    const extra = state.lineBreak.length - 1;
    // A line break is one position in CodeMirror and `lineBreak.length` units saved.
    const offset = (pos: number) => pos + extra * (text.lineAt(pos).number - 1);
    const head = Math.min(this.#head, text.length);
    const end = Math.max(head, text.length - this.#tail);
    const length = stringLength(state);
    const edit: DocumentEdit = {
      from: offset(head),
      to: this.#savedLength - (length - offset(end)),
      text: text.sliceString(head, end, state.lineBreak),
      length: this.#savedLength,
    };
    this.#savedLength = length;
    this.#head = this.#tail = Infinity;
    return edit;
  }

  /** The document was replaced without a transaction: all of it is unsaved. */
  replacedAll(): void {
    this.#head = this.#tail = 0;
  }

  /** The whole document was saved as it is in `state`. */
  saved(state: EditorState): void {
    this.#savedLength = stringLength(state);
    this.#head = this.#tail = Infinity;
  }
}

function stringLength(state: EditorState): number {
  const text = committedText(state);
  return text.length + (state.lineBreak.length - 1) * (text.lines - 1);
}
