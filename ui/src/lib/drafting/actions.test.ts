import { describe, expect, it } from 'vitest';
import { buildRequest, withAttachments } from './actions';

describe('drafting requests with files', () => {
  const request = buildRequest('write', 'Summarize this PDF here', 'Notes:\n', 7, 7);
  const pdf = { id: 'a1', name: 'report.pdf' };
  const chart = { id: 'b2', name: 'chart.png' };

  it('carries no attachments when no file is attached', () => {
    expect(withAttachments(request, [])).toEqual(request);
    expect('attachments' in withAttachments(request, [])).toBe(false);
  });

  it('gives the files by id and name', () => {
    expect(withAttachments(request, [pdf]).attachments).toEqual([pdf]);
    expect(withAttachments(request, [pdf]).instruction).toBe('Summarize this PDF here');
  });

  it('keeps the files a refinement starts from, and adds new ones once', () => {
    const first = withAttachments(request, [pdf]);
    expect(withAttachments(first, []).attachments).toEqual([pdf]);
    expect(withAttachments(first, [pdf, chart]).attachments).toEqual([pdf, chart]);
  });
});
