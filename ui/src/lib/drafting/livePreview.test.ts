// The live preview keeps its decorations from one update to the next and styles again
// only what changed (livePreview.ts). These tests drive it without a DOM, with the
// visible part of the document chosen at random, and check after every step that it
// holds exactly what styling the whole visible part from scratch gives.
import { markdownLanguage } from '@codemirror/lang-markdown';
import { LanguageSupport } from '@codemirror/language';
import { EditorSelection, EditorState, type Transaction } from '@codemirror/state';
import type { DecorationSet, EditorView, ViewUpdate } from '@codemirror/view';
import { describe, expect, it } from 'vitest';
import { buildLivePreview, LivePreview } from './livePreview';

interface Span {
  from: number;
  to: number;
}

function listed(set: DecorationSet, span: Span): string[] {
  const out: string[] = [];
  set.between(span.from, span.to, (from, to, deco) => {
    const spec = deco.spec as { class?: string; widget?: unknown };
    out.push(`${from}-${to} ${spec.class ?? (spec.widget ? 'widget' : 'hidden')}`);
  });
  return out.sort();
}

/** A live preview over a state, without a view: the visible span is the caller's. */
function preview(doc: string, visible?: (state: EditorState) => Span) {
  let state = EditorState.create({
    doc,
    extensions: [new LanguageSupport(markdownLanguage), EditorState.allowMultipleSelections.of(true)],
  });
  let span = visible ? visible(state) : { from: 0, to: state.doc.length };
  const view = { state, visibleRanges: [span] };
  const plugin = new LivePreview(view as unknown as EditorView);
  return {
    get state() {
      return state;
    },
    get span() {
      return span;
    },
    apply(tr: Transaction): void {
      const startState = state;
      state = tr.state;
      // The visible part moves with the text, as CodeMirror maps its viewport.
      span = { from: tr.changes.mapPos(span.from, -1), to: tr.changes.mapPos(span.to, 1) };
      view.state = state;
      view.visibleRanges = [span];
      const update = {
        view,
        startState,
        state,
        changes: tr.changes,
        docChanged: tr.docChanged,
        selectionSet: !!tr.selection,
        viewportChanged: tr.docChanged,
        viewportMoved: false,
      };
      plugin.update(update as unknown as ViewUpdate);
    },
    /** What the plugin holds on screen, and what a full rebuild gives. */
    compare(): [string[], string[]] {
      return [listed(plugin.decorations, span), listed(buildLivePreview(state, [span]), span)];
    },
  };
}

