// The open conversation and the list beside it. Answers stream in through channels and
// are written into the message objects shown; an answer that keeps streaming while
// another conversation is open is found again when its conversation is reopened.
import * as backend from '../backend';
import {
  asBackendError,
  type AttachmentUse,
  type BackendError,
  type ConversationSummary,
  type ErrorReport,
  type Update,
} from '../backend';
import { applyEvent, fromStored, restart, showExtras, type ViewMessage } from './answer';
import { AttachmentTray } from './attachmentTray.svelte';

export class ChatSession {
  conversationId: number | null = $state(null);
  messages: ViewMessage[] = $state([]);
  conversations: ConversationSummary[] = $state([]);
  /** A failure that belongs to no answer: no key, a bad setting, a lost conversation. */
  notice: BackendError | null = $state(null);
  /** Why the answer being written could not be saved yet; it stays on screen meanwhile. */
  saveFailure: ErrorReport | null = $state(null);
  /** Set once a finished answer should be read out by a screen reader. */
  announcement = $state('');
  /** What is typed in the composer and not sent yet; it survives switching views. */
  draft = $state('');
  /** The files attached in the composer and not sent yet; they survive switching views too. */
  readonly tray = new AttachmentTray();
  // A request on its way to the backend, or an answer still live (stopped ones until
  // their end arrives): nothing else may start meanwhile, or two streams would write
  // into one answer.
  #starting = $state(false);
  #liveCount = $state(0);

  // Answers still streaming, by message id, so Stop and a reopened conversation reach
  // the same object the channel writes into.
  #live = new Map<number, ViewMessage>();

  get streaming(): ViewMessage | undefined {
    return this.messages.find((m) => m.status === 'streaming');
  }

  /** Something is being started or written: regenerate, continue and send wait. */
  get busy(): boolean {
    return this.#starting || this.#liveCount > 0 || !!this.streaming;
  }

  async refreshList(): Promise<void> {
    try {
      this.conversations = await backend.listConversations();
    } catch (err) {
      this.notice = asBackendError(err);
    }
  }

  newChat(): void {
    this.conversationId = null;
    this.messages = [];
    this.notice = null;
    this.saveFailure = null;
    this.draft = '';
    this.tray.clear();
  }

  async open(conversationId: number): Promise<void> {
    try {
      const stored = await backend.conversationMessages(conversationId);
      this.conversationId = conversationId;
      this.notice = null;
      this.messages = stored.map((m) => this.#live.get(m.id) ?? fromStored(m));
      // Re-point the live answers at the proxies now in the list.
      for (const message of this.messages) {
        if (this.#live.has(message.id)) this.#live.set(message.id, message);
      }
    } catch (err) {
      this.notice = asBackendError(err);
    }
  }

  #onUpdate(answerId: number): (update: Update) => void {
    return (update) => {
      if (update.type === 'save_failed') {
        this.saveFailure = { kind: update.kind, message: update.message };
        return;
      }
      const message = this.#live.get(answerId);
      if (!message) return;
      if (update.type === 'extras') {
        showExtras(message, update.extras);
        return;
      }
      for (const event of update.events) applyEvent(message, event);
      if (update.events.some((e) => e.type === 'finish' || e.type === 'error')) {
        this.#live.delete(answerId);
        this.#liveCount = this.#live.size;
        if (message.status === 'done') this.announcement = message.text;
        void this.refreshList();
      }
    };
  }

  /** Adds the answer to the list and returns the reactive object the list holds. */
  #track(message: ViewMessage): ViewMessage {
    const index = this.messages.findIndex((m) => m.id === message.id);
    if (index >= 0) this.messages[index] = message;
    else this.messages.push(message);
    const live = this.messages.find((m) => m.id === message.id)!;
    this.#live.set(live.id, live);
    this.#liveCount = this.#live.size;
    return live;
  }

  /** Sends a message with its attachments; false when it was refused (nothing is lost then). */
  async send(text: string, attachments: readonly AttachmentUse[] = [], replaceFrom: number | null = null): Promise<boolean> {
    if (this.busy) return false;
    this.notice = null;
    this.saveFailure = null;
    this.#starting = true;
    const asked = this.conversationId;
    // The channel may deliver before invoke resolves; updates wait for the id.
    const early: Update[] = [];
    let answerId: number | null = null;
    const onUpdate = (update: Update) => {
      if (answerId === null) early.push(update);
      else this.#onUpdate(answerId)(update);
    };
    try {
      const uses = attachments.length ? [...attachments] : null;
      const turn = await backend.sendMessage(asked, text, uses, replaceFrom, onUpdate);
      void this.refreshList();
      // The person moved on (a new chat, another conversation) while this started: the
      // answer is written and saved there, and shown when that conversation reopens;
      // this view stays as it is.
      if (this.conversationId !== asked) {
        const answer = fromStored(turn.answer);
        restart(answer, false);
        this.#live.set(answer.id, answer);
        this.#liveCount = this.#live.size;
        answerId = turn.answer.id;
        for (const update of early) this.#onUpdate(turn.answer.id)(update);
        return true;
      }
      this.conversationId = turn.conversation_id;
      if (replaceFrom !== null) {
        const cut = this.messages.findIndex((m) => m.id === replaceFrom);
        if (cut >= 0) this.messages.splice(cut);
      }
      if (turn.user_message) this.messages.push(fromStored(turn.user_message));
      const answer = fromStored(turn.answer);
      restart(answer, false);
      this.#track(answer);
      answerId = turn.answer.id;
      for (const update of early) this.#onUpdate(turn.answer.id)(update);
      return true;
    } catch (err) {
      this.notice = asBackendError(err);
      return false;
    } finally {
      this.#starting = false;
    }
  }

  async #rewrite(answerId: number, keepText: boolean): Promise<void> {
    if (this.busy) return;
    const message = this.messages.find((m) => m.id === answerId);
    if (!message) return;
    this.notice = null;
    this.saveFailure = null;
    this.#starting = true;
    const asked = this.conversationId;
    const early: Update[] = [];
    let ready = false;
    const onUpdate = (update: Update) => {
      if (!ready) early.push(update);
      else this.#onUpdate(answerId)(update);
    };
    try {
      const call = keepText ? backend.continueAnswer : backend.regenerateAnswer;
      await call(answerId, onUpdate);
      // Shown again only if its conversation is still the one open.
      if (this.conversationId === asked) {
        restart(message, keepText);
        this.#track(message);
      }
      ready = true;
      for (const update of early) this.#onUpdate(answerId)(update);
    } catch (err) {
      this.notice = asBackendError(err);
    } finally {
      this.#starting = false;
    }
  }

  regenerate(answerId: number): Promise<void> {
    return this.#rewrite(answerId, false);
  }

  continueAnswer(answerId: number): Promise<void> {
    return this.#rewrite(answerId, true);
  }

  /** Edit-and-resend: the user message and everything after it are replaced. The edited
   * message carries the attachments given (the old ones, less any the person removed). */
  editAndResend(userMessageId: number, text: string, attachments: readonly AttachmentUse[]): Promise<boolean> {
    return this.send(text, attachments, userMessageId);
  }

  async stop(): Promise<void> {
    const message = this.streaming;
    if (!message) return;
    // The answer shows as stopped at once; the backend's `cancelled` event agrees.
    message.status = 'interrupted';
    message.stopped = true;
    message.retry = null;
    try {
      await backend.stopAnswer(message.id);
    } catch (err) {
      this.notice = asBackendError(err);
    }
  }
}
