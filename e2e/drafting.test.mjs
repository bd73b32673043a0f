// @ts-check
// Drafting in the real window against the mock gateway: the model writes at the cursor,
// accept / undo / redo, a shorter version of a paragraph is discarded, and the document
// is there as it was after a restart.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { By, Key } from 'selenium-webdriver';
import { appPids, byTestId, freshDataDir, launchApp, repoRoot, screenshot, setUp, startGateway, located, waitUntilAppGone } from './app.mjs';

/** The editor's text, line by line as shown (the documents here have no Markdown marks). */
async function docText(/** @type {import('selenium-webdriver').WebDriver} */ driver) {
  return driver.executeScript(
    "return [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent).join('\\n');",
  );
}

/** The pending changes saved in the app's database, as it holds them now. */
function savedPending(/** @type {string} */ dataDir) {
  const read = spawnSync(
    'python3',
    ['-c', 'import sqlite3, sys; print("\\n".join(r[0] for r in sqlite3.connect(sys.argv[1]).execute("SELECT pending FROM documents")))', join(dataDir, 'foxtail.sqlite3')],
    { encoding: 'utf8' },
  );
  assert.equal(read.status, 0, read.stderr);
  return read.stdout;
}

/** After a restart: the documents section, and its first document opened. */
async function openFirstDocument(/** @type {import('selenium-webdriver').WebDriver} */ driver) {
  await (await byTestId(driver, 'documents')).click();
  await (await (await byTestId(driver, 'document')).findElement(By.css('.conversation-link'))).click();
}

/** Sets the app up against `gatewayUrl`, opens a new document and puts the cursor in it. */
async function newDocument(/** @type {import('selenium-webdriver').WebDriver} */ driver, /** @type {string} */ gatewayUrl) {
  await setUp(driver, gatewayUrl);
  await (await byTestId(driver, 'setup-start')).click();
  await (await byTestId(driver, 'documents')).click();
  await (await byTestId(driver, 'new-document')).click();
  const editor = await byTestId(driver, 'editor');
  await editor.click();
  return editor;
}

test('the model writes into a document; accept, undo, redo, discard; it survives a restart', async () => {
  const gateway = await startGateway('ok');
  const dataDir = freshDataDir();
  const answer = 'Hello from the mock gateway. Nice day!';
  try {
    let { driver, close } = await launchApp({ dataDir });
    let expected = '';
    try {
      const editor = await newDocument(driver, gateway.url);
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
      const editor = await newDocument(driver, gateway.url);
      await editor.sendKeys('Greeting:', Key.ENTER);
      await (await byTestId(driver, 'ai-prompt')).sendKeys('say hello');
      await (await byTestId(driver, 'ai-run')).click();
      await driver.wait(async () => (await docText(driver)).includes('Hello from the'), 10_000);
      // The pending change is saved once a second: the kill comes once it is.
      await driver.wait(() => savedPending(dataDir).includes('Hello from the'), 10_000, 'the pending change was saved');
      assert.equal(kill(), 1, 'the app was running, and was killed');
    } finally {
      await close().catch(() => {});
    }

    ({ driver, close } = await launchApp({ dataDir }));
    try {
      await openFirstDocument(driver);
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

test('closing the window right after typing keeps the typing: the window saves, then closes', async () => {
  const gateway = await startGateway('ok');
  const dataDir = freshDataDir();
  const saved = 'Typed a while before.';
  const typed = `${saved} Last.`;
  try {
    // Rust's own close, should the window not close itself, waits 30 s here (3 s for a
    // person): a window closed within 10 s closed itself once saved, however slow the machine.
    let { driver, close, tag } = await launchApp({ dataDir, env: { FOXTAIL_CLOSE_WAIT_MS: '30000' } });
    try {
      const editor = await newDocument(driver, gateway.url);
      await editor.sendKeys(saved);
      // Saved within half a second of a change; what is typed next is not saved yet when
      // the close button is pressed at once.
      await driver.sleep(1_500);
      await editor.sendKeys(typed.slice(saved.length));
      const [pid] = appPids(tag);
      assert.ok(pid, 'the app is running');
      const closer = spawnSync('python3', [join(repoRoot, 'e2e', 'fixtures', 'close-window.py'), pid, 'Foxtail'], {
        encoding: 'utf8',
      });
      assert.equal(closer.status, 0, `the window was asked to close: ${closer.stderr}`);
      assert.ok(waitUntilAppGone(tag, 10_000), 'the app quit once its window closed itself');
    } finally {
      await close().catch(() => {});
    }

    ({ driver, close } = await launchApp({ dataDir }));
    try {
      await openFirstDocument(driver);
      await byTestId(driver, 'editor');
      await driver.wait(async () => (await docText(driver)) === typed, 10_000).catch(async () => {
        assert.equal(await docText(driver), typed, 'the typing was saved before the window closed');
      });
    } finally {
      await close();
    }
  } finally {
    gateway.stop();
  }
});
