// What the first screen needs from Rust, asked for as soon as the page's script begins
// to run (main.ts imports this module first). The answers then come back while the rest
// of the script is evaluated and mounted, where the first screen used to be made only
// once they had (10-30 ms in the real window).
import * as backend from './backend';

/** Awaited where the first screen is made: until then a failure is not unhandled. */
function early<T>(asked: Promise<T>): Promise<T> {
  asked.catch(() => {});
  return asked;
}

export const startup = {
  info: early(backend.appInfo()),
  settings: early(backend.getSettings()),
  presets: early(backend.presets()),
  conversations: early(backend.listConversations()),
  documents: early(backend.listDocuments()),
};
