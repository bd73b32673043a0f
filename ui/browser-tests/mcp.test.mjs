// @ts-check
// MCP tool servers in headless Chromium against the in-page fake backend: adding and
// testing servers in Settings → Tools, and answering a tool call on its card. Which
// servers start and which calls ask is Rust's to decide and test; the fake scripts it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** @typedef {import('playwright-core').Page} Page */

const answer = (/** @type {Page} */ page) => page.locator('[data-testid="message"][data-role="assistant"]').last();

async function send(/** @type {Page} */ page, /** @type {string} */ text) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** What the fake backend holds, read in the page. */
const fake = (/** @type {Page} */ page, /** @type {(f: any) => any} */ read) =>
  page.evaluate(`(${read.toString()})(window.foxtailMock)`);

const lastCall = (/** @type {Page} */ page, /** @type {string} */ cmd) =>
  fake(
    page,
    /** @type {(f: any) => any} */ (
      new Function('f', `return f.control.calls.filter((c) => c.cmd === ${JSON.stringify(cmd)}).at(-1)?.args`)
    ),
  );

test('a server added by pasting its JSON is tested, saved, switched, given rules and removed', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('settings').click();
    await page.getByTestId('settings-dialog').waitFor();
    assert.ok(await page.getByTestId('mcp-none').isVisible(), 'no servers yet');
    await page.getByTestId('mcp-add').click();
    const pasted = {
      mcpServers: {
        'Test server': { command: 'npx', args: ['-y', 'test-server', 'My Documents'], env: { API_KEY: 'sk-test-fake-9999' } },
      },
    };
    await page.getByTestId('mcp-json').fill(JSON.stringify(pasted, null, 2));
    await page.getByTestId('mcp-import').click();

    const form = page.getByTestId('mcp-add-panel').getByTestId('mcp-form');
    await form.waitFor();
    assert.equal(await form.getByTestId('mcp-name').inputValue(), 'Test server');
    assert.equal(await form.getByTestId('mcp-command').inputValue(), 'npx -y test-server "My Documents"');
    assert.equal(await form.getByTestId('mcp-secret-name').inputValue(), 'API_KEY');
    assert.equal(await form.getByTestId('mcp-secret-value').getAttribute('type'), 'password', 'values are hidden');

    // Test works before saving, with the values typed.
    await form.getByTestId('mcp-form-test').click();
    await form.getByTestId('mcp-tools').waitFor();
    assert.deepEqual((await lastCall(page, 'mcp_test_server')).secrets, { API_KEY: 'sk-test-fake-9999' });

    await form.getByTestId('mcp-save').click();
    const entry = page.locator('[data-testid="mcp-server"][data-id="test-server"]');
    await entry.waitFor();
    assert.equal(await page.getByTestId('mcp-add-panel').count(), 0, 'the add panel closes once its server is saved');
    assert.equal(await entry.getByTestId('mcp-server-name').textContent(), 'Test server');
    assert.equal(await entry.getByTestId('mcp-server-runs').textContent(), 'npx -y test-server "My Documents"');
    const saved = await lastCall(page, 'mcp_save_server');
    assert.deepEqual(saved.server.transport, {
      kind: 'stdio',
      command: 'npx',
      args: ['-y', 'test-server', 'My Documents'],
      env: ['API_KEY'],
    });
    assert.deepEqual(saved.secrets, { API_KEY: 'sk-test-fake-9999' });

    // Test from the list: busy first, then the tools in plain words. The test takes long
    // enough to be seen busy from here on a busy machine.
    await page.evaluate(() => (window['foxtailMock'].control.mcpTestDelay = 2000));
    await entry.getByTestId('mcp-test').click();
    assert.equal(await entry.getByTestId('mcp-testing').textContent(), 'Starting the server…');
    await entry.getByTestId('mcp-tools').waitFor();
    const tools = entry.getByTestId('mcp-tool');
    assert.equal(await tools.count(), 2);
    const lookup = entry.locator('[data-testid="mcp-tool"][data-name="lookup"]');
    const remover = entry.locator('[data-testid="mcp-tool"][data-name="delete_note"]');
    assert.match((await lookup.textContent()) ?? '', /Look up a value/);
    assert.match((await lookup.textContent()) ?? '', /Finds the value stored under a key\./);
    assert.equal(await lookup.getByTestId('mcp-badge').textContent(), 'only reads');
    assert.match((await remover.locator('strong').textContent()) ?? '', /^delete_note$/, 'no title: the name');
    assert.equal(await remover.getByTestId('mcp-badge').textContent(), 'can change or delete things');
    assert.equal(await remover.getByTestId('mcp-rule').inputValue(), 'ask');

    // Allow for a tool that deletes is set here, by hand, and saved at once.
    await remover.getByTestId('mcp-rule').selectOption('allow');
    await page.waitForFunction(() => window['foxtailMock'].control.settings.tool_rules['test-server/delete_note'] === 'allow');
    // With "only reads without asking" on, a tool that only reads shows Allow.
    assert.equal(await lookup.getByTestId('mcp-rule').inputValue(), 'ask');
    await entry.getByTestId('mcp-auto-read-only').check();
    await page.waitForFunction(() => window['foxtailMock'].control.settings.mcp_servers[0]?.auto_read_only === true);
    assert.equal(await lookup.getByTestId('mcp-rule').inputValue(), 'allow');

    await entry.getByTestId('mcp-enabled').uncheck();
    await page.waitForFunction(() => window['foxtailMock'].control.settings.mcp_servers[0]?.enabled === false);
    await entry.getByTestId('mcp-timeout').fill('20');
    await entry.getByTestId('mcp-timeout').blur();
    await page.waitForFunction(() => window['foxtailMock'].control.settings.mcp_servers[0]?.timeout_s === 20);

    // Editing shows that a value is saved, never the value itself; left empty, it stays.
    await entry.getByTestId('mcp-edit').click();
    const editing = entry.getByTestId('mcp-form');
    assert.equal(await editing.getByTestId('mcp-secret-value').inputValue(), '');
    assert.equal(await editing.getByTestId('mcp-secret-value').getAttribute('placeholder'), 'Saved (type to replace it)');
    await editing.getByTestId('mcp-name').fill('Test server, renamed');
    await editing.getByTestId('mcp-save').click();
    await entry.getByTestId('mcp-server-name').getByText('Test server, renamed').waitFor();
    const resaved = await lastCall(page, 'mcp_save_server');
    assert.deepEqual(resaved.secrets, {}, 'an untouched value is not sent again');
    assert.equal(resaved.server.id, 'test-server', 'the id stays');
    assert.equal(resaved.server.timeout_s, 20);
    assert.equal(
      await fake(page, (f) => f.control.mcpSecrets.get('test-server')?.API_KEY),
      'sk-test-fake-9999',
      'the saved value is kept',
    );

    await entry.getByTestId('mcp-remove').click();
    await entry.getByTestId('mcp-remove-confirm').click();
    await page.getByTestId('mcp-none').waitFor();
    assert.deepEqual(await fake(page, (f) => f.control.settings.tool_rules), {}, 'its rules went with it');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a server that cannot start says why; a ready-made one fills the form', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('settings').click();
    await page.getByTestId('mcp-add').click();
    await page.getByTestId('mcp-manual').click();
    const form = page.getByTestId('mcp-form');
    await form.getByTestId('mcp-form-test').click();
    assert.equal(await form.getByTestId('mcp-form-problem').textContent(), 'Enter the command that starts the server first.');

    await form.getByTestId('mcp-name').fill('Broken');
    await form.getByTestId('mcp-command').fill('missing --flag');
    await form.getByTestId('mcp-form-test').click();
    const error = form.getByTestId('mcp-test-error');
    await error.waitFor();
    assert.equal(await error.getAttribute('data-kind'), 'mcp_not_found');
    assert.equal(
      await error.locator('p').textContent(),
      'The server’s program was not found. Install it, or enter the full path of the command.',
    );
    assert.match((await error.locator('code').textContent()) ?? '', /looked for it in \/usr\/local\/bin/);

    // A pasted block that is not JSON: Rust's reason, as it wrote it.
    await page.getByTestId('mcp-json').fill('{"mcpServers": ');
    await page.getByTestId('mcp-import').click();
    const refused = page.getByTestId('mcp-import-error');
    await refused.waitFor();
    assert.match((await refused.locator('p').textContent()) ?? '', /not JSON that Foxtail can read/);

    // A ready-made server, twice: the second gets an id of its own.
    for (const expected of ['time', 'time-2']) {
      await page.locator('[data-testid="mcp-well-known"][data-id="time"]').getByTestId('mcp-pick').click();
      const picked = page.getByTestId('mcp-add-panel').getByTestId('mcp-form');
      assert.equal(await picked.getByTestId('mcp-name').inputValue(), 'Time');
      assert.equal(await picked.getByTestId('mcp-command').inputValue(), 'uvx mcp-server-time');
      await picked.getByTestId('mcp-save').click();
      await page.locator(`[data-testid="mcp-server"][data-id="${expected}"]`).waitFor();
      if (expected === 'time') await page.getByTestId('mcp-add').click();
    }
    const time = page.locator('[data-testid="mcp-server"][data-id="time"]');
    assert.equal(await time.getByTestId('mcp-auto-read-only').isChecked(), true, 'it keeps its own settings');
    assert.equal(await page.getByTestId('mcp-saved').textContent(), '“Time” was saved.');
  } finally {
    await close();
  }
});

