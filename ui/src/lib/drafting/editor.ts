// The drafting editor: a CodeMirror 6 view over a Markdown document, with live-preview
// styling and one pending AI change at a time (pending.ts).
import { defaultKeymap, history, historyKeymap, redo } from '@codemirror/commands';
import { markdownKeymap, markdownLanguage } from '@codemirror/lang-markdown';
import { LanguageSupport } from '@codemirror/language';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { livePreview } from './livePreview';
import {
  committedDoc,
  createPendingController,
  pendingExtension,
  pendingInfoChanged,
  pendingKeymap,
  type PendingController,
  type PendingView,
} from './pending';
import { draftingTheme } from './theme';
import { UnsavedEdits, type DocumentEdit } from './unsaved';

export interface DraftEditorOptions {
  /** The Markdown document to start with. */
  doc: string;
  /**
   * The document changed. It is given without the pending change (the original in
   * place, no new text), so it is always safe to save; streamed pieces, switching
   * versions and discarding do not call it, the person's edits and accepting do.
   * The text comes as a function: a long document is hundreds of kilobytes, and the
   * caller needs it only once typing pauses, not on every key.
   */
  onChange?: (doc: () => string) => void;
  /**
   * A change started or ended (null), or its status or version changed. Not called for
   * each streamed piece: read `pending.getPending()` for the live text and range.
   */
  onPendingChange?: (state: PendingView | null) => void;
  /** Esc while the model is writing. Without it Esc marks the change interrupted. */
  onStop?: () => void;
  /** The editable area's accessible name. */
  label?: string;
  /** More CodeMirror extensions (added last, at default precedence). */
  extensions?: Extension;
}

export interface DraftEditor {
  view: EditorView;
  pending: PendingController;
  /** The document without any pending change (what onChange reports). */
  getDoc(): string;
  /**
   * What changed since the document was last saved, as one edit of the saved text, or
   * null when nothing did. Taking it counts the document as saved.
   */
  takeEdit(): DocumentEdit | null;
  /**
   * The whole document without the pending change, counted as saved: for when an edit
   * was refused or its save failed, so the saved text is not known.
   */
  takeDoc(): string;
  /** Replaces the whole document: drops any pending change and the undo history. */
  setDoc(doc: string): void;
  /** Renames the editable area (after a language switch); the document and history stay. */
  setLabel(label: string): void;
  destroy(): void;
}

export function createDraftEditor(parent: HTMLElement, options: DraftEditorOptions): DraftEditor {
  let controller: PendingController | null = null;
  const getController = (): PendingController => {
    if (!controller) throw new Error('the drafting editor is not ready');
    return controller;
  };

  // The accessible name sits in its own compartment so that it can change without a new
  // state, which would lose the undo history.
  const labelSlot = new Compartment();
  let label = options.label ?? 'Document';
  const labelAttributes = (): Extension => EditorView.contentAttributes.of({ 'aria-label': label });

  const listener = EditorView.updateListener.of((update) => {
    let changed = false;
    // (`edits` is made with the view, before any update can come.)
    for (const tr of update.transactions) if (edits.record(tr)) changed = true;
    if (options.onChange && changed) {
      const { state } = update;
      options.onChange(() => committedDoc(state));
    }
    if (options.onPendingChange && pendingInfoChanged(update.startState, update.state)) {
      options.onPendingChange(getController().getPending());
    }
  });

  const makeState = (doc: string): EditorState =>
    EditorState.create({
      doc,
      extensions: [
        // A document written with Windows line breaks only keeps them, byte for byte
        // (CodeMirror otherwise reads every line break as "\n").
        /\r\n/.test(doc) && !/(^|[^\r])\n|\r(?!\n)/.test(doc) ? EditorState.lineSeparator.of('\r\n') : [],
        pendingKeymap(getController, options.onStop ? { onStop: options.onStop } : {}),
        history(),
        keymap.of([...markdownKeymap, { key: 'Mod-Shift-z', run: redo, preventDefault: true }, ...historyKeymap, ...defaultKeymap]),
        new LanguageSupport(markdownLanguage),
        EditorView.lineWrapping,
        labelSlot.of(labelAttributes()),
        EditorView.contentAttributes.of({
          'data-testid': 'editor',
          'aria-multiline': 'true',
          spellcheck: 'true',
        }),
        pendingExtension(),
        livePreview,
        draftingTheme,
        listener,
        options.extensions ?? [],
      ],
    });

  const state = makeState(options.doc);
  const edits = new UnsavedEdits(state);
  const view = new EditorView({ state, parent });
  controller = createPendingController(view);
  const pending = controller;

  return {
    view,
    pending,
    getDoc: () => committedDoc(view.state),
    takeEdit: () => edits.take(view.state),
    takeDoc() {
      edits.saved(view.state);
      return committedDoc(view.state);
    },
    setDoc(doc) {
      const had = pending.getPending() !== null;
      view.setState(makeState(doc));
      edits.replacedAll();
      if (had) options.onPendingChange?.(null);
    },
    setLabel(next) {
      label = next;
      view.dispatch({ effects: labelSlot.reconfigure(labelAttributes()) });
    },
    destroy: () => view.destroy(),
  };
}
