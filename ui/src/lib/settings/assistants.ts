// The person's own assistants, as Settings → Assistants edits them, and the built-in
// ones in the current language.
import type { Assistant, BuiltinAssistant, ModelRef } from '../backend';
import { BUILTIN_ASSISTANTS } from '../contract';
import type { Language } from '../language.svelte';

export interface AssistantForm {
  /** Null for an assistant not saved yet. */
  id: string | null;
  name: string;
  instructions: string;
  /** Empty: chats keep the model picked in the chat. */
  provider: string;
  model: string;
}

export function emptyAssistantForm(): AssistantForm {
  return { id: null, name: '', instructions: '', provider: '', model: '' };
}

export function formFromAssistant(assistant: Assistant): AssistantForm {
  return {
    id: assistant.id,
    name: assistant.name,
    instructions: assistant.instructions,
    provider: assistant.model?.provider ?? '',
    model: assistant.model?.model ?? '',
  };
}

export function builtinName(assistant: BuiltinAssistant, language: Language): string {
  return language === 'ko' ? assistant.name_ko : assistant.name_en;
}

export function builtinDescription(assistant: BuiltinAssistant, language: Language): string {
  return language === 'ko' ? assistant.description_ko : assistant.description_en;
}

/**
 * A new id that no own or built-in assistant has. Ids are kept apart from the built-in
 * ones with a prefix, so a built-in assistant added later cannot take a person's id.
 */
export function newAssistantId(name: string, own: Assistant[], builtin: BuiltinAssistant[] = BUILTIN_ASSISTANTS): string {
  const slug =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'assistant';
  const taken = new Set([...own.map((a) => a.id), ...builtin.map((b) => b.id)]);
  const base = `own-${slug}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The model an assistant's chats start with; none unless both parts are given. */
function modelOf(form: AssistantForm): ModelRef | null {
  const provider = form.provider.trim();
  const model = form.model.trim();
  return provider && model ? { provider, model } : null;
}

/** What is missing before the form can be saved, as a message key; null when nothing is. */
export function assistantProblem(
  form: AssistantForm,
): 'settingsAssistantNeedsName' | 'settingsAssistantNeedsModel' | null {
  if (!form.name.trim()) return 'settingsAssistantNeedsName';
  if (form.provider.trim() && !form.model.trim()) return 'settingsAssistantNeedsModel';
  return null;
}

/** The list with the form's assistant saved into it: in its place, or added at the end. */
export function withAssistant(own: Assistant[], form: AssistantForm): Assistant[] {
  const saved: Assistant = {
    id: form.id ?? newAssistantId(form.name, own),
    name: form.name.trim(),
    instructions: form.instructions.trim(),
    model: modelOf(form),
  };
  return own.some((a) => a.id === saved.id) ? own.map((a) => (a.id === saved.id ? saved : a)) : [...own, saved];
}

export function withoutAssistant(own: Assistant[], id: string): Assistant[] {
  return own.filter((a) => a.id !== id);
}