test('a tool call that asks waits for the person: Allow once runs it, Deny goes on without it', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await send(page, 'Please use the lookup tool');
    const card = answer(page).getByTestId('tool-call');
    await card.and(page.locator('[data-state="asking"]')).waitFor();
    assert.equal(await card.getByTestId('tool-title').textContent(), 'Test server · lookup');
    assert.notEqual(await card.getAttribute('open'), null, 'the card is open while it asks');
    // The arguments read as lines; a nested value as compact JSON.
    const args = card.getByTestId('tool-arguments');
    assert.deepEqual(await args.locator('div').allTextContents(), ['key: x', 'options: {"exact":true}']);
    for (const id of ['tool-approve', 'tool-approve-chat', 'tool-approve-always', 'tool-deny']) {
      assert.ok(await card.getByTestId(id).isVisible(), `${id} is shown`);
    }
    assert.equal(await card.getByTestId('tool-destructive').count(), 0);
    assert.equal(await answer(page).getAttribute('data-status'), 'streaming', 'the answer waits');

    await card.getByTestId('tool-approve').click();
    await card.and(page.locator('[data-state="done"]')).waitFor();
    const callId = await fake(page, (f) => f.control.conversations[0].messages[1].extras.tools[0].id);
    assert.deepEqual(await lastCall(page, 'answer_tool_call'), { callId, decision: 'once' });
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    assert.equal(await card.getByTestId('tool-result').textContent(), 'value of x is 42');
    assert.match((await answer(page).textContent()) ?? '', /The value of x is 42\./);
    assert.equal(await card.getByTestId('tool-approval').count(), 0, 'the buttons are gone');

    await send(page, 'Now use the lookup tool again');
    const second = answer(page).getByTestId('tool-call');
    await second.and(page.locator('[data-state="asking"]')).waitFor();
    await second.getByTestId('tool-deny').click();
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    assert.equal(await second.getAttribute('data-state'), 'declined');
    assert.equal(await second.getByTestId('tool-state').textContent(), 'You declined this call');
    assert.equal(await lastCall(page, 'answer_tool_call').then((a) => a.decision), 'deny');
    assert.match((await answer(page).textContent()) ?? '', /Without the lookup I cannot say what x is\./);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a tool that can change or delete things is never offered "Always allow"', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    await send(page, 'use the delete tool on my shopping list');
    const card = answer(page).getByTestId('tool-call');
    await card.and(page.locator('[data-state="asking"]')).waitFor();
    assert.equal(await card.getByTestId('tool-destructive').textContent(), 'This tool can change or delete things.');
    assert.equal(await card.getByTestId('tool-approve-always').count(), 0);
    assert.ok(await card.getByTestId('tool-approve-chat').isVisible());
    await card.getByTestId('tool-approve-chat').click();
    // The buttons wait while the answer is on its way.
    await card.and(page.locator('[data-state="done"]')).waitFor();
    assert.equal(await lastCall(page, 'answer_tool_call').then((a) => a.decision), 'chat');
    assert.equal(await card.getByTestId('tool-result').textContent(), 'Deleted the note “Shopping list”.');
  } finally {
    await close();
  }
});

