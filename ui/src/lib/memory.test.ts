import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COLLECT_AFTER_MS, RELEASED_ENOUGH, RELEASED_TOO_MUCH } from './memory';

// A fresh copy of the module for each test: one that fails half-way (a stream left
// running, a release owed) cannot change what the next one sees.
let released: typeof import('./memory').released;
let streamBegan: typeof import('./memory').streamBegan;
let streamStopped: typeof import('./memory').streamStopped;

const host = globalThis as { __foxtailCollect?: () => void };

describe('memory asked back after streaming', () => {
  let collect: ReturnType<typeof vi.fn>;
  beforeEach(async () => {
    vi.resetModules();
    ({ released, streamBegan, streamStopped } = await import('./memory'));
    vi.useFakeTimers();
    collect = vi.fn();
    host.__foxtailCollect = collect as () => void;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.runOnlyPendingTimers();
    vi.useRealTimers();
    delete host.__foxtailCollect;
  });

  it('is asked once, a quiet moment after the last stream ended', () => {
    streamBegan();
    streamStopped(true);
    vi.advanceTimersByTime(COLLECT_AFTER_MS - 1);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('waits while another stream still runs, and for one that begins before the moment comes', () => {
    streamBegan();
    streamBegan();
    streamStopped(true);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
    streamStopped(true);
    vi.advanceTimersByTime(COLLECT_AFTER_MS / 2);
    streamBegan();
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
    streamStopped(true);
    vi.advanceTimersByTime(COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('is not asked when a stream only paused (a tool running, a slow model)', () => {
    streamBegan();
    streamStopped(false);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
  });

  it('is nothing where the window has no such call (a browser)', () => {
    delete host.__foxtailCollect;
    streamBegan();
    streamStopped(true);
    expect(() => vi.advanceTimersByTime(3 * COLLECT_AFTER_MS)).not.toThrow();
  });

  it('is asked once, a quiet moment after the page last let go of enough', () => {
    released(RELEASED_ENOUGH / 2);
    vi.advanceTimersByTime(COLLECT_AFTER_MS / 2);
    // Rows scrolled out one after another: the moment is counted from the last.
    released(RELEASED_ENOUGH / 4);
    released(RELEASED_ENOUGH / 4);
    vi.advanceTimersByTime(COLLECT_AFTER_MS - 1);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('waits for more when only a little was let go, and counts afresh after a collection', () => {
    released(RELEASED_ENOUGH - 1);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
    released(1);
    vi.advanceTimersByTime(COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
    released(RELEASED_ENOUGH - 1);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
    // A stream's end collects whatever was let go too.
    streamBegan();
    streamStopped(true);
    vi.advanceTimersByTime(COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(2);
    released(RELEASED_ENOUGH - 1);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(2);
  });

  it('does not wait for a quiet moment once too much was let go, only for the next paint', () => {
    // Rows leaving one after another, each before the last one's moment came.
    const row = RELEASED_TOO_MUCH / 10;
    for (let i = 0; i < 9; i++) {
      released(row);
      vi.advanceTimersByTime(COLLECT_AFTER_MS / 4);
    }
    expect(collect).not.toHaveBeenCalled();
    released(row);
    expect(collect).not.toHaveBeenCalled();
    // A frame, then a task: what was just put in the page is painted first.
    const measure = vi.spyOn(performance, 'measure');
    vi.advanceTimersByTime(50);
    expect(collect).toHaveBeenCalledTimes(1);
    // The window's benchmark reads how long it took.
    expect(measure).toHaveBeenCalledWith('foxtail:collect', expect.objectContaining({ start: expect.any(Number) }));
    // It counts afresh: the next rows wait for more, or for a quiet moment, which
    // collects the rest of the same scroll however little it is.
    released(row);
    vi.advanceTimersByTime(COLLECT_AFTER_MS / 4);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(2);
    // After that quiet collection, a few rows wait for more again.
    released(row);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(2);
  });

  it('does not collect during a stream however much was let go', () => {
    streamBegan();
    released(2 * RELEASED_TOO_MUCH);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
    // Nor does a stream that begins before the next paint.
    streamStopped(false);
    streamBegan();
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
    // Its end waits for a quiet moment, as any stream's end does (the window may be out
    // of sight, where no frame is painted).
    streamStopped(true);
    vi.advanceTimersByTime(COLLECT_AFTER_MS - 1);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    // That was not a scroll's collection on the way: a little let go later waits for more.
    released(RELEASED_ENOUGH / 10);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('counts the rest of a scroll only until a quiet moment has passed', () => {
    released(RELEASED_TOO_MUCH);
    vi.advanceTimersByTime(50);
    expect(collect).toHaveBeenCalledTimes(1);
    // The scroll stopped right after: nothing more was let go for a quiet moment.
    vi.advanceTimersByTime(COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
    // So a row let go much later is not the rest of that scroll.
    released(RELEASED_ENOUGH / 10);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('leaves what was let go during a stream to the end of that stream', () => {
    streamBegan();
    released(RELEASED_ENOUGH);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
    // Even a stream that only paused collects it then, once.
    streamStopped(false);
    vi.advanceTimersByTime(COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
    streamBegan();
    streamStopped(false);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('owes nothing from a time when there was nothing to collect with', () => {
    delete host.__foxtailCollect;
    released(RELEASED_ENOUGH);
    host.__foxtailCollect = collect as () => void;
    streamBegan();
    streamStopped(false);
    vi.advanceTimersByTime(3 * COLLECT_AFTER_MS);
    expect(collect).not.toHaveBeenCalled();
  });
});
