// The language the window speaks, held as rune state: whatever reads it while Svelte
// renders (a template, a $derived, an $effect, or t() called from any of them) runs again
// when it changes. A switch therefore rewords the window in place; nothing is rebuilt,
// so a running draft, the editor's undo history and typed text all stay.
export type Language = 'en' | 'ko';

/** The supported language closest to a BCP 47 tag such as `ko-KR`; English otherwise. */
export function pickLanguage(tag: string | undefined): Language {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'ko' ? 'ko' : 'en';
}

let current: Language = $state(pickLanguage(globalThis.navigator?.language));

export function currentLanguage(): Language {
  return current;
}

export function setLanguage(language: Language): void {
  current = language;
}