test('pictures from a tool show as thumbnails and open larger; other kinds are left out', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const card = {
      index: 0,
      at: 0,
      id: 'call_pic',
      name: 'screenshot',
      arguments: '{}',
      done: true,
      result: '<b>not markup</b>',
      is_error: false,
      source: 'Screens',
      images: [
        { mime: 'image/png', data: png },
        { mime: 'image/svg+xml', data: 'PHN2Zz48L3N2Zz4=' },
      ],
    };
    await page.evaluate((c) => {
      window['foxtailMock'].control.answers.push([
        { delay: 5, events: [{ type: 'tool_result', id: c.id, name: c.name, content: c.result, is_error: false, images: c.images }], extras: { refusal: '', tools: [c] } },
        { delay: 5, events: [{ type: 'text', text: 'Here it is.' }] },
        { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ]);
    }, card);
    await send(page, 'Take a screenshot');
    await answer(page).and(page.locator('[data-status="done"]')).waitFor();
    const shown = answer(page).getByTestId('tool-call');
    await shown.locator('summary').click();
    assert.equal(await shown.getByTestId('tool-result').textContent(), '<b>not markup</b>', 'the result is plain text');
    assert.equal(await shown.locator('b').count(), 0);
    const thumbnails = shown.getByTestId('tool-image');
    assert.equal(await thumbnails.count(), 1, 'the SVG is not shown');
    assert.match((await thumbnails.locator('img').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    await thumbnails.click();
    const viewer = page.getByTestId('tool-image-view');
    await viewer.waitFor();
    // The message list is a compositing layer of its own; the viewer still covers the window.
    const backdrop = await page.locator('.dialog-backdrop').boundingBox();
    const windowSize = page.viewportSize();
    assert.deepEqual(
      backdrop && [backdrop.x, backdrop.y, backdrop.width, backdrop.height],
      windowSize && [0, 0, windowSize.width, windowSize.height],
      'the viewer covers the whole window',
    );
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  } finally {
    await close();
  }
});

/** The contrast ratio of an element's text on its own background (WCAG's formula). */
const contrastOf = (/** @type {import('playwright-core').Locator} */ element) =>
  element.evaluate((el) => {
    const channels = (/** @type {string} */ colour) => (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const linear = (/** @type {number} */ v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    const luminance = (/** @type {string} */ colour) => {
      const [r = 0, g = 0, b = 0] = channels(colour).map(linear);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const style = getComputedStyle(el);
    const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
    return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
  });

test('a server that could not start is noted on the answer, as plain text, readable in both themes', async () => {
  for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
    const { page, pageErrors, close } = await openWindow({ setup: withKey, colorScheme });
    try {
      await send(page, 'Please use the broken server');
      const first = page.locator('[data-testid="message"][data-role="assistant"]').first();
      await first.and(page.locator('[data-status="done"]')).waitFor();
      const notice = first.getByTestId('answer-notice');
      assert.equal(await notice.count(), 1);
      assert.equal(
        await notice.textContent(),
        'The tools of “Time” were not offered in this answer: The server “Time” could not start: “uvx” was not found in any of these folders: /usr/local/bin, /usr/bin, /bin.',
      );
      assert.match((await first.textContent()) ?? '', /The end\./, 'the answer is there too');
      const contrast = await contrastOf(notice);
      assert.ok(contrast >= 4.5, `${colorScheme}: contrast ${contrast.toFixed(2)}`);

      // The next answer has no notice of its own; Rust's words are never markup.
      await page.evaluate(() => {
        window['foxtailMock'].control.answers.push([
          { delay: 5, extras: { refusal: '', tools: [], notices: ['<b>not markup</b> <img src=x onerror="window.pwned=1">'] } },
          { delay: 5, events: [{ type: 'text', text: 'Fine.' }] },
          { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
        ]);
      });
      await send(page, 'Answer plainly');
      const second = page.locator('[data-testid="message"][data-role="assistant"]').nth(1);
      await second.and(page.locator('[data-status="done"]')).waitFor();
      assert.equal(await second.getByTestId('answer-notice').textContent(), '<b>not markup</b> <img src=x onerror="window.pwned=1">');
      assert.equal(await second.locator('.answer-notice b, .answer-notice img').count(), 0);
      assert.equal(await first.getByTestId('answer-notice').count(), 1, 'the first keeps its own');

      await send(page, 'And once more');
      const third = page.locator('[data-testid="message"][data-role="assistant"]').nth(2);
      await third.and(page.locator('[data-status="done"]')).waitFor();
      assert.equal(await third.getByTestId('answer-notice').count(), 0);
      assert.equal(await page.evaluate(() => window['pwned'] ?? null), null);
      assert.deepEqual(pageErrors, []);
    } finally {
      await close();
    }
  }
});
