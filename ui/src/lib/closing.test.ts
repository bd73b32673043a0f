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

const { saveAndClose, saveBeforeClosing } = await import('./closing');

describe('closing the window', () => {
  beforeEach(() => {
    order.length = 0;
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

  it('stays open when a view could not save what it holds, after every view has saved', async () => {
    const forget = [
      saveBeforeClosing(async () => {
        order.push('not saved');
        return false;
      }),
      saveBeforeClosing(async () => {
        order.push('saved');
        return true;
      }),
    ];
    await saveAndClose();
    expect(order).toEqual(['not saved', 'saved', 'kept open']);
    for (const done of forget) done();
  });
});
