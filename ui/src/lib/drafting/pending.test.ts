import { history, redo, undo, undoDepth } from '@codemirror/commands';
import { EditorSelection, EditorState, type TransactionSpec } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { committedDoc, createPendingController, pendingExtension, redoPending, undoPending, type PendingController } from './pending';

/** An editor without a view: a state that takes transactions. */
function editor(doc: string, selection?: EditorSelection) {
  const target = {
    state: EditorState.create({ doc, ...(selection ? { selection } : {}), extensions: [history(), pendingExtension(), EditorState.allowMultipleSelections.of(true)] }),
    dispatch(...specs: TransactionSpec[]) {
      target.state = target.state.update(...specs).state;
    },
  };
  const pending = createPendingController(target);
  /** The person typing: a history-recorded input transaction. */
  const type = (at: number, text: string, to = at) =>
    target.dispatch({ changes: { from: at, to, insert: text }, selection: { anchor: at + text.length }, userEvent: 'input.type' });
  const run = (command: typeof undo) => command({ state: target.state, dispatch: (tr) => (target.state = tr.state) });
  return { target, pending, type, run, doc: () => target.state.doc.toString() };
}

function stream(pending: PendingController, ...pieces: string[]) {
  for (const piece of pieces) pending.appendPending(piece);
}

describe('insert', () => {
  it('streams without history and accepts as exactly one undo step', () => {
    const e = editor('Hello world.', EditorSelection.single(6));
    expect(e.pending.startPending({ from: 6, to: 6, mode: 'insert' })).toBe(true);
    stream(e.pending, 'big ', 'wide ');
    expect(e.doc()).toBe('Hello big wide world.');
    expect(undoDepth(e.target.state)).toBe(0);
    expect(e.pending.getPending()).toMatchObject({ mode: 'insert', status: 'streaming', from: 6, originalTo: 6, to: 15, text: 'big wide ' });
    e.pending.setPendingStatus('done');
    expect(e.pending.accept()).toBe(true);
    expect(e.doc()).toBe('Hello big wide world.');
    expect(e.pending.getPending()).toBeNull();
    expect(undoDepth(e.target.state)).toBe(1);
    expect(e.target.state.selection.main.head).toBe(15);

    expect(e.run(undo)).toBe(true);
    expect(e.doc()).toBe('Hello world.');
    expect(e.target.state.selection.main.head).toBe(6);
    expect(e.run(undo)).toBe(false);
    expect(e.run(redo)).toBe(true);
    expect(e.doc()).toBe('Hello big wide world.');
  });

  it('keeps an accept apart from typing just before it', () => {
    const e = editor('', EditorSelection.single(0));
    e.type(0, 'a');
    e.type(1, 'b');
    e.pending.startPending({ from: 2, to: 2, mode: 'insert' });
    stream(e.pending, 'cd');
    e.pending.accept();
    expect(e.doc()).toBe('abcd');
    e.run(undo);
    expect(e.doc()).toBe('ab');
    e.run(undo);
    expect(e.doc()).toBe('');
  });

  it('discards to the very same document and selection', () => {
    const selection = EditorSelection.create([EditorSelection.range(2, 4), EditorSelection.cursor(9)], 1);
    const e = editor('# Title\n\nBody ✨ text\r\n', selection);
    const before = e.target.state.doc;
    e.pending.startPending({ from: 9, to: 9, mode: 'insert' });
    stream(e.pending, 'new ', '**words**');
    // The person moves the cursor without typing.
    e.target.dispatch({ selection: { anchor: 0 } });
    expect(e.pending.discard()).toBe(true);
    expect(e.target.state.doc.eq(before)).toBe(true);
    expect(e.doc()).toBe(before.toString());
    expect(e.target.state.selection.eq(selection)).toBe(true);
    expect(undoDepth(e.target.state)).toBe(0);
    expect(e.pending.getPending()).toBeNull();
  });

  it('keeps the person’s edits elsewhere while streaming, and the pending text in place', () => {
    const e = editor('First line.\nSecond line.\nThird line.');
    e.pending.startPending({ from: 25, to: 25, mode: 'insert' });
    stream(e.pending, 'Inserted ');
    e.type(0, 'Typed. ');
    stream(e.pending, 'text. ');
    e.type(e.target.state.doc.length, ' End.');
    stream(e.pending, 'More.');
    expect(e.doc()).toBe('Typed. First line.\nSecond line.\nInserted text. More.Third line. End.');
    expect(e.pending.getPending()?.text).toBe('Inserted text. More.');
    expect(committedDoc(e.target.state)).toBe('Typed. First line.\nSecond line.\nThird line. End.');

    e.pending.discard();
    expect(e.doc()).toBe('Typed. First line.\nSecond line.\nThird line. End.');
    // The person's typing is still undoable, one step each.
    e.run(undo);
    expect(e.doc()).toBe('Typed. First line.\nSecond line.\nThird line.');
  });

  it('undo after accepting with edits elsewhere undoes the accept first', () => {
    const e = editor('abc xyz');
    e.pending.startPending({ from: 3, to: 3, mode: 'insert' });
    stream(e.pending, ' NEW');
    e.type(7 + 4, '!');
    e.pending.setPendingStatus('done');
    e.pending.accept();
    expect(e.doc()).toBe('abc NEW xyz!');
    e.run(undo);
    expect(e.doc()).toBe('abc xyz!');
    e.run(undo);
    expect(e.doc()).toBe('abc xyz');
    e.run(redo);
    e.run(redo);
    expect(e.doc()).toBe('abc NEW xyz!');
  });

  it('does not let edits into the pending text; typing at either edge goes outside it', () => {
    const e = editor('ab');
    e.pending.startPending({ from: 1, to: 1, mode: 'insert' });
    stream(e.pending, 'XYZ');
    e.type(2, '?'); // inside
    e.target.dispatch({ changes: { from: 2, to: 3 } }); // delete inside
    e.target.dispatch({ changes: { from: 0, to: 3 } }); // across the start
    expect(e.doc()).toBe('XYZb');
    expect(e.pending.getPending()).toMatchObject({ from: 0, to: 3, text: 'XYZ' });
    e.type(0, '<'); // at the start: before
    e.type(4, '>'); // at the end: after
    expect(e.doc()).toBe('<XYZ>b');
    stream(e.pending, '!');
    expect(e.doc()).toBe('<XYZ!>b');
    expect(e.pending.getPending()?.text).toBe('XYZ!');
  });

  it('a cursor right after the pending text stays after it as text streams in', () => {
    const e = editor('ab', EditorSelection.single(1));
    e.pending.startPending({ from: 1, to: 1, mode: 'insert' });
    stream(e.pending, 'X');
    // While the change was empty the cursor stayed before it.
    expect(e.target.state.selection.main.head).toBe(1);
    e.target.dispatch({ selection: { anchor: 2 } });
    stream(e.pending, 'Y', 'Z');
    expect(e.doc()).toBe('aXYZb');
    expect(e.target.state.selection.main.head).toBe(4);
  });
});

