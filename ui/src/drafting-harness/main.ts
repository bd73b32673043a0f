// A page that mounts the drafting editor full-window for the browser tests and the
// benchmark (ui/drafting.html; not part of the production build). It exposes the editor
// as `window.drafting` and a few helpers as `window.draftingHarness`.
import { syntaxTree } from '@codemirror/language';
import '../styles.css';
import { createDraftEditor, type DraftEditor, type PendingView } from '../lib/drafting';

interface Harness {
  /** Replaces the editor with a fresh one holding `doc`, and clears the logs. */
  mount(doc: string): DraftEditor;
  /** How often onChange ran, and what it last said. */
  changes: number;
  lastChange: string | null;
  /** Everything onPendingChange reported, in order. */
  pendingEvents: Array<PendingView | null>;
  /** How often Esc asked to stop a stream. */
  stops: number;
  /**
   * Streams `pieces` into the pending change, one every `everyMs` ms, then marks it done
   * (or interrupted when Esc asked to stop). Resolves when the stream ends.
   */
  stream(pieces: string[], everyMs: number): Promise<void>;
  /** How far the Markdown parser has got (the document's length once it is done). */
  parsedTo(): number;
}

declare global {
  interface Window {
    drafting: DraftEditor;
    draftingHarness: Harness;
  }
}

const parent = document.getElementById('editor');
if (!parent) throw new Error('drafting.html lost its #editor element');
parent.style.height = '100vh';

let stopRequested = false;
let editor: DraftEditor | null = null;

const harness: Harness = {
  changes: 0,
  lastChange: null,
  pendingEvents: [],
  stops: 0,
  mount(doc) {
    editor?.destroy();
    harness.changes = 0;
    harness.lastChange = null;
    harness.pendingEvents = [];
    harness.stops = 0;
    stopRequested = false;
    editor = createDraftEditor(parent, {
      doc,
      label: 'Draft',
      onChange(text) {
        harness.changes++;
        harness.lastChange = text();
      },
      onPendingChange(view) {
        harness.pendingEvents.push(view);
      },
      onStop() {
        harness.stops++;
        stopRequested = true;
      },
    });
    window.drafting = editor;
    return editor;
  },
  parsedTo: () => syntaxTree(window.drafting.view.state).length,
  stream(pieces, everyMs) {
    stopRequested = false;
    return new Promise((done) => {
      let i = 0;
      const tick = (): void => {
        const current = window.drafting;
        if (stopRequested) {
          current.pending.setPendingStatus('interrupted');
          done();
          return;
        }
        const piece = pieces[i++];
        if (piece === undefined) {
          current.pending.setPendingStatus('done');
          done();
          return;
        }
        current.pending.appendPending(piece);
        setTimeout(tick, everyMs);
      };
      setTimeout(tick, everyMs);
    });
  },
};

window.draftingHarness = harness;
harness.mount(
  [
    '# A draft',
    '',
    'Write here. **Bold**, *italic* and `code` look like formatting;',
    'the marks show on the line with the cursor.',
    '',
    '- a list item',
    '- another one',
    '',
    '> a quote',
    '',
  ].join('\n'),
);
