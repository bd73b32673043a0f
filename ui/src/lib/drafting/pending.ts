// One pending AI change in the drafting editor: the model's text streams into the
// document, marked as pending, until the person accepts or discards it.
//
// Layout in the document while a change is pending:
//
//   ... [from, originalTo)  [originalTo, to) ...
//        the original        the new text (the current version)
//
// For an insert the original is empty (from === originalTo). For a replace the original
// stays in the document, struck through, and the new text follows it. Both ranges map
// through the person's own edits elsewhere.
//
// History: every change this module makes while a change is pending (streamed pieces,
// switching versions, taking the new text out again) is annotated
// `Transaction.addToHistory.of(false)`, so none of it is an undo step. Accepting first
// takes the pending text out (again outside history) and then replaces the original with
// the accepted text in ONE history-recorded, isolated transaction: undo restores the
// original, redo re-applies it.
//
// Edits inside the pending change: the original and the new text are read-only while the
// change is pending. A change filter drops the part of any edit that falls inside
// [from, to]; insertions exactly at `from` go before the change and insertions exactly at
// `to` go after it, so typing right next to the pending text works and never mixes with
// it. The model's text stays exactly what the model wrote until the person decides.
import {
  Annotation,
  ChangeSet,
  EditorSelection,
  EditorState,
  Prec,
  StateEffect,
  StateField,
  Text,
  Transaction,
  type Extension,
  type StateCommand,
  type TransactionSpec,
} from '@codemirror/state';
import { Decoration, EditorView, keymap, type DecorationSet } from '@codemirror/view';
import { isolateHistory, redo, undo } from '@codemirror/commands';

export type PendingMode = 'insert' | 'replace';
export type PendingStatus = 'streaming' | 'done' | 'error' | 'interrupted';

/** What the rest of the app needs to know about the pending change. */
export interface PendingView {
  mode: PendingMode;
  /** The status of the version shown. */
  status: PendingStatus;
  /** The original text's range, [from, originalTo); empty for an insert. */
  from: number;
  originalTo: number;
  /** The end of the new text: the new text is [originalTo, to). */
  to: number;
  /** The original text (empty for an insert). */
  original: string;
  /** The text of the version shown. */
  text: string;
  /** Which version is shown, 0-based, and how many there are ("index + 1 of count"). */
  version: { index: number; count: number };
}

interface Version {
  /** The text of a version that is not shown; null for the one in the document. */
  text: Text | null;
  status: PendingStatus;
}

/**
 * Lifecycle facts that change only on start, status and version changes, never per
 * streamed piece: a new object means the rest of the app should hear about it.
 */
interface PendingInfo {
  mode: PendingMode;
  versions: readonly Version[];
  index: number;
}

interface PendingState {
  from: number;
  originalTo: number;
  to: number;
  info: PendingInfo;
  /** The document and selection when the change started, for an exact discard. */
  startDoc: Text;
  startSelection: EditorSelection;
  /** The start selection mapped through everything since, for a discard after edits. */
  mappedSelection: EditorSelection;
  /** Whether the person changed the document since the change started. */
  edited: boolean;
}

/** Marks every transaction this module makes, so its own changes pass the filter. */
const own = Annotation.define<'stream' | 'version' | 'end' | 'accept'>();

const startEffect = StateEffect.define<{ from: number; originalTo: number; mode: PendingMode }>();
/** The new end of the pending text after an own change that rewrote it. */
const textEndEffect = StateEffect.define<number>();
const infoEffect = StateEffect.define<PendingInfo>();
const endEffect = StateEffect.define<null>();

function mapPending(value: PendingState, tr: Transaction): PendingState {
  const changes = tr.changes;
  // Insertions at `from` go before the change, insertions at `to` after it. While a
  // range is still empty its ends move together.
  const from = changes.mapPos(value.from, 1);
  let originalTo = value.originalTo === value.from ? from : changes.mapPos(value.originalTo, -1);
  let to = value.to === value.originalTo ? originalTo : changes.mapPos(value.to, -1);
  originalTo = Math.max(from, originalTo);
  to = Math.max(originalTo, to);
  return {
    ...value,
    from,
    originalTo,
    to,
    mappedSelection: value.mappedSelection.map(changes, -1),
    edited: value.edited || !tr.annotation(own),
  };
}

