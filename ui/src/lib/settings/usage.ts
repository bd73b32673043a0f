// Settings → Usage: the totals Rust sums up, put in words. A cost is shown only where
// a price was known; answers without one are counted, never priced by guess.
import type { UsageRow } from '../backend';
import { numberFormat } from '../chat/attachments';
// Costs read the same here as under each answer: one rule for their digits.
import { formatCost } from '../chat/usage';

/** What the cost column says of a row: nothing priced means no cost, not $0. */
export function rowCost(row: UsageRow): string | null {
  return row.answers > row.uncosted ? formatCost(row.cost) : null;
}

export function formatCount(n: number, locale: string): string {
  return numberFormat(locale).format(n);
}

/** Days, latest first (ISO dates sort as text). */
export function latestFirst(rows: UsageRow[]): UsageRow[] {
  return [...rows].sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
}
