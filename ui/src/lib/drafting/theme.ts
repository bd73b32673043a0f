// The drafting editor's look. Colours come from the app's variables (styles.css) with
// fallbacks, so the editor also looks right on a page without them.
import { EditorView } from '@codemirror/view';

const accent = 'var(--accent, #e8650c)';
// For text: the orange that reads on the page (styles.css says why it differs).
const accentText = 'var(--accent-strong, #b04a08)';
const muted = 'var(--muted, #5f6470)';
const line = 'var(--line, #e2e3e8)';

export const draftingTheme = EditorView.theme({
  '&': {
    height: '100%',
    color: 'var(--fg, inherit)',
    backgroundColor: 'var(--bg, transparent)',
    // In rem, so the window's text size setting scales the document too.
    fontSize: '1.0667rem',
  },
  '&.cm-focused': { outline: 'none' },
  '.cm-scroller': {
    fontFamily: "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans KR', sans-serif",
    lineHeight: '1.6',
  },
  '.cm-content': {
    maxWidth: '46em',
    margin: '0 auto',
    padding: '32px 24px 40vh',
    caretColor: accent,
  },
  '.cm-cursor': { borderLeftColor: accent },

  // Live preview (livePreview.ts).
  '.cm-md-heading': { fontWeight: '700', lineHeight: '1.3' },
  '.cm-md-h1': { fontSize: '1.8em', paddingTop: '0.4em' },
  '.cm-md-h2': { fontSize: '1.45em', paddingTop: '0.35em' },
  '.cm-md-h3': { fontSize: '1.2em', paddingTop: '0.3em' },
  '.cm-md-h4, .cm-md-h5, .cm-md-h6': { fontSize: '1.05em' },
  // Muted, not faded too: the marks are text a person reads and edits.
  '.cm-md-mark': { color: muted, fontWeight: 'normal', fontStyle: 'normal' },
  '.cm-md-strong': { fontWeight: '700' },
  '.cm-md-em': { fontStyle: 'italic' },
  '.cm-md-strike': { textDecoration: 'line-through' },
  '.cm-md-code, .cm-md-codeblock': {
    fontFamily: "ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', monospace",
    fontSize: '0.92em',
  },
  '.cm-md-code': { backgroundColor: 'var(--notice-bg, rgba(127, 127, 127, 0.14))', borderRadius: '3px', padding: '0 2px' },
  '.cm-md-codeblock': { backgroundColor: 'var(--notice-bg, rgba(127, 127, 127, 0.1))' },
  '.cm-md-quote': { borderLeft: `3px solid ${line}`, paddingLeft: '12px', color: muted },
  '.cm-md-hr': { color: muted },
  '.cm-md-link': { color: accentText, textDecoration: 'underline' },
  '.cm-md-image': { color: muted },
  '.cm-md-bullet': { color: muted, display: 'inline-block', minWidth: '0.6em' },

  // The pending AI change (pending.ts).
  '.cm-ai-pending': {
    backgroundColor: 'color-mix(in srgb, var(--accent, #e8650c) 14%, transparent)',
    borderBottom: `1px dashed ${accent}`,
    textDecoration: 'none',
  },
  '.cm-ai-pending-error': { borderBottomColor: '#c62828' },
  '.cm-ai-original': {
    textDecoration: 'line-through',
    color: muted,
    backgroundColor: 'rgba(198, 40, 40, 0.08)',
  },
});
