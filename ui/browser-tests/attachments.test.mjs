// @ts-check
// Attachments in the chat window against the in-page fake backend: attached by the
// button, by pasting and by dropping; refused in plain words without losing anything;
// sent with the message, shown on it, kept by Edit, and seen again after reopening.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** A real 1×1 PNG, so the picker is given what a person would give it. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.7\n% a fake report\n');

/** @typedef {import('playwright-core').Page} Page */

const composerChips = (/** @type {Page} */ page) => page.locator('.composer [data-testid="attachment"]');
const userMessage = (/** @type {Page} */ page) => page.locator('[data-testid="message"][data-role="user"]').last();
const calls = (/** @type {Page} */ page, /** @type {string} */ cmd) =>
  page.evaluate((c) => window['foxtailMock'].control.calls.filter((call) => call.cmd === c).map((call) => call.args), cmd);

/** Pastes a picture into the message box, as a screenshot from the clipboard arrives. */
function pastePicture(/** @type {Page} */ page, /** @type {number[]} */ bytes) {
  return page.evaluate((b) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(b)], 'image.png', { type: 'image/png' }));
    const box = document.querySelector('[data-testid="composer"]');
    box?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, bytes);
}

/** Drops a file on the window, as from a file manager. */
function dropFile(/** @type {Page} */ page, /** @type {string} */ name, /** @type {string} */ text) {
  return page.evaluate(
    ([n, t]) => {
      const data = new DataTransfer();
      data.items.add(new File([t], n, { type: 'text/plain' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    [name, text],
  );
}

test('files are attached by button, paste and drop, refused in plain words, sent, shown and kept', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const attach = page.getByTestId('attach');
    assert.equal(await attach.getAttribute('aria-label'), 'Attach files');
    const hint = (await attach.getAttribute('title')) ?? '';
    for (const cap of ['30 MB', '50 MB', 'PNG, JPEG, WebP, GIF', 'PDF', '.docx', 'up to 10 files']) {
      assert.ok(hint.includes(cap), `the attach button says "${cap}": ${hint}`);
    }

    // The file picker: a picture and a PDF, each shown as being prepared first. Preparing
    // takes long enough to be seen from here on a busy machine.
    await page.evaluate(() => (window['foxtailMock'].control.attachmentDelay = 1500));
    await page.getByTestId('attach-input').setInputFiles([
      { name: 'photo.png', mimeType: 'image/png', buffer: PNG },
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await page.getByTestId('attachment-preparing').first().waitFor();
    await composerChips(page).nth(1).waitFor();
    await page.evaluate(() => (window['foxtailMock'].control.attachmentDelay = 150));
    assert.equal(await page.getByTestId('attachment-preparing').count(), 0);
    assert.deepEqual(await composerChips(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-kind'))), [
      'image',
      'document',
    ]);
    const picture = composerChips(page).and(page.locator('[data-kind="image"]'));
    await picture.locator('img').waitFor();
    assert.match((await picture.locator('img').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    const report = composerChips(page).and(page.locator('[data-kind="document"]'));
    assert.match((await report.textContent()) ?? '', /report\.pdf\s*12 pages · about 9,800 tokens/);
    const budget = page.getByTestId('attachment-budget');
    assert.equal(
      (await budget.textContent())?.trim(),
      'report.pdf: 12 pages, about 9,800 tokens · in all about 10,400 of the roughly 128,000 tokens a model reads at once',
    );
    assert.equal(await budget.getAttribute('data-over'), 'false');
    const uploads = await calls(page, 'add_attachment');
    assert.deepEqual(uploads, [
      { name: 'photo.png', size: PNG.length },
      { name: 'report.pdf', size: PDF.length },
    ]);

    // Removed with its own, named button.
    const remove = picture.getByTestId('attachment-remove');
    assert.equal(await remove.getAttribute('aria-label'), 'Remove photo.png');
    await remove.click();
    await composerChips(page).and(page.locator('[data-kind="image"]')).waitFor({ state: 'detached' });
    assert.equal(await composerChips(page).count(), 1);
    assert.match((await budget.textContent()) ?? '', /^report\.pdf: 12 pages, about 9,800 tokens of the roughly 128,000/);

    // A pasted screenshot and a dropped file join it; the drop makes no document.
    await page.getByTestId('composer').fill('Please read these');
    await pastePicture(page, [...PNG, 1, 2, 3]);
    await composerChips(page).nth(1).and(page.locator('[data-kind="image"]')).waitFor();
    await dropFile(page, 'notes.txt', 'Milk, eggs and a little flour.');
    await composerChips(page).nth(2).and(page.locator('[data-kind="document"]')).waitFor();
    assert.match((await composerChips(page).nth(2).textContent()) ?? '', /notes\.txt\s*about 8 tokens/);
    assert.deepEqual(await calls(page, 'create_document'), []);
    assert.equal(await page.getByTestId('document-view').count(), 0, 'still in the chat');

    // A refused file says why in plain words, and loses neither the text nor the others.
    await page.getByTestId('attach-input').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: PDF });
    const refused = page.getByTestId('attachment-error');
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-kind'), 'attachment_no_text');
    const refusedText = (await refused.textContent()) ?? '';
    assert.match(refusedText, /scan\.pdf could not be attached\./);
    assert.match(refusedText, /no text Foxtail can read/);
    assert.match((await refused.locator('details').textContent()) ?? '', /scan\.pdf has no text/);
    assert.equal(await page.getByTestId('composer').inputValue(), 'Please read these');
    assert.equal(await composerChips(page).count(), 3);

    // Sending carries the files, by id and name, and the message shows them above its text.
    const ids = await composerChips(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
    await page.getByTestId('send').click();
    await userMessage(page).getByTestId('attachment').nth(2).waitFor();
    const sent = await page.evaluate(() => window['foxtailMock'].control.lastSend);
    assert.equal(sent.text, 'Please read these');
    assert.deepEqual(sent.attachments, [
      { id: ids[0], name: 'report.pdf' },
      { id: ids[1], name: 'image.png' },
      { id: ids[2], name: 'notes.txt' },
    ]);
    assert.equal(await composerChips(page).count(), 0, 'sent files leave the composer');
    assert.equal(await page.getByTestId('attachment-budget').count(), 0);
    assert.equal(await page.getByTestId('attachment-error').count(), 0);
    const shown = userMessage(page).getByTestId('attachment');
    assert.deepEqual(await shown.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind'))), [
      'document',
      'image',
      'document',
    ]);
    const order = await userMessage(page).evaluate((el) => {
      const list = el.querySelector('.attachments');
      const text = el.querySelector('.user-text');
      return !!list && !!text && !!(list.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(order, 'the files come before the text');
    await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').waitFor();

    // A thumbnail opens the picture as the model got it; Escape closes it, and focus returns.
    const thumb = userMessage(page).getByTestId('attachment-open');
    await thumb.locator('img').waitFor();
    await thumb.click();
    const view = page.getByTestId('attachment-view');
    await view.waitFor();
    await view.locator('img').waitFor();
    const small = await thumb.locator('img').getAttribute('src');
    assert.notEqual(await view.locator('img').getAttribute('src'), small, 'the larger view is the full picture');
    assert.equal(await view.getAttribute('aria-label'), 'image.png');
    await page.keyboard.press('Escape');
    await view.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'attachment-open');
    assert.equal(
      await page.locator('[data-testid="message"][data-role="assistant"]').last().getAttribute('data-status'),
      'done',
      'Escape in the view did not reach the window',
    );
    // And the close button does the same.
    await thumb.click();
    await page.getByTestId('attachment-view-close').click();
    await view.waitFor({ state: 'detached' });

    // Reopened, the conversation still shows its files, without fetching the thumbnail again.
    const thumbnailsBefore = (await calls(page, 'attachment_image')).filter((a) => a.thumbnail).length;
    await page.getByTestId('new-chat').click();
    assert.equal(await page.getByTestId('message').count(), 0);
    await page.getByTestId('conversation').first().locator('.conversation-link').click();
    await userMessage(page).getByTestId('attachment').nth(2).waitFor();
    await userMessage(page).getByTestId('attachment-open').locator('img').waitFor();
    const thumbnailsAfter = (await calls(page, 'attachment_image')).filter((a) => a.thumbnail).length;
    assert.equal(thumbnailsAfter, thumbnailsBefore, 'thumbnails are kept by id');
    assert.equal(await page.getByTestId('conversation').first().locator('.title').textContent(), 'Please read these');

    // Edit keeps the files: one removed while editing, the others sent again with the new text.
    const editedId = Number(await userMessage(page).getAttribute('data-id'));
    await userMessage(page).getByTestId('edit').click();
    const editChips = userMessage(page).getByTestId('attachment');
    assert.equal(await editChips.count(), 3);
    await userMessage(page).getByRole('button', { name: 'Remove notes.txt' }).click();
    await editChips.nth(2).waitFor({ state: 'detached' });
    assert.equal(await editChips.count(), 2);
    await page.getByTestId('edit-input').fill('Only these two');
    await page.getByTestId('edit-send').click();
    // The first answer is still done on screen until the edit's send replaces it: wait for that send.
    await page.waitForFunction((id) => window['foxtailMock'].control.lastSend?.replaceFrom === id, editedId);
    await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').waitFor();
    const resent = await page.evaluate(() => window['foxtailMock'].control.lastSend);
    assert.equal(resent.text, 'Only these two');
    assert.equal(resent.replaceFrom, editedId);
    assert.deepEqual(resent.attachments, [
      { id: ids[0], name: 'report.pdf' },
      { id: ids[1], name: 'image.png' },
    ]);
    await userMessage(page).getByText('Only these two').waitFor();
    assert.equal(await userMessage(page).getByTestId('attachment').count(), 2);

    // Export names the conversation, so Rust saves its files beside the Markdown.
    await page.getByTestId('conversation').first().hover();
    await page.getByTestId('export').first().click();
    await page.getByTestId('toast').waitFor();
    const exports = await calls(page, 'save_export');
    const conversationId = await page.evaluate(() => window['foxtailMock'].control.conversations[0].id);
    assert.equal(exports.at(-1)?.conversationId, conversationId);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('too much for a model is warned about, refused on send, and nothing is lost', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('composer').fill('Summarise the book');
    await page.getByTestId('attach-input').setInputFiles([
      { name: 'long.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'photo.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await composerChips(page).nth(1).waitFor();
    const budget = page.getByTestId('attachment-budget');
    assert.equal(await budget.getAttribute('data-over'), 'true');
    assert.match((await budget.textContent()) ?? '', /in all about 130,600 of the roughly 128,000 tokens/);
    assert.match((await budget.textContent()) ?? '', /more than a model reads at once/);

    await page.getByTestId('send').click();
    const notice = page.getByTestId('notice');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('data-kind'), 'attachment_too_large');
    assert.match((await notice.locator('details').textContent()) ?? '', /about 130640 tokens/);
    assert.equal(await page.getByTestId('composer').inputValue(), 'Summarise the book');
    assert.equal(await composerChips(page).count(), 2, 'the files stay attached');
    assert.equal(await page.getByTestId('message').count(), 0);

    // A summary can go instead, said on its chip…
    await page.getByTestId('attachment-summarize').click();
    await page.getByTestId('attachment-summarize').waitFor({ state: 'detached' });
    assert.match(
      (await composerChips(page).first().getByTestId('attachment-cost').textContent()) ?? '',
      /^only a summary the model wrote of all 400 pages · about 1,200 tokens$/,
    );
    assert.equal(await budget.getAttribute('data-over'), 'false');
    // Start again with the whole book and the photo.
    while ((await composerChips(page).count()) > 0) {
      await composerChips(page).first().getByTestId('attachment-remove').click();
    }
    await page.getByTestId('attach-input').setInputFiles([
      { name: 'long.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'photo.png', mimeType: 'image/png', buffer: PNG },
    ]);
    await composerChips(page).nth(1).waitFor();
    await page.getByTestId('attachment-first-part').waitFor();

    // …or only its first pages, said on its chip: nothing is cut silently.
    await page.getByTestId('attachment-first-part').click();
    await page.getByTestId('attachment-first-part').waitFor({ state: 'detached' });
    assert.equal(await budget.getAttribute('data-over'), 'false');
    assert.match((await composerChips(page).first().getByTestId('attachment-cost').textContent()) ?? '', /^only pages 1–\d+ of 400 · about [\d,]+ tokens$/);

    // Without the long file it goes.
    await composerChips(page).first().getByTestId('attachment-remove').click();
    assert.equal(await budget.getAttribute('data-over'), 'false');
    await page.getByTestId('send').click();
    await userMessage(page).getByTestId('attachment').waitFor();
    assert.equal(await page.getByTestId('notice').count(), 0);

    // Up to ten files a message: the rest are named as left out.
    const many = Array.from({ length: 12 }, (_, i) => ({
      name: `part${i + 1}.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`part ${i + 1}`),
    }));
    await page.getByTestId('attach-input').setInputFiles(many);
    await composerChips(page).nth(9).waitFor();
    assert.equal(await composerChips(page).count(), 10);
    assert.match((await page.getByTestId('attachment-limit').textContent()) ?? '', /up to 10 files.*part11\.txt, part12\.txt/);
    assert.equal((await calls(page, 'add_attachment')).length, 2 + 2 + 10, 'the files left out were never read');
  } finally {
    await close();
  }
});

test("the model's own context is used, and a model without picture input is named before sending", async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await page.evaluate(() => {
      window['foxtailMock'].control.modelFacts = { context_length: 32_000, image_input: false };
    });
    await page.getByTestId('attach-input').setInputFiles([{ name: 'photo.png', mimeType: 'image/png', buffer: PNG }]);
    await composerChips(page).first().waitFor();
    const warning = page.getByTestId('attachment-no-pictures');
    await warning.waitFor();
    assert.match((await warning.textContent()) ?? '', /does not take pictures, so it would not see photo\.png/);
    assert.match((await page.getByTestId('attachment-budget').textContent()) ?? '', /roughly 32,000/);
    await composerChips(page).first().getByTestId('attachment-remove').click();
    assert.equal(await warning.count(), 0);
  } finally {
    await close();
  }
});

test('a Korean window speaks Korean about attachments', async () => {
  const { page, close } = await openWindow({
    locale: 'ko-KR',
    setup: (fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      fake.control.settings.language = 'ko';
    },
  });
  try {
    const attach = page.getByTestId('attach');
    assert.equal(await attach.getAttribute('aria-label'), '파일 첨부');
    assert.match((await attach.getAttribute('title')) ?? '', /30 MB까지.*50 MB까지.*10개까지/);
    await page.getByTestId('attach-input').setInputFiles([
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 scanned') },
    ]);
    await composerChips(page).first().waitFor();
    assert.match((await composerChips(page).first().textContent()) ?? '', /12쪽 · 약 9,800토큰/);
    assert.equal(
      (await page.getByTestId('attachment-budget').textContent())?.trim(),
      'report.pdf: 12쪽, 약 9,800토큰 (모델이 한 번에 읽는 양은 약 128,000토큰)',
    );
    const refused = page.getByTestId('attachment-error');
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /scan\.pdf 파일을 첨부하지 못했습니다\./);
    assert.match((await refused.textContent()) ?? '', /읽을 수 있는 글자가 없습니다/);
    assert.equal(
      await composerChips(page).getByTestId('attachment-remove').getAttribute('aria-label'),
      'report.pdf 빼기',
    );
  } finally {
    await close();
  }
});