describe('replace', () => {
  it('keeps the original beside the new text, then accepts as one undo step', () => {
    const e = editor('Keep this. Old words. Keep that.', EditorSelection.single(11, 21));
    e.pending.startPending({ from: 11, to: 21, mode: 'replace' });
    stream(e.pending, 'New ', 'words.');
    expect(e.doc()).toBe('Keep this. Old words.New words. Keep that.');
    expect(e.pending.getPending()).toMatchObject({ mode: 'replace', original: 'Old words.', text: 'New words.', from: 11, originalTo: 21, to: 31 });
    expect(committedDoc(e.target.state)).toBe('Keep this. Old words. Keep that.');
    e.pending.setPendingStatus('done');
    e.pending.accept();
    expect(e.doc()).toBe('Keep this. New words. Keep that.');
    expect(undoDepth(e.target.state)).toBe(1);
    e.run(undo);
    expect(e.doc()).toBe('Keep this. Old words. Keep that.');
    expect(e.target.state.selection.main).toMatchObject({ anchor: 11, head: 21 });
    e.run(redo);
    expect(e.doc()).toBe('Keep this. New words. Keep that.');
  });

  it('discards byte for byte with a backwards selection', () => {
    const doc = 'line one\n\n가나다 **라마**\n\tend';
    const selection = EditorSelection.single(22, 10); // head before anchor
    const e = editor(doc, selection);
    e.pending.startPending({ from: 10, to: 22, mode: 'replace' });
    stream(e.pending, '바뀐 ', '글');
    e.pending.setPendingStatus('interrupted');
    // A piece arriving after Stop is dropped.
    expect(e.pending.appendPending('늦은 조각')).toBe(false);
    expect(e.pending.getPending()?.text).toBe('바뀐 글');
    e.pending.discard();
    expect(e.doc()).toBe(doc);
    expect(e.target.state.selection.eq(selection)).toBe(true);
  });

  it('does not let the original be edited while pending', () => {
    const e = editor('0123456789');
    e.pending.startPending({ from: 2, to: 5, mode: 'replace' });
    e.type(3, 'x'); // inside the original
    e.type(5, 'y'); // at its end, before anything streamed: after the change
    expect(e.doc()).toBe('01234y56789');
    stream(e.pending, 'AB');
    expect(e.doc()).toBe('01234ABy56789');
    e.type(5, 'z'); // between original and new text
    expect(e.doc()).toBe('01234ABy56789');
    e.pending.accept();
    expect(e.doc()).toBe('01ABy56789');
  });

  it('undo cannot reach into the pending change; it works again afterwards', () => {
    const e = editor('');
    e.type(0, 'Hello');
    e.pending.startPending({ from: 0, to: 5, mode: 'replace' });
    stream(e.pending, 'Hi');
    expect(e.run(undoPending)).toBe(true);
    expect(e.doc()).toBe('HelloHi');
    expect(undoDepth(e.target.state)).toBe(1);
    e.pending.discard();
    expect(e.doc()).toBe('Hello');
    e.run(undo);
    expect(e.doc()).toBe('');
    e.run(redo);
    expect(e.doc()).toBe('Hello');
  });

  it('undo of edits elsewhere still works while a change is pending', () => {
    const e = editor('abc');
    e.type(3, ' def');
    e.pending.startPending({ from: 0, to: 3, mode: 'replace' });
    stream(e.pending, 'ABC');
    e.run(undoPending);
    expect(e.doc()).toBe('abcABC');
    e.run(redoPending);
    expect(e.doc()).toBe('abcABC def');
    e.run(undoPending);
    e.pending.accept();
    expect(e.doc()).toBe('ABC');
    e.run(undo);
    expect(e.doc()).toBe('abc');
  });

  it('an empty range is an insert', () => {
    const e = editor('ab');
    e.pending.startPending({ from: 1, to: 1, mode: 'replace' });
    expect(e.pending.getPending()?.mode).toBe('insert');
  });
});

