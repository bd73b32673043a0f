import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../backend';
import { applyEvent, fromStored, hasOutput, restart, segments } from './answer';

const stored = (over: Partial<StoredMessage> = {}): StoredMessage => ({
  id: 7,
  conversation_id: 1,
  role: 'assistant',
  content: '',
  reasoning: '',
  status: 'streaming',
  error: null,
  model: 'm',
  extras: '',
  created_at: 0,
  updated_at: 0,
  ...over,
});

describe('an answer as the window shows it', () => {
  it('collects text, reasoning and refusals and ends done', () => {
    const m = fromStored(stored());
    expect(hasOutput(m)).toBe(false);
    applyEvent(m, { type: 'reasoning', text: 'Hmm' });
    applyEvent(m, { type: 'text', text: 'Hel' });
    applyEvent(m, { type: 'text', text: 'lo' });
    applyEvent(m, { type: 'refusal', text: 'No.' });
    applyEvent(m, { type: 'finish', reason: 'stop', raw: 'stop' });
    expect(m).toMatchObject({ text: 'Hello', reasoning: 'Hmm', refusal: 'No.', status: 'done', finishNote: null });
  });

  it('notes a length finish, and a retry notice ends with the next output', () => {
    const m = fromStored(stored());
    applyEvent(m, { type: 'retry', attempt: 1, max_attempts: 3, delay_ms: 2000, reason: 'busy', resume: false }, 1000);
    expect(m.phase).toBe('retrying');
    expect(m.retry).toEqual({ attempt: 1, maxAttempts: 3, until: 3000, resume: false });
    applyEvent(m, { type: 'text', text: 'x' });
    expect(m.phase).toBe('writing');
    expect(m.retry).toBeNull();
    applyEvent(m, { type: 'finish', reason: 'length', raw: 'max_tokens' });
    expect(m.finishNote).toBe('length');
  });

  it('says "reconnected" after a resume until the answer ends', () => {
    const m = fromStored(stored());
    applyEvent(m, { type: 'text', text: 'a' });
    applyEvent(m, { type: 'retry', attempt: 1, max_attempts: 2, delay_ms: 10, reason: 'reset', resume: true });
    applyEvent(m, { type: 'text', text: 'b' });
    expect(m.phase).toBe('resumed');
    applyEvent(m, { type: 'text', text: 'c' });
    expect(m.phase).toBe('resumed');
  });

  it('tells a stop from a cut and from a failure', () => {
    const stopped = fromStored(stored({ content: 'part' }));
    applyEvent(stopped, { type: 'error', kind: 'cancelled', message: 'Cancelled.' });
    expect(stopped).toMatchObject({ status: 'interrupted', stopped: true, error: null, text: 'part' });

    const cut = fromStored(stored());
    applyEvent(cut, { type: 'error', kind: 'interrupted', message: 'dropped' });
    expect(cut).toMatchObject({ status: 'interrupted', stopped: false, error: { kind: 'interrupted' } });

    const failed = fromStored(stored());
    applyEvent(failed, { type: 'error', kind: 'auth', message: 'bad key', status: 401 });
    expect(failed).toMatchObject({ status: 'error', error: { kind: 'auth', message: 'bad key', status: 401 } });
  });

  it('reads saved answers back with their state', () => {
    expect(fromStored(stored({ status: 'complete', content: 'x' })).status).toBe('done');
    expect(fromStored(stored({ status: 'cancelled' }))).toMatchObject({ status: 'interrupted', stopped: true });
    const failed = fromStored(stored({ status: 'error', error: '{"kind":"rate_limit","message":"slow down"}' }));
    expect(failed.error).toEqual({ kind: 'rate_limit', message: 'slow down' });
  });

  it('streams tool calls into cards', () => {
    const m = fromStored(stored());
    applyEvent(m, { type: 'tool_call_delta', index: 0, id: 'c1', name: 'calculator', arguments_delta: '{"expr' });
    applyEvent(m, { type: 'tool_call_delta', index: 0, arguments_delta: '":"2+2"}' });
    expect(m.toolCalls).toEqual([
      { index: 0, at: 0, id: 'c1', name: 'calculator', arguments: '{"expr":"2+2"}', done: false, result: null, isError: false },
    ]);
    applyEvent(m, { type: 'tool_call', index: 0, id: 'c1', name: 'calculator', arguments: { expr: '2+2' }, arguments_raw: '{"expr":"2+2"}' });
    expect(m.toolCalls[0]!.done).toBe(true);
    applyEvent(m, { type: 'tool_result', id: 'c1', name: 'calculator', content: '4', is_error: false });
    expect(m.toolCalls[0]!.result).toBe('4');
    // The next model turn counts its calls from 0 again: a new card, not the old one.
    applyEvent(m, { type: 'tool_call_delta', index: 0, id: 'c2', name: 'current_time', arguments_delta: '{}' });
    expect(m.toolCalls.map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('shows the saved cards and refusal of a reopened answer', () => {
    const extras = JSON.stringify({
      refusal: 'No.',
      tools: [{ index: 0, at: 3, id: 'c1', name: 'calculator', arguments: '{}', done: true, result: '4', is_error: false }],
    });
    const m = fromStored(stored({ status: 'complete', content: 'It is 4.', extras }));
    expect(m.refusal).toBe('No.');
    expect(m.toolCalls).toEqual([
      { index: 0, at: 3, id: 'c1', name: 'calculator', arguments: '{}', done: true, result: '4', isError: false },
    ]);
    expect(segments(m).map((p) => (p.kind === 'text' ? p.text : `[${p.call.name}]`))).toEqual([
      'It ',
      '[calculator]',
      'is 4.',
    ]);
    expect(fromStored(stored({ extras: '{broken' })).toolCalls).toEqual([]);
  });

  it('restarts from scratch or keeps the text to continue', () => {
    const m = fromStored(stored({ status: 'interrupted', content: 'half' }));
    restart(m, true, 5);
    expect(m).toMatchObject({ status: 'streaming', text: 'half', startedAt: 5, phase: 'connecting' });
    restart(m, false);
    expect(m.text).toBe('');
  });
});
