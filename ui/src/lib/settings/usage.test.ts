import { describe, expect, it } from 'vitest';
import type { UsageRow } from '../backend';
import { formatCost, formatCount, latestFirst, rowCost } from './usage';

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
  it('shows small costs to the hundredth of a cent, and larger ones to the cent', () => {
    expect(formatCost(0.0123)).toBe('$0.0123');
    expect(formatCost(0.00001)).toBe('<$0.0001');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(formatCost(0)).toBe('$0');
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
