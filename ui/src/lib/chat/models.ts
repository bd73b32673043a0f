// The model picker's list: what each model is said as (its size, its price, what it can
// take), how a search narrows the catalog, and how it is grouped. Pure apart from the
// language, so unit-tested.
import { PRESETS, type CatalogModel, type ChatStart, type ModelRef, type Pricing, type Settings } from '../contract';
import { t } from '../messages';

/** A provider's name as the setup screen shows it; the id itself for one Foxtail no longer lists. */
export function providerName(id: string): string {
  return PRESETS.find((p) => p.id === id)?.name ?? id;
}

/**
 * A count of tokens said short, as model lists say context sizes: 850, 8.2k, 128k, 1M,
 * 1.5M. Whole thousands above ten thousand: a context is never known to the token.
 */
export function compactTokens(tokens: number): string {
  const n = Math.max(0, Math.round(tokens));
  if (n < 1000) return String(n);
  if (n < 10_000) return `${trimmed((n / 1000).toFixed(1))}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${trimmed((n / 1_000_000).toFixed(1))}M`;
}

/** "8.0" → "8", "2.50" stays: only a zero fraction as a whole goes. */
function trimmed(fixed: string): string {
  return fixed.replace(/\.0+$/, '');
}

/**
 * US dollars for a million tokens, from a price per token: $3, $2.50, $0.15, $0.075.
 * Catalog prices are per token, which no one reads ($0.000003); per million is how
 * providers publish them.
 */
export function perMillion(perToken: number): string {
  const dollars = perToken * 1e6;
  if (dollars === 0) return '$0';
  // Float noise from the ×1e6 (2.9999999999999996) would show as digits nobody set.
  const clean = Number(dollars.toPrecision(6));
  if (Number.isInteger(clean)) return `$${clean}`;
  if (clean >= 0.01) {
    const cents = clean.toFixed(2);
    // Keep a price like $0.075 whole rather than rounding it to $0.08.
    return Number(cents) === clean ? `$${cents}` : `$${clean}`;
  }
  return `$${clean}`;
}

/** "$3 / $15 per M" (input / output), or empty when the price is not known. */
export function priceLabel(pricing: Pricing | null): string {
  if (!pricing) return '';
  return t('modelPrice', { input: perMillion(pricing.prompt), output: perMillion(pricing.completion) });
}

export function sameModel(a: ModelRef, b: { provider: string; id?: string; model?: string }): boolean {
  return a.provider === b.provider && a.model === (b.id ?? b.model);
}

/** A model the catalog does not list (its provider's list failed, or it was typed): only its id is known. */
export function unlisted(ref: ModelRef): CatalogModel {
  return {
    provider: ref.provider,
    id: ref.model,
    name: null,
    context_length: null,
    image_input: null,
    tools: null,
    reasoning: null,
    pricing: null,
  };
}

/** The catalog's entry for `ref`, or what is known of it without one. */
export function entryFor(models: readonly CatalogModel[], ref: ModelRef): CatalogModel {
  return models.find((m) => sameModel(ref, m)) ?? unlisted(ref);
}

/**
 * The models a search keeps: every word typed must be in the id, the name or the
 * provider's name, in any case and any order ("sonnet claude" finds Claude Sonnet).
 */
export function matches(model: CatalogModel, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = `${model.id} ${model.name ?? ''} ${providerName(model.provider)}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

export interface ModelGroup {
  /** Stable across languages, for keys and test ids: `favorites`, `recent`, or a provider id. */
  key: string;
  title: string;
  models: CatalogModel[];
  /** Entries of several providers: each says its provider. */
  mixed: boolean;
}

/**
 * The picker's sections: favourites and recent models on top, then every provider's
 * models in the catalog's order (the order the providers were set up in). Empty
 * sections are left out; a search narrows each.
 */
export function groups(
  models: readonly CatalogModel[],
  favorites: readonly ModelRef[],
  recent: readonly ModelRef[],
  query: string,
): ModelGroup[] {
  const kept = (list: CatalogModel[]) => list.filter((m) => matches(m, query));
  const out: ModelGroup[] = [];
  const starred = kept(favorites.map((ref) => entryFor(models, ref)));
  if (starred.length) out.push({ key: 'favorites', title: t('modelFavorites'), models: starred, mixed: true });
  const used = kept(recent.map((ref) => entryFor(models, ref)));
  if (used.length) out.push({ key: 'recent', title: t('modelRecent'), models: used, mixed: true });
  const byProvider = new Map<string, CatalogModel[]>();
  for (const model of models) {
    if (!matches(model, query)) continue;
    const list = byProvider.get(model.provider) ?? [];
    list.push(model);
    byProvider.set(model.provider, list);
  }
  for (const [provider, list] of byProvider) {
    out.push({ key: provider, title: providerName(provider), models: list, mixed: false });
  }
  return out;
}

/** Favourites with `ref` starred or unstarred: a new star goes last, as it was added. */
export function toggleFavorite(favorites: readonly ModelRef[], ref: ModelRef): ModelRef[] {
  const starred = favorites.some((f) => sameModel(f, ref));
  return starred
    ? favorites.filter((f) => !sameModel(f, ref))
    : [...favorites, { provider: ref.provider, model: ref.model }];
}

/** What a model can take, for its badges: only what the catalog says it can. */
export function badges(model: CatalogModel): ('pictures' | 'tools' | 'reasoning')[] {
  const out: ('pictures' | 'tools' | 'reasoning')[] = [];
  if (model.image_input) out.push('pictures');
  if (model.tools) out.push('tools');
  if (model.reasoning) out.push('reasoning');
  return out;
}

/**
 * The model a chat talks to, as Rust decides it (Settings::for_chat): the open
 * conversation's own, else what the new chat starts with, else the settings' default.
 * A provider no longer set up falls back to the default, with the default's model.
 */
export function talksTo(
  conversation: { provider: string | null; model: string | null } | undefined,
  start: ChatStart,
  settings: Pick<Settings, 'provider' | 'model' | 'providers'>,
): ModelRef {
  const own = conversation ?? start;
  const setUp = own.provider !== null && settings.providers.some((p) => p.id === own.provider);
  if (!setUp) return { provider: settings.provider, model: settings.model };
  return { provider: own.provider!, model: own.model?.trim() || settings.model };
}
