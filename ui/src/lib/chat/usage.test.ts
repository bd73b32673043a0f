import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerUsage } from '../contract';
import { setLanguage } from '../language.svelte';
import { conversationTotal, formatCost, totalLine, usageParts } from './usage';

const usage = (extra: Partial<AnswerUsage> = {}): AnswerUsage => ({
  input_tokens: 1234,
  output_tokens: 567,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost: null,
  cost_source: null,
  cache_saving: null,
  ...extra,
});

describe('usage and cost', () => {
  afterEach(() => setLanguage('en'));

  it('says costs with the digits that matter', () => {
    expect(formatCost(0.0123)).toBe('$0.0123');
    expect(formatCost(0.012345)).toBe('$0.0123');
    expect(formatCost(0.5)).toBe('$0.50');
    expect(formatCost(0.05)).toBe('$0.05');
    expect(formatCost(0.00045)).toBe('$0.00045');
    expect(formatCost(0.0001)).toBe('$0.0001');
    expect(formatCost(0.00004)).toBe('<$0.0001');
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(1.5)).toBe('$1.50');
    expect(formatCost(1234.567)).toBe('$1,234.57');
  });

  it('says an answer’s tokens, and only the extras and cost that are known', () => {
    const plain = usageParts(usage());
    expect(plain.tokens).toBe('1,234 in · 567 out');
    expect(plain.extras).toEqual([]);
    expect(plain.cost).toBeNull();
    expect(plain.saving).toBeNull();

    const full = usageParts(
      usage({ cache_read_tokens: 1000, cache_write_tokens: 20, reasoning_tokens: 300, cost: 0.0123, cost_source: 'gateway', cache_saving: 0.0027 }),
    );
    expect(full.extras).toEqual(['1,000 from the cache', '20 written to the cache', '300 thinking']);
    expect(full.cost).toBe('$0.0123');
    expect(full.costSource).toBe('The cost as the service reported it');
    expect(full.saving).toBe('cache saved $0.0027');
    expect(usageParts(usage({ cost: 0.02, cost_source: 'prices' })).costSource).toMatch(/list prices/);
    // A zero cost is a known cost (a free model), not a missing one.
    expect(usageParts(usage({ cost: 0, cost_source: 'prices' })).cost).toBe('$0');

    setLanguage('ko');
    expect(usageParts(usage()).tokens).toBe('입력 1,234 · 출력 567');
  });

  it('totals a conversation and says when some answers had no price', () => {
    const priced = usage({ cost: 0.03 });
    const total = conversationTotal([priced, null, usage({ input_tokens: 10, output_tokens: 5, cost: 0.02 })]);
    expect(total).toEqual({ answers: 2, input: 1244, output: 572, cost: 0.05, uncosted: 0 });
    expect(totalLine(total)).toBe('1,244 in · 572 out · $0.05');

    expect(totalLine(conversationTotal([priced, usage()]))).toBe('2,468 in · 1,134 out · $0.03 + 1 answer without a price');
    expect(totalLine(conversationTotal([priced, usage(), usage()]))).toMatch(/\$0\.03 \+ 2 answers without a price$/);
    expect(totalLine(conversationTotal([usage()]))).toBe('1,234 in · 567 out · no price known');
  });
});
