// @ts-check
// A conversation of 500 turns: it opens at its end with only the messages near the
// viewport in the page, reads older pages as the reader scrolls up, opens at a search
// hit, counts every answer in its running total, follows a new answer, and shows the
// answers on screen whole when it opens or jumps (not a slice a frame).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, openWindow, useBrowser } from './harness.mjs';

useBrowser();

/** Seeds the fake backend (runs in the page: self-contained). */
function longConversation(/** @type {any} */ fake) {
  fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
  fake.control.settings.setup_done = true;
  const messages = [];
  let id = 1000;
  for (let turn = 1; turn <= 500; turn++) {
    const base = { conversation_id: 1, reasoning: '', status: 'complete', error: null, attachments: [], created_at: 0, updated_at: 0 };
    messages.push({ ...base, id: id++, role: 'user', content: `Question ${turn}${turn === 250 ? ' about the needle' : ''}`, model: null, extras: { refusal: '', tools: [] } });
    const usage = { input_tokens: 100, output_tokens: 20, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, cost: 0.002, cost_source: 'gateway', cache_saving: null };
    messages.push({
      ...base,
      id: id++,
      role: 'assistant',
      content: `## Answer ${turn}\n\nSome words about turn ${turn}.\n\n\`\`\`js\nconsole.log(${turn});\n\`\`\`\n\n| a | b |\n|---|---|\n| ${turn} | ${turn * 2} |\n`,
      model: 'mock/alpha',
      extras: { refusal: '', tools: [], usage },
    });
  }
  fake.control.conversations.push({ id: 1, title: 'Five hundred turns', updated_at: 1, deleted: false, messages });
  fake.control.nextId = id;
}

/** @param {import('playwright-core').Page} page */
const inPage = (page) => page.locator('[data-testid="message"]').count();

/** @param {import('playwright-core').Page} page @param {string} text */
async function visible(page, text) {
  const box = await page.getByTestId('message-list').getByText(text, { exact: true }).boundingBox();
  const list = await page.getByTestId('message-list').boundingBox();
  return !!box && !!list && box.y + box.height > list.y && box.y < list.y + list.height;
}

