import { describe, expect, it } from 'vitest';
import { joinUpdates } from './backend';
import type { Update } from './contract';

const text = (t: string): Update => ({ type: 'events', events: [{ type: 'text', text: t }] });

describe('updates taken in one frame', () => {
  it('become one update with the text joined, in order', () => {
    const taken: Update[] = [
      text('Hel'),
      text('lo'),
      { type: 'events', events: [{ type: 'reasoning', text: 'a' }, { type: 'reasoning', text: 'b' }] },
      { type: 'events', events: [{ type: 'reasoning', text: 'c' }, { type: 'text', text: ', ' }] },
      text('world'),
      { type: 'events', events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ];
    expect(joinUpdates(taken)).toEqual([
      {
        type: 'events',
        events: [
          { type: 'text', text: 'Hello' },
          { type: 'reasoning', text: 'abc' },
          { type: 'text', text: ', world' },
          { type: 'finish', reason: 'stop', raw: 'stop' },
        ],
      },
    ]);
    // What was taken is left as it was.
    expect(taken[0]).toEqual(text('Hel'));
  });

  it('keep other updates where they were, and drop notices', () => {
    const extras: Update = { type: 'extras', extras: { cards: [], images: [] } as never };
    const failed: Update = { type: 'save_failed', kind: 'storage', message: 'disk full' } as Update;
    expect(joinUpdates([text('a'), extras, text('b'), text('c'), { type: 'pending', outbox: 1 }, failed, text('d')])).toEqual([
      text('a'),
      extras,
      text('bc'),
      failed,
      text('d'),
    ]);
  });
});
