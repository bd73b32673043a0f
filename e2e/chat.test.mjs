// @ts-check
// The real app against the project's mock gateway: set up a key, watch an answer
// stream in, stop one, and find the history after a restart.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { By, Key } from 'selenium-webdriver';
import { byTestId, clickOn, closeSettings, fill, freshDataDir, KEY, launchApp, screenshot, setUp, startGateway, LAST_ANSWER, located, read } from './app.mjs';

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

/** Clicks the sidebar entry whose title contains `title`. */
async function openConversation(/** @type {import('selenium-webdriver').WebDriver} */ driver, /** @type {string} */ title) {
  const link = await located(driver, By.xpath(`//li[@data-testid="conversation"]//button[contains(., ${JSON.stringify(title)})]`), 10_000);
  await link.click();
}

test('paste a key, stream an answer, stop another, and find both after a restart', async () => {
  const fast = await startGateway('markdown:40');
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
      await located(driver, By.css('[data-testid="message"][data-role="assistant"] h1'), 10_000);
      const seenStreaming = (await read(driver, LAST_ANSWER, 'data-status')) === 'streaming';
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 20_000);
      assert.ok(seenStreaming, 'the heading showed before the answer was complete');
      assert.match((await read(driver, LAST_ANSWER)) ?? '', /FOXTAIL-DONE/);
      assert.ok(await driver.findElement(By.css(`${LAST_ANSWER} pre code`)), 'the code block is rendered');
      await screenshot(driver, 'chat-answer');

      // Point the app at a gateway that stalls after its first words, then stop.
      await (await byTestId(driver, 'settings')).click();
      await fill(await byTestId(driver, 'base-url'), stalled.url);
      // A saved key goes only to the address it was saved for: a new address takes
      // the key typed again.
      await (await byTestId(driver, 'api-key')).sendKeys(KEY);
      await (await byTestId(driver, 'save-settings')).click();
      await driver.wait(async () => (await (await byTestId(driver, 'settings-note')).getText()) !== '', 10_000);
      await closeSettings(driver);
      await clickOn(driver, await byTestId(driver, 'new-chat'));
      await (await byTestId(driver, 'composer')).sendKeys('Say something slowly', Key.ENTER);
      await driver.wait(async () => ((await read(driver, LAST_ANSWER)) ?? '').includes('Hello'), 10_000);
      assert.equal(await read(driver, LAST_ANSWER, 'data-status'), 'streaming');
      await (await byTestId(driver, 'stop')).click();
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'interrupted', 10_000);
      assert.match((await read(driver, LAST_ANSWER)) ?? '', /Hello/);
      // The backend's end of the stopped answer comes after its last save; then the
      // answer's actions come back, and closing the app loses nothing.
      await driver.wait(async () => {
        const [regenerate] = await driver.findElements(By.css(`${LAST_ANSWER} [data-testid="regenerate"]`));
        return !!regenerate && (await regenerate.isEnabled());
      }, 5_000);
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
      await driver.wait(async () => (await driver.findElements(By.css('[data-testid="conversation"]'))).length === 2, 10_000);
      await openConversation(driver, 'Show me some Markdown');
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 10_000);
      assert.match((await read(driver, LAST_ANSWER)) ?? '', /FOXTAIL-DONE/);
      await openConversation(driver, 'Say something slowly');
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'interrupted', 10_000);
      assert.match((await read(driver, LAST_ANSWER)) ?? '', /Hello/);
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
    await located(driver, By.css('[data-testid="tool-call"]'), 10_000);
    assert.equal(await read(driver, '[data-testid="tool-call"]', 'data-name'), 'calculator');
    await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 20_000);
    const card = await driver.findElement(By.css('[data-testid="tool-call"]'));
    assert.equal(await card.getAttribute('data-state'), 'done');
    // The card folds once done; its result is there when opened.
    assert.equal(await card.getAttribute('open'), null);
    await card.findElement(By.css('summary')).click();
    assert.equal(await (await card.findElement(By.css('[data-testid="tool-result"]'))).getText(), '84');
    assert.match((await read(driver, LAST_ANSWER)) ?? '', /The answer is 84\./);
    await screenshot(driver, 'chat-tool-call');
  } finally {
    await close();
    gateway.stop();
  }
});
