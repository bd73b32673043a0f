import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, PRESETS } from '../contract';
import {
  addressPlacement,
  chooseProvider,
  knownModels,
  modelFor,
  setupFromForm,
  strays,
  type ConnectionForm,
} from './connection';

const preset = (id: string) => PRESETS.find((p) => p.id === id);

function form(changes: Partial<ConnectionForm> = {}): ConnectionForm {
  return {
    provider: 'ofox',
    protocol: 'openai',
    base_url: 'https://api.ofox.ai/v1',
    model: 'openai/gpt-4o',
    key: '',
    sessionOnly: false,
    ...changes,
  };
}

describe('where the protocol and address are offered', () => {
  it('folds them under Advanced for a gateway whose preset fixes them', () => {
    for (const id of ['ofox', 'openai', 'anthropic', 'openrouter']) {
      expect(addressPlacement(preset(id)), id).toEqual({ protocol: 'advanced', address: 'advanced' });
    }
  });

  it('shows the address of a server on this computer, whose port people change', () => {
    expect(addressPlacement(preset('ollama')).address).toBe('open');
  });

  it('shows both for a custom gateway, which has nothing to fill them in with', () => {
    expect(addressPlacement(preset('custom'))).toEqual({ protocol: 'open', address: 'open' });
    expect(addressPlacement(undefined)).toEqual({ protocol: 'open', address: 'open' });
  });
});

describe('whether a connection strays from its preset', () => {
  it('does not at the preset’s own protocol and address', () => {
    expect(strays(form(), preset('ofox'))).toBe(false);
    expect(strays(form({ base_url: ' https://api.ofox.ai/v1 ' }), preset('ofox'))).toBe(false);
  });

  it('does at another address or the second protocol, so Advanced starts open', () => {
    expect(strays(form({ base_url: 'https://proxy.example.com/v1' }), preset('ofox'))).toBe(true);
    expect(strays(form({ protocol: 'anthropic', base_url: 'https://api.ofox.ai/anthropic' }), preset('ofox'))).toBe(
      true,
    );
  });

  it('never for a custom gateway, whose fields are open anyway', () => {
    expect(strays(form({ provider: 'custom', base_url: 'https://gw.example.com' }), preset('custom'))).toBe(false);
  });
});

describe('switching the provider', () => {
  const known = [
    { provider: 'ofox', model: 'openai/gpt-4o' },
    { provider: 'ollama', model: 'qwen3:8b' },
  ];

  it('keeps the address and a model used before for a provider that is set up', () => {
    const f = form({ provider: 'ollama' });
    chooseProvider(f, preset('ollama'), [{ id: 'ollama', protocol: 'openai', base_url: 'http://localhost:11500/v1' }], known);
    expect(f).toMatchObject({ protocol: 'openai', base_url: 'http://localhost:11500/v1', model: 'qwen3:8b' });
  });

  it('starts from the preset for one that is not', () => {
    const f = form({ provider: 'anthropic' });
    chooseProvider(f, preset('anthropic'), [], known);
    expect(f).toMatchObject({ protocol: 'anthropic', base_url: 'https://api.anthropic.com', model: 'claude-sonnet-4-5' });
  });

  it('falls back to the preset’s model for the protocol', () => {
    expect(modelFor('ofox', 'anthropic', preset('ofox'), [])).toBe('anthropic/claude-sonnet-4.5');
    expect(modelFor('ofox', 'anthropic', preset('ofox'), known)).toBe('openai/gpt-4o');
    expect(modelFor('custom', 'openai', undefined, [])).toBe('');
  });

  it('knows the default model first, then recent, then starred ones', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      recent_models: [{ provider: 'openai', model: 'gpt-4.1' }],
      favorite_models: [
        { provider: 'openai', model: 'o3' },
        { provider: 'anthropic', model: 'claude-opus-4' },
      ],
    };
    expect(knownModels(settings)).toEqual([
      { provider: 'ofox', model: 'openai/gpt-4o' },
      { provider: 'openai', model: 'gpt-4.1' },
      { provider: 'openai', model: 'o3' },
      { provider: 'anthropic', model: 'claude-opus-4' },
    ]);
  });

  it('saves the address trimmed', () => {
    expect(setupFromForm(form({ base_url: ' https://api.ofox.ai/v1 ' }))).toEqual({
      id: 'ofox',
      protocol: 'openai',
      base_url: 'https://api.ofox.ai/v1',
    });
  });
});
