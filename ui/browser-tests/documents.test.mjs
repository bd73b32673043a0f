// @ts-check
// Documents in the window: the sidebar section, the model's actions with their pending
// controls, saving, export and import, against the in-page fake backend.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

const shots = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'ui');

/** @param {import('playwright-core').Page} page */
const savedDoc = (page, at = -1) => page.evaluate((at) => window['foxtailMock'].control.documents.at(at)?.content, at);

/** Waits until the fake backend holds `expected` as the text of the last document (or the one `at`). */
async function waitSaved(/** @type {import('playwright-core').Page} */ page, /** @type {string} */ expected, at = -1) {
  await page
    .waitForFunction(([text, at]) => window['foxtailMock'].control.documents.at(at)?.content === text, [expected, at], { timeout: 5000 })
    .catch(async () => assert.equal(await savedDoc(page, at), expected));
}

/** @param {import('playwright-core').Page} page @param {any[]} steps */
async function draftScript(page, steps) {
  await page.evaluate((s) => window['foxtailMock'].control.drafts.push(s), steps);
}

/**
 * A draft that writes `text` a word at a time and ends `endAfter` ms after its last word:
 * a test that looks at the draft while it writes holds it open that long.
 * @param {string} text
 */
const say = (text, endAfter = 10) => [
  ...text.split(/(?<= )/).map((piece) => ({ delay: 30, events: [{ type: 'text', text: piece }] })),
  { delay: endAfter, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
];

/**
 * Saving a document's text (and, unless told otherwise, its pending change) fails as on a
 * full disk until `full` is false again.
 * @param {import('playwright-core').Page} page @param {boolean} full
 */
async function fillDisk(page, full, { pending = true } = {}) {
  await page.evaluate(
    ([full, pending]) => {
      const control = window['foxtailMock'].control;
      const report = { kind: 'disk_full', message: 'No space left on device (os error 28)' };
      control.failing = full ? { edit_document: report, save_document: report, ...(pending ? { save_document_pending: report } : {}) } : {};
    },
    [full, pending],
  );
}

/**
 * A new document holding "Dear Mina, ", saved, and the model's "Thanks for the invite."
 * waiting to be accepted, saved as its pending change.
 * @param {import('playwright-core').Page} page
 */
async function thanksPending(page) {
  await newDocument(page);
  await page.keyboard.type('Dear Mina, ');
  await waitSaved(page, 'Dear Mina, ');
  await draftScript(page, say('Thanks for the invite.'));
  await page.getByTestId('ai-prompt').fill('thank her');
  await page.getByTestId('ai-run').click();
  await thanksStored(page);
}

/** @param {import('playwright-core').Page} page */
async function thanksStored(page) {
  await page.waitForFunction(() => /Thanks for the invite\./.test(window['foxtailMock'].control.documents.at(-1)?.pending ?? ''), null, {
    timeout: 5000,
  });
}

/**
 * A new document holding `saved`, saved, and `more` typed after it while the disk is full,
 * until the window says that typing is not saved.
 * @param {import('playwright-core').Page} page
 * @param {string} saved
 * @param {string} more
 */
async function typedOnFullDisk(page, saved, more) {
  await newDocument(page);
  await page.keyboard.type(saved);
  await waitSaved(page, saved);
  await fillDisk(page, true);
  await page.keyboard.type(more);
  await page.getByTestId('draft-not-saved').waitFor();
}

/**
 * A document holding "First words." saved and " More." typed while the disk is full, left
 * for a new document: returns the window's notice that the closed document is not saved.
 * @param {import('playwright-core').Page} page
 */
async function typingLeftUnsaved(page) {
  await typedOnFullDisk(page, 'First words.', ' More.');
  await page.getByTestId('new-document').click();
  const closedNotice = page.getByTestId('closed-draft-not-saved');
  await closedNotice.waitFor();
  return closedNotice;
}

/** @param {import('playwright-core').Page} page */
async function newDocument(page) {
  await page.getByTestId('documents').click();
  await page.getByTestId('new-document').click();
  await page.getByTestId('editor').waitFor();
  await page.getByTestId('editor').click();
}

test('write at the cursor, accept as one undo step, and the document is saved', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Dear Mina,');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await draftScript(page, say('I cannot come on Friday.', 2000));
    await page.getByTestId('ai-prompt').fill('decline Friday politely');
    await page.getByTestId('ai-run').click();
    const pending = page.getByTestId('ai-pending');
    await pending.and(page.locator('[data-status="streaming"]')).waitFor();
    await page.getByTestId('ai-stop').waitFor();
    await page.getByTestId('ai-accept').waitFor();
    assert.match((await pending.textContent()) ?? '', /I cannot come on Friday\./);
    const request = await page.evaluate(() => window['foxtailMock'].control.draftRequests.at(-1));
    assert.equal(request.action, 'write');
    assert.equal(request.instruction, 'decline Friday politely');
    assert.equal(request.before, 'Dear Mina,\n\n');

    // The pending text is not saved until it is accepted.
    await page.waitForTimeout(700);
    assert.equal(await savedDoc(page), 'Dear Mina,\n\n');
    await page.getByTestId('ai-accept').click();
    assert.equal(await page.getByTestId('ai-pending').count(), 0);
    await waitSaved(page, 'Dear Mina,\n\nI cannot come on Friday.');
    // Counted once typing pauses.
    await page.getByTestId('word-count').filter({ hasText: /7 words/ }).waitFor({ timeout: 5_000 });

    await page.getByTestId('editor').focus();
    await page.keyboard.press('Control+z');
    // One undo takes the whole change back.
    await waitSaved(page, 'Dear Mina,\n\n');
    await page.keyboard.press('Control+Shift+Z');
    await waitSaved(page, 'Dear Mina,\n\nI cannot come on Friday.');
    assert.equal(await page.getByTestId('document').count(), 1);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('typing sends only what was typed; a save the backend refuses sends the whole document', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    const long = Array.from({ length: 2000 }, (_, i) => `Line ${i} of a long document, 회의 😀.`).join('\n');
    await page.evaluate((text) => {
      const doc = window['foxtailMock'].control.documents.at(-1);
      doc.content = text;
    }, long);
    // Opened again, so that the editor holds the long text.
    await page.getByTestId('new-document').click();
    await page.getByTestId('document').nth(1).locator('.conversation-link').click();
    await page.getByTestId('editor').getByText('Line 0 of a long').waitFor();
    await page.getByTestId('editor').getByText('Line 0 of a long').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Typed.');
    const typed = long.replace('😀.', '😀. Typed.');
    await waitSaved(page, typed, -2);
    const saves = () =>
      page.evaluate(() =>
        window['foxtailMock'].control.calls.filter((c) => c.cmd === 'edit_document' || c.cmd === 'save_document').map((c) => ({ cmd: c.cmd, ...c.args })),
      );
    const edits = await saves();
    assert.ok(edits.length > 0);
    assert.ok(
      edits.every((c) => c.cmd === 'edit_document' && c.text.length < 10),
      `typing sent only the typed characters: ${JSON.stringify(edits.map((c) => c.text ?? c.size))}`,
    );

    // The saved text changed behind the window's back (as if another save were lost): the
    // edit is refused, and the window saves the whole document instead.
    await page.evaluate(() => {
      window['foxtailMock'].control.documents.at(-2).content = 'Something else.';
      window['foxtailMock'].control.calls.length = 0;
    });
    await page.keyboard.type(' More.');
    await waitSaved(page, typed.replace('Typed.', 'Typed. More.'), -2);
    const after = (await saves()).map((c) => c.cmd);
    assert.deepEqual(after.slice(0, 2), ['edit_document', 'save_document'], 'refused, then saved whole');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a document deleted right after typing comes back whole with Undo', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Typed just before the delete.');
    // Within the half second before the typing is saved.
    await page.getByTestId('document').first().getByTestId('delete').dispatchEvent('click');
    await page.getByTestId('undo').click();
    await page.getByTestId('document').first().locator('.conversation-link').click();
    await page.getByTestId('editor').getByText('Typed just before the delete.').waitFor({ timeout: 3000 });
    assert.equal(await savedDoc(page), 'Typed just before the delete.');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('closing the window right after typing saves the typing first, then closes', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Typed before.');
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-1)?.content === 'Typed before.');
    // More words, and within the half second before they are saved the person closes the
    // window: Rust tells the window once, on the channel it gave. Both happen in the page,
    // so that no round trip from the test, slow on a busy machine, comes between them.
    const toldAt = await page.evaluate(async () => {
      document.execCommand('insertText', false, ' Typed just before closing.');
      // CodeMirror reads the change from the page in a moment; then it waits to be saved.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const saved = window['foxtailMock'].control.documents.at(-1)?.content;
      window['foxtailMock'].control.closing.onmessage(null);
      return saved;
    });
    assert.equal(toldAt, 'Typed before.', 'the new words were not saved yet when the close came');
    await page.waitForFunction(() => window['foxtailMock'].control.closed, null, { timeout: 3000 });
    assert.equal(await savedDoc(page), 'Typed before. Typed just before closing.');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a document that cannot be saved says so, keeps its accepted change, stays open once, and is saved when it can be', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    // The disk fills once the pending change is saved (every second while it waits).
    await thanksPending(page);
    // The pending change could still be saved: what keeps it is the wait for the text.
    await fillDisk(page, true, { pending: false });
    await page.getByTestId('ai-accept').click();

    const notice = page.getByTestId('draft-not-saved');
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /not saved yet/);
    assert.equal(await notice.getAttribute('data-kind'), 'disk_full');
    // The pending change is saved every second; the accepted one is not cleared while the
    // document holding it is unsaved, so a crash now would bring it back.
    await page.waitForTimeout(1500);
    const stored = await page.evaluate(() => window['foxtailMock'].control.documents.at(-1));
    assert.equal(stored.content, 'Dear Mina, ');
    assert.match(stored.pending, /Thanks for the invite\./);

    // Closed while it cannot be saved: the window stays open once and says why.
    await page.evaluate(() => window['foxtailMock'].control.closing.onmessage(null));
    await page.waitForFunction(() => window['foxtailMock'].control.keptOpen === 1, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.closed), false);
    await notice.filter({ hasText: /stayed open/ }).waitFor();
    // Closed again: it quits.
    await page.evaluate(() => window['foxtailMock'].control.closing.onmessage(null));
    await page.waitForFunction(() => window['foxtailMock'].control.closed, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.keptOpen), 1);

    // The disk has room again: the save is tried again without a key pressed, and then
    // the accepted change is cleared.
    await fillDisk(page, false);
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-1)?.content === 'Dear Mina, Thanks for the invite.', null, {
      timeout: 20_000,
    });
    await notice.waitFor({ state: 'detached' });
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-1)?.pending === '', null, { timeout: 3000 });
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test("a model's change that cannot be saved keeps the window open once, and is saved when it can be", async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Dear Mina, ');
    await waitSaved(page, 'Dear Mina, ');
    // Only the pending change fails: the typing is saved, so only the change can hold the close.
    await page.evaluate(() => {
      window['foxtailMock'].control.failing = { save_document_pending: { kind: 'disk_full', message: 'No space left on device (os error 28)' } };
    });
    await draftScript(page, say('Thanks for the invite.'));
    await page.getByTestId('ai-prompt').fill('thank her');
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-accept').waitFor();
    const notice = page.getByTestId('draft-error');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('data-kind'), 'disk_full');

    await page.evaluate(() => window['foxtailMock'].control.closing.onmessage(null));
    await page.waitForFunction(() => window['foxtailMock'].control.keptOpen === 1, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.closed), false);
    await notice.filter({ hasText: /stayed open/ }).waitFor();
    assert.equal(await page.getByTestId('draft-not-saved').count(), 0, 'the typing is saved');
    // Typing saved meanwhile does not take back why the window stayed open.
    await page.getByTestId('editor').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('P.S. ');
    await page.waitForFunction(() => /^P\.S\. /.test(window['foxtailMock'].control.documents.at(-1)?.content ?? ''), null, { timeout: 5000 });
    await page.waitForTimeout(300);
    assert.match((await notice.textContent()) ?? '', /stayed open/);

    // Room again: the change is saved by its own timer, the notice goes, and a close quits.
    await page.evaluate(() => {
      window['foxtailMock'].control.failing = {};
    });
    await thanksStored(page);
    await notice.waitFor({ state: 'detached' });
    await page.evaluate(() => window['foxtailMock'].control.closing.onmessage(null));
    await page.waitForFunction(() => window['foxtailMock'].control.closed, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.keptOpen), 1);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('an accepted change whose clearing cannot be saved is not offered again when its document is left and reopened', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await thanksPending(page);
    // Only the pending change's save fails: the text with the change in it is saved, the
    // change stays stored as waiting.
    await fillDisk(page, true, { pending: true });
    await page.evaluate(() => {
      const control = window['foxtailMock'].control;
      control.failing = { save_document_pending: control.failing.save_document_pending };
    });
    await page.getByTestId('ai-accept').click();
    await waitSaved(page, 'Dear Mina, Thanks for the invite.');
    await page.getByTestId('draft-error').waitFor();

    // Left for another document while the clearing cannot be saved: kept, said, tried again.
    await page.getByTestId('new-document').click();
    await page.getByTestId('closed-draft-not-saved').waitFor();
    assert.match(await page.evaluate(() => window['foxtailMock'].control.documents.at(-2)?.pending ?? ''), /Thanks/);
    await fillDisk(page, false);
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-2)?.pending === '', null, { timeout: 20_000 });
    await page.getByTestId('closed-draft-not-saved').waitFor({ state: 'detached' });

    // Opened again: the text as accepted, and no change offered to accept a second time.
    /** @type {import('playwright-core').Locator} */
    const first = page.getByTestId('document').locator('.conversation-link').nth(1);
    await first.click();
    await page.getByTestId('editor').getByText('Dear Mina, Thanks for the invite.').waitFor();
    await page.waitForTimeout(500);
    assert.equal(await page.getByTestId('ai-accept').count(), 0);
    assert.equal(await savedDoc(page, -2), 'Dear Mina, Thanks for the invite.');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test("a document left with only its model's change not saved comes back with that change's notice, and its saved text is not saved again", async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await thanksPending(page);
    await page.evaluate(() => {
      window['foxtailMock'].control.failing = { save_document_pending: { kind: 'disk_full', message: 'No space left on device (os error 28)' } };
    });
    await page.getByTestId('ai-accept').click();
    await waitSaved(page, 'Dear Mina, Thanks for the invite.');
    await page.getByTestId('draft-error').waitFor();
    await page.getByTestId('new-document').click();
    await page.getByTestId('closed-draft-not-saved').waitFor();
    const leftAt = await page.evaluate(() => window['foxtailMock'].control.calls.length);
    // Tried again while closed: the change only.
    await page.waitForFunction(
      (from) => window['foxtailMock'].control.calls.slice(from).some((c) => c.cmd === 'save_document_pending'),
      leftAt,
      { timeout: 10_000 },
    );

    // Opened again while the change still cannot be saved: the change's failure is said,
    // not the typing's, which went through.
    await page.getByTestId('document').locator('.conversation-link').nth(1).click();
    await page.getByTestId('editor').getByText('Dear Mina, Thanks for the invite.').waitFor();
    await page.getByTestId('draft-error').filter({ hasText: /No space left|disk/i }).waitFor();
    assert.equal(await page.getByTestId('draft-not-saved').count(), 0);

    // Room again: the clearing goes through, the notice goes, and the text was never sent again.
    await page.evaluate(() => (window['foxtailMock'].control.failing = {}));
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-2)?.pending === '', null, { timeout: 20_000 });
    await page.getByTestId('draft-error').waitFor({ state: 'detached' });
    const resent = await page.evaluate(
      (from) => window['foxtailMock'].control.calls.slice(from).filter((c) => c.cmd === 'save_document' || c.cmd === 'edit_document').length,
      leftAt,
    );
    assert.equal(resent, 0, 'the saved text was saved again');
    assert.equal(await page.getByTestId('ai-accept').count(), 0);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('typing saved as its document is left goes to that document, not the next one', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('The first document.');
    await waitSaved(page, 'The first document.');
    await page.getByTestId('new-document').click();
    await page.getByTestId('editor').click();
    await page.keyboard.type('The second one.');
    await waitSaved(page, 'The second one.');
    // Typed, and within the half second before it is saved, the first document opened:
    // both in the page, so that no round trip from the test comes between them.
    const savedWhenLeft = await page.evaluate(async () => {
      document.execCommand('insertText', false, ' More.');
      await new Promise((resolve) => setTimeout(resolve, 0));
      const saved = window['foxtailMock'].control.documents.at(-1)?.content;
      /** @type {HTMLElement | null} */ (document.querySelectorAll('[data-testid="document"] .conversation-link')[1] ?? null)?.click();
      return saved;
    });
    assert.equal(savedWhenLeft, 'The second one.', 'left before the typing was saved');
    await page.getByTestId('editor').getByText('The first document.').waitFor();
    await waitSaved(page, 'The second one. More.');
    assert.equal(await savedDoc(page, -2), 'The first document.');
    assert.equal(await page.getByTestId('editor').textContent(), 'The first document.');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('typing a closed document could not save is kept, said, given back when it is opened, and saved when it can be', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    // Another document opened while the disk is full: the view is gone, its typing is not.
    const closedNotice = await typingLeftUnsaved(page);
    assert.match((await closedNotice.textContent()) ?? '', /document you closed/);
    assert.equal(await closedNotice.getAttribute('data-kind'), 'disk_full');
    // Closed: the window stays open, and says to open the document to copy the text.
    await page.evaluate(() => window['foxtailMock'].control.closing.onmessage(null));
    await closedNotice.filter({ hasText: /Open it to copy/ }).waitFor();
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.keptOpen), 1);

    // Opened again, it shows the typing, and says again that it is not saved.
    await page.getByTestId('document').nth(1).locator('.conversation-link').click();
    await page.getByTestId('editor').getByText('First words. More.').waitFor();
    await page.getByTestId('draft-not-saved').waitFor();
    assert.equal(await closedNotice.count(), 0);
    assert.equal(await savedDoc(page, -2), 'First words.');
    // Having done as told, the person closes again, and the window quits.
    await page.evaluate(() => window['foxtailMock'].control.closing.onmessage(null));
    await page.waitForFunction(() => window['foxtailMock'].control.closed, null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.keptOpen), 1);

    // Left again, and the disk has room: saved in the background.
    await page.getByTestId('document').nth(0).locator('.conversation-link').click();
    await closedNotice.waitFor();
    await fillDisk(page, false);
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-2)?.content === 'First words. More.', null, { timeout: 15_000 });
    await closedNotice.waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a document left before its text arrives takes nothing from the typing kept for it', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const closedNotice = await typingLeftUnsaved(page);

    // The first document opened, and left for the second before its text arrives: the
    // view that never showed it must not take its kept typing with it.
    await page.evaluate(async () => {
      window['foxtailMock'].control.openDelay = 400;
      const links = () => document.querySelectorAll('[data-testid="document"] .conversation-link');
      /** @type {HTMLElement} */ (links()[1]).click();
      await new Promise((resolve) => setTimeout(resolve, 50));
      /** @type {HTMLElement} */ (links()[0]).click();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      window['foxtailMock'].control.openDelay = 0;
    });
    assert.equal(await page.getByTestId('editor').count(), 1);
    assert.equal(await closedNotice.count(), 1, 'the kept typing is still said');

    // Room again: the kept typing is saved.
    await fillDisk(page, false);
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-2)?.content === 'First words. More.', null, { timeout: 15_000 });
    await closedNotice.waitFor({ state: 'detached' });
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('typing not saved when its document is deleted comes back with Undo', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await typedOnFullDisk(page, 'Kept.', ' Through a delete.');
    await page.getByTestId('document').first().getByTestId('delete').dispatchEvent('click');
    const closedNotice = page.getByTestId('closed-draft-not-saved');
    await closedNotice.waitFor();
    // The disk has room, and the save tried again finds no document: nothing is said of
    // it any more, and it waits for Undo.
    await fillDisk(page, false);
    await closedNotice.waitFor({ state: 'detached', timeout: 7000 });
    assert.equal(await savedDoc(page), 'Kept.');
    await page.getByTestId('undo').click();
    await waitSaved(page, 'Kept. Through a delete.');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('an action on a selection shows the original, makes versions, and discards exactly', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    const original = 'First line.\nA long and rather winding sentence that could be shorter.';
    await page.keyboard.type(original);
    // Select the second line.
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await draftScript(page, say('A shorter sentence.'));
    await page.locator('[data-testid="ai-action"][data-action="shorter"]').click();
    await page.getByTestId('ai-accept').waitFor();
    assert.match((await page.getByTestId('ai-original').textContent()) ?? '', /rather winding/);
    assert.match((await page.getByTestId('ai-pending').textContent()) ?? '', /A shorter sentence\./);

    await draftScript(page, say('Shorter.'));
    await page.getByTestId('ai-retry').click();
    await page.getByTestId('ai-version').getByText('2 of 2').waitFor();
    await page.getByTestId('ai-accept').waitFor();
    assert.match((await page.getByTestId('ai-pending').textContent()) ?? '', /^Shorter\.$/);

    await draftScript(page, say('Shorter, friendlier.'));
    await page.getByTestId('ai-prompt').fill('friendlier');
    await page.getByTestId('ai-refine').click();
    await page.getByTestId('ai-version').getByText('3 of 3').waitFor();
    await page.getByTestId('ai-accept').waitFor();
    const refine = await page.evaluate(() => window['foxtailMock'].control.draftRequests.at(-1));
    assert.equal(refine.previous, 'Shorter.');
    assert.equal(refine.refinement, 'friendlier');

    await page.getByTestId('ai-discard').click();
    assert.equal(await page.getByTestId('ai-pending').count(), 0);
    const text = await page.evaluate(() =>
      [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent).join('\n'),
    );
    assert.equal(text, original);
  } finally {
    await close();
  }
});