export const pendingField = StateField.define<PendingState | null>({
  create: () => null,
  update(value, tr) {
    let next = value;
    if (next && tr.docChanged) {
      const end = tr.effects.find((e): e is StateEffect<number> => e.is(textEndEffect));
      if (end) {
        next = {
          ...next,
          to: end.value,
          mappedSelection: next.mappedSelection.map(tr.changes, -1),
        };
      } else {
        next = mapPending(next, tr);
      }
    }
    for (const effect of tr.effects) {
      if (effect.is(startEffect)) {
        const { from, originalTo, mode } = effect.value;
        next = {
          from,
          originalTo,
          to: originalTo,
          info: { mode, versions: [{ text: null, status: 'streaming' }], index: 0 },
          startDoc: tr.state.doc,
          startSelection: tr.state.selection,
          mappedSelection: tr.state.selection,
          edited: false,
        };
      } else if (effect.is(infoEffect) && next) {
        next = { ...next, info: effect.value };
      } else if (effect.is(endEffect)) {
        next = null;
      }
    }
    return next;
  },
});

// <del> and <ins>: a screen reader says "deletion" and "insertion" as it reads them.
const originalMark = Decoration.mark({
  tagName: 'del',
  class: 'cm-ai-original',
  attributes: { 'data-testid': 'ai-original' },
});
const pendingMarks: Record<PendingStatus, Decoration> = {
  streaming: pendingMark('streaming'),
  done: pendingMark('done'),
  error: pendingMark('error'),
  interrupted: pendingMark('interrupted'),
};
function pendingMark(status: PendingStatus): Decoration {
  return Decoration.mark({
    tagName: 'ins',
    class: `cm-ai-pending cm-ai-pending-${status}`,
    attributes: { 'data-testid': 'ai-pending', 'data-status': status },
  });
}

// At most two marks, rebuilt from the field's positions: constant work per transaction.
const pendingDecorations = EditorView.decorations.compute([pendingField], (state): DecorationSet => {
  const value = state.field(pendingField);
  if (!value) return Decoration.none;
  const ranges = [];
  if (value.originalTo > value.from) ranges.push(originalMark.range(value.from, value.originalTo));
  if (value.to > value.originalTo) {
    const status = value.info.versions[value.info.index]?.status ?? 'streaming';
    ranges.push(pendingMarks[status].range(value.originalTo, value.to));
  }
  return Decoration.set(ranges);
});

// The original and the new text are read-only while a change is pending (see the top).
const protectPending = EditorState.changeFilter.of((tr) => {
  const value = tr.startState.field(pendingField, false);
  if (!value || tr.annotation(own) || value.from === value.to) return true;
  return [value.from, value.to];
});

/** Whether a transaction's changes reach into the pending change (its edges excepted). */
function touchesPending(state: EditorState, tr: Transaction): boolean {
  const value = state.field(pendingField, false);
  if (!value || value.from === value.to) return false;
  let touches = false;
  tr.changes.iterChangedRanges((fromA, toA) => {
    if (fromA < value.to && toA > value.from) touches = true;
  });
  return touches;
}

/**
 * Undo and redo while a change is pending. History transactions skip change filters, and
 * an undo step cannot be applied in part (history would then redo what it never undid),
 * so a step that reaches into the pending change does nothing at all until the change is
 * accepted or discarded; other steps (the person's edits elsewhere) work as usual.
 */
export function guardHistory(command: StateCommand): StateCommand {
  return ({ state, dispatch }) => {
    let step: Transaction | null = null;
    const ran = command({ state, dispatch: (tr) => (step = tr) });
    if (!ran || !step) return ran;
    if (!touchesPending(state, step)) dispatch(step);
    return true;
  };
}

