import { history } from '@codemirror/commands';
import { EditorState, type StateCommand, type Transaction, type TransactionSpec } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { committedDoc, createPendingController, pendingExtension, redoPending, undoPending } from './pending';
import { UnsavedEdits, type DocumentEdit } from './unsaved';

/** A state that takes transactions, with the edits recorded as the editor records them. */
function editor(doc: string, lineBreak?: string) {
  const target = {
    state: EditorState.create({
      doc,
      extensions: [history(), pendingExtension(), lineBreak ? EditorState.lineSeparator.of(lineBreak) : []],
    }),
    dispatch(...specs: TransactionSpec[]) {
      take(target.state.update(...specs));
    },
  };
  const edits = new UnsavedEdits(target.state);
  const take = (tr: Transaction) => {
    edits.record(tr);
    target.state = tr.state;
  };
  const pending = createPendingController(target);
  const run = (command: StateCommand) => command({ state: target.state, dispatch: take });
  return { target, pending, edits, run };
}

/** The backend's side: an edit applies only to the text it counts from. */
function apply(saved: string, edit: DocumentEdit | null): string {
  if (!edit) return saved;
  expect(edit.length).toBe(saved.length);
  expect(0 <= edit.from && edit.from <= edit.to && edit.to <= saved.length).toBe(true);
  return saved.slice(0, edit.from) + edit.text + saved.slice(edit.to);
}

describe('unsaved edits', () => {
  it('is one small edit for typing, and nothing when nothing changed', () => {
    const e = editor('Hello world.');
    expect(e.edits.take(e.target.state)).toBeNull();
    e.target.dispatch({ changes: { from: 5, insert: ',' } });
    e.target.dispatch({ changes: { from: 6, insert: ' dear' } });
    expect(e.edits.take(e.target.state)).toEqual({ from: 5, to: 5, text: ', dear', length: 12 });
    expect(e.edits.take(e.target.state)).toBeNull();
    e.target.dispatch({ changes: { from: 0, to: 1, insert: 'J' } });
    e.target.dispatch({ changes: { from: 17, to: 18, insert: '!' } });
    expect(e.edits.take(e.target.state)).toEqual({ from: 0, to: 18, text: 'Jello, dear world!', length: 18 });
  });

  it('counts around a pending change, which is not saved, and counts Windows line breaks as two', () => {
    const e = editor('One.\r\nTwo.\r\nThree.', '\r\n');
    e.pending.startPending({ from: 5, to: 5, mode: 'insert' });
    e.pending.appendPending('New\r\nlines ');
    e.target.dispatch({ changes: { from: e.target.state.doc.length, insert: '\r\nFour.' } });
    const edit = e.edits.take(e.target.state);
    expect(edit).toEqual({ from: 18, to: 18, text: '\r\nFour.', length: 18 });
    expect(apply('One.\r\nTwo.\r\nThree.', edit)).toBe(committedDoc(e.target.state));
    e.pending.accept();
    expect(apply('One.\r\nTwo.\r\nThree.\r\nFour.', e.edits.take(e.target.state))).toBe('One.\r\nNew\r\nlines Two.\r\nThree.\r\nFour.');
  });

  // Typing, deleting, pasting across the pending change, accepting, discarding, undo and
  // redo, in a seeded random order: every save, applied to what was saved before it,
  // gives the document without the pending change.
  for (const [name, doc, lineBreak] of [
    ['plain', 'Alpha beta.\nGamma 회의 😀 delta.\n\nEnd.', undefined],
    ['Windows line breaks', 'Alpha beta.\r\nGamma 회의 😀 delta.\r\n\r\nEnd.', '\r\n'],
  ] as const) {
    it(`keeps the saved text the same as the document over many random edits (${name})`, () => {
      // mulberry32: a seeded generator whose low bits are as random as its high ones.
      let seed = 7;
      const random = (n: number) => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (((t ^ (t >>> 14)) >>> 0) % n);
      };
      let edits = 0;
      const br = lineBreak ?? '\n';
      const words = ['a', 'Ω', '😀', ' ', br, 'word ', '회의 ', br + br];
      const word = () => words[random(words.length)] ?? '';
      const e = editor(doc, lineBreak);
      let saved: string = doc;
      for (let step = 0; step < 3000; step++) {
        const state = e.target.state;
        const length = state.doc.length;
        const at = random(length + 1);
        const pending = e.pending.getPending();
        switch (random(10)) {
          case 0:
          case 1:
            e.target.dispatch({ changes: { from: at, insert: word() }, userEvent: 'input.type' });
            break;
          case 2:
            e.target.dispatch({ changes: { from: at, to: Math.min(length, at + random(6)) }, userEvent: 'delete' });
            break;
          case 3:
            if (pending) e.pending.appendPending(word());
            else if (random(2)) e.pending.startPending({ from: at, to: at, mode: 'insert' });
            else e.pending.startPending({ from: at, to: Math.min(length, at + random(8)), mode: 'replace' });
            break;
          case 4:
            if (pending) e.pending.setPendingStatus('done');
            if (random(2)) e.pending.accept();
            else e.pending.discard();
            break;
          case 5:
            // As the editor's keys do: a step into the pending change waits for it to end.
            e.run(random(2) ? undoPending : redoPending);
            break;
          case 6:
            if (random(8) === 0) {
              // A whole save, as after a refused edit.
              e.edits.saved(e.target.state);
              saved = committedDoc(e.target.state);
            } else {
              const edit = e.edits.take(e.target.state);
              if (edit) edits++;
              saved = apply(saved, edit);
              expect(saved).toBe(committedDoc(e.target.state));
            }
            break;
          default:
            break;
        }
      }
      saved = apply(saved, e.edits.take(e.target.state));
      expect(saved).toBe(committedDoc(e.target.state));
      // The run went through many saves of a document of many lines.
      expect(edits).toBeGreaterThan(100);
      expect(e.target.state.doc.lines).toBeGreaterThan(20);
    });
  }
});