test('stop keeps the text pending, errors are plain, and model output stays text', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    const words = Array.from({ length: 100 }, (_, i) => `w${i} `).join('');
    await draftScript(page, say(words));
    await page.getByTestId('ai-prompt').fill('go on');
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-pending').getByText('w3').waitFor();
    await page.getByTestId('ai-stop').click();
    await page.getByTestId('pending-bar').and(page.locator('[data-status="interrupted"]')).waitFor();
    const kept = (await page.getByTestId('ai-pending').textContent()) ?? '';
    await page.waitForTimeout(200);
    assert.equal(await page.getByTestId('ai-pending').textContent(), kept, 'nothing arrives after Stop');
    await page.getByTestId('ai-discard').click();

    await draftScript(page, [{ delay: 10, events: [{ type: 'error', kind: 'rate_limit', message: 'Too many requests', status: 429 }] }]);
    await page.getByTestId('ai-run').click();
    const error = page.getByTestId('draft-error');
    await error.waitFor();
    assert.match((await error.locator('p').textContent()) ?? '', /The service is busy/);
    await page.getByTestId('ai-discard').click();

    // Nothing selected: the window says so and sends nothing.
    const before = await page.evaluate(() => window['foxtailMock'].control.draftRequests.length);
    await page.locator('[data-testid="ai-action"][data-action="improve"]').click();
    await page.getByTestId('draft-error').getByText('Select the text').waitFor();
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.draftRequests.length), before);

    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    await draftScript(page, say('<script>window.pwned=1</script> <img src="https://evil.example/x.png" onerror="window.pwned=2"> ![x](https://evil.example/y.png)'));
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-accept').waitFor();
    await page.getByTestId('ai-accept').click();
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window['pwned']), undefined);
    assert.equal(await page.locator('.cm-content img, .cm-content script').count(), 0);
    assert.deepEqual(requests.filter((u) => u.includes('evil.example')), []);
  } finally {
    await close();
  }
});

