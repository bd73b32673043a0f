import { describe, expect, it } from 'vitest';
import type { Assistant } from '../backend';
import { BUILTIN_ASSISTANTS } from '../contract';
import {
  assistantProblem,
  builtinDescription,
  builtinName,
  emptyAssistantForm,
  formFromAssistant,
  newAssistantId,
  withAssistant,
  withoutAssistant,
} from './assistants';

const mine: Assistant = {
  id: 'own-reviewer',
  name: 'Reviewer',
  instructions: 'Review code.',
  model: { provider: 'anthropic', model: 'claude-opus-4' },
};

describe('assistant ids', () => {
  it('come from the name, apart from the built-in ones', () => {
    expect(newAssistantId('Code Reviewer!', [])).toBe('own-code-reviewer');
    expect(newAssistantId('Translator', [])).toBe('own-translator');
  });

  it('are unique among the person’s own and the built-in ones', () => {
    expect(newAssistantId('Reviewer', [mine])).toBe('own-reviewer-2');
    const clash = [{ ...mine, id: 'own-x' }];
    expect(newAssistantId('x', clash, [{ ...BUILTIN_ASSISTANTS[0]!, id: 'own-x-2' }])).toBe('own-x-3');
  });

  it('have a plain fallback for names without Latin letters', () => {
    expect(newAssistantId('번역 도우미', [])).toBe('own-assistant');
    expect(newAssistantId('Café', [])).toBe('own-cafe');
  });
});

describe('saving an assistant', () => {
  it('adds a new one with a fresh id, trimmed', () => {
    const list = withAssistant([mine], { ...emptyAssistantForm(), name: ' Poet ', instructions: ' Rhyme. ' });
    expect(list).toEqual([mine, { id: 'own-poet', name: 'Poet', instructions: 'Rhyme.', model: null }]);
  });

  it('changes one in its place, and drops the model when none is picked', () => {
    const form = { ...formFromAssistant(mine), name: 'Strict reviewer', provider: '' };
    expect(withAssistant([mine], form)).toEqual([{ ...mine, name: 'Strict reviewer', model: null }]);
  });

  it('keeps a typed model with its provider', () => {
    const form = { ...formFromAssistant(mine), model: ' my-model ' };
    expect(withAssistant([mine], form)[0]?.model).toEqual({ provider: 'anthropic', model: 'my-model' });
  });

  it('deletes by id', () => {
    expect(withoutAssistant([mine], 'own-reviewer')).toEqual([]);
  });

  it('says what is missing first', () => {
    expect(assistantProblem({ ...emptyAssistantForm(), name: '  ' })).toBe('settingsAssistantNeedsName');
    expect(assistantProblem({ ...emptyAssistantForm(), name: 'A', provider: 'openai' })).toBe(
      'settingsAssistantNeedsModel',
    );
    expect(assistantProblem(formFromAssistant(mine))).toBeNull();
  });
});

describe('built-in assistants', () => {
  it('are named and described in the window’s language', () => {
    const translator = BUILTIN_ASSISTANTS.find((a) => a.id === 'translator')!;
    expect(builtinName(translator, 'en')).toBe('Translator');
    expect(builtinName(translator, 'ko')).toBe('번역가');
    expect(builtinDescription(translator, 'ko')).toBe(translator.description_ko);
  });
});
