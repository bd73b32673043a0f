import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../language.svelte';
import { assistantEntries, findAssistant } from './assistants';

const own = [
  {
    id: 'lawyer',
    name: 'Contract reader',
    instructions: '\nYou read contracts and point out the risky clauses.\nBe brief.',
    model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  },
];

describe('assistants', () => {
  afterEach(() => setLanguage('en'));

  it('lists the built-in ones in the window’s language, then the person’s own', () => {
    const en = assistantEntries(own);
    expect(en[0]).toMatchObject({ id: 'translator', name: 'Translator', builtin: true, model: null });
    expect(en.at(-1)).toEqual({
      id: 'lawyer',
      name: 'Contract reader',
      description: 'You read contracts and point out the risky clauses.',
      model: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      builtin: false,
    });
    setLanguage('ko');
    const ko = assistantEntries(own);
    expect(ko[0]).toMatchObject({ name: '번역가', description: '한국어와 영어 사이, 또는 말씀하신 언어로 번역합니다.' });
  });

  it('offers no built-in one whose id the person reused, as Rust would start theirs', () => {
    const shadow = [{ id: 'translator', name: 'My translator', instructions: 'Into French.', model: null }];
    const entries = assistantEntries(shadow).filter((a) => a.id === 'translator');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.name).toBe('My translator');
  });

  it('finds a conversation’s assistant, or none when it is gone', () => {
    expect(findAssistant('email', [])?.name).toBe('Email writer');
    expect(findAssistant('lawyer', own)?.builtin).toBe(false);
    expect(findAssistant('deleted', own)).toBeNull();
    expect(findAssistant(null, own)).toBeNull();
  });
});