export const undoPending = guardHistory(undo);
export const redoPending = guardHistory(redo);

function viewOf(value: PendingState, state: EditorState): PendingView {
  const version = value.info.versions[value.info.index];
  return {
    mode: value.info.mode,
    status: version?.status ?? 'streaming',
    from: value.from,
    originalTo: value.originalTo,
    to: value.to,
    original: state.sliceDoc(value.from, value.originalTo),
    text: state.sliceDoc(value.originalTo, value.to),
    version: { index: value.info.index, count: value.info.versions.length },
  };
}

/** The pending change in a state, or null. */
export function getPending(state: EditorState): PendingView | null {
  const value = state.field(pendingField, false);
  return value ? viewOf(value, state) : null;
}

/**
 * The document as it is without the pending change: the original in place and no new
 * text. This is what should be saved while a change is pending.
 */
export function committedDoc(state: EditorState): string {
  // (With the state's line break, not doc.toString()'s "\n": a document written with
  // Windows line breaks keeps them.)
  return committedText(state).sliceString(0, undefined, state.lineBreak);
}

/**
 * The document without the pending change as CodeMirror's text, which shares the
 * document's own tree: cheap even for a long document, unlike the string.
 */
export function committedText(state: EditorState): Text {
  const value = state.field(pendingField, false);
  if (!value || value.to === value.originalTo) return state.doc;
  return state.doc.replace(value.originalTo, value.to, Text.empty);
}

/** Where a position in the document falls in the document without the pending change. */
export function committedPosition(state: EditorState, pos: number): number {
  const value = state.field(pendingField, false);
  if (!value || pos <= value.originalTo) return pos;
  return Math.max(value.originalTo, pos - (value.to - value.originalTo));
}

/** Whether a transaction changed only the pending text (streaming, versions, discard). */
export function isPendingOnlyChange(tr: Transaction): boolean {
  const kind = tr.annotation(own);
  return kind === 'stream' || kind === 'version' || kind === 'end';
}

/** Whether an update's transactions changed what a pending-change listener sees. */
export function pendingInfoChanged(before: EditorState, after: EditorState): boolean {
  const a = before.field(pendingField, false);
  const b = after.field(pendingField, false);
  if (!a || !b) return a !== b;
  return a.info !== b.info;
}

/** Something that holds a state and takes transactions: an EditorView, or a stand-in. */
export interface PendingTarget {
  readonly state: EditorState;
  dispatch(...specs: TransactionSpec[]): void;
}

export interface PendingController {
  /**
   * Starts a pending change. `insert`: the new text goes at `to` and [from, to) is left
   * alone (pass from = to = the cursor). `replace`: [from, to) is the original, kept
   * visible and struck through, and the new text follows it; an empty range is an
   * insert. Returns false, changing nothing, if a change is already pending.
   */
  startPending(range: { from: number; to: number; mode: PendingMode }): boolean;
  /**
   * Appends streamed text to the pending text (never an undo step). Only while the
   * version shown is streaming: a piece that arrives after Stop, an error or the end of
   * the change is dropped (returns false).
   */
  appendPending(text: string): boolean;
  /** Sets the status of the version being written or shown. */
  setPendingStatus(status: PendingStatus): void;
  /**
   * Try again / refine: keeps the shown version in the list and clears the pending text
   * for the next version to stream into (status `streaming`). Returns the text of the
   * version it started from (what a refinement applies to), or null if nothing is
   * pending.
   */
  newVersion(): string | null;
  /** Shows an earlier (or later) version, 0-based. False while a version is streaming. */
  showVersion(index: number): boolean;
  /** Keeps the shown version in place of the original, as one undo step. */
  accept(): boolean;
  /** Takes the pending text out and restores the document and selection as they were. */
  discard(): boolean;
  getPending(): PendingView | null;
}

