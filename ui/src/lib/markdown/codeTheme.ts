// Code colours that follow the app's theme, not only the system's: highlight.js ships
// one stylesheet per scheme, and a media query cannot see a theme chosen in Settings, so
// the one that fits is put in a <style> element and swapped when either changes.
import light from 'highlight.js/styles/github.css?inline';
import dark from 'highlight.js/styles/github-dark.css?inline';

export type CodeTheme = 'system' | 'light' | 'dark';

let choice: CodeTheme = 'system';
let style: HTMLStyleElement | undefined;
const systemDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;

function apply(): void {
  if (typeof document === 'undefined') return;
  const isDark = choice === 'dark' || (choice === 'system' && !!systemDark?.matches);
  if (!style) {
    style = document.createElement('style');
    style.dataset.codeTheme = '';
    document.head.append(style);
  }
  style.textContent = isDark ? dark : light;
}

export function setCodeTheme(theme: CodeTheme): void {
  choice = theme;
  apply();
}

systemDark?.addEventListener('change', apply);
apply();
