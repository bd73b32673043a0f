// The open conversation and the list beside it. Answers stream in through channels and
// are written into the message objects shown; an answer that keeps streaming while
// another conversation is open is found again when its conversation is reopened.
import { tick } from 'svelte';
import * as backend from '../backend';
import {
  asBackendError,
  endsStream,
  type AnswerUsage,
  type AttachmentUse,
  type BackendError,
  type ChatStart,
  type ChatMessage,
  type ConversationSummary,
  type ErrorReport,
  type PageAt,
  type Settings,
  type StreamUpdate,
} from '../backend';
import { applyEvent, fromStored, restart, showExtras, type ViewMessage } from './answer';
import { Announcer } from './announcer.svelte';
import { AttachmentTray } from './attachmentTray.svelte';
import { t } from '../messages';
import { reading } from '../preferences.svelte';

const NOTHING_CHOSEN: ChatStart = { provider: null, model: null, assistant: null };

export class ChatSession {
  conversationId: number | null = $state(null);
  messages: ViewMessage[] = $state([]);
  conversations: ConversationSummary[] = $state([]);
  /** The open conversation goes on before or after the messages loaded (it loads in
   * pages, so a long one opens at once). */
  moreBefore = $state(false);
  moreAfter = $state(false);
  /** Older messages are being put in front: the list keeps what is on screen in place. */
  prepending = $state(false);
  /** A message to bring into view once shown (a search hit), until the list has. */
  target: number | null = $state(null);
  /** Counts the times the list should go to its end and follow: a conversation opened,
   * a message sent. */
  toEnd = $state(0);
  /** A failure that belongs to no answer: no key, a bad setting, a lost conversation. */
  notice: BackendError | null = $state(null);
  /** Why the answer being written could not be saved yet; it stays on screen meanwhile. */
  saveFailure: ErrorReport | null = $state(null);
  /** What the list's live region tells a screen reader as answers are written. */
  readonly announcer = new Announcer();
  /** What is typed in the composer and not sent yet; it survives switching views. */
  draft = $state('');
  /** The files attached in the composer and not sent yet; they survive switching views too. */
  readonly tray = new AttachmentTray();
  /** What a new chat talks to: the picker's choice and an assistant. Nulls leave it to
   * the settings; an open conversation keeps its own, whatever this says. */
  start: ChatStart = $state({ ...NOTHING_CHOSEN });
  /** A summary of the open conversation is being written, to start a new chat from. */
  summarizing = $state(false);
  summaryError: BackendError | null = $state(null);
  // A request on its way to the backend, or an answer still live (stopped ones until
  // their end arrives): nothing else may start meanwhile, or two streams would write
  // into one answer.
  #starting = $state(false);
  #liveCount = $state(0);

  // Answers still streaming, by message id, so Stop and a reopened conversation reach
  // the same object the channel writes into.
  #live = new Map<number, ViewMessage>();
  // A page being read: scrolling asks many times, one read at a time answers.
  #paging = false;
  // Every answer's usage as saved, loaded or not, for the conversation's running total.
  #savedUsage = $state.raw(new Map<number, AnswerUsage>());