test('export, copy as formatted text, import a file, open an answer as a document', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('documents').click();
    await page.locator('input[type="file"]').setInputFiles({
      name: 'Trip notes.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Busan\n\n- **Haeundae** beach\n- 자갈치 시장\n'),
    });
    await page.getByTestId('document').getByText('Trip notes').waitFor();
    await page.getByTestId('editor').getByText('Haeundae').waitFor();
    await page.getByTestId('export').click();
    await page.getByTestId('copy-formatted').click();
    const html = await page.evaluate(() => window['foxtailMock'].control.clipboardHtml);
    assert.match(html, /<h1>Busan<\/h1>/);
    assert.match(html, /<strong>Haeundae<\/strong>/);
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.clipboard), 'Busan\n\nHaeundae beach\n자갈치 시장\n');
    await page.getByTestId('export').click();
    await page.getByTestId('export-md').click();
    await page.getByTestId('toast').getByText('Trip notes.md').waitFor();

    // Dropping a file on the window imports it too; other files are refused in words.
    const drop = (name, text) =>
      page.evaluate(
        ([n, t]) => {
          const data = new DataTransfer();
          data.items.add(new File([t], n, { type: 'text/plain' }));
          window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
        },
        [name, text],
      );
    await drop('Shopping.txt', 'milk\neggs');
    await page.getByTestId('document').getByText('Shopping').waitFor();
    await page.getByTestId('editor').getByText('eggs').waitFor();
    await drop('photo.png', 'not text');
    await page.getByTestId('toast').getByText('only .md and .txt').waitFor();

    // A chat answer becomes a document.
    await page.getByTestId('chats').click();
    await page.getByTestId('composer').fill('Hi');
    await page.getByTestId('composer').press('Enter');
    await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').waitFor();
    await page.getByTestId('open-as-document').click();
    await page.getByTestId('document-view').waitFor();
    assert.equal(await page.getByTestId('document').count(), 3, 'two imported, one from the answer');
    await page.getByTestId('editor').getByText('The end.').waitFor();
  } finally {
    await close();
  }
});

