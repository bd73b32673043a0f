// @ts-check
// What a screen reader hears as answers and drafts are written, the keyboard help panel,
// the text size setting and reduced motion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** @typedef {import('playwright-core').Page} Page */

const answer = (/** @type {Page} */ page) => page.locator('[data-testid="message"][data-role="assistant"]').last();
const done = (/** @type {Page} */ page) => answer(page).and(page.locator('[data-status="done"]')).waitFor({ timeout: 60000 });

async function send(/** @type {Page} */ page, /** @type {string} */ text) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** Queues `text` as an answer streamed a token every `delay` ms, then its end. */
async function say(/** @type {Page} */ page, /** @type {string} */ text, delay = 1) {
  await page.evaluate(
    ([t, d]) => {
      const fake = window['foxtailMock'];
      fake.control.answers.push([...fake.tokens(t, d), { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]);
    },
    /** @type {[string, number]} */ ([text, delay]),
  );
}

/** Starts recording every change of a live region's text; `heard(page)` returns them. */
async function listen(/** @type {Page} */ page, /** @type {string} */ testId) {
  await page.getByTestId(testId).waitFor({ state: 'attached' });
  await page.evaluate((id) => {
    const region = document.querySelector(`[data-testid="${id}"]`);
    if (!region) throw new Error(`no ${id}`);
    const heard = [];
    let last = (region.textContent ?? '').trim();
    new MutationObserver(() => {
      const now = (region.textContent ?? '').trim();
      // A region emptied between two announcements says nothing; every new text counts,
      // the same text again too (it is a new node, and a screen reader reads it again).
      if (now) heard.push(now);
      last = now;
    }).observe(region, { childList: true, subtree: true, characterData: true });
    window['heard'] = heard;
    void last;
  }, testId);
}

const heard = (/** @type {Page} */ page) => page.evaluate(() => /** @type {string[]} */ (window['heard']));

/** Opens Settings, changes one of the reading settings (saved at once), and closes Settings. */
async function choose(/** @type {Page} */ page, /** @type {string} */ testId, /** @type {string} */ value) {
  await page.getByTestId('settings').click();
  await page.getByTestId(testId).selectOption(value);
  await page.getByTestId('close-settings').click();
  await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
}

const SENTENCES = 150;
/** Over 2,000 tokens: sentences in English and Korean, a list, a code block, a long run. */
function longAnswer() {
  const parts = [];
  for (let i = 0; i < SENTENCES; i++) {
    parts.push(`Sentence number ${i} talks about otters, rivers and the weather in spring. `);
    if (i % 10 === 5) parts.push('\n\n- a list item here\n- another item\n\n');
    if (i % 20 === 10) parts.push('오늘은 날씨가 좋습니다. 강에 수달이 삽니다. ');
  }
  parts.push('\n\n```js\nconst a = 1. b = 2. c = 3.;\nconsole.log(a);\n```\n\n');
  parts.push(Array.from({ length: 120 }, (_, i) => `run${i}`).join(' '));
  return parts.join('');
}

test('a long streamed answer is announced sentence by sentence, never token by token', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const text = longAnswer();
    const tokenCount = text.match(/\s*\S+|\s+/g)?.length ?? 0;
    assert.ok(tokenCount >= 2000, `the answer has ${tokenCount} tokens`);
    await listen(page, 'announcer');
    await say(page, text);
    await send(page, 'Tell me about otters');
    await done(page);
    await page.waitForTimeout(100);
    const said = await heard(page);
    // The English sentences, two Korean ones and two list items every so often, one code
    // block, a long run cut in a few pieces, and the end: at most one per sentence, far
    // below one per token.
    const sentences = SENTENCES + 2 * Math.ceil(SENTENCES / 20) + 2 * Math.ceil(SENTENCES / 10) + 1 + 6 + 1;
    assert.ok(said.length <= sentences, `${said.length} announcements for ${sentences} sentences`);
    assert.ok(said.length < tokenCount / 10, `${said.length} announcements for ${tokenCount} tokens`);
    assert.ok(said.length >= 10, 'sentences were read as they came, not only at the end');
    const all = said.join(' ');
    for (const expected of ['Sentence number 0 talks', `Sentence number ${SENTENCES - 1} talks`, '오늘은 날씨가 좋습니다.', 'a list item here', 'Code block.']) {
      assert.ok(all.includes(expected), `"${expected}" was read`);
    }
    assert.equal(all.split('Sentence number 7 talks').length, 2, 'each sentence is read once');
    assert.equal(all.split('Code block.').length, 2, 'the code block is named once');
    assert.ok(!all.includes('console.log'), 'code is not read');
    assert.ok(said.every((s) => s.length < 600), 'the whole answer is never read');
    assert.match(said.at(-1) ?? '', /Answer finished\.$/);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('"only when it ends" announces an answer once', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await choose(page, 'announce-mode', 'end');
    await listen(page, 'announcer');
    await say(page, longAnswer().slice(0, 3000));
    await send(page, 'Tell me about otters');
    await done(page);
    await page.waitForTimeout(100);
    assert.deepEqual(await heard(page), ['Answer finished.']);
    // Saved with the settings (Rust keeps and checks it).
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.settings.announce_answers), 'end');
  } finally {
    await close();
  }
});

