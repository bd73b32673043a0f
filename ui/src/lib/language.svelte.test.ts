import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import Composer from './Composer.svelte';
import ErrorNotice from './ErrorNotice.svelte';
import { plainError } from './errors';
import { currentLanguage, setLanguage } from './language.svelte';
import { t } from './messages';

// A value worded in two places: a catalogue message and errors.ts, which calls t() itself.
class Notice {
  label = $derived(`${t('send')} · ${plainError({ kind: 'auth', message: 'x' }).text}`);
}

describe('the window language', () => {
  afterEach(() => {
    setLanguage('en');
    document.body.replaceChildren();
  });

  it('switches what t() returns', () => {
    setLanguage('en');
    expect(t('send')).toBe('Send');
    setLanguage('ko');
    expect(currentLanguage()).toBe('ko');
    expect(t('send')).toBe('보내기');
    expect(t('settingsRecovered', { path: '/tmp/x' })).toContain('/tmp/x');
    setLanguage('en');
    expect(t('send')).toBe('Send');
  });

  it('recomputes a derived value built from t(), in .ts modules too', () => {
    setLanguage('en');
    const notice = new Notice();
    expect(notice.label).toBe('Send · The API key was rejected. Check it in Settings.');
    setLanguage('ko');
    expect(notice.label).toBe('보내기 · API 키가 거부되었습니다. 설정에서 키를 확인하세요.');
  });

  it('runs an effect that reads t() again, for code outside Svelte to follow', () => {
    setLanguage('en');
    const seen: string[] = [];
    const stop = $effect.root(() => {
      $effect(() => {
        seen.push(t('editorLabel'));
      });
    });
    flushSync();
    setLanguage('ko');
    flushSync();
    // Setting the language it already has is no change.
    setLanguage('ko');
    flushSync();
    stop();
    expect(seen).toEqual(['Document', '문서']);
  });

  it('rewords mounted components in place, keeping their nodes and what was typed', () => {
    setLanguage('en');
    const target = document.createElement('div');
    document.body.append(target);
    const component = mount(Composer, { target, props: { onsend: () => {} } });
    const notice = mount(ErrorNotice, { target, props: { error: { kind: 'auth', message: 'invalid key', status: 401 } } });
    flushSync();
    const input = target.querySelector<HTMLTextAreaElement>('[data-testid="composer"]')!;
    const button = target.querySelector<HTMLButtonElement>('[data-testid="send"]')!;
    input.value = 'half a thought';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    expect(input.placeholder).toBe('Ask anything…');

    setLanguage('ko');
    flushSync();
    expect(target.querySelector('[data-testid="composer"]')).toBe(input);
    expect(target.querySelector('[data-testid="send"]')).toBe(button);
    expect(input.placeholder).toBe('무엇이든 물어보세요…');
    expect(button.textContent).toBe('보내기');
    expect(input.value).toBe('half a thought');
    expect(target.querySelector('[data-testid="error"] p')!.textContent).toBe('API 키가 거부되었습니다. 설정에서 키를 확인하세요.');
    unmount(notice);
    unmount(component);
  });
});
