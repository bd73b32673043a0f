import { describe, expect, it, vi } from 'vitest';
import { checkImport, MAX_IMPORT_BYTES, megabytes, readImport } from './fileImport';

/** A stand-in for a File that records whether anything read it. */
function file(name: string, size: number) {
  const text = vi.fn(async () => 'contents');
  return { name, size, text };
}

describe('opening a file as a document', () => {
  it('takes .md, .markdown and .txt files up to 5 MB, titled by their name', async () => {
    expect(MAX_IMPORT_BYTES).toBe(5_000_000);
    expect(checkImport(file('Trip notes.md', 10))).toEqual({ ok: true, title: 'Trip notes' });
    expect(checkImport(file('a.MARKDOWN', 10))).toEqual({ ok: true, title: 'a' });
    expect(checkImport(file('.txt', 10))).toEqual({ ok: true, title: '.txt' });
    const exactly = file('limit.txt', MAX_IMPORT_BYTES);
    expect(await readImport(exactly)).toEqual({ ok: true, title: 'limit', content: 'contents' });
    expect(exactly.text).toHaveBeenCalledTimes(1);
  });

  it('refuses a larger file before reading any of it, saying how large it is', async () => {
    const big = file('Huge notes.md', MAX_IMPORT_BYTES + 1);
    expect(await readImport(big)).toEqual({
      ok: false,
      message: 'importTooLarge',
      params: { size: '5.1 MB', limit: '5 MB' },
    });
    const huge = file('dump.txt', 2_400_000_000);
    expect(await readImport(huge)).toMatchObject({ ok: false, params: { size: '2400 MB' } });
    expect(big.text).not.toHaveBeenCalled();
    expect(huge.text).not.toHaveBeenCalled();
  });

  it('refuses other kinds of files as before, without reading them', async () => {
    const photo = file('photo.png', 10);
    expect(await readImport(photo)).toEqual({ ok: false, message: 'importFailed', params: {} });
    expect(photo.text).not.toHaveBeenCalled();
  });

  it('says sizes in megabytes, rounded up', () => {
    expect(megabytes(5_000_000)).toBe('5 MB');
    expect(megabytes(5_000_001)).toBe('5.1 MB');
    expect(megabytes(12_300_000)).toBe('13 MB');
  });
});