test('Stop, a retry, a reconnection and an error are each announced once', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await listen(page, 'announcer');
    const long = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
    await page.evaluate((t) => window['foxtailMock'].control.answers.push(window['foxtailMock'].tokens(t, 30)), long);
    await send(page, 'Talk a lot');
    await answer(page).getByText('word3').waitFor();
    await page.getByTestId('stop').click();
    await answer(page).and(page.locator('[data-status="interrupted"]')).waitFor();
    await page.waitForTimeout(300);
    let said = await heard(page);
    assert.equal(said.filter((s) => s.includes('Answer stopped.')).length, 1, said.join(' | '));
    assert.match(said.at(-1) ?? '', /^Answer stopped\.$/);

    await page.evaluate(() => (window['heard'].length = 0));
    await page.evaluate((steps) => window['foxtailMock'].control.answers.push(steps), [
      { delay: 0, events: [{ type: 'retry', attempt: 1, max_attempts: 3, delay_ms: 300, reason: 'HTTP 503', resume: false }] },
      { delay: 400, events: [{ type: 'text', text: 'Hello there. ' }] },
      { delay: 10, events: [{ type: 'retry', attempt: 1, max_attempts: 2, delay_ms: 300, reason: 'reset', resume: true }] },
      { delay: 400, events: [{ type: 'text', text: 'More words. ' }] },
      { delay: 10, events: [{ type: 'text', text: 'And more.' }] },
      { delay: 10, events: [{ type: 'error', kind: 'server', message: 'HTTP 500', status: 500 }] },
    ]);
    await send(page, 'Again');
    await answer(page).and(page.locator('[data-status="error"]')).waitFor();
    await page.waitForTimeout(200);
    said = await heard(page);
    const all = said.join(' | ');
    const once = (/** @type {string} */ words) => assert.equal(all.split(words).length, 2, `"${words}" once in: ${all}`);
    once('The service is busy. Trying again.');
    once('The connection dropped. Reconnecting.');
    once('Reconnected, continuing.');
    once('The service had a problem on its side.');
    once('Hello there.');
    // The failure is said by the live region only, not by an alert as well.
    assert.equal(await answer(page).getByTestId('error').getAttribute('role'), null);
  } finally {
    await close();
  }
});

