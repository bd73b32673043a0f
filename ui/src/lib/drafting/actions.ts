// The drafting actions the window offers, and how one request is put together from the
// editor: the instruction, the selection, and the document around it. The prompts
// themselves live in the backend (src-tauri/core/src/draft_prompts.rs).
import type { DraftRequest } from '../backend';
import type { AttachmentUse } from '../contract';
import type { MessageKey } from '../messages';
import { countText } from './count';

/** The actions the window offers; Rust checks `DraftRequest.action` against its own list. */
export type DraftActionId =
  | 'write'
  | 'continue'
  | 'improve'
  | 'fix'
  | 'shorter'
  | 'longer'
  | 'tone'
  | 'translate'
  | 'summarize'
  | 'custom';

export interface ActionInfo {
  id: DraftActionId;
  label: MessageKey;
  /** Replaces a selection (true) or writes at the cursor. */
  onSelection: boolean;
}

/** The buttons, in order. "Write here" is the prompt's own button. */
export const ACTIONS: ActionInfo[] = [
  { id: 'continue', label: 'draftContinue', onSelection: false },
  { id: 'improve', label: 'draftImprove', onSelection: true },
  { id: 'fix', label: 'draftFix', onSelection: true },
  { id: 'shorter', label: 'draftShorter', onSelection: true },
  { id: 'longer', label: 'draftLonger', onSelection: true },
  { id: 'tone', label: 'draftTone', onSelection: true },
  { id: 'translate', label: 'draftTranslate', onSelection: true },
  { id: 'summarize', label: 'draftSummarize', onSelection: true },
  { id: 'custom', label: 'draftCustom', onSelection: true },
];

/**
 * What the action needs from the person's words: tone and translate have sensible
 * defaults (more formal; Korean ⇄ English by the selection's script), the rest take the
 * words as they are.
 */
export function instructionFor(action: DraftActionId, typed: string, selection: string): string {
  const words = typed.trim();
  if (words) return words;
  if (action === 'tone') return 'more formal and polite';
  // (The window passes the tone picked beside the button as the typed words.)
  if (action === 'translate') return countText(selection).primary === 'characters' ? 'English' : 'Korean';
  return '';
}

export function buildRequest(
  action: DraftActionId,
  typed: string,
  doc: string,
  from: number,
  to: number,
  previous: string | null = null,
): DraftRequest {
  const selection = doc.slice(from, to);
  return {
    action,
    instruction: instructionFor(action, typed, selection),
    before: doc.slice(0, from),
    selection,
    after: doc.slice(to),
    previous,
    refinement: null,
  };
}

/**
 * The request with `files` given to the model as well: after the ones it already carries
 * (a refinement keeps the files the change was made from), each file once. Without any
 * file the request has no `attachments`, as before files could go with a draft.
 */
export function withAttachments(request: DraftRequest, files: readonly AttachmentUse[]): DraftRequest {
  const { attachments: carried = [], ...rest } = request;
  const all = [...carried];
  for (const file of files) if (!all.some((a) => a.id === file.id)) all.push(file);
  return all.length ? { ...rest, attachments: all } : rest;
}
