// The provider, address, model and key, as the setup and the settings screens edit them.
import * as backend from '../backend';
import type { Preset, Settings } from '../backend';

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

/**
 * Fills in the preset's address (and model) for the chosen provider and protocol. With
 * `keepModel`, a model the person typed stays; a preset's default follows the protocol.
 */
export function applyPreset(form: ConnectionForm, preset: Preset | undefined, keepModel: boolean): void {
  if (!preset || preset.id === 'custom') return;
  const protocols = protocolsOf(preset);
  if (!protocols.includes(form.protocol)) form.protocol = protocols[0] ?? 'openai';
  form.base_url = form.protocol === 'anthropic' ? preset.anthropic_base_url : preset.openai_base_url;
  const isDefault = [preset.default_model, preset.anthropic_default_model].includes(form.model);
  if (!keepModel || !form.model || isDefault) form.model = defaultModel(preset, form.protocol);
}

/** Saves the connection settings, then the key if one was typed. */
export async function saveConnection(form: ConnectionForm): Promise<Settings> {
  const saved = await backend.saveSettings({
    provider: form.provider,
    protocol: form.protocol,
    base_url: form.base_url.trim(),
    model: form.model.trim(),
  });
  if (form.key.trim()) {
    await backend.saveKey(form.provider, form.key.trim(), form.sessionOnly, saved.base_url);
    form.key = '';
  }
  return saved;
}
