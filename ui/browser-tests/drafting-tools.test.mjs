// @ts-check
// A draft that uses tools, in the window against the in-page fake backend: the call asks
// in a bar under the pending change, with the same buttons as a chat's card, and only
// the model's text reaches the document. Which calls ask is Rust's to decide; an
// instruction containing "use the lookup tool" or "use the delete tool" scripts one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** @typedef {import('playwright-core').Page} Page */

async function newDocument(/** @type {Page} */ page) {
  await page.getByTestId('documents').click();
  await page.getByTestId('new-document').click();
  await page.getByTestId('editor').waitFor();
  await page.getByTestId('editor').click();
}

const docOf = (/** @type {Page} */ page) => page.evaluate(() => window['foxtailMock'].control.documents.at(-1)?.content);

/** Waits until the fake backend holds `expected` as the document's text. */
async function waitSaved(/** @type {Page} */ page, /** @type {string} */ expected) {
  await page
    .waitForFunction((text) => window['foxtailMock'].control.documents.at(-1)?.content === text, expected, { timeout: 5000 })
    .catch(async () => assert.equal(await docOf(page), expected));
}

const lastAnswer = (/** @type {Page} */ page) =>
  page.evaluate(() => window['foxtailMock'].control.calls.filter((c) => c.cmd === 'answer_tool_call').at(-1)?.args);

async function draft(/** @type {Page} */ page, /** @type {string} */ instruction) {
  await page.getByTestId('ai-prompt').fill(instruction);
  await page.getByTestId('ai-run').click();
}

const asking = (/** @type {Page} */ page) => page.getByTestId('draft-tool').and(page.locator('[data-state="asking"]'));

test('a draft asks before a tool runs: allowed, its result informs the text; denied, it goes on without; only text is written', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Notes:');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');

    await draft(page, 'Say what x is; use the lookup tool');
    const bar = asking(page);
    await bar.waitFor();
    assert.equal(await bar.getByTestId('draft-tool-question').textContent(), 'The model wants to use “lookup” from “Test server”.');
    assert.deepEqual(await bar.getByTestId('tool-arguments').locator('div').allTextContents(), ['key: x', 'options: {"exact":true}']);
    for (const id of ['tool-approve', 'tool-approve-chat', 'tool-approve-always', 'tool-deny']) {
      assert.ok(await bar.getByTestId(id).isVisible(), `${id} is shown`);
    }
    assert.equal(await bar.getByTestId('tool-destructive').count(), 0);
    assert.equal(await page.getByTestId('pending-bar').getAttribute('data-status'), 'streaming');
    assert.match((await page.getByTestId('pending-bar').textContent()) ?? '', /Waiting for your answer…/);
    assert.ok(await page.getByTestId('ai-stop').isVisible(), 'Stop works while it asks');
    assert.equal(await page.getByTestId('ai-pending').count(), 0, 'the call and its arguments are not in the document');

    // The tool runs long enough to be seen running from here on a busy machine.
    await page.evaluate(() => (window['foxtailMock'].control.toolRunDelay = 2000));
    await bar.getByTestId('tool-approve').click();
    const running = page.getByTestId('draft-tool').and(page.locator('[data-state="running"]'));
    await running.waitFor();
    assert.equal(((await running.textContent()) ?? '').trim(), 'Using “lookup”…');
    await page.getByTestId('ai-accept').waitFor();
    assert.equal(await page.getByTestId('draft-tool').count(), 0, 'the bar goes once the result is in');
    assert.equal(await page.getByTestId('draft-tool-note').count(), 0, 'a call that worked needs no line');
    const answered = await lastAnswer(page);
    assert.equal(answered?.decision, 'once');
    assert.match(answered?.callId ?? '', /^call_\d+$/);
    assert.equal(await page.getByTestId('ai-pending').textContent(), 'The value of x is 42.');
    await page.getByTestId('ai-accept').click();
    await waitSaved(page, 'Notes:\n\nThe value of x is 42.');

    // A tool that can delete: warned, no "Always allow"; denied, the draft goes on.
    await page.getByTestId('editor').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await draft(page, 'Tidy up; use the delete tool');
    await asking(page).waitFor();
    assert.equal(await asking(page).getByTestId('tool-destructive').textContent(), 'This tool can change or delete things.');
    assert.equal(await asking(page).getByTestId('tool-approve-always').count(), 0);
    assert.ok(await asking(page).getByTestId('tool-approve-chat').isVisible());
    await asking(page).getByTestId('tool-deny').click();
    await page.getByTestId('ai-accept').waitFor();
    assert.equal((await lastAnswer(page))?.decision, 'deny');
    assert.equal(await page.getByTestId('draft-tool').count(), 0);
    assert.equal(
      ((await page.getByTestId('draft-tool-note').textContent()) ?? '').trim(),
      'You declined “delete_note”; the model went on without it.',
    );
    assert.equal(await page.getByTestId('ai-pending').textContent(), 'The note stays as it is.');
    await page.getByTestId('ai-accept').click();
    assert.equal(await page.getByTestId('draft-tool-note').count(), 0, 'the line goes with the change');

    const expected = 'Notes:\n\nThe value of x is 42.\n\nThe note stays as it is.';
    await waitSaved(page, expected);
    const shown = await page.evaluate(() => [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent).join('\n'));
    assert.equal(shown, expected, 'no arguments, results or refusals reached the document');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('Stop ends a draft that is asking, in Korean too, and the call waits no more', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey, locale: 'ko-KR' });
  try {
    await newDocument(page);
    await draft(page, 'use the lookup tool');
    const bar = asking(page);
    await bar.waitFor();
    assert.equal(await bar.getByTestId('draft-tool-question').textContent(), '모델이 “Test server”의 “lookup” 도구를 쓰려고 합니다.');
    assert.equal(await bar.getByTestId('tool-approve').textContent().then((s) => s?.trim()), '한 번 허용');
    assert.match((await page.getByTestId('pending-bar').textContent()) ?? '', /답을 기다리는 중…/);

    await page.getByTestId('ai-stop').click();
    await page.getByTestId('pending-bar').and(page.locator('[data-status="interrupted"]')).waitFor();
    assert.equal(await page.getByTestId('draft-tool').count(), 0, 'the bar goes with the run');
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.waiting.size), 0);
    assert.ok(
      await page.evaluate(() => window['foxtailMock'].control.calls.some((c) => c.cmd === 'stop_draft')),
      'Rust was told to stop',
    );
    await page.getByTestId('ai-discard').click();
    assert.equal(await page.getByTestId('ai-pending').count(), 0);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});
