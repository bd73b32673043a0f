// What an answer used and cost, and a conversation's running total, in words. Only
// what the provider reported or a price list gave is said: an unknown cost is left out,
// never guessed. Pure apart from the language, so unit-tested.
import type { AnswerUsage } from '../contract';
import { currentLanguage } from '../language.svelte';
import { t } from '../messages';
import { formatNumber, numberFormat } from './attachments';

/**
 * US dollars with the digits that matter: a dollar and up to the cent ($1.23), less to
 * three significant digits ($0.0123, $0.00045), and "<$0.0001" below that, where more
 * digits would only be noise a person cannot act on.
 */
export function formatCost(dollars: number): string {
  if (dollars <= 0) return '$0';
  if (dollars < 0.0001) return '<$0.0001';
  if (dollars >= 1) {
    const locale = currentLanguage() === 'ko' ? 'ko-KR' : 'en-US';
    return `$${numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(dollars)}`;
  }
  // Three digits after the leading zeros: 0.0123 → 4 decimals, 0.5 → 3, 0.00045 → 6.
  const zeros = Math.max(0, Math.ceil(-Math.log10(dollars)) - 1);
  const decimals = Math.min(6, Math.max(2, zeros + 3));
  let text = dollars.toFixed(decimals);
  // "0.5000" reads as more precise than it is; money keeps at least its cents.
  while (text.endsWith('0') && text.length - text.indexOf('.') - 1 > 2) text = text.slice(0, -1);
  return `$${text}`;
}

export interface UsageParts {
  /** "1,234 in · 567 out" */
  tokens: string;
  /** "890 from the cache", "120 written to the cache", "300 thinking": only those not zero. */
  extras: string[];
  /** "$0.0123", or null when no cost is known. */
  cost: string | null;
  /** Where the cost came from, for its tooltip. */
  costSource: string;
  /** "cache saved $0.0040", or null. */
  saving: string | null;
}

export function usageParts(usage: AnswerUsage): UsageParts {
  const extras: string[] = [];
  if (usage.cache_read_tokens > 0) extras.push(t('usageCached', { count: formatNumber(usage.cache_read_tokens) }));
  if (usage.cache_write_tokens > 0) {
    extras.push(t('usageCacheWritten', { count: formatNumber(usage.cache_write_tokens) }));
  }
  if (usage.reasoning_tokens > 0) extras.push(t('usageReasoning', { count: formatNumber(usage.reasoning_tokens) }));
  const known = usage.cost !== null && Number.isFinite(usage.cost);
  return {
    tokens: t('usageTokens', { input: formatNumber(usage.input_tokens), output: formatNumber(usage.output_tokens) }),
    extras,
    cost: known ? formatCost(usage.cost!) : null,
    costSource: !known ? '' : usage.cost_source === 'gateway' ? t('usageCostGateway') : t('usageCostPrices'),
    saving: usage.cache_saving !== null && usage.cache_saving > 0 ? t('usageCacheSaved', { cost: formatCost(usage.cache_saving) }) : null,
  };
}

export interface ConversationTotal {
  /** Answers that reported usage. */
  answers: number;
  input: number;
  output: number;
  /** The sum of the costs that are known. */
  cost: number;
  /** Answers with usage but no cost: the sum leaves them out, and says so. */
  uncosted: number;
}

export function conversationTotal(usages: readonly (AnswerUsage | null | undefined)[]): ConversationTotal {
  const total: ConversationTotal = { answers: 0, input: 0, output: 0, cost: 0, uncosted: 0 };
  for (const usage of usages) {
    if (!usage) continue;
    total.answers += 1;
    total.input += usage.input_tokens;
    total.output += usage.output_tokens;
    if (usage.cost === null || !Number.isFinite(usage.cost)) total.uncosted += 1;
    else total.cost += usage.cost;
  }
  return total;
}

/** "12,345 in · 678 out · $0.05", "… · $0.05 + 1 answer without a price", "… · no price known". */
export function totalLine(total: ConversationTotal): string {
  const tokens = t('usageTokens', { input: formatNumber(total.input), output: formatNumber(total.output) });
  const priced = total.answers - total.uncosted;
  let cost: string;
  if (priced === 0) cost = t('usageNoPrice');
  else if (total.uncosted === 0) cost = formatCost(total.cost);
  else {
    const some = total.uncosted === 1 ? t('usageUnpricedOne') : t('usageUnpricedMany', { count: formatNumber(total.uncosted) });
    cost = `${formatCost(total.cost)} + ${some}`;
  }
  return `${tokens} · ${cost}`;
}
