import { afterEach, describe, expect, it } from 'vitest';
import { plainError } from './errors';
import { setLanguage } from './language.svelte';

describe('errors in plain words', () => {
  afterEach(() => setLanguage('en'));

  it('puts plain words first and the provider’s words behind the disclosure', () => {
    expect(plainError({ kind: 'auth', message: 'invalid x-api-key', status: 401 })).toEqual({
      text: 'The API key was rejected. Check it in Settings.',
      detail: 'invalid x-api-key (HTTP 401)',
    });
    expect(plainError({ kind: 'network', message: 'dns error' }).text).toMatch(/^No internet connection/);
    setLanguage('ko');
    expect(plainError({ kind: 'auth', message: 'x' }).text).toBe('API 키가 거부되었습니다. 설정에서 키를 확인하세요.');
  });

  it('shows messages the backend already wrote for people as they are', () => {
    expect(plainError({ kind: 'settings', message: 'Use an https:// address.' })).toEqual({
      text: 'Use an https:// address.',
      detail: '',
    });
    expect(plainError({ kind: 'weird', message: 'boom' })).toEqual({ text: 'Something went wrong.', detail: 'boom' });
  });
});
