// @ts-check
// The real app against the project's mock gateway: set up a key, watch an answer
// stream in, stop one, and find the history after a restart.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { By, Key, until } from 'selenium-webdriver';
import { byTestId, freshDataDir, launchApp, repoRoot, screenshot } from './app.mjs';

const gatewayBinary = join(repoRoot, 'target', 'debug', 'foxtail-mock-gateway');
const KEY = 'sk-e2e-secret-key-7777';

/** Starts the mock gateway with a scenario; resolves to its URL and a stop function. */
async function startGateway(/** @type {string} */ scenario) {
  const child = spawn(gatewayBinary, ['--scenario', scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the mock gateway exited with ${code}`)));
  });
  return { url: String(url).trim(), stop: () => child.kill() };
}

/** Every file under `dir` (recursively). */
function filesUnder(/** @type {string} */ dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Replaces an input's text (WebDriver's clear() does not fire Svelte's input event). */
async function fill(/** @type {import('selenium-webdriver').WebElement} */ input, /** @type {string} */ text) {
  await input.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
  await input.sendKeys(text);
}

/** The first-run setup, against a custom OpenAI-compatible address. */
async function setUp(/** @type {import('selenium-webdriver').WebDriver} */ driver, /** @type {string} */ url) {
  await byTestId(driver, 'setup');
  const provider = await byTestId(driver, 'provider');
  await provider.findElement(By.css('option[value="custom"]')).click();
  await fill(await byTestId(driver, 'base-url'), url);
  await fill(await byTestId(driver, 'model'), 'mock/alpha');
  await (await byTestId(driver, 'api-key')).sendKeys(KEY);
  await (await byTestId(driver, 'setup-connect')).click();
  await byTestId(driver, 'setup-ok', 20_000);
}

test('paste a key, stream an answer, stop another, and find both after a restart', async () => {
  const fast = await startGateway('markdown:15');
  const stalled = await startGateway('stall');
  const dataDir = freshDataDir();
  const service = `foxtail-e2e-${process.pid}`;
  try {
    let { driver, close } = await launchApp({ dataDir });
    try {
      await setUp(driver, fast.url);
      await screenshot(driver, 'setup-connected');
      await (await byTestId(driver, 'setup-start')).click();

      // An answer streams in: first its heading while it is still being written.
      const composer = await byTestId(driver, 'composer');
      await composer.sendKeys('Show me some Markdown', Key.ENTER);
      const answer = await driver.wait(
        until.elementLocated(By.css('[data-testid="message"][data-role="assistant"]')),
        10_000,
      );
      await driver.wait(until.elementLocated(By.css('[data-testid="message"][data-role="assistant"] h1')), 10_000);
      const seenStreaming = (await answer.getAttribute('data-status')) === 'streaming';
      await driver.wait(async () => (await answer.getAttribute('data-status')) === 'done', 20_000);
      assert.ok(seenStreaming, 'the heading showed before the answer was complete');
      assert.match(await answer.getText(), /FOXTAIL-DONE/);
      assert.ok(await answer.findElement(By.css('pre code')), 'the code block is rendered');
      await screenshot(driver, 'chat-answer');

      // Point the app at a gateway that stalls after its first words, then stop.
      await (await byTestId(driver, 'settings')).click();
      await fill(await byTestId(driver, 'base-url'), stalled.url);
      await (await byTestId(driver, 'save-settings')).click();
      await driver.wait(async () => (await (await byTestId(driver, 'settings-note')).getText()) !== '', 10_000);
      await (await byTestId(driver, 'close-settings')).click();
      await (await byTestId(driver, 'new-chat')).click();
      await (await byTestId(driver, 'composer')).sendKeys('Say something slowly', Key.ENTER);
      const slow = await driver.wait(
        until.elementLocated(By.css('[data-testid="message"][data-role="assistant"][data-status="streaming"]')),
        10_000,
      );
      await driver.wait(async () => (await slow.getText()).includes('Hello'), 10_000);
      await (await byTestId(driver, 'stop')).click();
      await driver.wait(async () => (await slow.getAttribute('data-status')) === 'interrupted', 2_000);
      assert.match(await slow.getText(), /Hello/);
      await screenshot(driver, 'chat-stopped');
    } finally {
      await close();
    }

    // The key is in the keychain, and in no file the app wrote.
    const secrets = execFileSync('secret-tool', ['search', '--all', 'service', service], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.match(secrets, new RegExp(`secret = ${KEY}`), 'the key is in the keychain');
    for (const file of filesUnder(dataDir)) {
      if (statSync(file).size > 50_000_000) continue;
      assert.ok(!readFileSync(file).includes(KEY), `the key leaked into ${file}`);
    }

    // After a restart both conversations are there, with their answers.
    ({ driver, close } = await launchApp({ dataDir }));
    try {
      await byTestId(driver, 'composer');
      const rows = await driver.wait(async () => {
        const found = await driver.findElements(By.css('[data-testid="conversation"]'));
        return found.length === 2 ? found : null;
      }, 10_000);
      assert.ok(rows);
      await rows[1].findElement(By.css('.conversation-link')).click();
      const restored = await driver.wait(
        until.elementLocated(By.css('[data-testid="message"][data-role="assistant"][data-status="done"]')),
        10_000,
      );
      assert.match(await restored.getText(), /FOXTAIL-DONE/);
      await rows[0].findElement(By.css('.conversation-link')).click();
      const stopped = await driver.wait(
        until.elementLocated(By.css('[data-testid="message"][data-role="assistant"][data-status="interrupted"]')),
        10_000,
      );
      assert.match(await stopped.getText(), /Hello/);
      await screenshot(driver, 'chat-after-restart');
    } finally {
      await close();
    }
  } finally {
    fast.stop();
    stalled.stop();
  }
});

test('a question that needs the calculator shows the tool card and the answer quotes its result', async () => {
  // The connection test and the question both go to a gateway that calls the tool.
  const gateway = await startGateway('tools:calculator');
  const { driver, close } = await launchApp({ dataDir: freshDataDir() });
  try {
    await setUp(driver, gateway.url);
    await (await byTestId(driver, 'setup-start')).click();
    await (await byTestId(driver, 'composer')).sendKeys('What is 12 times 7?', Key.ENTER);
    const answer = await driver.wait(
      until.elementLocated(By.css('[data-testid="message"][data-role="assistant"]')),
      10_000,
    );
    const card = await driver.wait(until.elementLocated(By.css('[data-testid="tool-call"]')), 10_000);
    assert.equal(await card.getAttribute('data-name'), 'calculator');
    await driver.wait(async () => (await answer.getAttribute('data-status')) === 'done', 20_000);
    assert.equal(await card.getAttribute('data-state'), 'done');
    // The card folds once done; its result is there when opened.
    assert.equal(await card.getAttribute('open'), null);
    await card.findElement(By.css('summary')).click();
    assert.equal(await (await card.findElement(By.css('[data-testid="tool-result"]'))).getText(), '84');
    assert.match(await answer.getText(), /The answer is 84\./);
    await screenshot(driver, 'chat-tool-call');
  } finally {
    await close();
    gateway.stop();
  }
});