test('a 500-turn conversation opens at its end with few messages in the page and loads older ones on scrolling up', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: longConversation });
  try {
    await page.getByTestId('conversation').filter({ hasText: 'Five hundred turns' }).locator('.conversation-link').click();
    await page.getByRole('heading', { name: 'Answer 500' }).waitFor();
    assert.ok(await visible(page, 'Answer 500'), 'the last answer is in view');
    const first = await inPage(page);
    assert.ok(first > 0 && first <= 20, `only the messages near the viewport are in the page (${first})`);
    // Every answer counts in the total, not only the page that was read.
    const total = (await page.getByTestId('conversation-usage').textContent()) ?? '';
    assert.match(total, /50,000/);
    assert.match(total, /\$1\.00/);

    // Scrolling to the top reads older pages until the first question.
    const list = page.getByTestId('message-list');
    for (let i = 0; i < 60 && !(await page.getByText('Question 1', { exact: true }).count()); i++) {
      await list.evaluate((el) => (el.scrollTop = 0));
      await page.waitForTimeout(50);
    }
    await page.getByText('Question 1', { exact: true }).waitFor();
    assert.equal(await page.getByTestId('loading-older').count(), 0, 'nothing is left to load');
    const top = await inPage(page);
    assert.ok(top <= 20, `still only a few messages in the page (${top})`);
    assert.equal(await page.getByRole('heading', { name: 'Answer 499' }).count(), 0, 'the end left the page');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a search hit opens the conversation at the message that matched, and a new answer is followed at its end', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: longConversation });
  try {
    await page.getByTestId('search').fill('needle');
    await page.getByTestId('search-hit').click();
    await page.getByTestId('message-list').getByText('Question 250 about the needle', { exact: true }).waitFor();
    assert.ok(await eventually(() => visible(page, 'Question 250 about the needle'), 5_000, 500), 'the hit is in view, and stays');
    assert.equal(await page.getByRole('heading', { name: 'Answer 499' }).count(), 0, 'the end is not loaded');

    // Scrolling down from the hit reads the newer pages.
    const list = page.getByTestId('message-list');
    for (let i = 0; i < 60 && !(await page.getByRole('heading', { name: 'Answer 499' }).count()); i++) {
      await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
      await page.waitForTimeout(50);
    }
    await page.getByRole('heading', { name: 'Answer 499' }).waitFor();

    // Back at the hit, a new message goes to the conversation's end and is followed.
    await page.getByTestId('search').fill('needle');
    await page.getByTestId('search-hit').click();
    await page.getByTestId('message-list').getByText('Question 250 about the needle', { exact: true }).waitFor();
    await page.evaluate(() => {
      const fake = window['foxtailMock'];
      const words = Array.from({ length: 300 }, (_, i) => `word${i} `).join('');
      fake.control.answers.push([...fake.tokens(words, 5), { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]);
    });
    await page.getByTestId('composer').fill('One more');
    await page.getByTestId('composer').press('Enter');
    await page.locator('[data-testid="message"][data-role="assistant"]').last().getByText('word299', { exact: false }).waitFor();
    await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').last().waitFor();
    const gap = () => list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    assert.ok(await eventually(async () => (await gap()) < 50, 5_000, 500), `the answer was followed to its end (${await gap()}px left)`);
    // Just above the new question is the conversation's last answer, not the hit.
    await page.getByTestId('message-list').getByText('One more', { exact: true }).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await page.getByRole('heading', { name: 'Answer 500' }).waitFor();
    const ids = await page.locator('[data-testid="message"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `the page holds the messages in order (${ids})`);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

/** Answers long enough to go into the page in slices (Markdown's `inSlices`). */
function longAnswers(/** @type {any} */ fake) {
  fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
  fake.control.settings.setup_done = true;
  const messages = [];
  let id = 5000;
  const paragraph = (turn, i) => `Paragraph ${i} of answer ${turn}: ${'a few plain words that fill the line, '.repeat(5)}`;
  for (let turn = 1; turn <= 30; turn++) {
    const base = { conversation_id: 1, reasoning: '', status: 'complete', error: null, attachments: [], created_at: 0, updated_at: 0 };
    messages.push({ ...base, id: id++, role: 'user', content: `Question ${turn}`, model: null, extras: { refusal: '', tools: [] } });
    // The last is short, so the long one before it is on screen when the conversation opens.
    const paragraphs = turn === 30 ? 1 : 8;
    const content = `${Array.from({ length: paragraphs }, (_, i) => paragraph(turn, i)).join('\n\n')}\n\nEnd of answer ${turn}.`;
    messages.push({ ...base, id: id++, role: 'assistant', content, model: 'mock/alpha', extras: { refusal: '', tools: [] } });
  }
  fake.control.conversations.push({ id: 1, title: 'Long answers', updated_at: 1, deleted: false, messages });
  fake.control.nextId = id;
}

test('answers on screen when a conversation opens or a search hit is shown are whole at once, not filled in over frames', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: longAnswers });
  try {
    // In the page, every frame from now until 30 frames after the awaited text first
    // shows: the answers then on screen that are not whole, and how many are on screen
    // at the end. The list moves for a few frames while rows are measured, so each frame
    // is looked at, not one chosen moment.
    const onScreenAfter = (/** @type {string} */ shown) =>
      page.evaluate(
        (shown) =>
          new Promise((resolve) => {
            /** @type {string[]} */
            const partial = [];
            let after = -1;
            let count = 0;
            const check = () => {
              const list = document.querySelector('[data-testid="message-list"]');
              if (list && after < 0 && list.textContent?.includes(shown)) after = 0;
              if (list) {
                const box = list.getBoundingClientRect();
                const answers = [...document.querySelectorAll('[data-testid="message"][data-role="assistant"]')].filter((m) => {
                  const r = m.getBoundingClientRect();
                  return r.bottom > box.top && r.top < box.bottom;
                });
                count = answers.length;
                for (const m of answers) {
                  if (!/End of answer \d+\./.test(m.textContent ?? '')) partial.push(`${m.getAttribute('data-id')} in frame ${after}`);
                }
              }
              if (after >= 0 && ++after > 30) resolve({ count, partial });
              else requestAnimationFrame(check);
            };
            requestAnimationFrame(check);
          }),
        shown,
      );
    const opening = onScreenAfter('End of answer 30.');
    await page.getByTestId('conversation').filter({ hasText: 'Long answers' }).locator('.conversation-link').click();
    const opened = /** @type {{count: number, partial: string[]}} */ (await opening);
    assert.ok(opened.count >= 2, `more than the last answer is on screen (${opened.count})`);
    assert.deepEqual(opened.partial, [], 'every answer on screen is whole');

    await page.getByTestId('search').fill('Question 12');
    const jumping = onScreenAfter('Question 12');
    await page.getByTestId('search-hit').first().click();
    const jumped = /** @type {{count: number, partial: string[]}} */ (await jumping);
    assert.ok(jumped.count >= 1, `an answer is on screen at the hit (${jumped.count})`);
    assert.deepEqual(jumped.partial, [], 'every answer on screen at the hit is whole');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('the first frame that shows an opened conversation shows it as it stays: nothing goes in or moves after', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: longAnswers });
  try {
    // In the page, once each frame has been painted (an animation frame, then a task):
    // the messages on screen and where, from the first frame that shows the last answer.
    const framesShown = page.evaluate(
      () =>
        new Promise((resolve) => {
          /** @type {[string, number][][]} */
          const seen = [];
          const look = () => {
            const list = document.querySelector('[data-testid="message-list"]');
            if (list && (seen.length > 0 || list.textContent?.includes('End of answer 30.'))) {
              const box = list.getBoundingClientRect();
              const onScreen = [...document.querySelectorAll('[data-testid="message"]')]
                .map((m) => ({ id: m.getAttribute('data-id'), box: m.getBoundingClientRect() }))
                .filter(({ box: r }) => r.bottom > box.top && r.top < box.bottom)
                .map(({ id, box: r }) => /** @type {[string, number]} */ ([id ?? '', r.top - box.top]));
              seen.push(onScreen);
            }
            // Past the half second MessageList gives the list to settle at its end.
            if (seen.length >= 40) resolve(seen);
            else requestAnimationFrame(() => setTimeout(look));
          };
          requestAnimationFrame(() => setTimeout(look));
        }),
    );
    await page.getByTestId('conversation').filter({ hasText: 'Long answers' }).locator('.conversation-link').click();
    const seen = /** @type {[string, number][][]} */ (await framesShown);
    const final = seen[seen.length - 1];
    const described = (/** @type {[string, number][]} */ frame) => frame.map(([id, top]) => `${id} at ${top.toFixed(1)}`).join(', ');
    assert.ok(final.length >= 2, `more than the last answer is on screen (${described(final)})`);
    seen.forEach((frame, i) => {
      // Rows are placed at fractions of a pixel, and settle by one at most.
      const same = frame.length === final.length && frame.every(([id, top], j) => id === final[j][0] && Math.abs(top - final[j][1]) <= 1);
      assert.ok(same, `frame ${i} after the conversation first showed: ${described(frame)}, at the end: ${described(final)}`);
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});
