// How answers are read to a screen reader, and the text size. Rust keeps and checks them
// with the other settings (`announce_answers`, `text_size`); this holds them as rune
// state, so the session and the window follow a saved change at once.
import type { Settings } from './contract';

export type AnnounceMode = Settings['announce_answers'];

/** The sizes offered (Rust takes any whole percent from 100 to 200). */
export const TEXT_SIZES = [100, 125, 150, 175, 200] as const;

export const reading: { announce: AnnounceMode; textSize: number } = $state({ announce: 'sentences', textSize: 100 });

/** Takes the saved settings in, and scales the whole window through the root font size:
 * every size in styles.css is in rem. */
export function applyReading(settings: Pick<Settings, 'announce_answers' | 'text_size'>): void {
  reading.announce = settings.announce_answers;
  reading.textSize = settings.text_size;
  globalThis.document?.documentElement.style.setProperty('--text-scale', String(settings.text_size / 100));
}