test('the model writing into a document is announced, and its change is described', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('documents').click();
    await page.getByTestId('new-document').click();
    await page.getByTestId('editor').waitFor();
    await listen(page, 'draft-announcer');
    await page.evaluate(() =>
      window['foxtailMock'].control.drafts.push([
        ...window['foxtailMock'].tokens('Thank you for the invitation. I cannot attend on Friday.', 20),
        { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ]),
    );
    await page.getByTestId('ai-prompt').fill('decline politely');
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-accept').waitFor();
    await page.waitForTimeout(100);
    assert.deepEqual(await heard(page), [
      'The model is writing.',
      'Ready: in the document, accept with Enter or Tab, discard with Escape.',
    ]);
    // The pending text is an insertion in the document, and the document says what waits.
    const pending = page.locator('ins[data-testid="ai-pending"]');
    assert.match((await pending.textContent()) ?? '', /cannot attend/);
    const description = await page.evaluate(() => {
      const id = document.querySelector('[data-testid="editor"]')?.getAttribute('aria-describedby') ?? '';
      return document.getElementById(id)?.textContent?.trim() ?? '';
    });
    assert.match(description, /^The model’s change, not accepted yet: Thank you for the invitation\. I cannot attend on Friday\.$/);
    // The keys the announcement names do what it says, from the document.
    await page.getByTestId('editor').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('pending-bar').waitFor({ state: 'detached' });
    assert.match((await page.getByTestId('editor').textContent()) ?? '', /cannot attend/);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('? and F1 open the keyboard help, in English and Korean; it keeps and gives back focus', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const help = page.getByTestId('keyboard-help');
    // `?` typed into a text field is text.
    await page.getByTestId('composer').fill('');
    await page.getByTestId('composer').press('?');
    assert.equal(await page.getByTestId('composer').inputValue(), '?');
    assert.equal(await help.count(), 0);

    const opener = page.getByTestId('settings');
    await opener.focus();
    await page.keyboard.press('?');
    await help.waitFor();
    assert.equal(await help.getAttribute('role'), 'dialog');
    assert.equal(await help.getAttribute('aria-modal'), 'true');
    assert.equal(await help.locator('h1').textContent(), 'Keyboard shortcuts');
    const rows = await help.getByTestId('shortcut').allTextContents();
    assert.ok(rows.length >= 15, `${rows.length} shortcuts`);
    const all = rows.join('\n');
    for (const expected of ['Send the message', 'Stop the answer being written', 'accept the model’s change', 'Ctrl+N', 'F1', 'Shift+Enter', 'Esc']) {
      assert.ok(all.includes(expected), `lists "${expected}"`);
    }
    // Focus stays inside while it is open.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'close-help');
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="keyboard-help"]')));
      await page.keyboard.press('Shift+Tab');
      assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="keyboard-help"]')));
    }
    // Escape closes it, and focus goes back where it was.
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'settings');

    // F1 opens it from a text field too; Close gives focus back there.
    await page.getByTestId('composer').focus();
    await page.keyboard.press('F1');
    await help.waitFor();
    await page.getByTestId('close-help').click();
    await help.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'composer');

    // In Korean.
    await page.getByTestId('settings').click();
    await page.getByTestId('language').selectOption('ko');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
    await page.keyboard.press('F1');
    await help.waitFor();
    assert.equal(await help.locator('h1').textContent(), '키보드 단축키');
    const ko = (await help.getByTestId('shortcut').allTextContents()).join('\n');
    for (const expected of ['메시지 보내기', '쓰고 있는 답변 멈추기', '모델의 변경 받아들이기', '또는']) {
      assert.ok(ko.includes(expected), `lists "${expected}"`);
    }
    assert.equal(await page.getByTestId('close-help').textContent(), '닫기');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('at 200 % text the main screen has no sideways scrolling and the composer shows', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    await page.getByTestId('composer').waitFor();
    assert.equal(await rootSize(), '15px');
    await choose(page, 'text-size', '200');
    assert.equal(await rootSize(), '30px');
    await say(page, 'A fairly long answer with words, to wrap at the bigger size. '.repeat(12) + '\n\n- an item\n- another one', 2);
    await send(page, 'Something long enough to wrap in the composer at twice the size of the normal text');
    await done(page);

    const overflow = await page.evaluate(() => {
      const root = document.documentElement;
      const wide = [];
      for (const el of document.querySelectorAll('.layout *')) {
        // A code block scrolls its long lines on purpose.
        if (el.closest('pre')) continue;
        const style = getComputedStyle(el);
        if (!['auto', 'scroll'].includes(style.overflowX)) continue;
        if (el.scrollWidth > el.clientWidth + 1) wide.push(`${el.tagName}.${el.className}`);
      }
      return { page: root.scrollWidth > root.clientWidth, wide };
    });
    assert.deepEqual(overflow, { page: false, wide: [] });
    for (const testId of ['composer', 'send', 'sidebar']) {
      const box = await page.getByTestId(testId).boundingBox();
      assert.ok(box, `${testId} is shown`);
      assert.ok(box.y >= 0 && box.y + box.height <= 760 + 1, `${testId} is within the window: ${JSON.stringify(box)}`);
      assert.ok(box.x >= 0 && box.x + box.width <= 1100 + 1, `${testId} is within the window: ${JSON.stringify(box)}`);
    }
    // Saved with the settings (Rust keeps and checks it), so the next start shows it.
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.settings.text_size), 200);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('with reduced motion asked for, nothing animates or transitions', async () => {
  /** The spinner of an answer that waits for its first word, and a button, as computed. */
  async function motion(/** @type {'reduce' | 'no-preference'} */ reducedMotion) {
    const { page, close } = await openWindow({ setup: withKey, reducedMotion });
    try {
      await page.evaluate(() =>
        window['foxtailMock'].control.answers.push([{ delay: 5000, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]),
      );
      await send(page, 'Hello');
      const spinner = page.getByTestId('status-line').locator('.spinner');
      await spinner.waitFor();
      const read = (/** @type {import('playwright-core').Locator} */ locator) =>
        locator.evaluate((el) => {
          const style = getComputedStyle(el);
          return { animation: style.animationDuration, transition: style.transitionDuration };
        });
      return { spinner: await read(spinner), button: await read(page.getByTestId('stop')) };
    } finally {
      await close();
    }
  }
  assert.equal((await motion('no-preference')).spinner.animation, '1s', 'the spinner animates normally');
  assert.deepEqual(await motion('reduce'), {
    spinner: { animation: '0s', transition: '0s' },
    button: { animation: '0s', transition: '0s' },
  });
});
