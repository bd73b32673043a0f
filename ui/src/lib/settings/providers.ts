// The providers a person has set up, as Settings → Providers lists and changes them.
// Rust keeps the provider new chats start with among them on every save, so the
// window only ever adds, replaces or removes the others.
import type { ModelRef, Preset, ProviderSetup, Settings } from '../backend';
import { knownModels, modelFor } from './connection';

/** What a provider is called: its preset's name, or its id when the preset is gone. */
export function providerName(presets: Preset[], id: string): string {
  return presets.find((p) => p.id === id)?.name ?? id;
}

/** The presets not set up yet: a provider is set up once, with one key. */
export function addablePresets(presets: Preset[], setups: ProviderSetup[]): Preset[] {
  return presets.filter((p) => !setups.some((s) => s.id === p.id));
}

/** `setup` in place of the provider with its id, or added at the end. */
export function withProvider(setups: ProviderSetup[], setup: ProviderSetup): ProviderSetup[] {
  return setups.some((s) => s.id === setup.id)
    ? setups.map((s) => (s.id === setup.id ? setup : s))
    : [...setups, setup];
}

/** Whether `id` may be removed: the one new chats start with may not, or they would have none. */
export function canRemove(settings: Settings, id: string): boolean {
  return settings.provider !== id;
}

/**
 * The changes that take `id` out: from the providers, and from the starred and recent
 * models, which could no longer be picked. Undefined for the default provider.
 */
export function removalChanges(settings: Settings, id: string): Partial<Settings> | undefined {
  if (!canRemove(settings, id)) return undefined;
  const keep = (m: ModelRef) => m.provider !== id;
  return {
    providers: settings.providers.filter((s) => s.id !== id),
    favorite_models: (settings.favorite_models ?? []).filter(keep),
    recent_models: (settings.recent_models ?? []).filter(keep),
  };
}

/**
 * The changes that make `id` the provider new chats start with, at its own protocol
 * and address, with a model used with it before (or its preset's).
 */
export function makeDefaultChanges(settings: Settings, presets: Preset[], id: string): Partial<Settings> | undefined {
  const setup = settings.providers.find((s) => s.id === id);
  if (!setup) return undefined;
  const preset = presets.find((p) => p.id === id);
  return {
    provider: setup.id,
    protocol: setup.protocol,
    base_url: setup.base_url,
    model: modelFor(setup.id, setup.protocol, preset, knownModels(settings)),
  };
}

/**
 * A provider's model starred, so the model picked when adding it is at hand in the chat's
 * picker (a provider that is not the default has no model of its own in the settings).
 */
export function withFavorite(favorites: ModelRef[], provider: string, model: string): ModelRef[] {
  const name = model.trim();
  if (!name || favorites.some((m) => m.provider === provider && m.model === name)) return favorites;
  return [...favorites, { provider, model: name }];
}
