// @ts-check
// Drafting in the real window against the mock gateway: the model writes at the cursor,
// accept / undo / redo, a shorter version of a paragraph is discarded, and the document
// is there as it was after a restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { By, Key } from 'selenium-webdriver';
import { byTestId, freshDataDir, launchApp, screenshot, setUp, startGateway, located } from './app.mjs';

/** The editor's text, line by line as shown (the documents here have no Markdown marks). */
async function docText(/** @type {import('selenium-webdriver').WebDriver} */ driver) {
  return driver.executeScript(
    "return [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent).join('\\n');",
  );
}

test('the model writes into a document; accept, undo, redo, discard; it survives a restart', async () => {
  const gateway = await startGateway('ok');
  const dataDir = freshDataDir();
  const answer = 'Hello from the mock gateway. Nice day!';
  try {
    let { driver, close } = await launchApp({ dataDir });
    let expected = '';
    try {
      await setUp(driver, gateway.url);
      await (await byTestId(driver, 'setup-start')).click();
      await (await byTestId(driver, 'documents')).click();
      await (await byTestId(driver, 'new-document')).click();
      const editor = await byTestId(driver, 'editor');
      await editor.click();
      await editor.sendKeys('Dear Mina,', Key.ENTER, Key.ENTER);

      // 1. The model writes at the cursor.
      await (await byTestId(driver, 'ai-prompt')).sendKeys('a friendly greeting');
      await (await byTestId(driver, 'ai-run')).click();
      await byTestId(driver, 'ai-pending');
      const accept = await byTestId(driver, 'ai-accept', 20_000);
      assert.equal(await docText(driver), `Dear Mina,\n\n${answer}`, 'the pending text shows in place');
      await screenshot(driver, 'drafting-pending');

      // 2. Accept, then one undo takes the whole change back, and redo brings it again.
      await accept.click();
      await driver.wait(async () => (await driver.findElements(By.css('[data-testid="ai-pending"]'))).length === 0, 5_000);
      await editor.click();
      await editor.sendKeys(Key.chord(Key.CONTROL, 'z'));
      await driver.wait(async () => (await docText(driver)) === 'Dear Mina,\n\n', 5_000);
      await editor.sendKeys(Key.chord(Key.CONTROL, 'y'));
      await driver.wait(async () => (await docText(driver)) === `Dear Mina,\n\n${answer}`, 5_000);

      // 3. Select the paragraph, ask for it shorter, and discard: nothing changes.
      expected = `Dear Mina,\n\n${answer}`;
      await editor.sendKeys(Key.chord(Key.CONTROL, Key.END), Key.HOME, Key.chord(Key.SHIFT, Key.END));
      await (await driver.findElement(By.css('[data-testid="ai-action"][data-action="shorter"]'))).click();
      await byTestId(driver, 'ai-original');
      await byTestId(driver, 'ai-discard', 20_000);
      await screenshot(driver, 'drafting-shorter');
      await (await byTestId(driver, 'ai-discard')).click();
      await driver.wait(async () => (await driver.findElements(By.css('[data-testid="ai-pending"]'))).length === 0, 5_000);
      assert.equal(await docText(driver), expected, 'discard restores the document exactly');
      // Saving happens within a second of the last change.
      await driver.sleep(1_200);
    } finally {
      await close();
    }

    // 4. After a restart the document is there, as it was.
    ({ driver, close } = await launchApp({ dataDir }));
    try {
      await (await byTestId(driver, 'documents')).click();
      const entry = await byTestId(driver, 'document');
      await entry.findElement(By.css('.conversation-link')).click();
      await byTestId(driver, 'editor');
      await driver.wait(async () => (await docText(driver)) === expected, 10_000);
      await located(driver, By.css('[data-testid="word-count"]'), 5_000);
      await screenshot(driver, 'drafting-after-restart');
    } finally {
      await close();
    }
  } finally {
    gateway.stop();
  }
});

test('kill -9 while the model writes: after a restart the change is back, stopped, to accept', async () => {
  const gateway = await startGateway('slow:400');
  const dataDir = freshDataDir();
  try {
    let { driver, close, kill } = await launchApp({ dataDir });
    try {
      await setUp(driver, gateway.url);
      await (await byTestId(driver, 'setup-start')).click();
      await (await byTestId(driver, 'documents')).click();
      await (await byTestId(driver, 'new-document')).click();
      const editor = await byTestId(driver, 'editor');
      await editor.click();
      await editor.sendKeys('Greeting:', Key.ENTER);
      await (await byTestId(driver, 'ai-prompt')).sendKeys('say hello');
      await (await byTestId(driver, 'ai-run')).click();
      await driver.wait(async () => (await docText(driver)).includes('Hello from the'), 10_000);
      // The pending change is saved once a second.
      await driver.sleep(1_300);
      assert.equal(kill(), 1, 'the app was running, and was killed');
    } finally {
      await close().catch(() => {});
    }

    ({ driver, close } = await launchApp({ dataDir }));
    try {
      await (await byTestId(driver, 'documents')).click();
      await (await (await byTestId(driver, 'document')).findElement(By.css('.conversation-link'))).click();
      const bar = await byTestId(driver, 'pending-bar');
      assert.equal(await bar.getAttribute('data-status'), 'interrupted');
      const kept = await (await byTestId(driver, 'ai-pending')).getText();
      assert.match(kept, /^Hello from the/);
      await screenshot(driver, 'drafting-after-kill');
      await (await byTestId(driver, 'ai-accept')).click();
      await driver.wait(async () => (await docText(driver)).startsWith(`Greeting:\n${kept}`), 5_000);
    } finally {
      await close();
    }
  } finally {
    gateway.stop();
  }
});
