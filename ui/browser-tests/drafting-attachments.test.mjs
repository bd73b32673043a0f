// @ts-check
// Files under the drafting instruction ("Summarize this PDF here"), against the in-page
// fake backend: attached by the prompt's own button or by pasting a picture, sent with
// the action as `attachments`, cleared once it started, sent again by Try again and
// Refine, kept when refused; a file dropped on a document still opens as a document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.7\n% a fake report\n');

/** @typedef {import('playwright-core').Page} Page */

const bar = (/** @type {Page} */ page) => page.getByTestId('ai-bar');
const chips = (/** @type {Page} */ page) => page.getByTestId('ai-attachments').getByTestId('attachment');
const lastDraft = (/** @type {Page} */ page) => page.evaluate(() => window['foxtailMock'].control.lastDraft);
const commands = (/** @type {Page} */ page) => page.evaluate(() => window['foxtailMock'].control.calls.map((c) => c.cmd));

/** @param {Page} page @param {any[]} steps */
async function draftScript(page, steps) {
  await page.evaluate((s) => window['foxtailMock'].control.drafts.push(s), steps);
}

/** @param {string} text */
const say = (text) => [
  ...text.split(/(?<= )/).map((piece) => ({ delay: 20, events: [{ type: 'text', text: piece }] })),
  { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
];

/** @param {Page} page */
async function newDocument(page) {
  await page.getByTestId('documents').click();
  await page.getByTestId('new-document').click();
  await page.getByTestId('editor').waitFor();
  await page.getByTestId('editor').click();
}

/** Attaches files with the paper clip beside the instruction. */
async function attach(/** @type {Page} */ page, /** @type {{name: string, mimeType: string, buffer: Buffer}[]} */ files) {
  await bar(page).getByTestId('attach-input').setInputFiles(files);
}

/** Pastes a picture into the instruction, as a screenshot from the clipboard arrives. */
function pastePicture(/** @type {Page} */ page, /** @type {number[]} */ bytes) {
  return page.evaluate((b) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(b)], 'image.png', { type: 'image/png' }));
    const box = document.querySelector('[data-testid="ai-prompt"]');
    box?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, bytes);
}

