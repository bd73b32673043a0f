import { undo } from '@codemirror/commands';
import { ensureSyntaxTree } from '@codemirror/language';
import { EditorSelection } from '@codemirror/state';
import { runScopeHandlers } from '@codemirror/view';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDraftEditor, type DraftEditor, type DraftEditorOptions } from './editor';
import { buildLivePreview, livePreview } from './livePreview';
import type { PendingView } from './pending';

let editor: DraftEditor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
  document.body.replaceChildren();
});

function mount(doc: string, options: Partial<DraftEditorOptions> = {}): DraftEditor {
  const parent = document.createElement('div');
  document.body.append(parent);
  editor = createDraftEditor(parent, { doc, ...options });
  return editor;
}

function press(e: DraftEditor, key: string): boolean {
  return runScopeHandlers(e.view, new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }), 'editor');
}

describe('createDraftEditor', () => {
  it('marks the editable element for tests and wraps lines', () => {
    const e = mount('# Title');
    expect(e.view.contentDOM.dataset['testid']).toBe('editor');
    expect(e.view.lineWrapping).toBe(true);
    expect(e.view.contentDOM.getAttribute('aria-label')).toBe('Document');
  });

  it('takes a new accessible name while streaming, keeping the undo history', () => {
    const e = mount('', { label: 'Document' });
    e.view.dispatch({ changes: { from: 0, insert: 'Dear Mina,' }, userEvent: 'input.type' });
    e.pending.startPending({ from: 10, to: 10, mode: 'insert' });
    e.pending.appendPending(' thank you');
    e.setLabel('문서');
    expect(e.view.contentDOM.getAttribute('aria-label')).toBe('문서');
    expect(e.view.contentDOM.dataset['testid']).toBe('editor');
    e.pending.appendPending(' for');
    expect(e.pending.getPending()).toEqual(expect.objectContaining({ status: 'streaming', text: ' thank you for' }));
    e.pending.discard();
    expect(undo(e.view)).toBe(true);
    expect(e.view.state.doc.toString()).toBe('');
  });

  it('reports edits and accepts, never streamed pieces', () => {
    const onChange = vi.fn<(doc: () => string) => void>();
    const lastChange = () => onChange.mock.lastCall?.[0]();
    const onPendingChange = vi.fn<(state: PendingView | null) => void>();
    const e = mount('Hello.', { onChange, onPendingChange });
    e.pending.startPending({ from: 5, to: 5, mode: 'insert' });
    expect(onPendingChange).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'streaming', text: '' }));
    e.pending.appendPending(' there');
    e.pending.appendPending(' you');
    expect(onChange).not.toHaveBeenCalled();
    expect(onPendingChange).toHaveBeenCalledTimes(1);
    e.view.dispatch({ changes: { from: 0, insert: 'Oh. ' }, userEvent: 'input.type' });
    expect(lastChange()).toBe('Oh. Hello.');
    e.pending.setPendingStatus('done');
    expect(onPendingChange).toHaveBeenLastCalledWith(expect.objectContaining({ status: 'done', text: ' there you' }));
    expect(e.getDoc()).toBe('Oh. Hello.');
    e.pending.accept();
    expect(onPendingChange).toHaveBeenLastCalledWith(null);
    expect(lastChange()).toBe('Oh. Hello there you.');
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('gives what to save: an edit of the saved text, the whole text, or all of it after a replace', () => {
    const e = mount('Hello.');
    expect(e.takeEdit()).toBeNull();
    e.pending.startPending({ from: 5, to: 5, mode: 'insert' });
    e.pending.appendPending(' there');
    expect(e.takeEdit(), 'streamed text is not saved').toBeNull();
    e.view.dispatch({ changes: { from: 0, insert: 'Oh. ' }, userEvent: 'input.type' });
    expect(e.takeEdit()).toEqual({ from: 0, to: 0, text: 'Oh. ', length: 6 });
    e.pending.setPendingStatus('done');
    e.pending.accept();
    expect(e.takeEdit()).toEqual({ from: 9, to: 9, text: ' there', length: 10 });
    e.view.dispatch({ changes: { from: 0, to: 4 }, userEvent: 'delete' });
    expect(e.takeDoc()).toBe('Hello there.');
    expect(e.takeEdit(), 'the whole text taken counts as saved').toBeNull();
    e.setDoc('New.');
    expect(e.takeEdit()).toEqual({ from: 0, to: 12, text: 'New.', length: 12 });
  });

  it('Enter and Tab accept, Esc discards, only once the model is done', () => {
    const onStop = vi.fn();
    const e = mount('ab', { onStop });
    e.view.dispatch({ selection: EditorSelection.single(1) });
    expect(press(e, 'Escape')).toBe(false); // nothing pending: Esc is not taken
    e.pending.startPending({ from: 1, to: 1, mode: 'insert' });
    e.pending.appendPending('X');
    // While streaming, Enter is the person's: a new line at the cursor, before the change.
    expect(press(e, 'Enter')).toBe(true);
    expect(e.view.state.doc.toString()).toBe('a\nXb');
    expect(e.pending.getPending()).toMatchObject({ status: 'streaming', text: 'X' });
    expect(press(e, 'Escape')).toBe(true);
    expect(onStop).toHaveBeenCalledTimes(1);
    e.pending.setPendingStatus('interrupted');
    expect(press(e, 'Enter')).toBe(true);
    expect(e.view.state.doc.toString()).toBe('a\nXb');
    expect(e.pending.getPending()).toBeNull();

    e.pending.startPending({ from: 4, to: 4, mode: 'insert' });
    e.pending.appendPending('Y');
    e.pending.setPendingStatus('done');
    expect(press(e, 'Tab')).toBe(true);
    expect(e.view.state.doc.toString()).toBe('a\nXbY');

    e.pending.startPending({ from: 0, to: 1, mode: 'replace' });
    e.pending.appendPending('Z');
    e.pending.setPendingStatus('done');
    expect(press(e, 'Escape')).toBe(true);
    expect(e.view.state.doc.toString()).toBe('a\nXbY');
    expect(e.view.state.selection.main).toMatchObject({ anchor: 5, head: 5 });

    // A failed, empty replacement is never accepted by a key.
    e.view.dispatch({ selection: EditorSelection.range(0, 1) });
    e.pending.startPending({ from: 0, to: 1, mode: 'replace' });
    e.pending.setPendingStatus('error');
    expect(press(e, 'Tab')).toBe(false);
    expect(e.pending.getPending()).toMatchObject({ status: 'error', original: 'a' });
    expect(e.pending.discard()).toBe(true);
    expect(e.view.state.doc.toString()).toBe('a\nXbY');
  });

  it('Ctrl+Z while pending undoes edits elsewhere, never into the pending change', () => {
    const e = mount('');
    e.view.dispatch({ changes: { from: 0, insert: 'Hello' }, userEvent: 'input.type' });
    e.pending.startPending({ from: 0, to: 5, mode: 'replace' });
    e.pending.appendPending('Hi');
    const ctrlZ = new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, cancelable: true });
    expect(runScopeHandlers(e.view, ctrlZ, 'editor')).toBe(true);
    expect(e.view.state.doc.toString()).toBe('HelloHi');
    e.pending.discard();
    expect(runScopeHandlers(e.view, ctrlZ, 'editor')).toBe(true);
    expect(e.view.state.doc.toString()).toBe('');
  });

  it('Esc while streaming interrupts when no onStop is given', () => {
    const e = mount('ab');
    e.pending.startPending({ from: 2, to: 2, mode: 'insert' });
    press(e, 'Escape');
    expect(e.pending.getPending()?.status).toBe('interrupted');
  });

  it('draws the pending text and the struck original with test hooks', () => {
    const e = mount('one two three');
    e.pending.startPending({ from: 4, to: 7, mode: 'replace' });
    e.pending.appendPending('2');
    const pending = e.view.contentDOM.querySelector('[data-testid="ai-pending"]');
    expect(pending?.textContent).toBe('2');
    expect(pending?.getAttribute('data-status')).toBe('streaming');
    expect(pending?.classList.contains('cm-ai-pending')).toBe(true);
    expect(e.view.contentDOM.querySelector('[data-testid="ai-original"]')?.textContent).toBe('two');
    e.pending.setPendingStatus('error');
    expect(e.view.contentDOM.querySelector('[data-testid="ai-pending"]')?.getAttribute('data-status')).toBe('error');
  });

  it('keeps Windows line breaks, and reads mixed ones as \\n', () => {
    const crlf = '# T\r\n\r\nText\r\n';
    const e = mount(crlf);
    expect(e.getDoc()).toBe(crlf);
    e.pending.startPending({ from: 7, to: 7, mode: 'insert' });
    e.pending.appendPending('New\nline ');
    expect(e.pending.getPending()?.text).toBe('New\r\nline ');
    e.pending.newVersion();
    e.pending.appendPending('Two\n');
    e.pending.setPendingStatus('done');
    e.pending.showVersion(0);
    expect(e.pending.getPending()?.text).toBe('New\r\nline ');
    e.pending.discard();
    expect(e.view.state.sliceDoc()).toBe(crlf);
    e.pending.startPending({ from: 7, to: 7, mode: 'insert' });
    e.pending.appendPending('A\nB');
    e.pending.accept();
    expect(e.getDoc()).toBe('# T\r\n\r\nTeA\r\nBxt\r\n');
    expect(e.view.state.selection.main.head).toBe(10);
    e.setDoc('a\r\nb\nc');
    expect(e.getDoc()).toBe('a\nb\nc');
  });

  it('setDoc starts over without history or pending change', () => {
    const onPendingChange = vi.fn();
    const e = mount('a', { onPendingChange });
    e.view.dispatch({ changes: { from: 1, insert: 'b' } });
    e.pending.startPending({ from: 0, to: 0, mode: 'insert' });
    e.setDoc('new');
    expect(onPendingChange).toHaveBeenLastCalledWith(null);
    expect(e.getDoc()).toBe('new');
    expect(undo(e.view)).toBe(false);
  });
});

