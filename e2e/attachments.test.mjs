// @ts-check
// Attachments in the real window: paste a picture and drop a PDF, send them, check
// that the request carries both in the protocol's shape, find them again after a
// restart, and export the conversation with its files beside it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { By, Key } from 'selenium-webdriver';
import { byTestId, freshDataDir, tempDir, launchApp, LAST_ANSWER, located, read, repoRoot, screenshot, setUp, startGateway } from './app.mjs';

const pdf = readFileSync(join(repoRoot, 'src-tauri/core/tests/fixtures/attachments/two-pages.pdf')).toString('base64');
/** A 64×48 PNG with colour in it (e2e/fixtures/picture.png). */
const png = readFileSync(join(repoRoot, 'e2e/fixtures/picture.png')).toString('base64');

/** Dispatches what a paste of a screenshot or a drop from a file manager would. */
async function deliver(
  /** @type {import('selenium-webdriver').WebDriver} */ driver,
  /** @type {'paste' | 'drop'} */ how,
  /** @type {string} */ name,
  /** @type {string} */ type,
  /** @type {string} */ base64,
) {
  await driver.executeScript(
    `const [how, name, type, base64] = arguments;
     const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
     const data = new DataTransfer();
     data.items.add(new File([bytes], name, { type }));
     if (how === 'paste') {
       const box = document.querySelector('[data-testid="composer"]');
       box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
     } else {
       window.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
       window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
     }`,
    how,
    name,
    type,
    base64,
  );
}

const chips = '.composer [data-testid="attachment"]';
const sentChips = '[data-testid="message"][data-role="user"] [data-testid="attachment"]';

test('paste a picture and drop a PDF, send both, find them after a restart, and export them', async () => {
  const requests = tempDir('foxtail-e2e-requests-');
  const exports = tempDir('foxtail-e2e-exports-');
  const gateway = await startGateway('ok', ['--record', requests]);
  const dataDir = freshDataDir();
  try {
    let { driver, close } = await launchApp({ dataDir, env: { FOXTAIL_EXPORT_DIR: exports } });
    try {
      await setUp(driver, gateway.url);
      await (await byTestId(driver, 'setup-start')).click();
      await byTestId(driver, 'composer');
      await deliver(driver, 'paste', 'image.png', 'image/png', png);
      await deliver(driver, 'drop', 'two-pages.pdf', 'application/pdf', pdf);
      await driver.wait(async () => (await driver.findElements(By.css(chips))).length === 2, 20_000, 'two chips');
      await located(driver, By.css(`${chips}[data-kind="image"] img`), 10_000);
      assert.match((await read(driver, '[data-testid="attachment-budget"]')) ?? '', /two-pages\.pdf: 2 pages/);
      await screenshot(driver, 'attachments-composer');
      await (await byTestId(driver, 'composer')).sendKeys('What are these?', Key.ENTER);
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 20_000);
      assert.equal((await driver.findElements(By.css(sentChips))).length, 2);
      assert.equal((await driver.findElements(By.css(chips))).length, 0, 'the composer is cleared');

      // What reached the gateway: the picture as image_url, the PDF's text named.
      // The setup's connection check came first: the answer's request is the last.
      const last = readdirSync(requests).filter((f) => f.endsWith('.json')).length;
      const body = JSON.parse(readFileSync(join(requests, `request-${last}.json`), 'utf8'));
      const parts = body.messages[0].content;
      assert.equal(parts[0].type, 'image_url');
      assert.match(parts[0].image_url.url, /^data:image\/(png|jpeg);base64,/);
      assert.match(parts[1].text, /^The person attached the file two-pages\.pdf \(2 pages\)\./);
      assert.match(parts[1].text, /What are these\?$/);
    } finally {
      await close();
    }

    // After a restart the message still shows its picture and its file.
    ({ driver, close } = await launchApp({ dataDir, env: { FOXTAIL_EXPORT_DIR: exports } }));
    try {
      const entry = await located(driver, By.css('[data-testid="conversation"] button'), 20_000);
      await entry.click();
      await located(driver, By.css(`${sentChips}[data-kind="image"] img`), 20_000);
      await located(driver, By.css(`${sentChips}[data-kind="document"]`), 5_000);
      await screenshot(driver, 'attachments-after-restart');

      // Export writes the Markdown and, beside it, a folder with both files.
      await (await located(driver, By.css('[data-testid="conversation"] [data-testid="export"]'))).click();
      await driver.wait(() => readdirSync(exports).some((f) => f.endsWith('.md')), 10_000, 'the export is written');
      // The files are written before the Markdown, so they are there once it is.
      const markdown = readdirSync(exports).find((f) => f.endsWith('.md')) ?? '';
      const folder = readdirSync(exports).find((f) => f.endsWith(' files')) ?? '';
      assert.ok(folder, `a folder beside ${markdown}`);
      const files = readdirSync(join(exports, folder));
      assert.equal(files.length, 2, files.join(', '));
      assert.ok(files.some((f) => f.endsWith('two-pages.pdf.txt')));
      const text = readFileSync(join(exports, markdown), 'utf8');
      assert.match(text, /!\[image\.png\]\(/);
      assert.match(text, /two-pages\.pdf/);
    } finally {
      await close();
    }
  } finally {
    gateway.stop();
  }
});
