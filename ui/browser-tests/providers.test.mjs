// @ts-check
// Settings: several providers each with its own key, presets that ask only for what a
// person must choose, assistants of one's own, usage totals and the reasoning default.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

const shots = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'ui');

/** @param {import('playwright-core').Page} page */
const control = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window['foxtailMock'].control.settings)));
/** @param {import('playwright-core').Page} page @param {string} provider */
const keyOf = (page, provider) => page.evaluate((id) => window['foxtailMock'].control.keys.get(id) ?? null, provider);
/** @param {import('playwright-core').Page} page @param {string} id */
const row = (page, id) => page.locator(`[data-testid="provider-row"][data-id="${id}"]`);

test('a second provider: added with its own key, made the default, and the first removed after a confirm', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('settings').click();
    await row(page, 'ofox').waitFor();
    assert.equal(await page.getByTestId('provider-row').count(), 1);
    assert.equal(await row(page, 'ofox').getAttribute('data-default'), 'true');
    await row(page, 'ofox').getByTestId('provider-key').getByText('•••• wxyz').waitFor();
    assert.equal(await row(page, 'ofox').getByTestId('make-default-provider').count(), 0);
    assert.equal(await row(page, 'ofox').getByTestId('remove-provider').isDisabled(), true, 'the default stays');

    // Add Anthropic: a preset, so only the key and the model are asked for.
    await page.getByTestId('add-provider').click();
    const form = page.getByTestId('provider-form');
    const offered = await form.getByTestId('provider').locator('option').evaluateAll((options) =>
      options.map((o) => /** @type {HTMLOptionElement} */ (o).value),
    );
    assert.ok(!offered.includes('ofox'), 'a provider already set up is not offered again');
    await form.getByTestId('provider').selectOption('anthropic');
    assert.equal(await form.getByTestId('base-url').isVisible(), false);
    assert.equal(await form.getByTestId('base-url').inputValue(), 'https://api.anthropic.com');
    await form.getByTestId('api-key').fill('sk-ant-test-fake-5678');
    await form.getByTestId('model').fill('claude-opus-4');
    await form.getByTestId('save-provider').click();
    await page.getByTestId('provider-added').getByText('Added Anthropic.').waitFor();
    assert.equal(await page.getByTestId('provider-form').count(), 0);

    assert.equal(await page.getByTestId('provider-row').count(), 2);
    await row(page, 'anthropic').getByText('https://api.anthropic.com').waitFor();
    await row(page, 'anthropic').getByTestId('provider-key').getByText('•••• wxyz').waitFor();
    assert.deepEqual(await keyOf(page, 'anthropic'), {
      key: 'sk-ant-test-fake-5678',
      sessionOnly: false,
      baseUrl: 'https://api.anthropic.com',
    });
    assert.equal((await keyOf(page, 'ofox'))?.key, 'sk-test-fake-1234', 'each provider keeps its own key');
    let saved = await control(page);
    assert.deepEqual(
      saved.providers.map((/** @type {any} */ p) => p.id),
      ['ofox', 'anthropic'],
    );
    assert.deepEqual(saved.favorite_models, [{ provider: 'anthropic', model: 'claude-opus-4' }]);
    assert.equal(saved.provider, 'ofox', 'adding does not change the default');

    // Make it the default: its own address, and the model picked for it.
    await row(page, 'anthropic').getByTestId('make-default-provider').click();
    await row(page, 'anthropic').getByTestId('provider-default').waitFor();
    saved = await control(page);
    assert.equal(saved.provider, 'anthropic');
    assert.equal(saved.protocol, 'anthropic');
    assert.equal(saved.base_url, 'https://api.anthropic.com');
    assert.equal(saved.model, 'claude-opus-4');
    assert.equal(await row(page, 'anthropic').getByTestId('remove-provider').isDisabled(), true);
    // The default's fields below follow.
    const fields = page.getByTestId('default-connection');
    assert.equal(await fields.getByTestId('provider').inputValue(), 'anthropic');
    assert.equal(await fields.getByTestId('model').inputValue(), 'claude-opus-4');

    // Remove the first one: nothing happens before the confirm.
    await row(page, 'ofox').getByTestId('remove-provider').click();
    await row(page, 'ofox').getByText('Remove OfoxAI and the key saved for it?').waitFor();
    assert.notEqual(await keyOf(page, 'ofox'), null);
    await row(page, 'ofox').getByTestId('remove-provider-cancel').click();
    assert.equal(await row(page, 'ofox').getByTestId('remove-provider-confirm').count(), 0);
    assert.equal((await control(page)).providers.length, 2);
    assert.notEqual(await keyOf(page, 'ofox'), null);

    await row(page, 'ofox').getByTestId('remove-provider').click();
    await row(page, 'ofox').getByTestId('remove-provider-confirm').click();
    await row(page, 'ofox').waitFor({ state: 'detached' });
    assert.equal(await keyOf(page, 'ofox'), null, 'its key is deleted');
    assert.notEqual(await keyOf(page, 'anthropic'), null);
    assert.deepEqual(
      (await control(page)).providers.map((/** @type {any} */ p) => p.id),
      ['anthropic'],
    );

    // Save keeps it that way: the default's fields no longer hold the removed provider.
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-note').getByText('Saved.').waitFor();
    saved = await control(page);
    assert.equal(saved.provider, 'anthropic');
    assert.deepEqual(
      saved.providers.map((/** @type {any} */ p) => p.id),
      ['anthropic'],
    );
    mkdirSync(shots, { recursive: true });
    await page.getByTestId('providers').screenshot({ path: resolve(shots, 'settings-providers.png') });
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a key the keychain refuses leaves the added provider listed, with no key, to fix in place', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('settings').click();
    await page.getByTestId('add-provider').click();
    const form = page.getByTestId('provider-form');
    await form.getByTestId('provider').selectOption('openrouter');
    await page.evaluate(() => (window['foxtailMock'].control.keychainAvailable = false));
    await form.getByTestId('api-key').fill('sk-or-test-fake-1111');
    await form.getByTestId('save-provider').click();
    await form.getByTestId('provider-error').getByText('The provider was not saved.').waitFor();
    await row(page, 'openrouter').getByTestId('provider-key').getByText('No key').waitFor();
    // This session only, then: the same form finishes the job.
    assert.equal(await form.getByTestId('provider').inputValue(), 'openrouter');
    await form.getByTestId('session-only').check();
    await form.getByTestId('save-provider').click();
    await page.getByTestId('provider-added').getByText('Added OpenRouter.').waitFor();
    await row(page, 'openrouter').getByTestId('provider-key').getByText('•••• wxyz (this session only)').waitFor();
    assert.deepEqual(await keyOf(page, 'openrouter'), {
      key: 'sk-or-test-fake-1111',
      sessionOnly: true,
      baseUrl: 'https://openrouter.ai/api/v1',
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a preset asks only for the key and model, with protocol and address under Advanced; Custom shows them', async () => {
  const { page, pageErrors, close } = await openWindow();
  try {
    // First run.
    await page.getByTestId('setup').waitFor();
    const advanced = page.getByTestId('advanced');
    assert.equal(await page.getByTestId('provider').inputValue(), 'ofox');
    assert.equal(await page.getByTestId('api-key').isVisible(), true);
    assert.equal(await page.getByTestId('model').isVisible(), true);
    assert.equal(await page.getByTestId('load-models').isVisible(), true);
    assert.equal(await advanced.evaluate((d) => /** @type {HTMLDetailsElement} */ (d).open), false);
    assert.equal(await page.getByTestId('protocol').isVisible(), false);
    assert.equal(await page.getByTestId('base-url').isVisible(), false);
    await advanced.locator('summary').click();
    assert.equal(await page.getByTestId('protocol').isVisible(), true);
    assert.equal(await page.getByTestId('base-url').inputValue(), 'https://api.ofox.ai/v1');

    await page.getByTestId('provider').selectOption('custom');
    assert.equal(await advanced.count(), 0, 'nothing is folded away for a custom gateway');
    assert.equal(await page.getByTestId('protocol').isVisible(), true);
    assert.equal(await page.getByTestId('base-url').isVisible(), true);

    // A server on this computer: its port is often changed, so the address is in view.
    await page.getByTestId('provider').selectOption('ollama');
    assert.equal(await page.getByTestId('base-url').isVisible(), true);
    assert.equal(await page.getByTestId('api-key').count(), 0);

    await page.getByTestId('provider').selectOption('openrouter');
    assert.equal(await page.getByTestId('base-url').isVisible(), false);
    assert.equal(await page.getByTestId('base-url').inputValue(), 'https://openrouter.ai/api/v1');
    await page.getByTestId('setup-skip').click();

    // Adding a provider in Settings: the same.
    await page.getByTestId('settings').click();
    await page.getByTestId('add-provider').click();
    const form = page.getByTestId('provider-form');
    await form.getByTestId('provider').selectOption('custom');
    assert.equal(await form.getByTestId('base-url').isVisible(), true);
    assert.equal(await form.getByTestId('protocol').isVisible(), true);
    await form.getByTestId('provider').selectOption('openai');
    assert.equal(await form.getByTestId('base-url').isVisible(), false);
    assert.equal(await form.getByTestId('advanced').count(), 1);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('an address changed from the preset’s own keeps Advanced open, so it is in view', async () => {
  const { page, pageErrors, close } = await openWindow({
    setup: (fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.base_url = 'https://proxy.example.com/v1';
      fake.control.settings.setup_done = true;
    },
  });
  try {
    await page.getByTestId('settings').click();
    const fields = page.getByTestId('default-connection');
    await fields.waitFor();
    assert.equal(await fields.getByTestId('base-url').isVisible(), true);
    assert.equal(await fields.getByTestId('base-url').inputValue(), 'https://proxy.example.com/v1');
    await row(page, 'ofox').getByText('https://proxy.example.com/v1').waitFor();
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a provider that is not the default is changed in place: its address and key', async () => {
  const { page, pageErrors, close } = await openWindow({
    setup: (fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      fake.control.settings.providers.push({ id: 'ollama', protocol: 'openai', base_url: 'http://localhost:11434/v1' });
    },
  });
  try {
    await page.getByTestId('settings').click();
    await row(page, 'ollama').getByTestId('provider-key').getByText('No key needed').waitFor();
    await row(page, 'ollama').getByTestId('edit-provider').click();
    const form = page.getByTestId('provider-form');
    assert.equal(await form.getByTestId('provider').isDisabled(), true, 'it stays the provider it is');
    await form.getByTestId('base-url').fill('http://localhost:11500/v1');
    await form.getByTestId('save-provider').click();
    await form.waitFor({ state: 'detached' });
    await row(page, 'ollama').getByText('http://localhost:11500/v1').waitFor();
    const saved = await control(page);
    assert.deepEqual(saved.providers, [
      { id: 'ofox', protocol: 'openai', base_url: 'https://api.ofox.ai/v1' },
      { id: 'ollama', protocol: 'openai', base_url: 'http://localhost:11500/v1' },
    ]);
    assert.equal(saved.provider, 'ofox');
    // Made the default later, it keeps that address.
    await row(page, 'ollama').getByTestId('make-default-provider').click();
    await row(page, 'ollama').getByTestId('provider-default').waitFor();
    assert.equal((await control(page)).base_url, 'http://localhost:11500/v1');
    assert.equal(await page.getByTestId('default-connection').getByTestId('base-url').inputValue(), 'http://localhost:11500/v1');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('assistants: the built-in ones to read, one’s own to create, edit and delete', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('settings').click();
    const builtIn = page.locator('[data-testid="assistant-row"][data-builtin="true"]');
    await builtIn.first().waitFor();
    assert.equal(await builtIn.count(), 4);
    const translator = page.locator('[data-testid="assistant-row"][data-id="translator"]');
    assert.equal(await translator.getByTestId('assistant-title').textContent(), 'Translator');
    await translator.getByText('Translates between Korean and English').waitFor();
    assert.equal(await builtIn.getByTestId('edit-assistant').count(), 0, 'built-in ones are read-only');
    assert.equal(await builtIn.getByTestId('delete-assistant').count(), 0);
    await page.getByTestId('assistants-none').waitFor();

    // A name is needed: said before anything is sent.
    await page.getByTestId('add-assistant').click();
    await page.getByTestId('save-assistant').click();
    await page.getByTestId('assistant-problem').getByText('Give the assistant a name.').waitFor();
    assert.deepEqual((await control(page)).assistants, []);

    await page.getByTestId('assistant-name').fill('Reviewer');
    await page.getByTestId('assistant-instructions').fill('Review the code I paste.');
    await page.getByTestId('assistant-provider').selectOption('ofox');
    await page.getByTestId('assistant-model').fill('openai/gpt-4o');
    await page.getByTestId('save-assistant').click();
    await page.getByTestId('assistant-saved').getByText('Saved “Reviewer”.').waitFor();
    assert.deepEqual((await control(page)).assistants, [
      {
        id: 'own-reviewer',
        name: 'Reviewer',
        instructions: 'Review the code I paste.',
        model: { provider: 'ofox', model: 'openai/gpt-4o' },
      },
    ]);
    const mine = page.locator('[data-testid="assistant-row"][data-id="own-reviewer"]');
    assert.equal(await mine.getByTestId('assistant-title').textContent(), 'Reviewer');
    await mine.getByText('Starts with openai/gpt-4o').waitFor();

    // Rust refuses the change: its reason is kept behind the plain words, the form stays.
    const reason = 'Assistant “Strict reviewer” has an id that is empty or already used.';
    await mine.getByTestId('edit-assistant').click();
    assert.equal(await mine.getByTestId('assistant-name').inputValue(), 'Reviewer');
    await mine.getByTestId('assistant-name').fill('Strict reviewer');
    await mine.getByTestId('assistant-provider').selectOption('');
    await page.evaluate((message) => {
      window['foxtailMock'].control.failNext.save_settings = { kind: 'settings', message };
    }, reason);
    await mine.getByTestId('save-assistant').click();
    // Rust writes this kind of refusal for people, so the English window shows it as is.
    const refused = page.getByTestId('assistant-error');
    await refused.getByText('The assistant was not saved.').waitFor();
    await refused.getByText(reason).waitFor();
    assert.equal((await control(page)).assistants[0].name, 'Reviewer');
    await mine.getByTestId('save-assistant').click();
    await page.getByTestId('assistant-saved').getByText('Saved “Strict reviewer”.').waitFor();
    assert.equal(await refused.count(), 0);
    assert.deepEqual((await control(page)).assistants, [
      { id: 'own-reviewer', name: 'Strict reviewer', instructions: 'Review the code I paste.', model: null },
    ]);

    // Delete, after a confirm.
    await mine.getByTestId('delete-assistant').click();
    assert.equal((await control(page)).assistants.length, 1);
    await mine.getByTestId('delete-assistant-confirm').click();
    await mine.waitFor({ state: 'detached' });
    assert.deepEqual((await control(page)).assistants, []);
    await page.getByTestId('assistants-none').waitFor();

    // The built-in ones speak the window's language.
    await page.getByTestId('language').selectOption('ko');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('settings').click();
    assert.equal(await translator.getByTestId('assistant-title').textContent(), '번역가');
    await translator.getByText('한국어와 영어 사이').waitFor();
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('usage totals by day (latest first) and by model, never pricing answers without a price', async () => {
  const { page, pageErrors, close } = await openWindow({
    setup: (fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      fake.control.usageTotals = {
        by_day: [
          { key: '2025-06-01', answers: 2, input_tokens: 800, output_tokens: 120, cost: 0, uncosted: 2 },
          { key: '2025-06-03', answers: 5, input_tokens: 12345, output_tokens: 2100, cost: 0.0123, uncosted: 3 },
        ],
        by_model: [
          { key: 'anthropic/claude-sonnet-4.5', answers: 4, input_tokens: 10000, output_tokens: 2000, cost: 1.5, uncosted: 0 },
          { key: 'llama3.2', answers: 3, input_tokens: 3145, output_tokens: 220, cost: 0, uncosted: 3 },
        ],
      };
    },
  });
  try {
    await page.getByTestId('settings').click();
    await page.getByTestId('usage-section').waitFor();
    assert.equal(await page.getByTestId('usage-totals').count(), 0);
    const asked = () =>
      page.evaluate(() => window['foxtailMock'].control.calls.filter((c) => c.cmd === 'usage_totals').length);
    assert.equal(await asked(), 0, 'read only once the section is opened');
    await page.getByTestId('usage-section').locator('summary').click();
    const totals = page.getByTestId('usage-totals');
    await totals.waitFor();
    assert.equal(await asked(), 1);

    const days = totals.getByTestId('usage-by-day').getByTestId('usage-row');
    assert.deepEqual(await days.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key'))), [
      '2025-06-03',
      '2025-06-01',
    ]);
    const latest = days.first();
    assert.match((await latest.textContent()) ?? '', /12,345/);
    assert.match((await latest.textContent()) ?? '', /2,100/);
    assert.match((await latest.getByTestId('usage-cost').textContent()) ?? '', /\$0\.0123/);
    assert.equal(await latest.getByTestId('usage-uncosted').textContent(), '+ 3 answers without a price');
    // A day with no priced answer has no cost, not $0.
    const unpriced = days.nth(1).getByTestId('usage-cost');
    assert.equal(((await unpriced.textContent()) ?? '').trim(), 'no price');

    const models = totals.getByTestId('usage-by-model').getByTestId('usage-row');
    assert.equal(await models.count(), 2);
    assert.match((await models.first().textContent()) ?? '', /anthropic\/claude-sonnet-4\.5/);
    assert.equal(((await models.first().getByTestId('usage-cost').textContent()) ?? '').trim(), '$1.50');
    assert.equal(await models.first().getByTestId('usage-uncosted').count(), 0);
    assert.equal(((await models.nth(1).getByTestId('usage-cost').textContent()) ?? '').trim(), 'no price');
    await page.getByTestId('usage-section').screenshot({ path: resolve(shots, 'settings-usage.png') });

    // Opened again, it is read again.
    await page.evaluate(() => {
      window['foxtailMock'].control.usageTotals.by_day[1].uncosted = 1;
    });
    await page.getByTestId('usage-section').locator('summary').click();
    await page.getByTestId('usage-section').locator('summary').click();
    await latest.getByTestId('usage-uncosted').getByText('+ 1 answer without a price').waitFor();
    assert.equal(await asked(), 2);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('the reasoning default is saved with the settings, and "the model’s default" is null', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('settings').click();
    const chosen = () =>
      page.getByTestId('reasoning').evaluate((s) => /** @type {HTMLSelectElement} */ (s).selectedOptions[0]?.textContent);
    assert.equal(await chosen(), 'The model’s default');
    await page.getByTestId('reasoning').selectOption({ label: 'High' });
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-note').getByText('Saved.').waitFor();
    assert.equal((await control(page)).reasoning, 'high');
    await page.getByTestId('close-settings').click();
    await page.getByTestId('settings').click();
    assert.equal(await chosen(), 'High');
    await page.getByTestId('reasoning').selectOption({ label: 'The model’s default' });
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-note').getByText('Saved.').waitFor();
    assert.equal((await control(page)).reasoning, null);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});
