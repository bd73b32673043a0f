// @ts-check
// Serves the window with its fake backend (ui/mock.html) from Vite and drives it in
// Debian's Chromium through playwright-core. Never downloads a browser.
import { after, before } from 'node:test';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { CHROMIUM_FLAGS } from './chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** @type {import('vite').ViteDevServer} */
let server;
/** @type {import('playwright-core').Browser} */
let browser;
/** @type {string} */
let baseUrl;

export function useBrowser() {
  before(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium is not at ${executablePath}: run scripts/setup.sh test`);
    server = await createServer({
      configFile: resolve(root, 'vite.config.ts'),
      server: { port: 0, strictPort: false, host: '127.0.0.1' },
      logLevel: 'error',
    });
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('Vite did not listen');
    baseUrl = `http://127.0.0.1:${address.port}`;
    browser = await chromium.launch({
      executablePath,
      args: CHROMIUM_FLAGS,
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/**
 * A fresh browser context (its own storage), for pages other than the app's.
 * @param {import('playwright-core').BrowserContextOptions} options
 */
export function newContext(options) {
  return browser.newContext(options);
}

/** The address of `path` (e.g. `/drafting.html`) on the test server. */
export function pageUrl(/** @type {string} */ path) {
  return `${baseUrl}${path}`;
}

/**
 * A fresh window. `setup` runs in the page with the fake backend before the app starts
 * (it must be self-contained: it is sent to the browser as source).
 * @param {{setup?: (fake: any) => void, colorScheme?: 'light' | 'dark', locale?: string, reducedMotion?: 'reduce' | 'no-preference'}} [options]
 */
export async function openWindow(options = {}) {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
    viewport: { width: 1100, height: 760 },
    reducedMotion: options.reducedMotion ?? 'no-preference',
  });
  const page = await context.newPage();
  /** @type {string[]} */
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  if (options.setup) {
    await page.addInitScript(`window.foxtailMockSetup = ${options.setup.toString()};`);
  }
  await page.goto(`${baseUrl}/mock.html`);
  // The renderer loads after the first paint (lib/markdown/renderer.ts). A test that streams
  // before it arrives would see an answer rendered in one go and not as it grows, on a
  // slow machine only.
  await page.waitForFunction(() => performance.getEntriesByName('foxtail:renderer').length > 0);
  return { page, pageErrors, close: () => context.close() };
}

/** Setup that stores a key and marks the first-run setup as done. */
export function withKey(/** @type {any} */ fake) {
  fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
  fake.control.settings.setup_done = true;
}

/**
 * Waits until `check` holds, asking again every 50 ms for up to `ms`, and says whether it
 * did. For a state the window reaches in its own time (a position corrected as rows are
 * measured): a fixed wait is too short on a busy machine and longer than needed elsewhere.
 * With `holdMs`, the state must then go on holding that long, so that a state passed
 * through on the way to another does not count.
 */
export async function eventually(/** @type {() => Promise<boolean>} */ check, ms = 5_000, holdMs = 0) {
  const deadline = Date.now() + ms;
  /** @type {number | null} */
  let heldSince = null;
  for (;;) {
    if (await check()) {
      heldSince ??= Date.now();
      if (Date.now() - heldSince >= holdMs) return true;
    } else {
      heldSince = null;
    }
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The element's scrollTop once it has moved above `from` and then stayed the same for five
 * frames in a row: a wheel scrolls smoothly, starting and ending in as many frames as the
 * machine takes. Throws if it never does.
 * @returns {Promise<number>}
 */
export function settledScrollTop(/** @type {import('playwright-core').Locator} */ element, from = Infinity, ms = 5_000) {
  return element.evaluate(
    (el, [above, limit]) =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        let last = el.scrollTop;
        let still = 0;
        const check = () => {
          if (el.scrollTop === last) still++;
          else [last, still] = [el.scrollTop, 0];
          if (still >= 5 && last < above) resolve(last);
          else if (performance.now() - started > limit) {
            reject(new Error(`the scroll did not move above ${above} and settle within ${limit} ms (at ${last})`));
          } else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    [from, ms],
  );
}
