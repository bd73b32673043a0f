// @ts-check
// Models, usage and assistants in the chat window against the in-page fake backend: the
// header's model picker (every provider's models with their size, prices and badges,
// search, favourites, the keyboard), what each answer used and cost, the context meter
// and its way out of a full context, and new chats started from an assistant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, openWindow, useBrowser } from './harness.mjs';

useBrowser();

/** @typedef {import('playwright-core').Page} Page */

/** A key, setup done, a second provider set up, and a catalog of both providers' models. */
function twoProviders(/** @type {any} */ fake) {
  fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
  fake.control.settings.setup_done = true;
  fake.control.settings.providers.push({ id: 'openrouter', protocol: 'openai', base_url: 'https://openrouter.ai/api/v1' });
  fake.control.settings.assistants = [
    {
      id: 'lawyer',
      name: 'Contract reader',
      instructions: 'You read contracts and point out the risky clauses.',
      model: { provider: 'ofox', model: 'anthropic/claude-sonnet-4.5' },
    },
  ];
  fake.control.catalog = {
    models: [
      {
        provider: 'ofox',
        id: 'anthropic/claude-sonnet-4.5',
        name: 'Claude Sonnet 4.5',
        context_length: 200000,
        image_input: true,
        tools: true,
        reasoning: true,
        pricing: { prompt: 0.000003, completion: 0.000015, cache_read: 0.0000003, cache_write: 0.00000375 },
      },
      {
        provider: 'ofox',
        id: 'openai/gpt-4o',
        name: 'GPT-4o',
        context_length: 128000,
        image_input: true,
        tools: true,
        reasoning: false,
        pricing: { prompt: 0.0000025, completion: 0.00001, cache_read: null, cache_write: null },
      },
      {
        provider: 'openrouter',
        id: 'meta/llama-3.3-70b',
        name: null,
        context_length: 131072,
        image_input: false,
        tools: true,
        reasoning: null,
        pricing: { prompt: 0.00000012, completion: 0.0000003, cache_read: null, cache_write: null },
      },
      {
        provider: 'openrouter',
        id: 'mystery/unpriced',
        name: 'Mystery',
        context_length: null,
        image_input: null,
        tools: null,
        reasoning: null,
        pricing: null,
      },
    ],
    problems: [{ provider: 'anthropic', error: { kind: 'auth', message: 'invalid x-api-key', status: 401 } }],
  };
}

const fake = (/** @type {Page} */ page, /** @type {string} */ path) =>
  page.evaluate((p) => p.split('.').reduce((/** @type {any} */ o, k) => o?.[k], window['foxtailMock'].control), path);
const calls = (/** @type {Page} */ page, /** @type {string} */ cmd) =>
  page.evaluate((c) => window['foxtailMock'].control.calls.filter((call) => call.cmd === c).map((call) => call.args), cmd);
const text = async (/** @type {import('playwright-core').Locator} */ locator) => ((await locator.textContent()) ?? '').trim();
const option = (/** @type {Page} */ page, /** @type {string} */ group, /** @type {string} */ id) =>
  page.locator(`[data-testid="model-group"][data-group="${group}"] [data-testid="model-option"][data-model="${id}"]`);
const starOf = (/** @type {Page} */ page, /** @type {string} */ group, /** @type {string} */ id) =>
  page
    .locator(`[data-testid="model-group"][data-group="${group}"] li`, { has: page.locator(`[data-model="${id}"]`) })
    .getByTestId('model-star');
const finished = (/** @type {Page} */ page) =>
  page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]');
