import { describe, expect, it } from 'vitest';
import { describedText, draftAnnouncement } from './announce';
import type { PendingStatus, PendingView } from './pending';

const view = (status: PendingStatus, text = 'New words.'): PendingView => ({
  mode: 'insert',
  status,
  from: 0,
  originalTo: 0,
  to: text.length,
  original: '',
  text,
  version: { index: 0, count: 1 },
});

describe('draftAnnouncement', () => {
  it('says the model writes once a run starts, and that the change is ready once it ends', () => {
    expect(draftAnnouncement(null, view('streaming', ''))).toBe('announceDraftWriting');
    expect(draftAnnouncement('streaming', view('done'))).toBe('announceDraftReady');
    expect(draftAnnouncement('streaming', view('interrupted'))).toBe('announceDraftReady');
    // Try again and Refine start another run.
    expect(draftAnnouncement('done', view('streaming', ''))).toBe('announceDraftWriting');
  });

  it('says nothing when nothing changed, on a failure, or when the change goes', () => {
    expect(draftAnnouncement('done', view('done'))).toBeNull();
    expect(draftAnnouncement('streaming', view('error'))).toBeNull();
    expect(draftAnnouncement('done', null)).toBeNull();
  });

  it('does not offer a key for an empty change', () => {
    expect(draftAnnouncement('streaming', view('interrupted', ''))).toBe('stopped');
  });
});

describe('describedText', () => {
  it('keeps short text and cuts long text', () => {
    expect(describedText(' a\n\nb ')).toBe('a b');
    expect(describedText('x'.repeat(10), 4)).toBe('xxxx…');
  });
});