describe('live preview', () => {
  function classesAt(e: DraftEditor): Array<{ from: number; to: number; cls: string }> {
    ensureSyntaxTree(e.view.state, e.view.state.doc.length, 1e9);
    const set = buildLivePreview(e.view.state, [{ from: 0, to: e.view.state.doc.length }]);
    const out: Array<{ from: number; to: number; cls: string }> = [];
    set.between(0, e.view.state.doc.length, (from, to, deco) => {
      const spec = deco.spec as { class?: string; widget?: unknown; attributes?: unknown };
      out.push({ from, to, cls: spec.class ?? (spec.widget ? 'widget' : 'hidden') });
    });
    return out;
  }

  const doc = '# Head\n\nSome **bold** and *it*.\n\n- item\n\n> quote\n\n[link](https://x.test) ![img](https://x.test/i.png)';

  it('styles headings, emphasis, lists and links, and hides marks off the cursor line', () => {
    const e = mount(doc);
    e.view.dispatch({ selection: { anchor: doc.length } }); // cursor on the last line
    const decos = classesAt(e);
    expect(decos).toContainEqual({ from: 0, to: 0, cls: 'cm-md-heading cm-md-h1' });
    expect(decos).toContainEqual({ from: 0, to: 2, cls: 'hidden' }); // "# "
    expect(decos).toContainEqual({ from: 13, to: 21, cls: 'cm-md-strong' });
    expect(decos).toContainEqual({ from: 13, to: 15, cls: 'hidden' });
    expect(decos).toContainEqual({ from: 26, to: 30, cls: 'cm-md-em' });
    expect(decos).toContainEqual({ from: 33, to: 34, cls: 'widget' }); // the bullet
    expect(decos).toContainEqual({ from: 41, to: 41, cls: 'cm-md-quote' });
    expect(decos).toContainEqual({ from: 41, to: 43, cls: 'hidden' }); // "> "
    // The cursor's line shows its marks, dimmed; the image is never turned into one.
    const linkLine = doc.lastIndexOf('[link]');
    expect(decos).toContainEqual({ from: linkLine, to: linkLine + 1, cls: 'cm-md-mark' });
    expect(decos.filter((d) => d.from >= linkLine && d.cls === 'hidden')).toEqual([]);
  });

  it('dims, never hides, a mark over two lines, which a plugin may not hide', () => {
    const e = mount('x\n\n[a](u "ti\ntle")'); // (hiding it throws here)
    const title = classesAt(e).filter((d) => e.view.state.sliceDoc(d.from, d.to) === '"ti\ntle"');
    expect(title.map((d) => d.cls)).toEqual(['cm-md-mark']);
  });

  it('reveals the marks of the line with the cursor', () => {
    const e = mount(doc);
    e.view.dispatch({ selection: { anchor: 3 } });
    const decos = classesAt(e);
    expect(decos).toContainEqual({ from: 0, to: 1, cls: 'cm-md-mark' });
    expect(decos).not.toContainEqual({ from: 0, to: 2, cls: 'hidden' });
    expect(decos).toContainEqual({ from: 13, to: 15, cls: 'hidden' });
  });

  it.each([7, 8, 9, 10])('after each edit, selection and streamed piece, keeps exactly the decorations a full rebuild gives (run %i)', (first) => {
    // A seeded pseudo-random run of the edits that change Markdown's structure the most:
    // fences opened and closed, headings, setext underlines, lists, quotes, emphasis.
    let seed = first;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ['**', '*', '`', '# ', '\n', '\n\n', '```\n', '- ', '> ', '---\n', 'word ', '[a](b) ', '~~', 'x', '1. ', '\n===\n'];
    const start = Array.from({ length: 40 }, (_, i) => ['# Title ' + i, 'Some **bold** and *it* here.', '- one\n- two', '> quote', '```\ncode\n```', 'Sub\n---'][i % 6]).join('\n\n');
    const e = mount(start);
    const view = e.view;
    const seen = (): string[] => {
      const plugin = view.plugin(livePreview);
      const first = view.visibleRanges[0];
      const last = view.visibleRanges[view.visibleRanges.length - 1];
      if (!plugin || !first || !last) throw new Error('no live preview');
      const list = (set: typeof plugin.decorations): string[] => {
        const out: string[] = [];
        set.between(first.from, last.to, (from, to, deco) => {
          const spec = deco.spec as { class?: string; widget?: unknown };
          out.push(`${from}-${to} ${spec.class ?? (spec.widget ? 'widget' : 'hidden')}`);
        });
        return out.sort();
      };
      expect(list(plugin.decorations)).toEqual(list(buildLivePreview(view.state, view.visibleRanges)));
      return list(plugin.decorations);
    };
    const kinds = new Set<string>();
    for (let step = 0; step < 300; step++) {
      const len = view.state.doc.length;
      const op = random(10);
      if (op < 5) {
        const at = random(len + 1);
        view.dispatch({ changes: { from: at, insert: pieces[random(pieces.length)] ?? 'x' }, selection: { anchor: at } });
      } else if (op < 7 && len > 0) {
        const from = random(len);
        view.dispatch({ changes: { from, to: Math.min(len, from + 1 + random(6)) } });
      } else if (op < 9) {
        const a = random(len + 1);
        view.dispatch({ selection: { anchor: a, head: random(3) ? a : random(len + 1) } });
      } else {
        // A model's piece streamed in as a pending change.
        if (!e.pending.getPending()) e.pending.startPending({ from: view.state.selection.main.head, to: view.state.selection.main.head, mode: 'insert' });
        e.pending.appendPending(pieces[random(pieces.length)] ?? 'x');
        if (random(4) === 0) {
          e.pending.setPendingStatus('done');
          e.pending.accept();
        }
      }
      for (const d of seen()) kinds.add(d.slice(d.indexOf(' ') + 1));
    }
    // The run did reach the kinds of decoration the rules are about.
    for (const kind of ['cm-md-codeblock', 'cm-md-heading cm-md-h1', 'cm-md-heading cm-md-h2', 'cm-md-quote', 'cm-md-strong', 'widget', 'hidden', 'cm-md-mark']) {
      expect(kinds).toContain(kind);
    }
  });
});
