import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../language.svelte';
import { applyEvent, fromStored, restart, type ViewMessage } from './answer';
import { Announcer } from './announcer.svelte';

function answer(text = ''): ViewMessage {
  const message = fromStored({
    id: 7,
    role: 'assistant',
    content: text,
    reasoning: '',
    status: 'streaming',
    error: null,
    model: null,
    extras: { refusal: '', tools: [], notices: [], usage: null },
    attachments: [],
  } as unknown as Parameters<typeof fromStored>[0]);
  restart(message, true);
  return message;
}

/** Everything the announcer says while `steps` run, in order. */
function record(announcer: Announcer, steps: (() => void)[]): string[] {
  const said: string[] = [];
  let last = 0;
  for (const step of steps) {
    step();
    const now = announcer.current;
    if (now && now.id !== last) {
      said.push(now.text);
      last = now.id;
    }
  }
  return said;
}

describe('Announcer', () => {
  afterEach(() => setLanguage('en'));

  it('reads complete sentences as they stream, then the rest and the end', () => {
    const announcer = new Announcer();
    const message = answer();
    announcer.start(message);
    const text = (piece: string) => () => {
      applyEvent(message, { type: 'text', text: piece });
      announcer.follow(message, 'sentences');
    };
    const said = record(announcer, [
      text('Hello'),
      text(' there. How'),
      text(' are you'),
      () => {
        applyEvent(message, { type: 'finish', reason: 'stop', raw: 'stop' });
        announcer.follow(message, 'sentences');
      },
      // The same end again (a late update) is not told twice.
      () => announcer.follow(message, 'sentences'),
    ]);
    expect(said).toEqual(['Hello there.', 'How are you. Answer finished.']);
  });

  it('says only the end when asked to, and Stop once', () => {
    const announcer = new Announcer();
    const message = answer();
    announcer.start(message);
    const said = record(announcer, [
      () => {
        applyEvent(message, { type: 'text', text: 'One. Two. ' });
        announcer.follow(message, 'end');
      },
      () => {
        message.status = 'interrupted';
        message.stopped = true;
        announcer.follow(message, 'end');
      },
      () => {
        applyEvent(message, { type: 'error', kind: 'cancelled', message: 'stopped' });
        announcer.follow(message, 'end');
      },
    ]);
    expect(said).toEqual(['Answer stopped.']);
  });

  it('does not read again what a continued answer already held', () => {
    const announcer = new Announcer();
    const message = answer('Half an ans');
    announcer.start(message);
    applyEvent(message, { type: 'text', text: 'wer. Then more. ' });
    announcer.follow(message, 'sentences');
    expect(announcer.current?.text).toBe('wer. Then more.');
  });

  it('tells a retry, a reconnection and a failure once each, in the window’s language', () => {
    setLanguage('ko');
    const announcer = new Announcer();
    const message = answer();
    announcer.start(message);
    const event = (e: Parameters<typeof applyEvent>[1]) => () => {
      applyEvent(message, e);
      announcer.follow(message, 'sentences');
    };
    const said = record(announcer, [
      event({ type: 'retry', attempt: 1, max_attempts: 2, delay_ms: 100, reason: 'reset', resume: true }),
      () => announcer.follow(message, 'sentences'),
      event({ type: 'text', text: '안녕' }),
      event({ type: 'text', text: '하세요' }),
      event({ type: 'error', kind: 'server', message: 'HTTP 500', status: 500 }),
    ]);
    expect(said).toEqual(['연결이 끊겼습니다. 다시 연결합니다.', '다시 연결되어 이어서 작성합니다.', expect.stringContaining('서비스')]);
  });
});