test('every action sends its own request with the selection and the text around it', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Intro.\n금요일 회의는 어렵습니다.\nOutro.');
    const actions = ['continue', 'improve', 'fix', 'shorter', 'longer', 'tone', 'translate', 'summarize', 'custom'];
    for (const action of actions) {
      // Select the middle line.
      await page.getByTestId('editor').click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+End');
      await page.getByTestId('ai-prompt').fill(action === 'custom' ? 'as a haiku' : '');
      await draftScript(page, say('New text.'));
      await page.locator(`[data-testid="ai-action"][data-action="${action}"]`).click();
      await page.getByTestId('ai-discard').click();
      const sent = await page.evaluate(() => window['foxtailMock'].control.draftRequests.at(-1));
      assert.equal(sent.action, action);
      if (action === 'continue') {
        assert.equal(sent.selection, '', 'continue writes at the cursor');
      } else {
        assert.equal(sent.selection, '금요일 회의는 어렵습니다.', action);
        assert.equal(sent.before, 'Intro.\n');
        assert.equal(sent.after, '\nOutro.');
      }
      if (action === 'translate') assert.equal(sent.instruction, 'English', 'Korean text goes to English');
      if (action === 'tone') assert.match(sent.instruction, /formal/);
      if (action === 'custom') assert.equal(sent.instruction, 'as a haiku');
    }
    // The tone picked beside the button is the one asked for.
    await page.getByTestId('ai-tone').selectOption('friendlier and warmer');
    await page.getByTestId('editor').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.getByTestId('ai-prompt').fill('');
    await draftScript(page, say('New text.'));
    await page.locator('[data-testid="ai-action"][data-action="tone"]').click();
    await page.getByTestId('ai-discard').click();
    const toned = await page.evaluate(() => window['foxtailMock'].control.draftRequests.at(-1));
    assert.equal(toned.instruction, 'friendlier and warmer');
  } finally {
    await close();
  }
});

