import { describe, expect, it } from 'vitest';
import type { AnswerExtras, ChatMessage, ToolActivity } from '../contract';
import { applyEvent, fromStored, hasOutput, restart, segments, showExtras } from './answer';

const stored = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 7,
  conversation_id: 1,
  role: 'assistant',
  content: '',
  reasoning: '',
  status: 'streaming',
  error: null,
  model: 'm',
  extras: { refusal: '', tools: [] },
  attachments: [],
  created_at: 0,
  updated_at: 0,
  ...over,
});

describe('an answer as the window shows it', () => {
  it('collects text and reasoning, takes the refusal from Rust, and ends done', () => {
    const m = fromStored(stored());
    expect(hasOutput(m)).toBe(false);
    applyEvent(m, { type: 'reasoning', text: 'Hmm' });
    applyEvent(m, { type: 'text', text: 'Hel' });
    applyEvent(m, { type: 'text', text: 'lo' });
    applyEvent(m, { type: 'refusal', text: 'No.' });
    expect(m.refusal).toBe('');
    showExtras(m, { refusal: 'No.', tools: [] });
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
    const failed = fromStored(stored({ status: 'error', error: { kind: 'rate_limit', message: 'slow down', status: 429 } }));
    expect(failed.error).toEqual({ kind: 'rate_limit', message: 'slow down', status: 429 });
    const stopped = fromStored(stored({ status: 'cancelled', error: { kind: 'cancelled', message: 'Stopped.' } }));
    expect(stopped.error).toBeNull();
  });

  it('shows the cards Rust sends while streaming, and builds none from events', () => {
    const m = fromStored(stored());
    applyEvent(m, { type: 'text', text: 'Let me see.' });
    applyEvent(m, { type: 'tool_call_delta', index: 0, id: 'c1', name: 'calculator', arguments_delta: '{"expr' });
    applyEvent(m, { type: 'tool_call', index: 0, id: 'c1', name: 'calculator', arguments: {}, arguments_raw: '{}' });
    applyEvent(m, { type: 'tool_result', id: 'c1', name: 'calculator', content: '4', is_error: false });
    expect(m.tools).toEqual([]);
    expect(m.phase).toBe('writing');

    const first = card({ id: 'c1', at: 11, arguments: '{"expr', done: false });
    showExtras(m, { refusal: '', tools: [first] });
    expect(m.tools).toEqual([first]);
    expect(hasOutput(fromStored(stored({ extras: { refusal: '', tools: [first] } })))).toBe(true);
    // Each update holds every card as it stands now.
    const done = card({ id: 'c1', at: 11, result: '4' });
    const next = card({ id: 'c2', at: 11, name: 'current_time', done: false });
    showExtras(m, { refusal: '', tools: [done, next] });
    expect(m.tools).toEqual([done, next]);
  });

  it('shows the saved cards and refusal of a reopened answer', () => {
    const tools = [card({ at: 3, result: '4' })];
    const m = fromStored(stored({ status: 'complete', content: 'It is 4.', extras: { refusal: 'No.', tools } }));
    expect(m.refusal).toBe('No.');
    expect(m.tools).toEqual(tools);
    expect(segments(m).map((p) => (p.kind === 'text' ? p.text : `[${p.call.name}]`))).toEqual([
      'It ',
      '[calculator]',
      'is 4.',
    ]);
    // Rust leaves empty parts out of what it sends.
    const bare = fromStored(stored({ content: 'x', extras: {} as AnswerExtras }));
    expect(bare).toMatchObject({ refusal: '', tools: [] });
  });

  it('shows Rust’s notices, replaced by each update and gone when the answer is written again', () => {
    const notice = 'The tools of “Time” were not offered in this answer: the server could not start.';
    const m = fromStored(stored());
    expect(m.notices).toEqual([]);
    showExtras(m, { refusal: '', tools: [], notices: [notice] });
    expect(m.notices).toEqual([notice]);
    // A notice is not the model's output: the answer still waits for its first token.
    expect(hasOutput(m)).toBe(false);
    showExtras(m, { refusal: '', tools: [card()], notices: [notice] });
    expect(m.notices).toEqual([notice]);
    showExtras(m, { refusal: '', tools: [] });
    expect(m.notices).toEqual([]);

    const saved = fromStored(stored({ status: 'complete', content: 'x', extras: { refusal: '', tools: [], notices: [notice] } }));
    expect(saved.notices).toEqual([notice]);
    restart(saved, true);
    expect(saved.notices).toEqual([notice]);
    restart(saved, false);
    expect(saved.notices).toEqual([]);
  });

  it('restarts from scratch or keeps the text to continue', () => {
    const m = fromStored(stored({ status: 'interrupted', content: 'half' }));
    restart(m, true, 5);
    expect(m).toMatchObject({ status: 'streaming', text: 'half', startedAt: 5, phase: 'connecting' });
    restart(m, false);
    expect(m.text).toBe('');
  });

  it('takes its usage from the saved answer or from Rust’s updates, and drops it when written again', () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 5,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost: 0.001,
      cost_source: 'gateway',
      cache_saving: null,
    } as const;
    expect(fromStored(stored()).usage).toBeNull();
    const saved = fromStored(stored({ status: 'complete', extras: { refusal: '', tools: [], usage } }));
    expect(saved.usage).toEqual(usage);
    // An update without usage (a tool card, before the provider reported) says none yet.
    showExtras(saved, { refusal: '', tools: [] });
    expect(saved.usage).toBeNull();
    showExtras(saved, { refusal: '', tools: [], usage });
    restart(saved, true);
    expect(saved.usage).toEqual(usage);
    restart(saved, false);
    expect(saved.usage).toBeNull();
  });

  it('keeps the files the person attached to a message', () => {
    const photo = {
      id: 'p1',
      kind: 'image',
      name: 'photo.png',
      mime: 'image/png',
      width: 800,
      height: 600,
      pages: null,
      tokens: 640,
      original_bytes: 12_000,
    } as const;
    const m = fromStored(stored({ role: 'user', status: 'complete', content: '', attachments: [photo] }));
    expect(m.attachments).toEqual([photo]);
    expect(fromStored(stored()).attachments).toEqual([]);
  });
});

function card(over: Partial<ToolActivity> = {}): ToolActivity {
  return {
    index: 0,
    at: 0,
    id: 'c1',
    name: 'calculator',
    arguments: '{}',
    done: true,
    result: null,
    is_error: false,
    source: '',
    ...over,
  };
}