  /** The usage of every answer of the open conversation: the loaded ones as they stand
   * (one may be streaming), the rest as saved. */
  get usages(): (AnswerUsage | null)[] {
    const loaded = new Set(this.messages.map((m) => m.id));
    const rest = [...this.#savedUsage].filter(([id]) => !loaded.has(id)).map(([, usage]) => usage);
    return [...rest, ...this.messages.map((m) => m.usage)];
  }

  get streaming(): ViewMessage | undefined {
    return this.messages.find((m) => m.status === 'streaming');
  }

  /** Something is being started or written: regenerate, continue and send wait. */
  get busy(): boolean {
    return this.#starting || this.#liveCount > 0 || !!this.streaming;
  }

  /** `listed`: the list already asked for (the first screen's, lib/startup.ts). */
  async refreshList(listed = backend.listConversations()): Promise<void> {
    try {
      this.conversations = await listed;
    } catch (err) {
      this.notice = asBackendError(err);
    }
  }

  newChat(keepFiles = false): void {
    this.conversationId = null;
    this.#showPage([], false, false);
    this.#savedUsage = new Map();
    this.notice = null;
    this.saveFailure = null;
    this.summaryError = null;
    this.draft = '';
    this.start = { ...NOTHING_CHOSEN };
    if (!keepFiles) this.tray.clear();
  }

  /** The open conversation as the list has it (its provider, model and assistant). */
  get current(): ConversationSummary | undefined {
    return this.conversations.find((c) => c.id === this.conversationId);
  }

  /**
   * Picks a model in the header. Rust saves it for the open conversation, as the
   * default for new chats, and as the most recent; a new chat also sends it as its
   * start. Resolves to the settings as saved, or null when it was refused.
   */
  async chooseModel(provider: string, model: string): Promise<Settings | null> {
    const asked = this.conversationId;
    try {
      const saved = await backend.chooseModel(asked, provider, model);
      if (asked === null) {
        if (this.conversationId === null) this.start = { ...this.start, provider, model };
      } else {
        const conversation = this.conversations.find((c) => c.id === asked);
        if (conversation) Object.assign(conversation, { provider, model });
      }
      return saved;
    } catch (err) {
      this.notice = asBackendError(err);
      return null;
    }
  }

  /** The next new chat starts with this assistant, and with its model when it has one;
   * null takes the assistant off again. */
  useAssistant(assistant: { id: string; model: { provider: string; model: string } | null } | null): void {
    if (this.conversationId !== null) this.newChat();
    if (!assistant) {
      this.start = { ...this.start, assistant: null };
      return;
    }
    const model = assistant.model;
    this.start = model
      ? { provider: model.provider, model: model.model, assistant: assistant.id }
      : { ...this.start, assistant: assistant.id };
  }

  /**
   * Sums up the open conversation and opens a new chat with the summary in the
   * composer, after a lead-in, for the person to read and edit before sending. The new
   * chat keeps the conversation's model and assistant, and what was being typed.
   */
  async summarizeIntoNewChat(): Promise<boolean> {
    const asked = this.conversationId;
    if (asked === null || this.summarizing) return false;
    this.summarizing = true;
    this.summaryError = null;
    try {
      const summary = await backend.summarizeConversation(asked);
      // The person went elsewhere meanwhile: their view is left as it is.
      if (this.conversationId !== asked) return false;
      const from = this.current;
      const typed = this.draft.trim();
      this.newChat(true);
      this.start = { provider: from?.provider ?? null, model: from?.model ?? null, assistant: from?.assistant ?? null };
      this.draft = [t('summaryLead'), summary.trim(), typed].filter(Boolean).join('\n\n');
      this.announcer.say(t('contextSummaryReady'));
      return true;
    } catch (err) {
      if (this.conversationId === asked) this.summaryError = asBackendError(err);
      return false;
    } finally {
      this.summarizing = false;
    }
  }

  /** Opens a conversation at its end, or around `messageId` (a search hit). */
  async open(conversationId: number, messageId: number | null = null): Promise<void> {
    try {
      const at: PageAt = messageId === null ? { at: 'latest' } : { at: 'around', message_id: messageId };
      const page = await backend.conversationPage(conversationId, at);
      this.conversationId = conversationId;
      this.notice = null;
      this.summaryError = null;
      this.start = { ...NOTHING_CHOSEN };
      this.#showPage(page.messages, page.more_before, page.more_after);
      this.#keepUsages(page);
      this.target = messageId;
      if (messageId === null) this.toEnd++;
    } catch (err) {
      this.notice = asBackendError(err);
    }
  }

  /** Reads the page before the first message shown, once the reader nears it. */
  async loadOlder(): Promise<void> {
    const first = this.messages[0];
    if (!this.moreBefore || !first) return;
    await this.#readPage({ at: 'before', message_id: first.id }, (page) => {
      this.prepending = true;
      this.messages.unshift(...page.messages.map((m) => this.#shown(m)));
      this.moreBefore = page.more_before;
    });
    this.#repointLive();
    await tick();
    this.prepending = false;
  }

  /** Reads the page after the last message shown (opened at a search hit). */
  async loadNewer(): Promise<void> {
    const last = this.messages.at(-1);
    if (!this.moreAfter || !last) return;
    await this.#readPage({ at: 'after', message_id: last.id }, (page) => {
      this.messages.push(...page.messages.map((m) => this.#shown(m)));
      this.moreAfter = page.more_after;
    });
    this.#repointLive();
  }

  /** Loads the conversation's end when a page around a search hit was shown, so a
   * new message goes after the last one. */
  async #toLatest(): Promise<void> {
    if (this.conversationId !== null && this.moreAfter) await this.open(this.conversationId);
  }

