import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerUsage } from '../contract';
import { setLanguage } from '../language.svelte';
import { measure, meterLabel, meterTitle, textTokens, type Counted } from './contextMeter';

const usage = (input: number, output: number): AnswerUsage => ({
  input_tokens: input,
  output_tokens: output,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost: null,
  cost_source: null,
  cache_saving: null,
});

const user = (text: string, tokens: number[] = []): Counted => ({
  role: 'user',
  text,
  attachments: tokens.map((t) => ({ tokens: t })),
});
const answer = (text: string, reported: AnswerUsage | null = null): Counted => ({
  role: 'assistant',
  text,
  usage: reported,
  attachments: [],
});

describe('the context meter', () => {
  afterEach(() => setLanguage('en'));

  it('counts text as Rust counts attachments', () => {
    expect(textTokens('')).toBe(0);
    expect(textTokens('abcd')).toBe(1);
    expect(textTokens('abcde')).toBe(2);
    expect(textTokens('日本語')).toBe(3);
    expect(textTokens('안녕하세요')).toBe(5);
    expect(textTokens('ab日本')).toBe(3);
    expect(textTokens('café')).toBe(2);
    expect(textTokens('😀')).toBe(1);
  });

  it('estimates a conversation with no report, with its files', () => {
    const meter = measure({
      messages: [user('a'.repeat(400), [640]), answer('b'.repeat(800))],
      draft: 'c'.repeat(40),
      attachments: [{ tokens: 9800 }],
      context: null,
    });
    expect(meter.conversation).toBe(100 + 640 + 200);
    expect(meter.draft).toBe(10 + 9800);
    expect(meter.total).toBe(940 + 9810);
    expect(meter.context).toBe(128_000);
    expect(meter.assumed).toBe(true);
    expect(meter.reported).toBe(false);
    expect(meter.over).toBe(false);
    expect(meterLabel(meter)).toBe('11k of 128k');
    expect(meterTitle(meter)).toMatch(/About 10,800 of the 128,000 tokens.*\n.*estimated.*\n.*not known, so 128,000 is assumed/);
  });

  it('starts from the last answer’s reported usage and estimates what came after', () => {
    const meter = measure({
      messages: [
        user('x'.repeat(4000)),
        answer('old', usage(5000, 500)),
        user('y'.repeat(400)),
        answer('newer', usage(12_000, 300)),
        user('z'.repeat(40)),
        answer(''),
      ],
      draft: '',
      attachments: [],
      context: 200_000,
    });
    expect(meter.conversation).toBe(12_300 + 10);
    expect(meter.reported).toBe(true);
    expect(meter.assumed).toBe(false);
    expect(meterLabel(meter)).toBe('12k of 200k');
    expect(meterTitle(meter)).not.toMatch(/assumed/);
    expect(meterTitle(meter)).toMatch(/service’s own count/);
  });

  it('is over when the message would not fit', () => {
    const messages = [user('hello'), answer('hi', usage(7000, 900))];
    const fits = measure({ messages, draft: 'a'.repeat(400), attachments: [], context: 8000 });
    expect(fits.total).toBe(8000);
    expect(fits.over).toBe(false);
    const over = measure({ messages, draft: 'a'.repeat(404), attachments: [], context: 8000 });
    expect(over.over).toBe(true);
    expect(over.fraction).toBe(1);
    setLanguage('ko');
    expect(meterLabel(over)).toBe('8k 중 8k');
  });
});

describe('a streaming answer in the meter', () => {
  it('counts the same growing by pieces as counted whole, and starts over when replaced', () => {
    const pieces = ['Hello ', '안녕하세요 ', 'wörld ', '😀', ' and ', '漢字', ' more text'];
    const answer = { role: 'assistant' as const, text: '', usage: null, attachments: [] };
    const meter = () => measure({ messages: [answer], draft: '', attachments: [], context: 1000 }).conversation;
    for (const piece of pieces) {
      answer.text += piece;
      expect(meter()).toBe(textTokens(answer.text));
    }
    // Regenerated: new text, longer than the old, is not taken for the old one grown.
    answer.text = 'x'.repeat(answer.text.length + 10);
    expect(meter()).toBe(textTokens(answer.text));
    // A surrogate pair split across two pieces is counted once, whole.
    answer.text = 'a\ud83d';
    meter();
    answer.text = 'a\ud83d\ude00';
    expect(meter()).toBe(textTokens('a😀'));
  });
});
