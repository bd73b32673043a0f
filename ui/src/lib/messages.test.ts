import { afterEach, describe, expect, it } from 'vitest';
import { pickLanguage, setLanguage } from './language.svelte';
import { catalogues, t, type MessageKey } from './messages';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  afterEach(() => setLanguage('en'));

  it('has every English message in Korean, with the same placeholders', () => {
    for (const key of Object.keys(catalogues.en) as MessageKey[]) {
      expect(catalogues.ko[key].trim(), key).not.toBe('');
      expect(placeholders(catalogues.ko[key]), key).toEqual(placeholders(catalogues.en[key]));
    }
  });

  it('picks Korean for any Korean locale and English otherwise', () => {
    expect(pickLanguage('ko-KR')).toBe('ko');
    expect(pickLanguage('ko')).toBe('ko');
    expect(pickLanguage('en-GB')).toBe('en');
    expect(pickLanguage('de')).toBe('en');
    expect(pickLanguage(undefined)).toBe('en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('settingsRecovered', { path: '/tmp/x' })).toContain('/tmp/x');
    expect(t('settingsRecovered')).toContain('{path}');
    setLanguage('ko');
    expect(t('send')).toBe('보내기');
  });
});
