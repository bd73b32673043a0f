import { beforeEach, describe, expect, it, vi } from 'vitest';

const order: string[] = [];
vi.mock('./backend', () => ({
  closeWindow: vi.fn(async () => {
    order.push('close');
  }),
  keepWindowOpen: vi.fn(async () => {
    order.push('kept open');
  }),
  whenClosing: vi.fn(async () => {}),
}));

const { saveAndClose, saveBeforeClosing, savedAgain } = await import('./closing');

describe('closing the window', () => {
  beforeEach(() => {
    order.length = 0;
    savedAgain();
  });

  it('closes only after every view has saved, even when one of them fails', async () => {
    let finishSlow: () => void = () => {};
    const forget = [
      saveBeforeClosing(
        () =>
          new Promise<boolean>((resolve) => {
            finishSlow = () => {
              order.push('slow saved');
              resolve(true);
            };
          }),
      ),
      saveBeforeClosing(async () => {
        order.push('failed');
        throw new Error('disk full');
      }),
    ];
    const closing = saveAndClose();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['failed']);
    finishSlow();
    await closing;
    expect(order).toEqual(['failed', 'slow saved', 'close']);
    for (const done of forget) done();
  });

  it('does not wait for a view that is gone', async () => {
    const save = vi.fn(async () => false);
    saveBeforeClosing(save)();
    await saveAndClose();
    expect(save).not.toHaveBeenCalled();
    expect(order).toEqual(['close']);
  });

  it('stays open once when a view could not save what it holds, after every view has saved, and closes the next time', async () => {
    const keptOpen = vi.fn();
    let saved = false;
    const forget = [
      saveBeforeClosing(
        async () => {
          order.push(saved ? 'saved at last' : 'not saved');
          return saved;
        },
        keptOpen,
      ),
      saveBeforeClosing(async () => {
        order.push('saved');
        return true;
      }),
    ];
    await saveAndClose();
    expect(order).toEqual(['not saved', 'saved', 'kept open']);
    expect(keptOpen).toHaveBeenCalledTimes(1);
    await saveAndClose();
    expect(order.slice(3)).toEqual(['not saved', 'saved', 'close']);

    // Saved at last, then unsaved again: the window stays open once more.
    order.length = 0;
    savedAgain();
    await saveAndClose();
    expect(order).toEqual(['not saved', 'saved', 'kept open']);
    saved = true;
    order.length = 0;
    await saveAndClose();
    expect(order).toEqual(['saved at last', 'saved', 'close']);
    expect(keptOpen).toHaveBeenCalledTimes(2);
    for (const done of forget) done();
  });
});
