// @ts-check
// The first-run setup, and the window's look in both themes and both languages.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

const shots = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'ui');

test('first run: pick a provider, paste a key, read why it failed, then connect', async () => {
  const { page, pageErrors, close } = await openWindow();
  try {
    await page.getByTestId('setup').waitFor();
    assert.equal(await page.getByTestId('composer').count(), 0, 'no chat before setup');
    assert.equal(await page.getByTestId('base-url').inputValue(), 'https://api.ofox.ai/v1');

    await page.getByTestId('provider').selectOption('openai');
    assert.equal(await page.getByTestId('base-url').inputValue(), 'https://api.openai.com/v1');
    assert.equal(await page.getByTestId('model').inputValue(), 'gpt-4o');
    await page.getByTestId('provider').selectOption('ollama');
    assert.equal(await page.getByTestId('api-key').count(), 0, 'a local server needs no key');
    await page.getByTestId('provider').selectOption('ofox');
    await page.getByTestId('protocol').selectOption('anthropic');
    assert.equal(await page.getByTestId('base-url').inputValue(), 'https://api.ofox.ai/anthropic');
    assert.equal(await page.getByTestId('model').inputValue(), 'anthropic/claude-sonnet-4.5');

    await page.evaluate(() => {
      window['foxtailMock'].control.connectionError = { kind: 'auth', message: 'invalid x-api-key', status: 401 };
    });
    await page.getByTestId('api-key').fill('sk-test-fake-wrong-0000');
    await page.getByTestId('setup-connect').click();
    const error = page.getByTestId('setup-error');
    await error.waitFor();
    assert.match((await error.locator('p').textContent()) ?? '', /The API key was rejected/);
    assert.match((await error.locator('details').textContent()) ?? '', /invalid x-api-key/);
    await page.screenshot({ path: resolve(shots, 'setup-error.png') });

    // No keychain on this computer: say so, and offer this session only.
    await page.evaluate(() => {
      const c = window['foxtailMock'].control;
      c.connectionError = null;
      c.keychainAvailable = false;
    });
    await page.getByTestId('api-key').fill('sk-test-fake-right-4321');
    await page.getByTestId('setup-connect').click();
    await page.getByTestId('setup-error').getByText('no keychain').waitFor();
    await page.getByTestId('session-only').check();
    await page.getByTestId('setup-connect').click();
    await page.getByTestId('setup-ok').waitFor();
    assert.match(await page.getByTestId('key-status').textContent() ?? '', /4321.*this session only/);
    await page.getByTestId('setup-start').click();
    await page.getByTestId('composer').waitFor();

    const saved = await page.evaluate(() => window['foxtailMock'].control.settings);
    assert.equal(saved.protocol, 'anthropic');
    assert.equal(saved.base_url, 'https://api.ofox.ai/anthropic');
    assert.equal(saved.setup_done, true);
    // Once saved, the key is nowhere in the window: not in the page, its fields, or its storage.
    const inPage = await page.evaluate(() => [
      document.documentElement.outerHTML,
      ...[...document.querySelectorAll('input')].map((i) => i.value),
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
    ]);
    assert.ok(!inPage.some((text) => text.includes('sk-test-fake-right-4321')), 'the key stays out of the window');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('settings change the model, language and theme', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('settings').click();
    await page.getByTestId('load-models').click();
    await page.getByTestId('models-note').getByText('2 models').waitFor();
    await page.getByTestId('model').fill('mock/beta');
    // Each tool has a switch; switching one off is saved as a disabled tool.
    const calculator = page.locator('[data-testid="tool-switch"][data-name="calculator"]');
    assert.equal(await calculator.isChecked(), true);
    assert.equal(await page.getByTestId('tool-switch').count(), 2);
    await calculator.uncheck();
    await page.getByTestId('language').selectOption('ko');
    await page.getByTestId('theme').selectOption('dark');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('composer').and(page.locator('[placeholder="무엇이든 물어보세요…"]')).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    // Code colours follow the chosen theme too, though the system's is light.
    const codeTheme = await page.evaluate(() => document.querySelector('style[data-code-theme]')?.textContent ?? '');
    assert.match(codeTheme, /#0d1117/, 'the dark code theme is in use');
    assert.equal(await page.getByTestId('current-model').textContent(), 'mock/beta');
    assert.deepEqual(await page.evaluate(() => window['foxtailMock'].control.settings.disabled_tools), ['calculator']);

    // A plain-http address to a remote server is refused with a reason.
    await page.getByTestId('settings').click();
    await page.getByTestId('base-url').fill('http://example.com/v1');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-error').getByText('https://').waitFor();
  } finally {
    await close();
  }
});

for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
  for (const locale of ['en-US', 'ko-KR']) {
    test(`screenshots: chat, ${colorScheme}, ${locale}`, async () => {
      const { page, close } = await openWindow({
        colorScheme,
        locale,
        setup: (fake) => {
          fake.control.keys.set('ofox', { key: 'sk-test-1234', sessionOnly: false });
          fake.control.settings.setup_done = true;
          fake.control.settings.language = 'system';
        },
      });
      try {
        mkdirSync(shots, { recursive: true });
        const question = locale === 'ko-KR' ? '러스트로 Hello world를 보여 줘' : 'Show me hello world in Rust';
        await page.getByTestId('composer').fill(question);
        await page.getByTestId('composer').press('Enter');
        await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').waitFor();
        const style = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        assert.equal(style === 'rgb(255, 255, 255)', colorScheme === 'light', `background ${style}`);
        await page.screenshot({ path: resolve(shots, `chat-${colorScheme}-${locale.slice(0, 2)}.png`) });
      } finally {
        await close();
      }
    });
  }
}