test('a PDF attached under the instruction goes with Write here, again with Try again and Refine, and leaves the tray', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Notes:\n');
    const button = bar(page).getByTestId('attach');
    assert.equal(await button.getAttribute('aria-label'), 'Attach files');
    assert.match((await button.getAttribute('title')) ?? '', /Summarize this PDF here.*paste a picture into the instruction box/s);

    await attach(page, [{ name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF }]);
    await chips(page).and(page.locator('[data-kind="document"]')).waitFor();
    assert.match((await chips(page).textContent()) ?? '', /report\.pdf\s*12 pages · about 9,800 tokens/);
    assert.match((await page.getByTestId('attachment-budget').textContent()) ?? '', /^\s*report\.pdf: 12 pages, about 9,800 tokens of the roughly 128,000/);
    const id = await chips(page).getAttribute('data-id');
    assert.ok(id);

    await page.getByTestId('ai-prompt').fill('Summarize this PDF here');
    await draftScript(page, say('The report finds three things.'));
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-accept').waitFor();
    const sent = await lastDraft(page);
    assert.equal(sent.action, 'write');
    assert.equal(sent.instruction, 'Summarize this PDF here');
    assert.equal(sent.before, 'Notes:\n');
    assert.deepEqual(sent.attachments, [{ id, name: 'report.pdf' }]);
    // Sent: the chips are gone, and the pending change says which files it was made from.
    assert.equal(await page.getByTestId('ai-attachments').count(), 0);
    assert.equal((await page.getByTestId('ai-files').textContent())?.trim(), 'Files given to the model: report.pdf');

    // Try again sends the same files.
    await draftScript(page, say('Three findings.'));
    await page.getByTestId('ai-retry').click();
    await page.getByTestId('ai-version').getByText('2 of 2').waitFor();
    await page.getByTestId('ai-accept').waitFor();
    const again = await lastDraft(page);
    assert.equal(again.instruction, 'Summarize this PDF here');
    assert.deepEqual(again.attachments, [{ id, name: 'report.pdf' }]);

    // Refine sends them too, with a picture pasted into the instruction meanwhile.
    await pastePicture(page, [...PNG]);
    await chips(page).and(page.locator('[data-kind="image"]')).waitFor();
    assert.equal(await page.getByTestId('ai-prompt').inputValue(), 'Summarize this PDF here', 'the paste typed nothing');
    const pictureId = await chips(page).getAttribute('data-id');
    await page.getByTestId('ai-prompt').fill('add what the chart shows');
    await draftScript(page, say('Three findings, and a rising chart.'));
    await page.getByTestId('ai-refine').click();
    await page.getByTestId('ai-version').getByText('3 of 3').waitFor();
    await page.getByTestId('ai-accept').waitFor();
    const refined = await lastDraft(page);
    assert.equal(refined.refinement, 'add what the chart shows');
    assert.equal(refined.previous, 'Three findings.');
    assert.deepEqual(refined.attachments, [
      { id, name: 'report.pdf' },
      { id: pictureId, name: 'image.png' },
    ]);
    assert.equal(await page.getByTestId('ai-attachments').count(), 0);

    await page.getByTestId('ai-accept').click();
    await page.getByTestId('ai-files').waitFor({ state: 'detached' });
    // Nothing attached, nothing sent: the request is as it always was.
    await draftScript(page, say('More.'));
    await page.locator('[data-testid="ai-action"][data-action="continue"]').click();
    await page.getByTestId('ai-accept').waitFor();
    assert.equal('attachments' in (await lastDraft(page)), false);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a refused file or a refused draft keeps the instruction and the other files', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.getByTestId('ai-prompt').fill('Summarize this PDF here');
    await attach(page, [
      { name: 'report.pdf', mimeType: 'application/pdf', buffer: PDF },
      { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% only pictures\n') },
    ]);
    const refused = page.getByTestId('ai-attachments').getByTestId('attachment-error');
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-kind'), 'attachment_no_text');
    assert.match((await refused.textContent()) ?? '', /scan\.pdf could not be attached\./);
    await chips(page).and(page.locator('[data-kind="document"]')).waitFor();
    assert.equal(await chips(page).count(), 1);
    assert.equal(await page.getByTestId('ai-prompt').inputValue(), 'Summarize this PDF here');
    assert.equal((await commands(page)).includes('draft_action'), false);

    // More than a model reads at once: the draft is refused, and nothing is lost.
    await attach(page, [{ name: 'long.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% 400 pages\n') }]);
    await chips(page).nth(1).waitFor();
    assert.equal(await page.getByTestId('attachment-budget').getAttribute('data-over'), 'true');
    await page.getByTestId('ai-run').click();
    const error = page.getByTestId('draft-error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-kind'), 'attachment_too_large');
    assert.equal((await lastDraft(page)).attachments.length, 2);
    assert.equal(await chips(page).count(), 2, 'the files stay attached');
    assert.equal(await page.getByTestId('ai-prompt').inputValue(), 'Summarize this PDF here');

    // Without the long one, the same instruction goes with the report.
    await page.getByTestId('ai-discard').click();
    await chips(page).nth(1).getByTestId('attachment-remove').click();
    await chips(page).nth(1).waitFor({ state: 'detached' });
    await draftScript(page, say('A short summary.'));
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-accept').waitFor();
    assert.deepEqual(
      (await lastDraft(page)).attachments.map((/** @type {any} */ a) => a.name),
      ['report.pdf'],
    );
    assert.equal(await page.getByTestId('ai-attachments').count(), 0);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a file dropped on a document still opens as a document, not as an attachment', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['milk\neggs'], 'Shopping.txt', { type: 'text/plain' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.getByTestId('document').getByText('Shopping').waitFor();
    await page.getByTestId('editor').getByText('eggs').waitFor();
    assert.equal(await page.getByTestId('ai-attachments').count(), 0);
    assert.equal((await commands(page)).includes('add_attachment'), false);
  } finally {
    await close();
  }
});
