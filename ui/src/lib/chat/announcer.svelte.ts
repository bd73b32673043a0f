// What the chat's polite live region says while answers are written. A screen reader
// hears a new answer sentence by sentence (or only that it ended, as the person chose),
// never token by token and never the whole answer again; a retry, a reconnection, an
// error, Stop and the end are each said once.
import { plainError } from '../errors';
import { t } from '../messages';
import type { AnnounceMode } from '../preferences.svelte';
import type { ViewMessage } from './answer';
import { nextSentences } from './sentences';

const ENDED = /[.!?…。！？:;]$/;

/** One thing said: a new id each time, so that the same words said twice are heard twice. */
export interface Announcement {
  id: number;
  text: string;
}

interface Heard {
  /** How much of the answer's text was read. */
  announced: number;
  /** The retry last told of (attempt and kind), so each is told once. */
  retry: string | null;
  resumed: boolean;
  /** Its end was told: Stop tells at once, and the backend's own end that follows is not told again. */
  ended: boolean;
}

export class Announcer {
  current: Announcement | null = $state(null);
  #seq = 0;
  #answers = new Map<number, Heard>();

  say(text: string): void {
    if (text) this.current = { id: ++this.#seq, text };
  }

  /** An answer starts (or starts again): what it already holds (a continued answer's text) was heard. */
  start(message: ViewMessage): void {
    this.#answers.set(message.id, { announced: message.text.length, retry: null, resumed: false, ended: false });
  }

  /**
   * Says what is new in an answer shown on screen, after its latest events. An answer
   * first seen mid-way (its conversation reopened) is read from there on.
   */
  follow(message: ViewMessage, mode: AnnounceMode): void {
    let heard = this.#answers.get(message.id);
    if (heard?.ended) return;
    if (!heard) {
      heard = { announced: message.text.length, retry: null, resumed: false, ended: false };
      this.#answers.set(message.id, heard);
    }
    const parts: string[] = [];
    if (mode === 'sentences' && (message.status === 'streaming' || message.status === 'done')) {
      const next = nextSentences(message.text, heard.announced, {
        final: message.status === 'done',
        codeBlock: t('announceCodeBlock'),
      });
      parts.push(...next.sentences);
      heard.announced = next.announced;
    }
    const retry = message.phase === 'retrying' ? message.retry : null;
    if (retry) {
      const key = `${retry.attempt}:${retry.resume}`;
      if (heard.retry !== key) parts.push(t(retry.resume ? 'announceReconnecting' : 'announceRetrying'));
      heard.retry = key;
    }
    if (message.phase === 'resumed' && !heard.resumed) {
      heard.resumed = true;
      parts.push(t('statusResumed'));
    }
    if (message.status !== 'streaming') {
      heard.ended = true;
      parts.push(this.#ending(message));
    }
    // Read together, each part keeps its own pause: a heading or list item has no mark of its own.
    this.say(parts.map((part, i) => (i < parts.length - 1 && !ENDED.test(part) ? `${part}.` : part)).join(' '));
  }

  #ending(message: ViewMessage): string {
    if (message.status === 'done') return t('announceFinished');
    if (message.status === 'interrupted') return message.stopped ? t('announceStopped') : t('cutOff');
    return message.error ? plainError(message.error).text : t('errUnknown');
  }
}