describe('live preview kept across updates', () => {
  it('clears what an old block left on blank lines that a new fence took over', () => {
    // The list's unclosed fence ran over the two blank lines; a fence opened above makes
    // them part of a new code block that ends before them.
    const p = preview('intro\n\n1. x\n   ```\n\n\npara');
    p.apply(p.state.update({ selection: { anchor: p.state.doc.length } }));
    p.apply(p.state.update({ changes: { from: 0, insert: '```\n' } }));
    const [kept, full] = p.compare();
    expect(kept).toEqual(full);
  });

  it('clears the blank lines of a code block whose fence was taken away', () => {
    const p = preview('intro\n\n```\na\n\n\nb');
    p.apply(p.state.update({ changes: { from: 7, to: 10 } }));
    const [kept, full] = p.compare();
    expect(full.filter((d) => d.includes('codeblock'))).toEqual([]);
    expect(kept).toEqual(full);
  });

  it('keeps one closing mark on an indented fence as lines stream in above it', () => {
    // A model's answer written after a selection: each piece ends in the indentation of
    // the fence's first line, which the fence itself does not start at.
    const p = preview('Intro\n  ```\nx\n```');
    p.apply(p.state.update({ selection: { anchor: 0, head: 6 } }));
    let at = 6;
    for (const piece of ['more\n', 'x\n', 'y\n', 'z\n']) {
      p.apply(p.state.update({ changes: { from: at, insert: piece } }));
      at += piece.length;
      const [kept, full] = p.compare();
      expect(kept).toEqual(full);
    }
  });

  it('follows the parser when it corrects a block the edit did not touch', () => {
    // After un-indenting, the incremental parse first keeps an indented code block it
    // corrects on a later edit elsewhere.
    const p = preview('    code\nmore\n\npara');
    p.apply(p.state.update({ changes: { from: 0, to: 2 }, selection: { anchor: 0 } }));
    p.apply(p.state.update({ selection: { anchor: p.state.doc.length } }));
    p.apply(p.state.update({ changes: { from: p.state.doc.length, insert: 'x' } }));
    const [kept, full] = p.compare();
    expect(full.filter((d) => d.includes('codeblock'))).toEqual([]);
    expect(kept).toEqual(full);
  });

  const pieces = [
    '**', '*', '_', '`', '~~', '# ', '## ', '\n', '\n\n', '```\n', '~~~\n', '- ', '1. ', '2) ', '> ', '---\n', '===',
    '    ', '\t', '<div>\n', '</div>', '<!--', '-->', '|a|b|\n|-|-|\n', '[r]: /u\n', '[a](b) ', '![i](s) ', '<http://a.b>',
    '- [x] ', '\n- ', '\n> ', '\n  ', 'word ', 'x', '\\', '|', '](', '[',
  ];
  const blocks = [
    '# Title', 'Some **bold** and *it* here.', '- one\n- two', '> quote\nlazy', '```\ncode\n```', 'Sub\n---',
    '1. a\n\n   b', '<div>\nhtml\n</div>', '|a|b|\n|-|-|\n|c|d|', '[r]: /x "t"', '    indented', '~~~\nf\n~~~',
    '- a\n\n  b\n- c', '> q\n> - l', 'p *e\nm* `c\nd` x', '***', '## H ##', '- [ ] t\n- [x] u',
  ];

  it.each(Array.from({ length: 24 }, (_, i) => i + 1))(
    'after random edits, cursors and visible parts, holds what a full rebuild gives (run %i)',
    (run) => {
      let seed = run * 7919;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return Math.floor(seed / 65536) % n;
      };
      const pick = <T,>(list: readonly T[]): T => list[random(list.length)] as T;
      const doc = Array.from({ length: 4 + random(12) }, () => pick(blocks)).join(random(2) ? '\n\n' : '\n');
      // Either the whole document is visible, or it is seen from a line in the middle on.
      const p = preview(doc, (state) =>
        random(2) ? { from: 0, to: state.doc.length } : { from: state.doc.lineAt(random(state.doc.length)).from, to: state.doc.length },
      );
      for (let step = 0; step < 300; step++) {
        const { state } = p;
        const len = state.doc.length;
        const op = random(12);
        if (op < 4) {
          const at = random(len + 1);
          const text = pick(pieces);
          p.apply(state.update({ changes: { from: at, insert: text }, selection: { anchor: at + (random(2) ? text.length : 0) } }));
        } else if (op < 6 && len) {
          const from = random(len);
          p.apply(state.update({ changes: { from, to: Math.min(len, from + 1 + random(6)), insert: random(2) ? pick(pieces) : '' } }));
        } else if (op < 8) {
          const ranges = Array.from({ length: 1 + random(3) }, () => {
            const a = random(len + 1);
            return random(3) ? EditorSelection.cursor(a) : EditorSelection.range(a, random(len + 1));
          });
          p.apply(state.update({ selection: EditorSelection.create(ranges) }));
        } else if (op < 10) {
          p.apply(state.update(state.replaceSelection(pick(pieces))));
        } else {
          // Two edits in one transaction, far apart.
          const a = random(len + 1);
          const b = random(len + 1);
          p.apply(state.update({ changes: [{ from: Math.min(a, b), insert: pick(pieces) }, { from: Math.max(a, b), insert: pick(pieces) }] }));
        }
        const [kept, full] = p.compare();
        if (kept.join('\n') !== full.join('\n')) {
          throw new Error(`step ${step}: ${JSON.stringify(p.state.doc.toString())} seen ${JSON.stringify(p.span)}\n` +
            `kept only: ${kept.filter((d) => !full.includes(d)).join(', ')}\nmissing: ${full.filter((d) => !kept.includes(d)).join(', ')}`);
        }
      }
    },
  );
});