for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
  for (const locale of ['en-US', 'ko-KR']) {
    test(`screenshots: drafting, ${colorScheme}, ${locale}`, async () => {
      const { page, close } = await openWindow({
        colorScheme,
        locale,
        setup: (fake) => {
          fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
          fake.control.settings.setup_done = true;
        },
      });
      try {
        const ko = locale === 'ko-KR';
        await newDocument(page);
        await page.keyboard.type(
          ko
            ? '# 회의 일정\n\n**금요일** 회의에 대해 말씀드립니다.\n일정이 겹쳐서 참석하기 어렵습니다.'
            : '# Meeting\n\nAbout **Friday**’s meeting.\nI have a clash and cannot make it.',
        );
        await page.keyboard.press('Home');
        await page.keyboard.press('Shift+End');
        await draftScript(page, say(ko ? '일정이 겹쳐 참석이 어렵습니다.' : 'I cannot attend.'));
        await page.locator('[data-testid="ai-action"][data-action="shorter"]').click();
        await page.getByTestId('ai-accept').waitFor();
        mkdirSync(shots, { recursive: true });
        await page.screenshot({ path: resolve(shots, `drafting-${colorScheme}-${locale.slice(0, 2)}.png`) });
      } finally {
        await close();
      }
    });
  }
}

