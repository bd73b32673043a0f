// Markdown "live preview": the document stays Markdown, but headings, emphasis, lists,
// quotes and code look like formatting. The marks (#, **, _, `, >, list bullets, link
// brackets and addresses) are hidden everywhere except on the lines the selection
// touches, where they are shown dimmed so they can be edited.
//
// Decorations are computed only for the visible ranges, from the syntax tree, so a
// token streamed into a 100,000-word document costs the same as into a short one. After
// an edit only the top-level blocks it touched are computed again (see changedRegions):
// a streamed token or a typed key rebuilds one paragraph, not the whole screen.
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

type Tree = ReturnType<typeof syntaxTree>;

interface Span {
  from: number;
  to: number;
}

/** From the first visible range's start to the last one's end, or null if none. */
function spanOf(ranges: readonly Span[]): Span | null {
  const first = ranges[0];
  const last = ranges[ranges.length - 1];
  return first && last ? { from: first.from, to: last.to } : null;
}

export function buildLivePreview(state: EditorState, ranges: readonly Span[]): DecorationSet {
  const span = spanOf(ranges);
  if (!span) return Decoration.none;
  const out: Array<Range<Decoration>> = [];
  previewRanges(state, selectedLines(state), span.from, span.to, out);
  return Decoration.set(out, true);
}

/**
 * Adds the decorations of every node of the tree that meets [from, to] to `out`;
 * `revealedLines` are the selection's lines (selectedLines), where marks stay visible.
 */
function previewRanges(
  state: EditorState,
  revealedLines: ReadonlyArray<[number, number]>,
  from: number,
  to: number,
  out: Array<Range<Decoration>>,
): void {
  const doc = state.doc;
  const revealed = (a: number, b: number): boolean => revealedLines.some(([f, t]) => a <= t && b >= f);

  /** Line decorations for every line of [a, b) inside [from, to]. */
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
    // (A plugin may not hide a line break: a mark over two lines, such as a link's title,
    // is dimmed instead.)
    if (revealed(node.from, node.to) || node.to > doc.lineAt(node.from).to) out.push(dim.range(node.from, node.to));
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
              // Only the fences within [from, to]: a region may hold part of a block.
              const fence = cursor.name === 'CodeMark' || cursor.name === 'CodeInfo';
              if (fence && cursor.to >= from && cursor.from <= to) out.push(dim.range(cursor.from, cursor.to));
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
}

/** [from, to] widened to the whole lines of `doc` it meets. */
function wholeLines(doc: EditorState['doc'], from: number, to: number): Span {
  return { from: doc.lineAt(Math.min(from, doc.length)).from, to: doc.lineAt(Math.min(to, doc.length)).to };
}

/** The top-level block (a child of the document node) at `pos`, or null between blocks. */
function blockAt(tree: Tree, pos: number, side: -1 | 1): Span | null {
  let node = tree.resolve(pos, side);
  while (node.parent?.parent) node = node.parent;
  return node.parent ? node : null;
}

/** [from, to] widened to the whole top-level blocks of `tree` it meets. */
function widenToBlocks(tree: Tree, from: number, to: number): Span {
  return { from: Math.min(from, blockAt(tree, from, -1)?.from ?? from), to: Math.max(to, blockAt(tree, to, 1)?.to ?? to) };
}

type Block = NonNullable<ReturnType<Tree['topNode']['childAfter']>>;

/** The top-level blocks of `tree` that meet [from, to]. */
function blocksIn(tree: Tree, from: number, to: number): Block[] {
  const out: Block[] = [];
  for (let node = tree.topNode.childAfter(from - 1); node && node.from <= to; node = node.nextSibling) out.push(node);
  return out;
}

/**
 * The parts of the new document, within `span`, whose decorations may differ from the
 * old ones mapped through the update, as whole lines of whole top-level blocks; null
 * when everything must be computed again.
 *
 * Every top-level block on screen in the new tree is matched with one of the old tree:
 * the same kind over the same, untouched text. A block without a match is styled
 * again, and so is the place of an old block without one. That covers what an edit
 * does to Markdown's structure wherever it shows (a broken fence turns its closing
 * line into an opening one; a setext underline joins the paragraph above), what the
 * parser adds as it works on in the background, and the incremental parser's own
 * corrections of blocks the edit did not touch. The lines the selection touches show
 * their marks, so the blocks it leaves and enters are styled again too.
 */
