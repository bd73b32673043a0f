import { afterEach, describe, expect, it } from 'vitest';
import type { Attachment } from '../contract';
import { setLanguage } from '../language.svelte';
import { ACCEPT, budget, costLine, isPictureUrl, nameOf, pastedFiles, ROOM_FOR_THE_REST, roughly, shortening, summary } from './attachments';

const file = (over: Partial<Attachment> = {}): Attachment => ({
  id: 'a',
  kind: 'document',
  name: 'report.pdf',
  mime: 'application/pdf',
  width: 0,
  height: 0,
  pages: 12,
  tokens: 9_812,
  original_bytes: 1_000_000,
  ...over,
});

const photo = file({ id: 'p', kind: 'image', name: 'photo.jpg', mime: 'image/jpeg', width: 1568, height: 1176, pages: null, tokens: 2_459 });

describe('what attachments cost, in words', () => {
  afterEach(() => setLanguage('en'));

  it('rounds Rust’s approximation to what can be meant, never to nothing', () => {
    expect(roughly(9_812)).toBe(9_800);
    expect(roughly(10_650)).toBe(10_700);
    expect(roughly(347)).toBe(350);
    expect(roughly(4)).toBe(4);
    expect(roughly(0)).toBe(0);
  });

  it('says a document’s pages and tokens, and a picture’s size', () => {
    expect(costLine(file())).toBe('12 pages · about 9,800 tokens');
    expect(costLine(file({ pages: 1, tokens: 420 }))).toBe('1 page · about 420 tokens');
    expect(costLine(file({ name: 'notes.txt', pages: null, tokens: 31 }))).toBe('about 31 tokens');
    expect(summary(photo)).toBe('photo.jpg: 1568 × 1176 picture, about 2,500 tokens');
  });

  it('puts the last file first and the total against the assumed context', () => {
    expect(budget([]).text).toBe('');
    const one = budget([file()]);
    expect(one).toMatchObject({ total: 9_812, over: false });
    expect(one.text).toBe('report.pdf: 12 pages, about 9,800 tokens of the roughly 128,000 a model reads at once');
    const two = budget([photo, file({ tokens: 8_200 })]);
    expect(two.total).toBe(10_659);
    expect(two.text).toBe(
      'report.pdf: 12 pages, about 8,200 tokens · in all about 10,700 of the roughly 128,000 tokens a model reads at once',
    );
  });

  it('is over only past what a model reads at once', () => {
    expect(budget([file({ tokens: 128_000 })]).over).toBe(false);
    expect(budget([file({ tokens: 100_000 }), file({ id: 'b', tokens: 28_001 })]).over).toBe(true);
    expect(budget([file({ tokens: 10 })], 5).over).toBe(true);
  });

  it('speaks Korean in a Korean window', () => {
    setLanguage('ko');
    expect(costLine(file())).toBe('12쪽 · 약 9,800토큰');
    expect(budget([photo, file()]).text).toBe(
      'report.pdf: 12쪽, 약 9,800토큰 · 모두 합쳐 약 12,300토큰 (모델이 한 번에 읽는 양은 약 128,000토큰)',
    );
  });

  it('shows only raster pictures as data URLs', () => {
    expect(isPictureUrl('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    expect(isPictureUrl('data:image/jpeg;base64,/9j/4AAQ')).toBe(true);
    expect(isPictureUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
    expect(isPictureUrl('https://example.com/a.png')).toBe(false);
    expect(isPictureUrl('data:image/png;base64,abc"onerror="x')).toBe(false);
  });

  it('names a pasted picture that came without a name', () => {
    expect(nameOf({ name: 'shot.png', type: 'image/png' })).toBe('shot.png');
    expect(nameOf({ name: '', type: 'image/jpeg' })).toBe('pasted-picture.jpg');
    expect(nameOf({ name: '', type: '' })).toBe('pasted-file');
  });

  it('takes a pasted picture or file, and leaves a paste of text (with its picture) as text', () => {
    const picture = new File([new Uint8Array([0x89, 0x50])], 'image.png', { type: 'image/png' });
    // jsdom has no DataTransfer: what the clipboard gives, as the window reads it.
    const paste = (text: string, html: string, files: File[] = [picture]) => ({
      getData: (format: string) => (format === 'text/plain' ? text : format === 'text/html' ? html : ''),
      files,
      items: files.map((file) => ({ kind: 'file', getAsFile: () => file })),
    });
    expect(pastedFiles(paste('', '')).map((f) => f.name)).toEqual(['image.png']);
    expect(pastedFiles(paste('', '<img src="x">')).map((f) => f.name)).toEqual(['image.png']);
    expect(pastedFiles(paste('image.png', '')).map((f) => f.name)).toEqual(['image.png']);
    // Some pastes give the picture only as an item.
    expect(pastedFiles({ ...paste('', ''), files: [] }).map((f) => f.name)).toEqual(['image.png']);
    // Word's copy: text, its formatting, and a picture of it.
    expect(pastedFiles(paste('Dear Mina,', '<p>Dear Mina,</p>'))).toEqual([]);
  });

  it('offers pictures, PDFs, Word files, text and code in the file picker', () => {
    const accepted = ACCEPT.split(',');
    for (const kind of ['image/png', 'image/jpeg', 'image/webp', 'image/gif', '.pdf', '.docx', '.txt', '.md', '.csv', '.json', '.py', '.rs']) {
      expect(accepted, kind).toContain(kind);
    }
  });
});

describe('a document that does not fit can go in part', () => {
  const doc = (id: string, tokens: number, part?: string): Attachment => ({
    id,
    kind: 'document',
    name: `${id}.pdf`,
    mime: 'application/pdf',
    width: 0,
    height: 0,
    pages: 10,
    tokens,
    original_bytes: 1,
    ...(part === undefined ? {} : { part }),
  });

  it('offers the largest whole document, with room left for the rest', () => {
    expect(shortening([doc('a', 1_000)], 128_000)).toBeNull();
    const offer = shortening([doc('small', 20_000), doc('big', 150_000)], 128_000);
    expect(offer?.document.id).toBe('big');
    expect(offer?.maxTokens).toBe(128_000 - 20_000 - ROOM_FOR_THE_REST);
    // A part already cut is not offered again, and no room means no offer.
    expect(shortening([doc('big', 150_000, 'pages 1–3 of 10')], 128_000)).toBeNull();
    expect(shortening([doc('a', 125_000), doc('b', 126_000)], 128_000)).toBeNull();
  });

  it('says on the chip which part goes', () => {
    expect(costLine(doc('big', 9_812, 'pages 1–3 of 10'))).toBe('only pages 1–3 of 10 · about 9,800 tokens');
  });
});