describe('versions', () => {
  it('try again keeps earlier versions reachable and accepts the one shown', () => {
    const e = editor('Say: .');
    e.pending.startPending({ from: 5, to: 5, mode: 'insert' });
    stream(e.pending, 'one');
    e.pending.setPendingStatus('done');
    expect(e.pending.newVersion()).toBe('one');
    expect(e.pending.getPending()).toMatchObject({ text: '', status: 'streaming', version: { index: 1, count: 2 } });
    stream(e.pending, 'two');
    // No switching while a version is streaming.
    expect(e.pending.showVersion(0)).toBe(false);
    e.pending.setPendingStatus('done');
    e.pending.newVersion();
    stream(e.pending, 'three');
    e.pending.setPendingStatus('error');
    expect(e.pending.getPending()?.version).toEqual({ index: 2, count: 3 });

    expect(e.pending.showVersion(1)).toBe(true);
    expect(e.doc()).toBe('Say: two.');
    expect(e.pending.getPending()).toMatchObject({ status: 'done', version: { index: 1, count: 3 } });
    expect(e.pending.showVersion(2)).toBe(true);
    expect(e.pending.getPending()).toMatchObject({ text: 'three', status: 'error' });
    expect(e.pending.showVersion(0)).toBe(true);
    expect(e.pending.showVersion(3)).toBe(false);
    expect(undoDepth(e.target.state)).toBe(0);

    e.pending.accept();
    expect(e.doc()).toBe('Say: one.');
    expect(undoDepth(e.target.state)).toBe(1);
    e.run(undo);
    expect(e.doc()).toBe('Say: .');
  });

  it('refining starts a new version from the one shown, and discard drops them all', () => {
    const e = editor('x', EditorSelection.single(0, 1));
    e.pending.startPending({ from: 0, to: 1, mode: 'replace' });
    stream(e.pending, 'first');
    e.pending.newVersion(); // interrupts the first
    expect(e.pending.showVersion(0)).toBe(false); // the new one is streaming
    e.pending.setPendingStatus('done');
    e.pending.showVersion(0);
    expect(e.pending.getPending()?.status).toBe('interrupted');
    expect(e.pending.newVersion()).toBe('first');
    expect(e.pending.getPending()?.version).toEqual({ index: 2, count: 3 });
    e.pending.discard();
    expect(e.doc()).toBe('x');
    expect(e.target.state.selection.main).toMatchObject({ anchor: 0, head: 1 });
  });
});

describe('lifecycle', () => {
  it('allows one pending change at a time and ignores calls without one', () => {
    const e = editor('abc');
    e.pending.appendPending('nothing');
    e.pending.setPendingStatus('done');
    expect(e.pending.accept()).toBe(false);
    expect(e.pending.discard()).toBe(false);
    expect(e.pending.newVersion()).toBeNull();
    expect(e.doc()).toBe('abc');
    expect(e.pending.startPending({ from: 1, to: 1, mode: 'insert' })).toBe(true);
    expect(e.pending.startPending({ from: 2, to: 2, mode: 'insert' })).toBe(false);
    // Out-of-range positions are clamped.
    e.pending.discard();
    expect(e.pending.startPending({ from: 99, to: -5, mode: 'replace' })).toBe(true);
    expect(e.pending.getPending()).toMatchObject({ from: 0, originalTo: 3 });
  });

  it('accepting an empty replacement deletes the original in one step', () => {
    const e = editor('a bc d');
    e.pending.startPending({ from: 2, to: 4, mode: 'replace' });
    e.pending.setPendingStatus('done');
    e.pending.accept();
    expect(e.doc()).toBe('a  d');
    e.run(undo);
    expect(e.doc()).toBe('a bc d');
  });
});
