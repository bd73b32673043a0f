// The drafting editor: Markdown with live-preview styling, and AI changes that stream in
// as pending text until the person accepts or discards them.
export { createDraftEditor, type DraftEditor, type DraftEditorOptions } from './editor';
export {
  committedDoc,
  createPendingController,
  getPending,
  guardHistory,
  pendingExtension,
  pendingKeymap,
  redoPending,
  undoPending,
  type PendingController,
  type PendingMode,
  type PendingStatus,
  type PendingTarget,
  type PendingView,
} from './pending';
export { countText, stripMarkdown, type CountOptions, type TextCount } from './count';
