// What a screen reader is told as the model writes into a document: that it writes, once
// per run, and then that the change is ready and which keys keep or drop it. Said on
// status changes only, never per streamed piece; a failure is an alert of its own.
import type { MessageKey } from '../messages';
import type { PendingStatus, PendingView } from './pending';

export function draftAnnouncement(before: PendingStatus | null, after: PendingView | null): MessageKey | null {
  if (!after || after.status === before) return null;
  if (after.status === 'streaming') return 'announceDraftWriting';
  if (after.status === 'done' || after.status === 'interrupted') {
    // An empty change cannot be accepted with a key (pending.ts), only discarded.
    return after.text ? 'announceDraftReady' : 'stopped';
  }
  return null;
}

/** The pending text as its description reads it: whole when short, its start when long. */
export function describedText(text: string, max = 400): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
