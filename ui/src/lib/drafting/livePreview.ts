// Markdown "live preview": the document stays Markdown, but headings, emphasis, lists,
// quotes and code look like formatting. The marks (#, **, _, `, >, list bullets, link
// brackets and addresses) are hidden everywhere except on the lines the selection
// touches, where they are shown dimmed so they can be edited.
//
// Decorations are computed only for the visible ranges, from the syntax tree, so a
// token streamed into a 100,000-word document costs the same as into a short one.
// Nothing here builds HTML from the text: links are not clickable and images are not
// loaded, so the document can hold any model output as plain text.
import { syntaxTree } from '@codemirror/language';
import type { EditorState, Range } from '@codemirror/state';
import {
  Decoration,
  ViewPlugin,
  WidgetType,
  type DecorationSet,
  type EditorView,
  type ViewUpdate,
} from '@codemirror/view';

class BulletWidget extends WidgetType {
  override eq(): boolean {
    return true;
  }
  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'cm-md-bullet';
    span.textContent = '•';
    return span;
  }
  override ignoreEvent(): boolean {
    return false;
  }
}

const bullet = Decoration.replace({ widget: new BulletWidget() });
const hidden = Decoration.replace({});
const dim = Decoration.mark({ class: 'cm-md-mark' });
const marks: Record<string, Decoration> = {
  StrongEmphasis: Decoration.mark({ class: 'cm-md-strong' }),
  Emphasis: Decoration.mark({ class: 'cm-md-em' }),
  Strikethrough: Decoration.mark({ class: 'cm-md-strike' }),
  InlineCode: Decoration.mark({ class: 'cm-md-code' }),
  Link: Decoration.mark({ class: 'cm-md-link' }),
  Image: Decoration.mark({ class: 'cm-md-image' }),
};
const headingLines = [1, 2, 3, 4, 5, 6].map((n) => Decoration.line({ class: `cm-md-heading cm-md-h${n}` }));
const lineClasses: Record<string, Decoration> = {
  FencedCode: Decoration.line({ class: 'cm-md-codeblock' }),
  CodeBlock: Decoration.line({ class: 'cm-md-codeblock' }),
  Blockquote: Decoration.line({ class: 'cm-md-quote' }),
  HorizontalRule: Decoration.line({ class: 'cm-md-hr' }),
};
/** Marks hidden off the selection's lines (inline syntax). */
const hideable = new Set(['EmphasisMark', 'StrikethroughMark', 'LinkMark', 'URL', 'LinkTitle', 'QuoteMark']);

/** The line ranges the selection touches, where the marks stay visible. */
function selectedLines(state: EditorState): Array<[number, number]> {
  return state.selection.ranges.map((r) => [state.doc.lineAt(r.from).from, state.doc.lineAt(r.to).to]);
}

export function buildLivePreview(state: EditorState, ranges: ReadonlyArray<{ from: number; to: number }>): DecorationSet {
  const first = ranges[0];
  const last = ranges[ranges.length - 1];
  if (!first || !last) return Decoration.none;
  const from = first.from;
  const to = last.to;
  const doc = state.doc;
  const revealedLines = selectedLines(state);
  const revealed = (a: number, b: number): boolean => revealedLines.some(([f, t]) => a <= t && b >= f);
  const out: Array<Range<Decoration>> = [];

  /** Line decorations for every line of [a, b) inside the visible range. */
  const eachLine = (a: number, b: number, deco: Decoration): void => {
    let pos = Math.max(a, from);
    const end = Math.min(b, to);
    while (pos <= end) {
      const line = doc.lineAt(pos);
      out.push(deco.range(line.from));
      if (line.to >= end) break;
      pos = line.to + 1;
    }
  };
  const hideOrDim = (node: { from: number; to: number }, extend = 0): void => {
    if (node.to <= node.from) return;
    if (revealed(node.from, node.to)) out.push(dim.range(node.from, node.to));
    else out.push(hidden.range(node.from, Math.min(node.to + extend, doc.length)));
  };

  syntaxTree(state).iterate({
    from,
    to,
    enter(node) {
      const name = node.name;
      if (name.startsWith('ATXHeading') || name.startsWith('SetextHeading')) {
        const deco = headingLines[Number(name.slice(-1)) - 1];
        if (deco) eachLine(node.from, node.to, deco);
        return;
      }
      const line = lineClasses[name];
      if (line) {
        eachLine(node.from, node.to, line);
        // Code blocks hold no Markdown: only their fences are marks.
        if (name === 'FencedCode' || name === 'CodeBlock') {
          const cursor = node.node.cursor();
          if (cursor.firstChild()) {
            do {
              if (cursor.name === 'CodeMark' || cursor.name === 'CodeInfo') out.push(dim.range(cursor.from, cursor.to));
            } while (cursor.nextSibling());
          }
          return false;
        }
        if (name === 'HorizontalRule') out.push(dim.range(node.from, node.to));
        return;
      }
      const mark = marks[name];
      if (mark) {
        if (node.to > node.from) out.push(mark.range(node.from, node.to));
        return;
      }
      if (name === 'HeaderMark') {
        const parent = node.node.parent?.name ?? '';
        if (parent.startsWith('Setext')) {
          out.push(dim.range(node.from, node.to));
        } else {
          // "# " at the start hides with its space; closing #s stay dimmed.
          const opening = node.from === doc.lineAt(node.from).from || /^\s*$/.test(doc.sliceString(doc.lineAt(node.from).from, node.from));
          const space = opening && doc.sliceString(node.to, node.to + 1) === ' ' ? 1 : 0;
          if (opening) hideOrDim(node, space);
          else out.push(dim.range(node.from, node.to));
        }
        return;
      }
      if (name === 'ListMark') {
        if (node.to <= node.from) return;
        const list = node.node.parent?.parent?.name;
        if (revealed(node.from, node.to)) out.push(dim.range(node.from, node.to));
        else if (list === 'BulletList') out.push(bullet.range(node.from, node.to));
        else out.push(dim.range(node.from, node.to));
        return;
      }
      if (name === 'CodeMark') {
        hideOrDim(node);
        return;
      }
      if (hideable.has(name)) {
        // Inside an image everything stays visible: it is shown as text, never loaded.
        if (node.node.parent?.name === 'Image') out.push(dim.range(node.from, node.to));
        else if (name === 'QuoteMark') hideOrDim(node, doc.sliceString(node.to, node.to + 1) === ' ' ? 1 : 0);
        else hideOrDim(node);
        return;
      }
      return;
    },
  });
  return Decoration.set(out, true);
}

export const livePreview = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = buildLivePreview(view.state, view.visibleRanges);
    }
    update(update: ViewUpdate): void {
      if (
        update.docChanged ||
        update.viewportChanged ||
        update.selectionSet ||
        syntaxTree(update.startState) !== syntaxTree(update.state)
      ) {
        this.decorations = buildLivePreview(update.state, update.view.visibleRanges);
      }
    }
  },
  { decorations: (plugin) => plugin.decorations },
);
