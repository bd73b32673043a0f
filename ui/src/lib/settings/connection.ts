// The provider, address, model and key, as the setup and the settings screens edit them.
import * as backend from '../backend';
import type { KeyReport, ModelRef, Preset, ProviderSetup, Settings } from '../backend';

export type Protocol = Settings['protocol'];

export interface ConnectionForm {
  provider: string;
  protocol: Protocol;
  base_url: string;
  model: string;
  /** A newly typed key; empty keeps the saved one. */
  key: string;
  sessionOnly: boolean;
}

export function formFromSettings(settings: Settings): ConnectionForm {
  return {
    provider: settings.provider,
    protocol: settings.protocol,
    base_url: settings.base_url,
    model: settings.model,
    key: '',
    sessionOnly: false,
  };
}

export function protocolsOf(preset: Preset | undefined): Protocol[] {
  if (!preset || preset.id === 'custom') return ['openai', 'anthropic'];
  const out: Protocol[] = [];
  if (preset.openai_base_url) out.push('openai');
  if (preset.anthropic_base_url) out.push('anthropic');
  return out;
}

function defaultModel(preset: Preset, protocol: Protocol): string {
  return (protocol === 'anthropic' && preset.anthropic_default_model) || preset.default_model;
}

/** Where a preset answers by default for `protocol`; empty when it does not speak it. */
export function presetAddress(preset: Preset, protocol: Protocol): string {
  return protocol === 'anthropic' ? preset.anthropic_base_url : preset.openai_base_url;
}

/** A preset that runs on this computer: its port is often changed, so the address stays in view. */
function isLocal(preset: Preset): boolean {
  try {
    const host = new URL(preset.openai_base_url || preset.anthropic_base_url).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * How the protocol and address are offered: openly when the person must fill them in
 * (a custom gateway, or the address of one on this computer), or folded under
 * "Advanced" when the preset fixes them and a person rarely changes them.
 */
export function addressPlacement(preset: Preset | undefined): { protocol: 'open' | 'advanced'; address: 'open' | 'advanced' } {
  if (!preset || preset.id === 'custom') return { protocol: 'open', address: 'open' };
  return { protocol: 'advanced', address: isLocal(preset) ? 'open' : 'advanced' };
}

/**
 * Whether the form strays from what its preset would fill in, so what is folded under
 * "Advanced" starts open: a person who changed the address should see it.
 */
export function strays(form: ConnectionForm, preset: Preset | undefined): boolean {
  if (!preset || preset.id === 'custom') return false;
  const first = protocolsOf(preset)[0] ?? 'openai';
  return form.protocol !== first || form.base_url.trim() !== presetAddress(preset, form.protocol);
}

/**
 * Fills in the preset's address (and model) for the chosen provider and protocol. With
 * `keepModel`, a model the person typed stays; a preset's default follows the protocol.
 */
export function applyPreset(form: ConnectionForm, preset: Preset | undefined, keepModel: boolean): void {
  if (!preset || preset.id === 'custom') return;
  const protocols = protocolsOf(preset);
  if (!protocols.includes(form.protocol)) form.protocol = protocols[0] ?? 'openai';
  form.base_url = presetAddress(preset, form.protocol);
  const isDefault = [preset.default_model, preset.anthropic_default_model].includes(form.model);
  if (!keepModel || !form.model || isDefault) form.model = defaultModel(preset, form.protocol);
}

/**
 * The models a person already used with each provider, best first: the one new chats
 * start with, then recent ones, then starred ones.
 */
export function knownModels(settings: Settings): ModelRef[] {
  return [
    { provider: settings.provider, model: settings.model },
    ...(settings.recent_models ?? []),
    ...(settings.favorite_models ?? []),
  ].filter((m) => m.model.trim());
}

/** The model to start `provider` with: one used with it before, else its preset's. */
export function modelFor(provider: string, protocol: Protocol, preset: Preset | undefined, known: ModelRef[]): string {
  const used = known.find((m) => m.provider === provider);
  if (used) return used.model;
  return preset ? defaultModel(preset, protocol) : '';
}

/**
 * Picks `form.provider`: one that is set up keeps its own protocol and address (an
 * Ollama on another port stays there) and a model used with it before; any other
 * starts from its preset.
 */
export function chooseProvider(
  form: ConnectionForm,
  preset: Preset | undefined,
  setups: ProviderSetup[],
  known: ModelRef[],
): void {
  const setup = setups.find((s) => s.id === form.provider);
  if (!setup) {
    applyPreset(form, preset, false);
    return;
  }
  form.protocol = setup.protocol;
  form.base_url = setup.base_url;
  form.model = modelFor(setup.id, setup.protocol, preset, known);
}

/** The provider as the settings' list of providers holds it. */
export function setupFromForm(form: ConnectionForm): ProviderSetup {
  return { id: form.provider, protocol: form.protocol, base_url: form.base_url.trim() };
}

/**
 * Saves the key typed in the form, if any, for `baseUrl`, and then lets go of it so that
 * the key does not sit in the page. `keySaved` shows the saved key's status first: the
 * other way round, the old status (bound to the old address) and the empty field would
 * show "type the key again" for a moment, and move what is below it. A key the keychain
 * refused stays in the field, to be saved again for this session only.
 */
export async function saveTypedKey(
  form: ConnectionForm,
  baseUrl: string,
  keySaved: (report: KeyReport) => void,
): Promise<void> {
  if (!form.key.trim()) return;
  keySaved(await backend.saveKey(form.provider, form.key.trim(), form.sessionOnly, baseUrl));
  form.key = '';
}

/** Saves the connection settings, then the key if one was typed (see `saveTypedKey`). */
export async function saveConnection(form: ConnectionForm, keySaved: (report: KeyReport) => void): Promise<Settings> {
  const saved = await backend.saveSettings({
    provider: form.provider,
    protocol: form.protocol,
    base_url: form.base_url.trim(),
    model: form.model.trim(),
  });
  await saveTypedKey(form, saved.base_url, keySaved);
  return saved;
}