export function createPendingController(target: PendingTarget): PendingController {
  const current = (): PendingState | null => target.state.field(pendingField, false) ?? null;

  function withInfo(value: PendingState, change: Partial<PendingInfo>): PendingInfo {
    return { ...value.info, ...change };
  }

  function setStatus(value: PendingState, status: PendingStatus): PendingInfo {
    const versions = value.info.versions.map((v, i) => (i === value.info.index ? { ...v, status } : v));
    return withInfo(value, { versions });
  }

  /** The pending text as a document fragment (positions count a line break as one). */
  const pendingText = (value: PendingState): Text => target.state.doc.slice(value.originalTo, value.to);

  /** Replaces the pending text, outside history. */
  function replaceText(value: PendingState, text: Text, info: PendingInfo | null): void {
    const effects: StateEffect<unknown>[] = [textEndEffect.of(value.originalTo + text.length)];
    if (info) effects.push(infoEffect.of(info));
    target.dispatch({
      changes: { from: value.originalTo, to: value.to, insert: text },
      effects,
      annotations: [Transaction.addToHistory.of(false), own.of('version')],
    });
  }

  /** Takes the pending text out and ends the change; the selection as discard wants it. */
  function removePending(value: PendingState): void {
    const doc = target.state.doc;
    const changes = ChangeSet.of({ from: value.originalTo, to: value.to }, doc.length);
    // The selection of a transaction is given in the document after its changes.
    const selection = value.edited ? value.mappedSelection.map(changes, -1) : value.startSelection;
    const spec: TransactionSpec = {
      changes,
      selection,
      effects: endEffect.of(null),
      annotations: [Transaction.addToHistory.of(false), own.of('end')],
    };
    if (!value.edited) {
      // Nothing but pending text changed: the result must be the start document itself.
      const result = doc.replace(value.originalTo, value.to, Text.empty);
      if (!result.eq(value.startDoc)) spec.changes = { from: 0, to: doc.length, insert: value.startDoc };
    }
    target.dispatch(spec);
  }

  return {
    startPending({ from, to, mode }) {
      if (current()) return false;
      const length = target.state.doc.length;
      const a = Math.max(0, Math.min(from, to, length));
      const b = Math.min(length, Math.max(from, to, 0));
      const start = mode === 'insert' ? b : a;
      target.dispatch({
        effects: startEffect.of({ from: start, originalTo: b, mode: mode === 'replace' && a < b ? 'replace' : 'insert' }),
        annotations: [Transaction.addToHistory.of(false), own.of('stream')],
      });
      return true;
    },

    appendPending(text) {
      const value = current();
      if (!value || value.info.versions[value.info.index]?.status !== 'streaming') return false;
      if (!text) return true;
      const at = value.to;
      // Model output breaks lines with "\n"; a document kept with "\r\n" gets those.
      const state = target.state;
      const inserted = state.toText(state.lineBreak === '\n' ? text : text.replace(/\r?\n/g, state.lineBreak));
      const end = at + inserted.length;
      // A cursor right after non-empty pending text stays after it as the text grows.
      // (While the pending text is empty a cursor there stays before the new text.)
      const sel = target.state.selection;
      const follow = value.to > value.originalTo && sel.ranges.some((r) => r.anchor === at || r.head === at);
      const move = (pos: number): number => (pos < at ? pos : pos + inserted.length);
      target.dispatch({
        changes: { from: at, insert: inserted },
        ...(follow
          ? {
              selection: EditorSelection.create(
                sel.ranges.map((r) => EditorSelection.range(move(r.anchor), move(r.head))),
                sel.mainIndex,
              ),
            }
          : {}),
        effects: textEndEffect.of(end),
        annotations: [Transaction.addToHistory.of(false), own.of('stream')],
      });
      return true;
    },

    setPendingStatus(status) {
      const value = current();
      if (!value || value.info.versions[value.info.index]?.status === status) return;
      target.dispatch({ effects: infoEffect.of(setStatus(value, status)), annotations: own.of('stream') });
    },

    newVersion() {
      const value = current();
      if (!value) return null;
      const base = pendingText(value);
      const versions = value.info.versions.map((v, i): Version => {
        if (i !== value.info.index) return v;
        return { text: base, status: v.status === 'streaming' ? 'interrupted' : v.status };
      });
      versions.push({ text: null, status: 'streaming' });
      replaceText(value, Text.empty, withInfo(value, { versions, index: versions.length - 1 }));
      return base.sliceString(0, base.length, target.state.lineBreak);
    },

    showVersion(index) {
      const value = current();
      if (!value) return false;
      const { versions, index: shown } = value.info;
      const wanted = versions[index];
      if (!wanted || versions[shown]?.status === 'streaming') return false;
      if (index === shown) return true;
      const text = pendingText(value);
      const next = versions.map((v, i): Version => {
        if (i === shown) return { ...v, text };
        if (i === index) return { ...v, text: null };
        return v;
      });
      replaceText(value, wanted.text ?? Text.empty, withInfo(value, { versions: next, index }));
      return true;
    },

    accept() {
      const value = current();
      if (!value) return false;
      const text = pendingText(value);
      // 1. Back to the document without the change (outside history), with the
      //    selection from before the change, which undo will then restore.
      removePending(value);
      // 2. One isolated, history-recorded step: the original becomes the new text.
      const { from, originalTo } = value;
      target.dispatch({
        changes: { from, to: originalTo, insert: text },
        selection: EditorSelection.cursor(from + text.length),
        annotations: [isolateHistory.of('full'), own.of('accept'), Transaction.userEvent.of('input.ai.accept')],
        scrollIntoView: true,
      });
      return true;
    },

    discard() {
      const value = current();
      if (!value) return false;
      removePending(value);
      return true;
    },

    getPending() {
      return getPending(target.state);
    },
  };
}

