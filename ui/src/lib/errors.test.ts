import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_KINDS } from './contract';
import { ERROR_WORDS, plainError } from './errors';
import { setLanguage } from './language.svelte';
import { catalogues } from './messages';

const hangul = /[가-힣]/;

describe('errors in plain words', () => {
  afterEach(() => setLanguage('en'));

  it('has English and Korean words for every kind Rust reports', () => {
    for (const kind of ERROR_KINDS) {
      const key = ERROR_WORDS[kind];
      expect(catalogues.en[key].trim(), kind).not.toBe('');
      expect(catalogues.ko[key], kind).toMatch(hangul);
      // Rust's own message is in English: a Korean window never leads with it.
      setLanguage('ko');
      expect(plainError({ kind, message: 'Rust says why.' }).text, kind).toMatch(hangul);
      setLanguage('en');
      expect(plainError({ kind, message: 'Rust says why.' }).text.trim(), kind).not.toBe('');
    }
  });

  it('puts plain words first and the provider’s words behind the disclosure', () => {
    expect(plainError({ kind: 'auth', message: 'invalid x-api-key', status: 401 })).toEqual({
      text: 'The API key was rejected. Check it in Settings.',
      detail: 'invalid x-api-key (HTTP 401)',
    });
    expect(plainError({ kind: 'network', message: 'dns error' }).text).toMatch(/^No internet connection/);
    expect(plainError({ kind: 'disk_full', message: 'The disk is full…' }).text).toMatch(/^Your disk is full/);
    setLanguage('ko');
    expect(plainError({ kind: 'auth', message: 'x' }).text).toBe('API 키가 거부되었습니다. 설정에서 키를 확인하세요.');
  });

  it('shows messages Rust wrote for people as they are in English, and behind Korean words in Korean', () => {
    const refused = { kind: 'settings', message: 'Use an https:// address.' } as const;
    expect(plainError(refused)).toEqual({ text: 'Use an https:// address.', detail: '' });
    setLanguage('ko');
    expect(plainError(refused)).toEqual({ text: catalogues.ko.errSettings, detail: 'Use an https:// address.' });
  });

  it('says something went wrong when the bridge itself failed', () => {
    expect(plainError({ kind: 'unknown', message: 'command foo not found' })).toEqual({
      text: 'Something went wrong.',
      detail: 'command foo not found',
    });
  });
});
