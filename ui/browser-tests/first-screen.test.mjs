// @ts-check
// What the first screen costs before it can paint: in the real window (WebKitGTK) each
// new weight and size of a font takes 6-10 ms to set up, and the keychain 50-70 ms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** The faces (weight, size, style, family) the page's text and form controls are set in. */
const faces = () =>
  [
    ...new Set(
      [...document.querySelectorAll('body *')]
        .filter(
          (e) =>
            ['INPUT', 'TEXTAREA', 'BUTTON', 'SELECT'].includes(e.tagName) ||
            [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
        )
        .map((e) => {
          const s = getComputedStyle(e);
          return `${s.fontWeight} ${s.fontSize} ${s.fontStyle} ${s.fontFamily}`;
        }),
    ),
  ].sort();

test('the chat screen after the setup is set in five faces and does not wait for the keychain', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('context-meter').waitFor();
    const used = await page.evaluate(faces);
    assert.ok(used.length <= 5, `at most five faces, not ${used.length}:\n${used.join('\n')}`);
    const calls = await page.evaluate(() => window['foxtailMock'].control.calls.map((c) => c.cmd));
    assert.ok(calls.includes('get_settings'), `the settings were asked for: ${calls}`);
    assert.ok(!calls.includes('key_status'), `the keychain was not asked: ${calls}`);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('the first screen’s data is asked for before anything is mounted', async () => {
  // The round trips to Rust then overlap the script's evaluation and its first mount.
  const { page, pageErrors, close } = await openWindow({
    setup: (/** @type {any} */ fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      /** @type {Record<string, number>} */
      const mounted = {};
      Object.assign(window, { mountedWhenAsked: mounted });
      const handle = fake.handle;
      fake.handle = (/** @type {string} */ cmd, /** @type {any[]} */ ...rest) => {
        mounted[cmd] ??= document.getElementById('app')?.childElementCount ?? -1;
        return handle(cmd, ...rest);
      };
    },
  });
  try {
    await page.getByTestId('composer').waitFor();
    const mounted = await page.evaluate(() => window['mountedWhenAsked']);
    for (const cmd of ['app_info', 'get_settings', 'presets', 'list_conversations', 'list_documents']) {
      assert.equal(mounted[cmd], 0, `${cmd} was asked for with ${mounted[cmd]} elements mounted: ${JSON.stringify(mounted)}`);
    }
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('the first screen paints before any number is formatted', async () => {
  // The context meter's tooltip needs one, and the window's first number format costs
  // 14 ms in the real window (ICU loads its locale data). Here it is made to cost half a
  // second, so that a paint waiting for it shows.
  const { page, pageErrors, close } = await openWindow({
    setup: (/** @type {any} */ fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      const seen = /** @type {{ slowMs: number, formatted?: number, composer?: number }} */ ({ slowMs: 500 });
      Object.assign(window, { firstScreenSeen: seen });
      const NumberFormat = Intl.NumberFormat;
      Intl.NumberFormat = /** @type {any} */ (
        function (/** @type {any[]} */ ...args) {
          if (seen.formatted === undefined) {
            const until = performance.now() + seen.slowMs;
            while (performance.now() < until);
            seen.formatted = performance.now();
          }
          return new NumberFormat(...args);
        }
      );
      new MutationObserver((_, observer) => {
        if (!document.querySelector('[data-testid="composer"]')) return;
        seen.composer = performance.now();
        observer.disconnect();
      }).observe(document, { subtree: true, childList: true });
    },
  });
  try {
    const meter = page.getByTestId('context-meter');
    assert.ok(await eventually(async () => !!(await meter.getAttribute('title'))), 'the meter’s tooltip was written');
    const { seen, painted } = await page.evaluate(() => ({
      seen: window['firstScreenSeen'],
      painted: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    }));
    assert.ok(painted !== null && seen.composer !== undefined && seen.formatted !== undefined, JSON.stringify({ seen, painted }));
    assert.ok(
      painted - seen.composer < seen.slowMs,
      `the screen painted ${painted - seen.composer} ms after the composer went in: it waited for the number format`,
    );
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('before the setup, the first screen asks the keychain whether a key is there', async () => {
  const { page, close } = await openWindow();
  try {
    await page.getByTestId('setup').waitFor();
    const calls = await page.evaluate(() => window['foxtailMock'].control.calls.map((c) => c.cmd));
    assert.ok(calls.includes('key_status'), `the keychain was asked: ${calls}`);
  } finally {
    await close();
  }
});
