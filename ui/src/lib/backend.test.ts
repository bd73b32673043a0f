import type { Channel } from '@tauri-apps/api/core';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeWindow, endsStream, joinUpdates, openDocument, saveDocumentPending, saveTyping, sendMessage } from './backend';

/** Typing saved whole, as after a refused edit. */
const saveDocument = (id: number, text: string) => saveTyping(id, { edit: () => 'whole', whole: () => text, failed: () => {} });
import type { Update } from './contract';

const text = (t: string): Update => ({ type: 'events', events: [{ type: 'text', text: t }] });

describe('the end of a stream', () => {
  it('is an update that carries a finish or an error, nothing else', () => {
    expect(endsStream({ type: 'events', events: [{ type: 'text', text: 'a' }, { type: 'finish', reason: 'stop', raw: 'stop' }] })).toBe(true);
    expect(endsStream({ type: 'events', events: [{ type: 'error', kind: 'network', message: 'cut' }] })).toBe(true);
    expect(endsStream(text('finish'))).toBe(false);
    expect(endsStream({ type: 'pending', outbox: 1 })).toBe(false);
  });
});

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

describe('document calls', () => {
  afterEach(() => clearMocks());

  it('go one at a time, in the order they were made, even past a failure', async () => {
    const sent: { cmd: string; text: string }[] = [];
    const answer: ((fail: boolean) => void)[] = [];
    mockIPC((cmd, payload) => {
      const text = ArrayBuffer.isView(payload) ? new TextDecoder().decode(payload) : JSON.stringify(payload);
      sent.push({ cmd, text });
      return new Promise((resolve, reject) =>
        answer.push((fail) => (fail ? reject({ kind: 'disk_full', message: 'full' }) : resolve(cmd === 'open_document' ? { content: 'two' } : null))),
      );
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve));
    const first = saveDocument(7, '회의 one');
    const second = saveDocument(7, 'two');
    const pending = saveDocumentPending(7, () => '{}');
    const opened = openDocument(7);
    await settle();
    // The second save is not sent while the first may still be writing.
    expect(sent).toEqual([{ cmd: 'save_document', text: '회의 one' }]);
    answer[0]!(true);
    await expect(first).rejects.toEqual({ kind: 'disk_full', message: 'full' });
    await settle();
    expect(sent.map((s) => s.cmd)).toEqual(['save_document', 'save_document']);
    expect(sent[1]!.text).toBe('two');
    answer[1]!(false);
    await second;
    await settle();
    expect(sent.map((s) => s.cmd)).toEqual(['save_document', 'save_document', 'save_document_pending']);
    answer[2]!(false);
    await pending;
    await settle();
    // A document is read back only after the writes asked for before it.
    expect(sent.at(-1)!.cmd).toBe('open_document');
    answer[3]!(false);
    expect(await opened).toEqual({ content: 'two' });
  });

  it('closes the window only after a save already on its way is answered', async () => {
    const sent: string[] = [];
    let answerSave: () => void = () => {};
    mockIPC((cmd) => {
      sent.push(cmd);
      if (cmd === 'save_document') return new Promise((resolve) => (answerSave = () => resolve(null)));
      return null;
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve));
    const saved = saveDocument(7, 'the last words');
    const closed = closeWindow();
    await settle();
    expect(sent).toEqual(['save_document']);
    answerSave();
    await saved;
    await closed;
    expect(sent).toEqual(['save_document', 'close_window']);
  });

  it('take the typing when its turn comes, and save it whole in that turn when the edit is refused', async () => {
    const sent: { cmd: string; text: string }[] = [];
    let refuse = true;
    let answerFirst: () => void = () => {};
    mockIPC((cmd, payload) => {
      const text = ArrayBuffer.isView(payload) ? new TextDecoder().decode(payload) : JSON.stringify(payload);
      sent.push({ cmd, text });
      if (cmd === 'save_document_pending') return new Promise((resolve) => (answerFirst = () => resolve(null)));
      if (cmd === 'edit_document') return !refuse;
      return null;
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve));
    let typed = 'a';
    const taken: string[] = [];
    const typing = {
      edit: () => {
        taken.push(typed);
        return { from: 0, to: 0, length: 0, text: typed };
      },
      whole: () => `whole ${typed}`,
      failed: () => {},
    };
    const pending = saveDocumentPending(7, () => '{}');
    const saved = saveTyping(7, typing);
    const closed = closeWindow();
    typed = 'ab';
    await settle();
    expect(taken, 'not taken while the call before it is unanswered').toEqual([]);
    answerFirst();
    await pending;
    expect(await saved).toBe(true);
    await closed;
    expect(taken).toEqual(['ab']);
    expect(sent.map((s) => s.cmd)).toEqual(['save_document_pending', 'edit_document', 'save_document', 'close_window']);
    expect(sent[2]!.text).toBe('whole ab');

    refuse = false;
    sent.length = 0;
    expect(await saveTyping(7, typing)).toBe(true);
    expect(sent.map((s) => s.cmd), 'an edit taken needs nothing more').toEqual(['edit_document']);
    expect(await saveTyping(7, { edit: () => null, whole: () => 'never', failed: () => {} })).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('takes the pending change in its turn, after the typing saved before it, and sends nothing when told to skip', async () => {
    const sent: string[] = [];
    mockIPC((cmd) => {
      sent.push(cmd);
      if (cmd === 'save_document') throw { kind: 'disk_full', message: 'No space left on device' };
      return null;
    });
    let typingFailed = false;
    const typing = saveTyping(7, { edit: () => 'whole', whole: () => 'text', failed: () => (typingFailed = true) });
    // Asked for before the typing's save fails; decided after it.
    const cleared = saveDocumentPending(7, () => (typingFailed ? null : ''));
    await expect(typing).rejects.toMatchObject({ kind: 'disk_full' });
    expect(await cleared).toBe(false);
    expect(sent).toEqual(['save_document']);
    expect(await saveDocumentPending(7, () => '{}')).toBe(true);
    expect(sent).toEqual(['save_document', 'save_document_pending']);
  });

  it('says a save failed in its turn, so that the save queued after it goes whole', async () => {
    const sent: string[] = [];
    mockIPC((cmd) => {
      sent.push(cmd);
      if (cmd === 'edit_document' && sent.length === 1) throw { kind: 'disk_full', message: 'No space left on device' };
      return cmd === 'edit_document' ? true : null;
    });
    let wholeNext = false;
    const typing = {
      edit: () => (wholeNext ? ('whole' as const) : { from: 0, to: 0, length: 0, text: 'a' }),
      whole: () => {
        wholeNext = false;
        return 'a';
      },
      failed: () => (wholeNext = true),
    };
    const first = saveTyping(7, typing);
    // Queued before the first one fails: it is taken only in its turn, after the failure.
    const second = saveTyping(7, typing);
    await expect(first).rejects.toMatchObject({ kind: 'disk_full' });
    expect(await second).toBe(true);
    expect(sent).toEqual(['edit_document', 'save_document']);
    expect(wholeNext).toBe(false);
  });
});

describe('a streaming answer', () => {
  afterEach(() => {
    clearMocks();
    vi.useRealTimers();
  });

  it('is taken every other frame while updates keep coming, and every update reaches the window in order', async () => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'setTimeout', 'clearTimeout'] });
    let takes = 0;
    let onUpdate: Channel<Update> | undefined;
    mockIPC((cmd, payload) => {
      const args = payload as Record<string, unknown>;
      if (cmd === 'send_message') {
        onUpdate = args.onUpdate as Channel<Update>;
        return { conversation_id: 1, user_message_id: 1, answer_id: 2 };
      }
      if (cmd === 'take_updates') {
        takes += 1;
        return takes < 20 ? [text(`${takes} `)] : [{ type: 'events', events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }];
      }
      throw new Error(`unexpected ${cmd}`);
    });
    let shown = '';
    void sendMessage(null, 'hi', null, null, null, (update) => {
      if (update.type === 'events') for (const e of update.events) if (e.type === 'text') shown += e.text;
    });
    await vi.waitFor(() => expect(onUpdate).toBeDefined());
    onUpdate!.onmessage({ type: 'pending', outbox: 1 });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    await settle();
    expect(takes).toBe(1);
    for (let frame = 1; frame <= 10; frame++) {
      vi.advanceTimersToNextFrame();
      await settle();
      // One take at once, then one every other frame.
      expect(takes, `after frame ${frame}`).toBe(1 + Math.floor(frame / 2));
    }
    for (let frame = 0; frame < 40; frame++) {
      vi.advanceTimersToNextFrame();
      await settle();
    }
    expect(takes).toBe(20);
    expect(shown).toBe(Array.from({ length: 19 }, (_, i) => `${i + 1} `).join(''));
  });
});
