// Every string the window shows comes from this catalogue, so a language is one table.
const en = {
  appName: 'Foxtail',
  newChat: 'New chat',
  chats: 'Chats',
  noChats: 'No conversations yet.',
  emptyTitle: 'What shall we talk about?',
  emptyHint: 'Type a message below. Enter sends, Shift+Enter starts a new line.',
  composerLabel: 'Message',
  composerPlaceholder: 'Ask anything…',
  send: 'Send',
  you: 'You',
  notConnected: 'Answers are not connected yet: this build shows the layout only.',
  settingsRecovered:
    'Your settings file could not be read, so Foxtail started with default settings. The old file was kept at {path}.',
  backendUnavailable: 'Foxtail’s background service did not answer. Restart the app.',
  markdownCopyCode: 'Copy code',
  markdownCopied: 'Copied',
  markdownShowImage: 'Show image from {host}',
  markdownImageLoading: 'Loading image…',
  markdownImageFailed: 'Could not load the image from {host}. Try again',
} as const;

export type MessageKey = keyof typeof en;
type Catalogue = Record<MessageKey, string>;

const ko: Catalogue = {
  appName: 'Foxtail',
  newChat: '새 대화',
  chats: '대화',
  noChats: '아직 대화가 없습니다.',
  emptyTitle: '무엇에 대해 이야기할까요?',
  emptyHint: '아래에 메시지를 입력하세요. Enter는 보내기, Shift+Enter는 줄바꿈입니다.',
  composerLabel: '메시지',
  composerPlaceholder: '무엇이든 물어보세요…',
  send: '보내기',
  you: '나',
  notConnected: '아직 답변이 연결되지 않았습니다. 이 빌드는 화면 구성만 보여 줍니다.',
  settingsRecovered:
    '설정 파일을 읽을 수 없어 기본 설정으로 시작했습니다. 이전 파일은 {path}에 보관했습니다.',
  backendUnavailable: 'Foxtail 백그라운드 서비스가 응답하지 않습니다. 앱을 다시 시작하세요.',
  markdownCopyCode: '코드 복사',
  markdownCopied: '복사했습니다',
  markdownShowImage: '{host}의 이미지 보기',
  markdownImageLoading: '이미지를 불러오는 중…',
  markdownImageFailed: '{host}에서 이미지를 불러오지 못했습니다. 다시 시도',
};

export const catalogues = { en, ko } satisfies Record<string, Catalogue>;
export type Language = keyof typeof catalogues;

/** The catalogue language closest to a BCP 47 tag such as `ko-KR`; English otherwise. */
export function pickLanguage(tag: string | undefined): Language {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return primary === 'ko' ? 'ko' : 'en';
}

let current: Language = pickLanguage(globalThis.navigator?.language);

export function setLanguage(language: Language): void {
  current = language;
}

/** The message for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params: Record<string, string> = {}): string {
  const text: string = catalogues[current][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
