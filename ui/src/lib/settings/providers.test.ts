import { describe, expect, it } from 'vitest';
import type { Settings } from '../backend';
import { DEFAULT_SETTINGS, PRESETS } from '../contract';
import {
  addablePresets,
  canRemove,
  makeDefaultChanges,
  providerName,
  removalChanges,
  withFavorite,
  withProvider,
} from './providers';

const two: Settings = {
  ...DEFAULT_SETTINGS,
  providers: [
    { id: 'ofox', protocol: 'openai', base_url: 'https://api.ofox.ai/v1' },
    { id: 'anthropic', protocol: 'anthropic', base_url: 'https://api.anthropic.com' },
  ],
  recent_models: [
    { provider: 'anthropic', model: 'claude-opus-4' },
    { provider: 'ofox', model: 'openai/gpt-4o' },
  ],
  favorite_models: [{ provider: 'anthropic', model: 'claude-haiku-4' }],
};

describe('the providers set up', () => {
  it('offers only presets not set up yet', () => {
    expect(addablePresets(PRESETS, two.providers).map((p) => p.id)).toEqual(['openai', 'openrouter', 'ollama', 'custom']);
  });

  it('names a provider by its preset, or by its id when the preset is unknown', () => {
    expect(providerName(PRESETS, 'openrouter')).toBe('OpenRouter');
    expect(providerName(PRESETS, 'gone')).toBe('gone');
  });

  it('replaces a provider in its place, or adds it at the end', () => {
    const moved = { id: 'ofox', protocol: 'anthropic' as const, base_url: 'https://api.ofox.ai/anthropic' };
    expect(withProvider(two.providers, moved)).toEqual([moved, two.providers[1]]);
    const added = { id: 'openai', protocol: 'openai' as const, base_url: 'https://api.openai.com/v1' };
    expect(withProvider(two.providers, added)).toEqual([...two.providers, added]);
  });

  it('stars a model once, and nothing for an empty one', () => {
    const favorites = [{ provider: 'openai', model: 'gpt-4o' }];
    expect(withFavorite(favorites, 'openai', ' gpt-4o ')).toBe(favorites);
    expect(withFavorite(favorites, 'openai', '  ')).toBe(favorites);
    expect(withFavorite(favorites, 'openrouter', 'gpt-4o')).toEqual([...favorites, { provider: 'openrouter', model: 'gpt-4o' }]);
  });
});

describe('removing a provider', () => {
  it('is refused for the default, which new chats need', () => {
    expect(canRemove(two, 'ofox')).toBe(false);
    expect(removalChanges(two, 'ofox')).toBeUndefined();
  });

  it('takes it out of the providers and of the models kept at hand', () => {
    expect(canRemove(two, 'anthropic')).toBe(true);
    expect(removalChanges(two, 'anthropic')).toEqual({
      providers: [two.providers[0]],
      favorite_models: [],
      recent_models: [{ provider: 'ofox', model: 'openai/gpt-4o' }],
    });
  });
});

describe('making a provider the default', () => {
  it('takes its own protocol and address and the model used with it last', () => {
    expect(makeDefaultChanges(two, PRESETS, 'anthropic')).toEqual({
      provider: 'anthropic',
      protocol: 'anthropic',
      base_url: 'https://api.anthropic.com',
      model: 'claude-opus-4',
    });
  });

  it('starts with the preset’s model when none was used with it', () => {
    const fresh = { ...two, recent_models: [], favorite_models: [] };
    expect(makeDefaultChanges(fresh, PRESETS, 'anthropic')?.model).toBe('claude-sonnet-4-5');
  });

  it('does nothing for a provider that is not set up', () => {
    expect(makeDefaultChanges(two, PRESETS, 'openrouter')).toBeUndefined();
  });
});