const focused = (/** @type {Page} */ page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

/** Queues an answer that says `words`, then reports `usage` (if any), then finishes. */
async function scriptAnswer(/** @type {Page} */ page, /** @type {string} */ words, /** @type {any} */ usage) {
  await page.evaluate(
    ([w, u]) => {
      const f = window['foxtailMock'];
      f.control.answers.push([
        ...f.tokens(w, 5),
        ...(u ? [{ delay: 5, extras: { refusal: '', tools: [], usage: u } }] : []),
        { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ]);
    },
    [words, usage],
  );
}

async function send(/** @type {Page} */ page, /** @type {string} */ words) {
  await page.getByTestId('composer').fill(words);
  await page.getByTestId('composer').press('Enter');
}

test('the picker lists every provider’s models with prices and badges, searches, stars, and picks by keyboard', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: twoProviders });
  try {
    const picker = page.getByTestId('model-picker');
    assert.equal(await text(page.getByTestId('current-model')), 'openai/gpt-4o');
    assert.equal(await text(page.getByTestId('current-provider')), 'OfoxAI');
    await picker.click();
    assert.equal(await picker.getAttribute('aria-expanded'), 'true');
    await page.getByTestId('model-option').first().waitFor();
    assert.equal(await focused(page), 'model-search', 'typing searches at once');

    // Grouped by provider, under the names the setup screen gives them.
    const groups = page.locator('[data-testid="model-group"]');
    assert.deepEqual(await groups.evaluateAll((els) => els.map((el) => el.getAttribute('data-group'))), ['ofox', 'openrouter']);
    assert.deepEqual(await groups.locator('h2').allTextContents(), ['OfoxAI', 'OpenRouter']);
    assert.equal(await page.getByTestId('model-option').count(), 4);

    const claude = option(page, 'ofox', 'anthropic/claude-sonnet-4.5');
    assert.equal(await text(claude.getByTestId('model-name')), 'Claude Sonnet 4.5');
    assert.equal(await text(claude.getByTestId('model-context')), '200k context');
    assert.equal(await text(claude.getByTestId('model-price')), '$3 / $15 per M');
    assert.deepEqual(
      await claude.getByTestId('model-badge').evaluateAll((els) => els.map((el) => el.getAttribute('data-badge'))),
      ['pictures', 'tools', 'reasoning'],
    );
    const llama = option(page, 'openrouter', 'meta/llama-3.3-70b');
    assert.equal(await text(llama.getByTestId('model-name')), 'meta/llama-3.3-70b');
    assert.equal(await text(llama.getByTestId('model-context')), '131k context');
    assert.equal(await text(llama.getByTestId('model-price')), '$0.12 / $0.30 per M');
    assert.deepEqual(
      await llama.getByTestId('model-badge').evaluateAll((els) => els.map((el) => el.getAttribute('data-badge'))),
      ['tools'],
      'no picture badge for a model that takes none, none for what is not known',
    );
    // What is not known is not made up.
    const mystery = option(page, 'openrouter', 'mystery/unpriced');
    assert.equal(await mystery.getByTestId('model-price').count(), 0);
    assert.equal(await mystery.getByTestId('model-context').count(), 0);
    assert.equal(await option(page, 'ofox', 'openai/gpt-4o').getAttribute('aria-current'), 'true');

    // A provider whose list failed is said in plain words; the others are still listed.
    const problem = page.getByTestId('model-problem');
    assert.match(await text(problem), /The models of Anthropic could not be listed\./);
    assert.match(await text(problem), /The API key was rejected/);

    // Search by id or name, in any case and word order.
    await page.getByTestId('model-search').fill('LLAMA');
    assert.equal(await page.getByTestId('model-option').count(), 1);
    assert.equal(await page.getByTestId('model-option').getAttribute('data-model'), 'meta/llama-3.3-70b');
    await page.getByTestId('model-search').fill('sonnet claude');
    assert.deepEqual(
      await page.getByTestId('model-option').evaluateAll((els) => els.map((el) => el.getAttribute('data-model'))),
      ['anthropic/claude-sonnet-4.5'],
    );
    await page.getByTestId('model-search').fill('no such model');
    assert.equal(await page.getByTestId('model-option').count(), 0);
    assert.match(await text(page.getByTestId('model-empty')), /No model matches “no such model”/);
    await page.getByTestId('model-search').fill('');

    // A star is saved as a favourite, which is listed on top.
    const star = starOf(page, 'openrouter', 'meta/llama-3.3-70b');
    assert.equal(await star.getAttribute('aria-pressed'), 'false');
    await star.click();
    await option(page, 'favorites', 'meta/llama-3.3-70b').waitFor();
    assert.deepEqual(await fake(page, 'settings.favorite_models'), [{ provider: 'openrouter', model: 'meta/llama-3.3-70b' }]);
    assert.equal(await groups.first().getAttribute('data-group'), 'favorites');
    assert.equal(await calls(page, 'save_settings').then((c) => JSON.stringify(c.at(-1))), JSON.stringify({ changes: { favorite_models: [{ provider: 'openrouter', model: 'meta/llama-3.3-70b' }] } }));

    // Escape closes and gives focus back to the button; the star is still there after.
    await page.keyboard.press('Escape');
    assert.equal(await page.getByTestId('model-panel').count(), 0);
    assert.equal(await focused(page), 'model-picker');
    await picker.click();
    await option(page, 'favorites', 'meta/llama-3.3-70b').waitFor();
    assert.equal(await starOf(page, 'openrouter', 'meta/llama-3.3-70b').getAttribute('aria-pressed'), 'true');
    assert.equal(await starOf(page, 'favorites', 'meta/llama-3.3-70b').getAttribute('aria-pressed'), 'true');

    // Refresh asks the providers again.
    await page.getByTestId('model-refresh').click();
    await page.waitForFunction(() => window['foxtailMock'].control.calls.some((c) => c.cmd === 'list_all_models' && c.args.refresh === true));

    // Arrow keys walk the list from the search box, Enter picks.
    await page.getByTestId('model-search').fill('llama');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-model')), 'meta/llama-3.3-70b');
    await page.keyboard.press('ArrowDown');
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('[data-testid="model-group"]')?.getAttribute('data-group')),
      'openrouter',
      'the favourite first, then the same model under its provider',
    );
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(page), 'model-search', 'up from the first model is the search box');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('current-model').getByText('meta/llama-3.3-70b').waitFor();
    assert.equal(await text(page.getByTestId('current-provider')), 'OpenRouter');
    assert.equal(await focused(page), 'model-picker');
    assert.deepEqual((await calls(page, 'choose_model')).at(-1), { conversationId: null, provider: 'openrouter', model: 'meta/llama-3.3-70b' });
    assert.deepEqual((await fake(page, 'settings.recent_models'))[0], { provider: 'openrouter', model: 'meta/llama-3.3-70b' });
    assert.equal(await page.getByTestId('reasoning').count(), 0, 'no effort to set for a model not known to reason');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a new chat starts with the model picked; an open conversation shows and changes its own', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: twoProviders });
  try {
    await page.getByTestId('model-picker').click();
    await option(page, 'openrouter', 'meta/llama-3.3-70b').click();
    await page.getByTestId('current-model').getByText('meta/llama-3.3-70b').waitFor();
    await send(page, 'Hello llama');
    await finished(page).waitFor();
    assert.deepEqual((await fake(page, 'lastSend')).start, { provider: 'openrouter', model: 'meta/llama-3.3-70b', assistant: null });
    const conversations = await fake(page, 'conversations');
    assert.equal(conversations[0].provider, 'openrouter');
    assert.equal(conversations[0].model, 'meta/llama-3.3-70b');
    const firstId = conversations[0].id;

    // In the open conversation, a pick is for it (and becomes the default).
    await page.getByTestId('model-picker').click();
    // The one just used is listed under Recently used too.
    await option(page, 'recent', 'meta/llama-3.3-70b').waitFor();
    await option(page, 'ofox', 'anthropic/claude-sonnet-4.5').click();
    await page.getByTestId('current-model').getByText('anthropic/claude-sonnet-4.5').waitFor();
    assert.deepEqual((await calls(page, 'choose_model')).at(-1), { conversationId: firstId, provider: 'ofox', model: 'anthropic/claude-sonnet-4.5' });

    // A model that reasons gets the effort control, saved as a setting.
    const effort = page.getByTestId('reasoning');
    assert.equal(await effort.inputValue(), '');
    await effort.selectOption('high');
    await page.waitForFunction(() => window['foxtailMock'].control.settings.reasoning === 'high');
    await effort.selectOption('');
    await page.waitForFunction(() => window['foxtailMock'].control.settings.reasoning === null);

    // A new chat picks another; reopening the first shows its own model, not the default.
    await page.getByTestId('new-chat').click();
    assert.equal(await text(page.getByTestId('current-model')), 'anthropic/claude-sonnet-4.5', 'the default is the last picked');
    await page.getByTestId('model-picker').click();
    await option(page, 'ofox', 'openai/gpt-4o').click();
    await page.getByTestId('current-model').getByText('openai/gpt-4o').waitFor();
    assert.equal(await page.getByTestId('reasoning').count(), 0);
    await page.getByTestId('conversation').first().click();
    await page.getByTestId('current-model').getByText('anthropic/claude-sonnet-4.5').waitFor();
    assert.equal(await fake(page, 'settings.model'), 'openai/gpt-4o');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('each answer says its model, tokens and cost; an unknown cost is not shown; the conversation sums them up', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: twoProviders });
  try {
    await scriptAnswer(page, 'A priced answer.', {
      input_tokens: 1234,
      output_tokens: 567,
      cache_read_tokens: 1000,
      cache_write_tokens: 0,
      reasoning_tokens: 120,
      cost: 0.0123,
      cost_source: 'gateway',
      cache_saving: 0.0027,
    });
    await send(page, 'First');
    await finished(page).nth(0).waitFor();
    const first = page.getByTestId('answer-usage').nth(0);
    await first.waitFor();
    assert.equal(await text(first.getByTestId('usage-model')), 'openai/gpt-4o');
    assert.equal(await text(first.getByTestId('usage-tokens')), '1,234 in · 567 out');
    assert.deepEqual(await first.getByTestId('usage-extra').allTextContents(), ['1,000 from the cache', '120 thinking']);
    assert.equal(await text(first.getByTestId('usage-cost')), '$0.0123');
    assert.match((await first.getByTestId('usage-cost').getAttribute('title')) ?? '', /service reported/);
    assert.equal(await text(first.getByTestId('usage-saving')), 'cache saved $0.0027');
    assert.equal(await text(page.getByTestId('conversation-usage')), 'This conversation so far: 1,234 in · 567 out · $0.0123');

    // No cost reported and no price known: the tokens, and no made-up cost.
    await scriptAnswer(page, 'An unpriced answer.', {
      input_tokens: 2000,
      output_tokens: 100,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost: null,
      cost_source: null,
      cache_saving: null,
    });
    await send(page, 'Second');
    await finished(page).nth(1).waitFor();
    const second = page.getByTestId('answer-usage').nth(1);
    await second.waitFor();
    assert.equal(await text(second.getByTestId('usage-tokens')), '2,000 in · 100 out');
    assert.equal(await second.getByTestId('usage-cost').count(), 0);
    assert.equal(await second.getByTestId('usage-extra').count(), 0);
    assert.doesNotMatch(await text(second), /\$/);
    assert.match(await text(page.getByTestId('conversation-usage')), /3,234 in · 667 out · \$0\.0123 \+ 1 answer without a price$/);

    // An answer the provider reported nothing for has no line at all.
    await scriptAnswer(page, 'A quiet answer.', null);
    await send(page, 'Third');
    await finished(page).nth(2).waitFor();
    assert.equal(await page.getByTestId('answer-usage').count(), 2);

    // Saved with the answers: reopened, the same.
    await page.getByTestId('new-chat').click();
    assert.equal(await page.getByTestId('conversation-usage').count(), 0);
    await page.getByTestId('conversation').first().click();
    await page.getByTestId('answer-usage').nth(1).waitFor();
    assert.equal(await text(page.getByTestId('answer-usage').nth(0).getByTestId('usage-cost')), '$0.0123');
    assert.equal(await page.getByTestId('answer-usage').nth(1).getByTestId('usage-cost').count(), 0);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('the context meter counts against the model’s context, warns before an overflow, and restarts from a summary', async () => {
  const { page, pageErrors, close } = await openWindow({
    setup: (/** @type {any} */ fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      // A model no list knows: the assumed context is used, and said to be assumed.
      fake.control.settings.model = 'local/unknown';
      fake.control.summaryDelay = 400;
    },
  });
  try {
    const meter = page.getByTestId('context-meter');
    const meterText = page.getByTestId('context-meter-text');
    assert.equal(await text(meterText), '0 of 128k');
    // Written once the first screen has painted.
    await eventually(async () => !!(await meter.getAttribute('title')));
    assert.match((await meter.getAttribute('title')) ?? '', /not known, so 128,000 is assumed/);
    assert.match((await meter.getAttribute('title')) ?? '', /estimated/);
    await page.getByTestId('composer').fill('a'.repeat(4000));
    assert.equal(await text(meterText), '1k of 128k');
    // The bar moves in the tooltip's steps (100 tokens from 1,000 on), not on every token.
    const bar = () => meter.locator('meter').evaluate((el) => /** @type {HTMLMeterElement} */ (el).value);
    assert.equal(await bar(), 1000);
    await page.getByTestId('composer').fill('a'.repeat(4120));
    assert.equal(await bar(), 1000, '1,030 tokens show as 1,000');
    await page.getByTestId('composer').fill('a'.repeat(4240));
    assert.equal(await bar(), 1100, '1,060 tokens show as 1,100');
    // Korean counts a token a syllable.
    await page.getByTestId('composer').fill('가'.repeat(3000));
    assert.equal(await text(meterText), '3k of 128k');
    await page.getByTestId('composer').fill('');

    // Once the list knows the model, its own context is used.
    await page.evaluate(() => {
      window['foxtailMock'].control.catalog.models.push({
        provider: 'ofox',
        id: 'local/unknown',
        name: 'Small local model',
        context_length: 8000,
        image_input: false,
        tools: false,
        reasoning: false,
        pricing: null,
      });
    });
    await page.getByTestId('model-picker').click();
    await page.getByTestId('model-refresh').click();
    await option(page, 'ofox', 'local/unknown').waitFor();
    await page.keyboard.press('Escape');
    await meterText.getByText('0 of 8k').waitFor();
    assert.doesNotMatch((await meter.getAttribute('title')) ?? '', /assumed/);

    // A first message that alone is too long: warned before sending, and sent anyway.
    await scriptAnswer(page, 'Noted.', {
      input_tokens: 6000,
      output_tokens: 1000,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost: null,
      cost_source: null,
      cache_saving: null,
    });
    await send(page, 'b'.repeat(40000));
    const overflow = page.getByTestId('context-overflow');
    await overflow.waitFor();
    assert.equal(await meter.getAttribute('data-over'), 'true');
    assert.equal(await fake(page, 'lastSend'), null, 'nothing was sent');
    assert.match(await text(overflow), /This message alone comes to about 10,000 tokens, more than the 8,000/);
    assert.equal(await page.getByTestId('summarize-restart').count(), 0, 'a new chat has nothing to summarize');
    await page.getByTestId('send-anyway').click();
    await finished(page).waitFor();
    assert.equal((await fake(page, 'lastSend')).text.length, 40000);
    assert.equal(await overflow.count(), 0);

    // The conversation now counts as the answer's reported usage: 6,000 + 1,000.
    assert.equal(await text(meterText), '7k of 8k');
    assert.match((await meter.getAttribute('title')) ?? '', /service’s own count/);
    // One token past the context: 7,000 + 1,001.
    await page.getByTestId('composer').fill('c'.repeat(4004));
    assert.equal(await text(meterText), '8k of 8k');
    assert.equal(await meter.getAttribute('data-over'), 'true');
    await page.getByTestId('composer').press('Enter');
    await overflow.waitFor();
    assert.match(await text(overflow), /This message would not fit: with the conversation it comes to about 8,000 tokens/);
    const sends = (await calls(page, 'send_message')).length;

    // Summarizing can fail: said in plain words, and nothing is lost.
    await page.evaluate(() => {
      window['foxtailMock'].control.failNext.summarize_conversation = { kind: 'network', message: 'connection refused' };
    });
    await page.getByTestId('summarize-restart').click();
    await page.getByTestId('summary-error').waitFor();
    assert.match(await text(page.getByTestId('summary-error')), /could not be summarized.*No internet connection/s);
    assert.equal(await page.getByTestId('composer').inputValue(), 'c'.repeat(4004));

    // Then it works: progress while the model writes, then a new chat with the summary
    // in the composer, to read and edit before sending.
    const conversationId = (await fake(page, 'conversations'))[0].id;
    await page.evaluate(() => (window['foxtailMock'].control.summaryDelay = 2000));
    await page.getByTestId('summarize-restart').click();
    await page.getByTestId('summarizing').waitFor();
    assert.equal(await page.getByTestId('summarize-restart').isDisabled(), true);
    await page.getByTestId('message-list').getByText('What shall we talk about?').waitFor();
    assert.deepEqual((await calls(page, 'summarize_conversation')).at(-1), { conversationId });
    const summary = await fake(page, 'conversationSummary');
    const prefilled = await page.getByTestId('composer').inputValue();
    assert.equal(prefilled, `Summary of our earlier chat:\n\n${summary}\n\n${'c'.repeat(4004)}`);
    assert.equal(await focused(page), 'composer');
    assert.equal((await calls(page, 'send_message')).length, sends, 'nothing is sent until the person sends it');
    assert.equal(await overflow.count(), 0);

    await page.getByTestId('composer').fill(prefilled.replace('c'.repeat(4004), 'Go on from here.'));
    await page.getByTestId('composer').press('Enter');
    await page.getByTestId('conversation').nth(1).waitFor();
    const sent = await fake(page, 'lastSend');
    assert.equal(sent.conversationId, null);
    assert.match(sent.text, /^Summary of our earlier chat:\n\n- You asked for a plan/);
    assert.deepEqual(sent.start, { provider: 'ofox', model: 'local/unknown', assistant: null }, 'the new chat keeps the model');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a new chat can start from an assistant, built-in or the person’s own, with its model', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: twoProviders });
  try {
    const assistants = page.getByTestId('assistant');
    await assistants.first().waitFor();
    assert.deepEqual(
      await assistants.evaluateAll((els) => els.map((el) => el.getAttribute('data-id'))),
      ['translator', 'email', 'korean-tutor', 'summarizer', 'lawyer'],
    );
    assert.match(await text(assistants.first()), /Translator.*Translates between Korean and English/s);
    assert.match(await text(assistants.last()), /Contract reader.*Yours.*You read contracts/s);

    // A built-in one: the first message starts the chat with it.
    await page.locator('[data-testid="assistant"][data-id="translator"]').click();
    assert.equal(await page.locator('[data-testid="assistant"][data-id="translator"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await text(page.getByTestId('chat-assistant')), 'Assistant: Translator ×');
    assert.equal(await focused(page), 'composer');
    await send(page, '안녕하세요');
    await finished(page).waitFor();
    assert.deepEqual((await fake(page, 'lastSend')).start, { provider: null, model: null, assistant: 'translator' });
    assert.equal((await fake(page, 'conversations'))[0].assistant, 'translator');
    // The conversation says which assistant it uses, and it can no longer be taken off.
    await page.getByTestId('clear-assistant').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('chat-assistant').getAttribute('data-id'), 'translator');
    assert.match(await text(page.getByTestId('chat-assistant')), /^Assistant: Translator$/);

    // The person's own, with its model: the new chat starts with that model.
    await page.getByTestId('new-chat').click();
    assert.equal(await page.getByTestId('chat-assistant').count(), 0);
    await page.locator('[data-testid="assistant"][data-id="lawyer"]').click();
    assert.equal(await text(page.getByTestId('current-model')), 'anthropic/claude-sonnet-4.5');
    await send(page, 'Read this contract');
    await finished(page).waitFor();
    assert.deepEqual((await fake(page, 'lastSend')).start, { provider: 'ofox', model: 'anthropic/claude-sonnet-4.5', assistant: 'lawyer' });
    assert.match(await text(page.getByTestId('chat-assistant')), /Contract reader/);

    // Chosen and taken off again: the chat starts with none.
    await page.getByTestId('new-chat').click();
    await page.locator('[data-testid="assistant"][data-id="email"]').click();
    await page.getByTestId('clear-assistant').click();
    assert.equal(await page.getByTestId('chat-assistant').count(), 0);
    await send(page, 'Plain chat');
    await finished(page).waitFor();
    assert.equal((await fake(page, 'lastSend')).start, null);
    assert.equal((await fake(page, 'conversations')).at(-1).assistant, null);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('assistants, usage and the meter speak Korean in a Korean window', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: twoProviders, locale: 'ko-KR' });
  try {
    assert.match(await text(page.locator('[data-testid="assistant"][data-id="translator"]')), /번역가.*한국어와 영어 사이/s);
    assert.equal(await text(page.getByTestId('context-meter-text')), '128k 중 0');
    await scriptAnswer(page, '네.', {
      input_tokens: 1234,
      output_tokens: 567,
      cache_read_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      cost: 0.5,
      cost_source: 'prices',
      cache_saving: null,
    });
    await send(page, '안녕');
    await page.getByTestId('answer-usage').waitFor();
    assert.equal(await text(page.getByTestId('usage-tokens')), '입력 1,234 · 출력 567');
    assert.equal(await text(page.getByTestId('usage-cost')), '$0.50');
    assert.equal(await page.getByTestId('usage-cost').getAttribute('title'), '모델의 공시 가격으로 계산한 비용');
    await page.getByTestId('model-picker').click();
    assert.equal(await text(option(page, 'ofox', 'anthropic/claude-sonnet-4.5').getByTestId('model-price')), '100만 토큰당 $3 / $15');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});
