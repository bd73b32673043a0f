// @ts-check
// MCP in the real window: add the suite's own MCP server from pasted JSON, test it,
// then let an answer use its tool (allowed once) and not use it (denied), and check
// that quitting the app leaves no server running.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { By, Key } from 'selenium-webdriver';
import { byTestId, closeSettings, freshDataDir, launchApp, LAST_ANSWER, located, read, repoRoot, screenshot, setUp, startGateway } from './app.mjs';

const serverBinary = join(repoRoot, 'target', 'debug', 'foxtail-mcp-test-server');

/** Processes whose environment holds `entry` (NAME=value). */
function processesWith(/** @type {string} */ entry) {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
      } catch {
        return false;
      }
    });
}

const CARD = `${LAST_ANSWER} [data-testid="tool-call"]`;

test('add a server from pasted JSON, test it, allow one call and deny another; quitting stops it', async () => {
  const gateway = await startGateway('tools:call:lookup:{"key":"x"}');
  const note = `e2e-${process.pid}-${Date.now()}`;
  const marker = `FOXTAIL_TEST_SERVER_NOTE=${note}`;
  const dataDir = freshDataDir();
  try {
    const { driver, close } = await launchApp({ dataDir });
    try {
      await setUp(driver, gateway.url);
      await (await byTestId(driver, 'setup-start')).click();

      // Settings → Tools: paste what a server's README shows, then save and test it.
      await (await byTestId(driver, 'settings')).click();
      await (await byTestId(driver, 'mcp-add')).click();
      const pasted = JSON.stringify({
        mcpServers: { 'Test server': { command: serverBinary, args: ['stdio'], env: { FOXTAIL_TEST_SERVER_NOTE: note } } },
      });
      await (await byTestId(driver, 'mcp-json')).sendKeys(pasted);
      await (await byTestId(driver, 'mcp-import')).click();
      assert.equal(await (await byTestId(driver, 'mcp-name')).getAttribute('value'), 'Test server');
      await (await byTestId(driver, 'mcp-save')).click();
      const entry = await located(driver, By.css('[data-testid="mcp-server"][data-id="test-server"]'), 10_000);
      await (await entry.findElement(By.css('[data-testid="mcp-test"]'))).click();
      await located(driver, By.css('[data-testid="mcp-tool"][data-name="lookup"]'), 60_000);
      await located(driver, By.css('[data-testid="mcp-tool"][data-name="delete_note"]'), 1_000);
      await screenshot(driver, 'mcp-settings-tested');
      // The secret went to the keychain: the settings file names it, never holds it.
      const settingsFile = readFileSync(join(dataDir, 'settings.json'), 'utf8');
      assert.match(settingsFile, /FOXTAIL_TEST_SERVER_NOTE/);
      assert.ok(!settingsFile.includes(note), 'the value is not in the settings file');
      await closeSettings(driver);

      // The model asks for the tool: the card shows the arguments and asks first.
      await (await byTestId(driver, 'composer')).sendKeys('What is x?', Key.ENTER);
      await driver.wait(async () => (await read(driver, CARD, 'data-state')) === 'asking', 60_000);
      assert.match((await read(driver, `${CARD} [data-testid="tool-arguments"]`)) ?? '', /key[\s\S]*x/);
      assert.match((await read(driver, `${CARD} [data-testid="tool-title"]`)) ?? '', /Test server/);
      await screenshot(driver, 'mcp-card-asking');
      await (await located(driver, By.css(`${CARD} [data-testid="tool-approve"]`))).click();
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 30_000);
      assert.equal(await read(driver, `${CARD} [data-testid="tool-result"]`), `value of x is 42 (note: ${note})`);
      assert.match((await read(driver, LAST_ANSWER)) ?? '', new RegExp(`The tool said: value of x is 42 \\(note: ${note}\\)`));
      await screenshot(driver, 'mcp-card-allowed');

      // A second call is denied: the card says so and the answer goes on without it.
      await (await byTestId(driver, 'composer')).sendKeys('And again?', Key.ENTER);
      await driver.wait(async () => (await read(driver, CARD, 'data-state')) === 'asking', 30_000);
      await (await located(driver, By.css(`${CARD} [data-testid="tool-deny"]`))).click();
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 30_000);
      assert.equal(await read(driver, CARD, 'data-state'), 'declined');
      assert.match((await read(driver, LAST_ANSWER)) ?? '', /The tool said: The person declined/);
      await screenshot(driver, 'mcp-card-declined');
      assert.equal(processesWith(marker).length, 1, 'the server runs while the app does');
    } finally {
      await close();
    }
    // However the app went, its server went with it.
    for (let i = 0; i < 50 && processesWith(marker).length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(processesWith(marker), [], 'no server left running');
  } finally {
    gateway.stop();
  }
});
