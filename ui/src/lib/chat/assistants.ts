// The assistants a new chat can start from: Foxtail's own, named in the window's
// language, then the person's. Pure apart from the language, so unit-tested.
import { BUILTIN_ASSISTANTS, type Assistant, type ModelRef } from '../contract';
import { currentLanguage } from '../language.svelte';

export interface AssistantEntry {
  id: string;
  name: string;
  /** What it does; the person's own have their instructions' first line instead. */
  description: string;
  model: ModelRef | null;
  builtin: boolean;
}

/** The first line of the instructions, cut short: a person's assistant has no description. */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim())?.trim() ?? '';
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}

export function assistantEntries(own: readonly Assistant[]): AssistantEntry[] {
  const korean = currentLanguage() === 'ko';
  // Rust looks the person's own up first (assistants::find): a built-in one whose id
  // they reused could not be started, so it is not offered.
  const taken = new Set(own.map((a) => a.id));
  return [
    ...BUILTIN_ASSISTANTS.filter((a) => !taken.has(a.id)).map((a) => ({
      id: a.id,
      name: korean ? a.name_ko : a.name_en,
      description: korean ? a.description_ko : a.description_en,
      model: null,
      builtin: true,
    })),
    ...own.map((a) => ({ id: a.id, name: a.name, description: firstLine(a.instructions), model: a.model, builtin: false })),
  ];
}

/** The assistant a conversation uses, by id; null when it is gone (deleted in Settings). */
export function findAssistant(id: string | null, own: readonly Assistant[]): AssistantEntry | null {
  if (!id) return null;
  return assistantEntries(own).find((a) => a.id === id) ?? null;
}
