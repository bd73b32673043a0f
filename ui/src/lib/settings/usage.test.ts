import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../backend';
import { formatCount, latestFirst, rowCost } from './usage';

const row = (changes: Partial<UsageRow>): UsageRow => ({
  key: '2025-06-01',
  answers: 3,
  input_tokens: 1200,
  output_tokens: 300,
  cost: 0.0123,
  uncosted: 0,
  ...changes,
});

describe('usage in words', () => {
  it("words a cost as an answer's is worded", () => {
    expect(rowCost(row({ cost: 0.00001 }))).toBe('<$0.0001');
    expect(rowCost(row({ cost: 0.5 }))).toBe('$0.50');
    expect(rowCost(row({ cost: 0.00384 }))).toBe('$0.00384');
    expect(rowCost(row({ cost: 12.345 }))).toBe('$12.35');
  });

  it('gives no cost for a row where no answer had a price, rather than $0', () => {
    expect(rowCost(row({ cost: 0, uncosted: 3 }))).toBeNull();
    expect(rowCost(row({ uncosted: 2 }))).toBe('$0.0123');
  });

  it('puts the latest day first', () => {
    const rows = [row({ key: '2025-05-30' }), row({ key: '2025-06-02' }), row({ key: '2025-06-01' })];
    expect(latestFirst(rows).map((r) => r.key)).toEqual(['2025-06-02', '2025-06-01', '2025-05-30']);
  });

  it('groups digits as the language does', () => {
    expect(formatCount(1234567, 'en-US')).toBe('1,234,567');
  });
});