  async #readPage(at: PageAt, show: (page: backend.ConversationPage) => void): Promise<void> {
    const asked = this.conversationId;
    if (asked === null || this.#paging) return;
    this.#paging = true;
    try {
      const page = await backend.conversationPage(asked, at);
      if (this.conversationId !== asked) return;
      show(page);
      this.#keepUsages(page);
    } catch (err) {
      this.notice = asBackendError(err);
    } finally {
      this.#paging = false;
    }
  }

  #keepUsages(page: backend.ConversationPage): void {
    this.#savedUsage = new Map(page.usages.map((u) => [u.message_id, u.usage]));
  }

  #showPage(messages: ChatMessage[], moreBefore: boolean, moreAfter: boolean): void {
    this.prepending = false;
    this.target = null;
    this.messages = messages.map((m) => this.#shown(m));
    this.moreBefore = moreBefore;
    this.moreAfter = moreAfter;
    this.#repointLive();
  }

  /** A stored message as shown: an answer still streaming is the object its channel writes into. */
  #shown(message: ChatMessage): ViewMessage {
    return this.#live.get(message.id) ?? fromStored(message);
  }

  // Re-points the live answers at the proxies now in the list.
  #repointLive(): void {
    if (this.#live.size === 0) return;
    for (const message of this.messages) {
      if (this.#live.has(message.id)) this.#live.set(message.id, message);
    }
  }

  #onUpdate(answerId: number): (update: StreamUpdate) => void {
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
      // An answer written in a conversation not open is heard when it is opened again.
      if (this.messages.some((m) => m.id === answerId)) this.announcer.follow(message, reading.announce);
      if (endsStream(update)) {
        this.#live.delete(answerId);
        this.#liveCount = this.#live.size;
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
    this.announcer.start(live);
    this.#liveCount = this.#live.size;
    return live;
  }

  /** Sends a message with its attachments; false when it was refused (nothing is lost then). */
  async send(text: string, attachments: readonly AttachmentUse[] = [], replaceFrom: number | null = null): Promise<boolean> {
    if (this.busy) return false;
    this.notice = null;
    this.saveFailure = null;
    this.#starting = true;
    if (replaceFrom === null) await this.#toLatest();
    const asked = this.conversationId;
    // The channel may deliver before invoke resolves; updates wait for the id.
    const early: StreamUpdate[] = [];
    let answerId: number | null = null;
    const onUpdate = (update: StreamUpdate) => {
      if (answerId === null) early.push(update);
      else this.#onUpdate(answerId)(update);
    };
    try {
      const uses = attachments.length ? [...attachments] : null;
      // Read only for a new chat; nothing chosen leaves it all to the settings.
      const chosen = Object.values(this.start).some((v) => v !== null);
      const start = asked === null && chosen ? { ...this.start } : null;
      const turn = await backend.sendMessage(asked, text, uses, replaceFrom, start, onUpdate);
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
      // An edit cuts the conversation there: nothing after it is left to read.
      if (replaceFrom !== null) this.moreAfter = false;
      const answer = fromStored(turn.answer);
      restart(answer, false);
      this.#track(answer);
      this.toEnd++;
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
    const early: StreamUpdate[] = [];
    let ready = false;
    const onUpdate = (update: StreamUpdate) => {
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
    // The answer shows as stopped when the backend's `cancelled` event comes, a frame or
    // two later: it comes after the text that reached the backend before the Stop, which
    // is kept, so nothing is added to an answer once it shows as stopped.
    message.retry = null;
    let cancelling = false;
    try {
      cancelling = await backend.stopAnswer(message.id);
    } catch (err) {
      this.notice = asBackendError(err);
    }
    // No run to cancel (or the call failed): no `cancelled` event will come, so it is
    // shown as stopped now, unless its own end came meanwhile.
    if (!cancelling && message.status === 'streaming') {
      message.status = 'interrupted';
      message.stopped = true;
      this.announcer.follow(message, reading.announce);
    }
  }
}