export interface PendingKeysOptions {
  /** Esc while streaming. Without it Esc marks the change interrupted. */
  onStop?: () => void;
}

/**
 * Keys while a change is pending: Enter or Tab accept and Esc discards once it is no
 * longer streaming; while it streams Esc stops it. Inactive (falls through) otherwise.
 */
export function pendingKeymap(controller: () => PendingController, options: PendingKeysOptions = {}): Extension {
  // A key accepts only a result worth keeping: finished or stopped, and not empty. A
  // failed change (often empty) is kept only by the button, so an Enter meant for a new
  // line can never replace a paragraph with nothing.
  const acceptable = (view: EditorView): boolean => {
    const value = view.state.field(pendingField, false);
    if (!value) return false;
    const status = value.info.versions[value.info.index]?.status;
    return (status === 'done' || status === 'interrupted') && value.to > value.originalTo;
  };
  const accept = (view: EditorView): boolean => acceptable(view) && controller().accept();
  const whilePending =
    (command: StateCommand) =>
    (view: EditorView): boolean =>
      !!view.state.field(pendingField, false) && command(view);
  return Prec.highest(
    keymap.of([
      { key: 'Enter', run: accept },
      { key: 'Tab', run: accept },
      { key: 'Mod-z', run: whilePending(undoPending), preventDefault: true },
      { key: 'Mod-y', run: whilePending(redoPending), preventDefault: true },
      { key: 'Mod-Shift-z', run: whilePending(redoPending), preventDefault: true },
      {
        key: 'Escape',
        run(view) {
          const value = view.state.field(pendingField, false);
          if (!value) return false;
          if (value.info.versions[value.info.index]?.status === 'streaming') {
            if (options.onStop) options.onStop();
            else controller().setPendingStatus('interrupted');
            return true;
          }
          return controller().discard();
        },
      },
    ]),
  );
}

/** The state side of pending changes: the field, its marks and the read-only filter. */
export function pendingExtension(): Extension {
  return [pendingField, pendingDecorations, protectPending];
}
