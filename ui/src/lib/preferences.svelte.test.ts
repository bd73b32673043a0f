import { describe, expect, it } from 'vitest';
import { applyReading, reading } from './preferences.svelte';

describe('applyReading', () => {
  it('follows the saved settings and scales the root font', () => {
    applyReading({ announce_answers: 'end', text_size: 150 });
    expect(reading).toEqual({ announce: 'end', textSize: 150 });
    expect(document.documentElement.style.getPropertyValue('--text-scale')).toBe('1.5');
    applyReading({ announce_answers: 'sentences', text_size: 100 });
    expect(document.documentElement.style.getPropertyValue('--text-scale')).toBe('1');
  });
});