test('a change being written is saved as it streams and comes back, stopped, when the document reopens', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await newDocument(page);
    await page.keyboard.type('Notes:\nEnd.');
    await page.keyboard.press('Home');
    const words = Array.from({ length: 200 }, (_, i) => `w${i} `).join('');
    await draftScript(page, say(words));
    await page.getByTestId('ai-prompt').fill('list words');
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-pending').getByText('w20').waitFor();
    // Within a second of streaming the change is on disk, apart from the document (whose
    // typing is saved on its own, half a second after the last key).
    await waitSaved(page, 'Notes:\nEnd.');
    await page.waitForFunction(() => window['foxtailMock'].control.documents.at(-1)?.pending !== '', null, { timeout: 5000 });
    const saved = await page.evaluate(() => window['foxtailMock'].control.documents.at(-1));
    assert.equal(saved.content, 'Notes:\nEnd.');
    const pending = JSON.parse(saved.pending);
    assert.equal(pending.mode, 'insert');
    assert.match(pending.text, /^w0 w1 w2 /);
    assert.equal(pending.request.instruction, 'list words');
    // The document is saved on its own: the change saved every second does not hold it again.
    assert.deepEqual(
      ['before', 'selection', 'after'].filter((part) => part in pending.request),
      [],
      'the saved request leaves out the document around the change',
    );

    // Leave the document and come back, as after a crash and a restart.
    await page.getByTestId('new-document').click();
    await page.getByTestId('document').nth(1).locator('.conversation-link').click();
    await page.getByTestId('pending-bar').and(page.locator('[data-status="interrupted"]')).waitFor();
    assert.match((await page.getByTestId('ai-pending').textContent()) ?? '', /^w0 w1 w2 /);
    // Try again asks as the change was asked, with the document around it put back.
    await draftScript(page, say('w0 w1 w2 again.'));
    await page.getByTestId('ai-retry').click();
    await page.getByTestId('ai-pending').getByText('again.').waitFor();
    const asked = await page.evaluate(() => window['foxtailMock'].control.draftRequests.at(-1));
    assert.deepEqual(
      { instruction: asked.instruction, before: asked.before, selection: asked.selection, after: asked.after },
      { instruction: 'list words', before: 'Notes:\n', selection: '', after: 'End.' },
    );
    await page.getByTestId('pending-bar').and(page.locator('[data-status="done"]')).waitFor();
    await page.getByTestId('ai-accept').click();
    await page.waitForFunction(
      () => window['foxtailMock'].control.documents.some((d) => d.content.startsWith('Notes:\nw0') && d.pending === ''),
      null,
      { timeout: 5000 },
    );
    const after = await page.evaluate(() => window['foxtailMock'].control.documents.find((d) => d.content.startsWith('Notes')));
    assert.equal(after.content, 'Notes:\nw0 w1 w2 again.End.');
    assert.equal(after.pending, '', 'an accepted change is no longer pending');
  } finally {
    await close();
  }
});

