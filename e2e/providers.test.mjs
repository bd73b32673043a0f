// @ts-check
// Two providers in the real window: the second one set up in Settings, a model picked
// from it in the chat header, an answer that shows its tokens and the gateway's own
// cost, then another model from the first provider, costed from its published prices;
// after a restart both answers still say which model wrote them and what they cost.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { By, Key } from 'selenium-webdriver';
import { byTestId, closeSettings, fill, freshDataDir, tempDir, launchApp, LAST_ANSWER, located, read, screenshot, setUp, startGateway } from './app.mjs';

const ANSWERS = '[data-testid="message"][data-role="assistant"]';

/** Opens the picker and picks `model` of `provider`. */
async function pick(/** @type {import('selenium-webdriver').WebDriver} */ driver, /** @type {string} */ provider, /** @type {string} */ model) {
  await (await byTestId(driver, 'model-picker')).click();
  const option = await located(
    driver,
    By.css(`[data-testid="model-option"][data-provider="${provider}"][data-model="${model}"]`),
    20_000,
  );
  await option.click();
  let shown = null;
  await driver
    .wait(async () => (shown = await read(driver, '[data-testid="current-model"]', 'textContent')) === model, 10_000)
    .catch(() => assert.fail(`the header shows ${JSON.stringify(shown)}, not ${model}`));
}

/** Sends `text` and waits for its answer to finish with its usage shown. */
async function ask(/** @type {import('selenium-webdriver').WebDriver} */ driver, /** @type {string} */ text, /** @type {number} */ count) {
  await (await byTestId(driver, 'composer')).sendKeys(text, Key.ENTER);
  await driver.wait(async () => (await driver.findElements(By.css(ANSWERS))).length === count, 20_000);
  await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 20_000);
  await located(driver, By.css(`${LAST_ANSWER} [data-testid="answer-usage"]`), 10_000);
}

/** What each answer's usage line says: its model, tokens and cost. */
async function usages(/** @type {import('selenium-webdriver').WebDriver} */ driver) {
  const lines = [];
  for (const answer of await driver.findElements(By.css(ANSWERS))) {
    const part = async (/** @type {string} */ id) => {
      const [found] = await answer.findElements(By.css(`[data-testid="${id}"]`));
      return found ? await found.getText() : null;
    };
    lines.push({ model: await part('usage-model'), tokens: await part('usage-tokens'), cost: await part('usage-cost') });
  }
  return lines;
}

test('two providers, a model from each, tokens and cost under each answer, kept across a restart', async () => {
  const recordA = tempDir('foxtail-e2e-a-');
  const recordB = tempDir('foxtail-e2e-b-');
  // The first publishes prices; the second sends its own cost, as OpenRouter does.
  const first = await startGateway('ok', ['--record', recordA]);
  /** @type {{ url: string, stop: () => void } | null} */
  let second = null;
  const dataDir = freshDataDir();
  try {
    // Started inside the try: if it fails, the first gateway is still stopped.
    second = await startGateway('ok:cost', ['--record', recordB]);
    let { driver, close } = await launchApp({ dataDir });
    try {
      await setUp(driver, first.url);
      await (await byTestId(driver, 'setup-start')).click();
      await byTestId(driver, 'composer');

      // Settings → Providers → Add: Ollama, at the second gateway's address.
      await (await byTestId(driver, 'settings')).click();
      await (await byTestId(driver, 'add-provider')).click();
      const form = await byTestId(driver, 'provider-form');
      await (await form.findElement(By.css('[data-testid="provider"] option[value="ollama"]'))).click();
      const [advanced] = await form.findElements(By.css('[data-testid="advanced"]'));
      if (advanced && !(await advanced.getAttribute('open'))) await (await advanced.findElement(By.css('summary'))).click();
      await fill(await form.findElement(By.css('[data-testid="base-url"]')), second.url);
      await fill(await form.findElement(By.css('[data-testid="model"]')), 'mock/beta');
      await (await form.findElement(By.css('[data-testid="save-provider"]'))).click();
      await located(driver, By.css('[data-testid="provider-row"][data-id="ollama"]'), 10_000);
      assert.equal((await driver.findElements(By.css('[data-testid="provider-row"]'))).length, 2);
      await screenshot(driver, 'providers-settings');
      await closeSettings(driver);

      // A model of the second provider: the gateway's own cost.
      await pick(driver, 'ollama', 'mock/beta');
      await screenshot(driver, 'providers-picker');
      await ask(driver, 'Hello there', 1);
      // Then one of the first provider, in the same conversation: costed from prices.
      await pick(driver, 'custom', 'mock/alpha');
      await ask(driver, 'And again', 2);
      await screenshot(driver, 'providers-usage');

      const shown = await usages(driver);
      assert.equal(shown[0].model, 'mock/beta');
      assert.equal(shown[0].cost, '$0.0123', 'the gateway said so');
      assert.match(shown[0].tokens ?? '', /2,000 in · 120 out/);
      assert.equal(shown[1].model, 'mock/alpha');
      // 208 × $3 + 1,536 × $0.30 + 256 × $3.75 + 120 × $15 per million = $0.0038448.
      assert.equal(shown[1].cost, '$0.00384');
      assert.match((await read(driver, '[data-testid="conversation-usage"]')) ?? '', /\$0\.016/);

      // Each gateway got the request for its own model.
      const last = (/** @type {string} */ dir) => {
        const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
        return JSON.parse(readFileSync(join(dir, `request-${files.length}.json`), 'utf8'));
      };
      assert.equal(last(recordB).model, 'mock/beta');
      assert.equal(last(recordA).model, 'mock/alpha');
      assert.ok(last(recordA).stream_options?.include_usage, 'usage is asked for');

      // The meter counts what the last answer reported against mock/alpha's 128k.
      assert.match((await read(driver, '[data-testid="context-meter"]')) ?? '', /of 128k/);
    } finally {
      await close();
    }

    ({ driver, close } = await launchApp({ dataDir }));
    try {
      const link = await located(driver, By.xpath('//li[@data-testid="conversation"]//button[contains(., "Hello there")]'), 10_000);
      await link.click();
      await driver.wait(async () => (await driver.findElements(By.css(`${ANSWERS} [data-testid="answer-usage"]`))).length === 2, 10_000);
      const shown = await usages(driver);
      assert.deepEqual(
        shown.map((u) => [u.model, u.cost]),
        [
          ['mock/beta', '$0.0123'],
          ['mock/alpha', '$0.00384'],
        ],
      );
      // The conversation goes on with the model it was left with.
      assert.equal(await read(driver, '[data-testid="current-model"]', 'textContent'), 'mock/alpha');
    } finally {
      await close();
    }
  } finally {
    first.stop();
    second?.stop();
  }
});
