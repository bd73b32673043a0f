import { afterEach, describe, expect, it } from 'vitest';
import type { CatalogModel } from '../contract';
import { setLanguage } from '../language.svelte';
import { badges, compactTokens, groups, matches, perMillion, priceLabel, providerName, talksTo, toggleFavorite } from './models';

const model = (provider: string, id: string, extra: Partial<CatalogModel> = {}): CatalogModel => ({
  provider,
  id,
  name: null,
  context_length: null,
  image_input: null,
  tools: null,
  reasoning: null,
  pricing: null,
  ...extra,
});

const catalog = [
  model('ofox', 'anthropic/claude-sonnet-4.5', { name: 'Claude Sonnet 4.5' }),
  model('ofox', 'openai/gpt-4o', { name: 'GPT-4o' }),
  model('openrouter', 'meta/llama-3.3-70b'),
];

describe('the model catalog', () => {
  afterEach(() => setLanguage('en'));

  it('says context sizes short', () => {
    expect(compactTokens(850)).toBe('850');
    expect(compactTokens(8192)).toBe('8.2k');
    expect(compactTokens(8000)).toBe('8k');
    expect(compactTokens(128_000)).toBe('128k');
    expect(compactTokens(131_072)).toBe('131k');
    expect(compactTokens(200_000)).toBe('200k');
    expect(compactTokens(1_000_000)).toBe('1M');
    expect(compactTokens(1_048_576)).toBe('1M');
    expect(compactTokens(1_500_000)).toBe('1.5M');
  });

  it('says prices per million tokens, without float noise', () => {
    expect(perMillion(0.000003)).toBe('$3');
    expect(perMillion(0.000015)).toBe('$15');
    expect(perMillion(0.0000025)).toBe('$2.50');
    expect(perMillion(0.00000015)).toBe('$0.15');
    expect(perMillion(0.000000075)).toBe('$0.075');
    expect(perMillion(0.000000001)).toBe('$0.001');
    expect(perMillion(0)).toBe('$0');
    expect(priceLabel({ prompt: 0.000003, completion: 0.000015, cache_read: null, cache_write: null })).toBe('$3 / $15 per M');
    expect(priceLabel(null)).toBe('');
    setLanguage('ko');
    expect(priceLabel({ prompt: 0.000003, completion: 0.000015, cache_read: null, cache_write: null })).toBe('100만 토큰당 $3 / $15');
  });

  it('names providers as the setup screen does', () => {
    expect(providerName('openrouter')).toBe('OpenRouter');
    expect(providerName('gone')).toBe('gone');
  });

  it('finds models by any words of their id, name or provider', () => {
    expect(matches(catalog[0]!, 'sonnet')).toBe(true);
    expect(matches(catalog[0]!, 'SONNET claude')).toBe(true);
    expect(matches(catalog[1]!, 'gpt-4o')).toBe(true);
    expect(matches(catalog[1]!, 'sonnet')).toBe(false);
    expect(matches(catalog[2]!, 'openrouter llama')).toBe(true);
    expect(matches(catalog[2]!, '  ')).toBe(true);
  });

  it('groups favourites and recent models on top, then each provider in order', () => {
    const favorites = [{ provider: 'openrouter', model: 'meta/llama-3.3-70b' }];
    const recent = [
      { provider: 'ofox', model: 'openai/gpt-4o' },
      // Not in the catalog (its list failed, or it was typed): still offered, by id.
      { provider: 'ollama', model: 'qwen3' },
    ];
    const all = groups(catalog, favorites, recent, '');
    expect(all.map((g) => g.key)).toEqual(['favorites', 'recent', 'ofox', 'openrouter']);
    expect(all.map((g) => g.title)).toEqual(['Favourites', 'Recently used', 'OfoxAI', 'OpenRouter']);
    expect(all[1]!.models.map((m) => m.id)).toEqual(['openai/gpt-4o', 'qwen3']);
    expect(all[1]!.models[0]!.name).toBe('GPT-4o');
    expect(all[0]!.mixed && !all[2]!.mixed).toBe(true);

    const searched = groups(catalog, favorites, recent, 'gpt');
    expect(searched.map((g) => g.key)).toEqual(['recent', 'ofox']);
    expect(searched[1]!.models.map((m) => m.id)).toEqual(['openai/gpt-4o']);
    expect(groups(catalog, favorites, recent, 'nothing like it')).toEqual([]);
  });

  it('stars and unstars a model', () => {
    const one = { provider: 'ofox', model: 'openai/gpt-4o' };
    const two = { provider: 'openrouter', model: 'openai/gpt-4o' };
    expect(toggleFavorite([], one)).toEqual([one]);
    expect(toggleFavorite([one], two)).toEqual([one, two]);
    expect(toggleFavorite([one, two], one)).toEqual([two]);
  });

  it('badges only what the catalog says a model can do', () => {
    expect(badges(model('x', 'a', { image_input: true, tools: false, reasoning: null }))).toEqual(['pictures']);
    expect(badges(model('x', 'a', { image_input: true, tools: true, reasoning: true }))).toEqual(['pictures', 'tools', 'reasoning']);
    expect(badges(model('x', 'a'))).toEqual([]);
  });

  it('talks to the conversation’s model, else the new chat’s choice, else the default', () => {
    const settings = {
      provider: 'ofox',
      model: 'openai/gpt-4o',
      providers: [
        { id: 'ofox', protocol: 'openai' as const, base_url: 'https://api.ofox.ai/v1' },
        { id: 'openrouter', protocol: 'openai' as const, base_url: 'https://openrouter.ai/api/v1' },
      ],
    };
    const none = { provider: null, model: null, assistant: null };
    const picked = { provider: 'openrouter', model: 'meta/llama-3.3-70b', assistant: null };
    expect(talksTo(undefined, none, settings)).toEqual({ provider: 'ofox', model: 'openai/gpt-4o' });
    expect(talksTo(undefined, picked, settings)).toEqual({ provider: 'openrouter', model: 'meta/llama-3.3-70b' });
    expect(talksTo({ provider: 'openrouter', model: 'x/y' }, picked, settings)).toEqual({ provider: 'openrouter', model: 'x/y' });
    // Older conversations have none of their own.
    expect(talksTo({ provider: null, model: null }, picked, settings)).toEqual({ provider: 'ofox', model: 'openai/gpt-4o' });
    // A provider taken out of Settings: Rust answers with the default.
    expect(talksTo({ provider: 'anthropic', model: 'claude' }, none, settings)).toEqual({ provider: 'ofox', model: 'openai/gpt-4o' });
    expect(talksTo(undefined, { provider: 'openrouter', model: null, assistant: null }, settings)).toEqual({
      provider: 'openrouter',
      model: 'openai/gpt-4o',
    });
  });
});
