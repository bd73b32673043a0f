import { describe, expect, it } from 'vitest';
import type { ModelCatalog } from '../contract';
import { ModelCatalogState } from './catalog.svelte';

const catalog = (id: string): ModelCatalog => ({
  models: [
    { provider: 'ofox', id, name: null, context_length: 8000, image_input: null, tools: null, reasoning: null, pricing: null },
  ],
  problems: [],
});

describe('the model catalog as the window keeps it', () => {
  it('keeps the answer to the latest request, whichever comes back last', async () => {
    const answers: ((c: ModelCatalog) => void)[] = [];
    const asked: boolean[] = [];
    const state = new ModelCatalogState((refresh) => {
      asked.push(refresh);
      return new Promise((resolve) => answers.push(resolve));
    });
    const first = state.load(false);
    const second = state.load(true);
    expect(state.loading).toBe(true);
    answers[1]!(catalog('fresh'));
    await second;
    answers[0]!(catalog('stale'));
    await first;
    expect(asked).toEqual([false, true]);
    expect(state.models.map((m) => m.id)).toEqual(['fresh']);
    expect(state.loading).toBe(false);
    expect(state.find({ provider: 'ofox', model: 'fresh' })?.context_length).toBe(8000);
    expect(state.find({ provider: 'other', model: 'fresh' })).toBeUndefined();
  });

  it('says why the list could not be had, and keeps what it had', async () => {
    let fail = false;
    const state = new ModelCatalogState(async () => {
      if (fail) throw { kind: 'network', message: 'offline' };
      return catalog('kept');
    });
    await state.load();
    fail = true;
    await state.load(true);
    expect(state.error).toEqual({ kind: 'network', message: 'offline' });
    expect(state.models.map((m) => m.id)).toEqual(['kept']);
    expect(state.loading).toBe(false);
  });
});