export function changedRegions(update: ViewUpdate, span: Span, revealedLines = selectedLines(update.state)): Span[] | null {
  if (update.viewportMoved) return null;
  const { startState, state, changes } = update;
  const oldTree = syntaxTree(startState);
  const tree = syntaxTree(state);
  // A finished tree that changed without an edit (a new configuration): start over.
  if (!update.docChanged && tree !== oldTree && oldTree.length >= startState.doc.length) return null;
  const regions: Span[] = [];
  changes.iterChangedRanges((_fromA, _toA, from, to) => regions.push({ from, to }));
  if (tree !== oldTree) regions.push(...differingBlocks(changes, oldTree, tree, span));
  const before = selectedLines(startState).map(([from, to]): Span => ({ from: changes.mapPos(from, -1), to: changes.mapPos(to, 1) }));
  const after = revealedLines.map(([from, to]): Span => ({ from, to }));
  if (update.docChanged || before.length !== after.length || before.some((r, i) => r.from !== after[i]?.from || r.to !== after[i]?.to)) {
    regions.push(...before, ...after);
  }
  const doc = state.doc;
  const lines = regions
    // Lines first: a block indented by a few spaces starts after its line does.
    .map((r) => wholeLines(doc, r.from, r.to))
    .map((r) => widenToBlocks(tree, r.from, r.to))
    .map((r) => wholeLines(doc, r.from, r.to))
    .sort((a, b) => a.from - b.from);
  const merged: Span[] = [];
  for (const r of lines) {
    const last = merged[merged.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else merged.push(r);
  }
  return merged.filter((r) => r.from <= span.to && r.to >= span.from);
}

/** The blocks on screen in either tree without a match in the other (see changedRegions). */
function differingBlocks(changes: ViewUpdate['changes'], oldTree: Tree, tree: Tree, span: Span): Span[] {
  const back = changes.invertedDesc;
  const key = (name: string, from: number, to: number): string => `${name} ${from} ${to}`;
  const out: Span[] = [];
  // The untouched old blocks not yet matched, by key; what is left at the end has no match.
  const unmatched = new Map<string, Span>();
  for (const block of blocksIn(oldTree, back.mapPos(span.from, -1), back.mapPos(span.to, 1))) {
    const mapped = { from: changes.mapPos(block.from, -1), to: changes.mapPos(block.to, 1) };
    if (changes.touchesRange(block.from, block.to)) out.push(mapped);
    else unmatched.set(key(block.name, mapped.from, mapped.to), mapped);
  }
  for (const block of blocksIn(tree, span.from, span.to)) {
    if (!unmatched.delete(key(block.name, block.from, block.to))) out.push({ from: block.from, to: block.to });
  }
  out.push(...unmatched.values());
  return out;
}

/** The live preview's decorations, kept from one update to the next (see changedRegions). */
export class LivePreview {
  decorations: DecorationSet;
  constructor(view: EditorView) {
    this.decorations = buildLivePreview(view.state, view.visibleRanges);
  }
  update(update: ViewUpdate): void {
    if (
      !update.docChanged &&
      !update.viewportChanged &&
      !update.selectionSet &&
      syntaxTree(update.startState) === syntaxTree(update.state)
    ) {
      return;
    }
    const span = spanOf(update.view.visibleRanges);
    const revealedLines = selectedLines(update.state);
    const regions = span && changedRegions(update, span, revealedLines);
    if (!regions || !span) {
      this.decorations = buildLivePreview(update.state, update.view.visibleRanges);
      return;
    }
    const mapped = this.decorations.map(update.changes);
    const first = regions[0];
    const last = regions[regions.length - 1];
    if (!first || !last) {
      this.decorations = mapped;
      return;
    }
    const add: Array<Range<Decoration>> = [];
    for (const r of regions) {
      const from = Math.max(r.from, span.from);
      const to = Math.min(r.to, span.to);
      if (from <= to) previewRanges(update.state, revealedLines, from, to, add);
    }
    this.decorations = mapped.update({
      filter: (from, to) => !regions.some((r) => from <= r.to && to >= r.from),
      filterFrom: first.from,
      filterTo: last.to,
      add,
      sort: true,
    });
  }
}

export const livePreview = ViewPlugin.fromClass(LivePreview, { decorations: (plugin) => plugin.decorations });