test('a file over 5 MB is refused in plain words, in both languages, before it is read', async () => {
  for (const locale of ['en-US', 'ko-KR']) {
    const { page, close } = await openWindow({
      locale,
      setup: (fake) => {
        fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
        fake.control.settings.setup_done = true;
        fake.control.settings.language = 'system';
        // Counts every read of a file's contents.
        const text = Blob.prototype.text;
        window['fileReads'] = 0;
        Blob.prototype.text = function () {
          window['fileReads']++;
          return text.call(this);
        };
      },
    });
    try {
      await page.getByTestId('documents').click();
      const expected = (/** @type {string} */ size) =>
        locale === 'en-US'
          ? `That file is too large to open (${size}): files up to 5 MB can be opened.`
          : `이 파일은 너무 커서 열 수 없습니다 (${size}). 5 MB까지의 파일만 열 수 있습니다.`;

      // Dropped on the window.
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(6_000_001)], 'Huge notes.md', { type: 'text/markdown' }));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      });
      await page.getByTestId('toast').getByText(expected('6.1 MB')).waitFor();

      // Picked with the file button.
      await page.locator('input[type="file"]').setInputFiles({
        name: 'Huge notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.alloc(7_000_001, 'a'),
      });
      await page.getByTestId('toast').getByText(expected('7.1 MB')).waitFor();

      const calls = await page.evaluate(() => window['foxtailMock'].control.calls.map((c) => c.cmd));
      assert.ok(!calls.includes('create_document'), 'no document was made');
      assert.equal(await page.evaluate(() => window['fileReads']), 0, 'neither file was read');
      assert.equal(await page.getByTestId('document').count(), 0);

      // A file within the limit is read and opened as before.
      await page.evaluate(() => {
        const data = new DataTransfer();
        data.items.add(new File(['# Small\n\nfits'], 'Small.md', { type: 'text/markdown' }));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      });
      await page.getByTestId('document').getByText('Small').waitFor();
      assert.equal(await page.evaluate(() => window['fileReads']), 1);
    } finally {
      await close();
    }
  }
});
