// @ts-check
// Every screen and state of the window, in the light and the dark theme, has no
// accessibility violation that axe-core can find. Each state is reached through the
// fake backend and checked to be on screen before axe looks, so that a state that
// stopped appearing fails here instead of passing unseen.
import { test } from 'node:test';
import { assertAxeClean } from './axe.mjs';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** @typedef {import('playwright-core').Page} Page */

const answer = (/** @type {Page} */ page) => page.locator('[data-testid="message"][data-role="assistant"]').last();

async function send(/** @type {Page} */ page, /** @type {string} */ text) {
  await page.getByTestId('composer').fill(text);
  await page.getByTestId('composer').press('Enter');
}

/** Queues a scripted answer in the fake backend. */
async function script(/** @type {Page} */ page, /** @type {any[]} */ steps) {
  await page.evaluate((s) => window['foxtailMock'].control.answers.push(s), steps);
}

/** Queues an answer that says `text` and finishes. */
async function say(/** @type {Page} */ page, /** @type {string} */ text) {
  await page.evaluate((t) => {
    const fake = window['foxtailMock'];
    fake.control.answers.push([...fake.tokens(t, 1), { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]);
  }, text);
}

/** An answer with most of what Markdown and the code colours can show. */
const RICH_ANSWER = [
  '# Plan',
  'Read [the guide](https://example.org/guide), then run `npm test`.',
  '> A quoted line.',
  '| Step | Time |\n| --- | --- |\n| Build | 2 min |',
  '```js\n// Logs a greeting\nconst n = 42;\nconsole.log(`hello ${n}`, /x+/g, true);\n```',
  '```html\n<!-- a page -->\n<div class="box" id="main"><a href="#">link</a></div>\n```',
  '```css\n.box:hover { color: #333; }\n```',
  '```diff\n- removed line\n+ added line\n```',
  '```markdown\n## A section\n- a bullet\n```',
  '```python\n@decorator\ndef f(x: int) -> str:\n    return f"{x}"  # why\n```',
].join('\n\n');

/** A key, setup done, and a second provider, so the picker and Settings list more than one. */
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
  fake.control.usageTotals = {
    by_day: [{ key: '2025-06-03', answers: 5, input_tokens: 12345, output_tokens: 2100, cost: 0.0123, uncosted: 3 }],
    by_model: [{ key: 'anthropic/claude-sonnet-4.5', answers: 4, input_tokens: 10000, output_tokens: 2000, cost: 1.5, uncosted: 0 }],
  };
}

/** Opens Settings and waits for its dialog. */
async function openSettings(/** @type {Page} */ page) {
  await page.getByTestId('settings').click();
  await page.getByTestId('settings-dialog').waitFor();
  await page.getByTestId('provider-row').first().waitFor();
}

/**
 * Each state: how the window is set up, and how it is brought to that state; `reach`
 * returns only once something that only that state shows is visible.
 * @type {{name: string, setup?: (fake: any) => void, reach: (page: Page) => Promise<void>}[]}
 */
const STATES = [
  {
    name: 'first-run setup',
    reach: async (page) => {
      await page.getByTestId('setup').waitFor();
      await page.getByTestId('load-models').waitFor();
    },
  },
  {
    name: 'first-run setup with a failed connection',
    reach: async (page) => {
      await page.getByTestId('setup').waitFor();
      await page.evaluate(() => {
        window['foxtailMock'].control.failNext.test_connection = { kind: 'auth', message: 'invalid x-api-key', status: 401 };
      });
      await page.getByTestId('api-key').fill('sk-test-fake-wrong-0000');
      await page.getByTestId('setup-connect').click();
      await page.getByTestId('setup-error').waitFor();
    },
  },
  {
    name: 'a new chat with its assistants',
    setup: twoProviders,
    reach: async (page) => {
      await page.getByTestId('assistant-menu').waitFor();
      await page.getByTestId('composer').waitFor();
    },
  },
  {
    name: 'a chat with an answer',
    setup: withKey,
    reach: async (page) => {
      await say(page, RICH_ANSWER);
      await send(page, 'Show me some code');
      await answer(page).and(page.locator('[data-status="done"]')).waitFor();
      await answer(page).locator('pre code.hljs .hljs-comment').first().waitFor();
      await answer(page).locator('a', { hasText: 'the guide' }).waitFor();
      await page.getByTestId('conversation').first().waitFor();
    },
  },
  {
    name: 'a link that asks before it opens',
    setup: withKey,
    reach: async (page) => {
      await say(page, 'Log in at [https://bank.example](https://evil.example/login) today.');
      await send(page, 'Where do I log in?');
      await answer(page).and(page.locator('[data-status="done"]')).waitFor();
      await answer(page).getByText('https://bank.example').click();
      await page.getByTestId('link-dialog').waitFor();
    },
  },
  {
    name: 'a deleted chat with its undo',
    setup: withKey,
    reach: async (page) => {
      await say(page, 'Otters hold hands while sleeping.');
      await send(page, 'About otters');
      await answer(page).and(page.locator('[data-status="done"]')).waitFor();
      const row = page.getByTestId('conversation').first();
      await row.hover();
      await row.getByTestId('delete').click();
      await page.getByTestId('undo').waitFor();
    },
  },
  {
    name: 'a message too long for the model',
    setup: (fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      fake.control.settings.model = 'local/small';
      fake.control.catalog = {
        models: [
          {
            provider: 'ofox',
            id: 'local/small',
            name: 'Small local model',
            context_length: 8000,
            image_input: false,
            tools: false,
            reasoning: false,
            pricing: null,
          },
        ],
        problems: [],
      };
    },
    reach: async (page) => {
      await page.getByTestId('context-meter-text').getByText('0 of 8k').waitFor();
      await send(page, 'a'.repeat(40000));
      await page.getByTestId('context-overflow').waitFor();
      await page.getByTestId('send-anyway').waitFor();
      await page.locator('[data-testid="context-meter"][data-over="true"]').waitFor();
    },
  },
  {
    name: 'an answer streaming',
    setup: withKey,
    reach: async (page) => {
      const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
      await page.evaluate((t) => window['foxtailMock'].control.answers.push(window['foxtailMock'].tokens(t, 50)), long);
      await send(page, 'Talk a lot');
      await answer(page).getByText('word3').waitFor();
      await answer(page).and(page.locator('[data-status="streaming"]')).waitFor();
      await page.getByTestId('stop').waitFor();
    },
  },
  {
    name: 'a finished tool card',
    setup: withKey,
    reach: async (page) => {
      const before = 'Let me work that out.';
      const card = { index: 0, at: before.length, id: 'call_1', name: 'calculator', done: true, is_error: false };
      await script(page, [
        { delay: 5, events: [{ type: 'text', text: before }] },
        {
          delay: 5,
          events: [
            { type: 'tool_call', index: 0, id: 'call_1', name: 'calculator', arguments: { expression: '12*7' }, arguments_raw: '{"expression":"12*7"}' },
          ],
          extras: { refusal: '', tools: [{ ...card, arguments: '{"expression":"12*7"}', result: null }] },
        },
        {
          delay: 5,
          events: [{ type: 'tool_result', id: 'call_1', name: 'calculator', content: '84', is_error: false }],
          extras: { refusal: '', tools: [{ ...card, arguments: '{"expression":"12*7"}', result: '84' }] },
        },
        { delay: 5, events: [{ type: 'text', text: '\n\nThe answer is 84.' }] },
        { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
      ]);
      await send(page, 'What is 12 times 7?');
      await answer(page).and(page.locator('[data-status="done"]')).waitFor();
      const done = answer(page).getByTestId('tool-call').and(page.locator('[data-state="done"]'));
      await done.waitFor();
      // Opened, so that its arguments and result are looked at too.
      await done.locator('summary').click();
      await done.getByTestId('tool-result').waitFor();
    },
  },
  {
    name: 'a tool card asking for approval',
    setup: withKey,
    reach: async (page) => {
      await send(page, 'use the delete tool on my shopping list');
      const card = answer(page).getByTestId('tool-call');
      await card.and(page.locator('[data-state="asking"]')).waitFor();
      await card.getByTestId('tool-approve-chat').waitFor();
      await card.getByTestId('tool-destructive').waitFor();
    },
  },
  {
    name: 'an answer that failed',
    setup: withKey,
    reach: async (page) => {
      await script(page, [
        { delay: 10, events: [{ type: 'error', kind: 'auth', message: 'Incorrect API key provided: sk-te***34', status: 401 }] },
      ]);
      await send(page, 'Hi');
      await answer(page).and(page.locator('[data-status="error"]')).waitFor();
      const error = answer(page).getByTestId('error');
      await error.locator('details summary').click();
      await error.locator('details code').waitFor();
    },
  },
  {
    name: 'sidebar search with results',
    setup: withKey,
    reach: async (page) => {
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
      await page.getByTestId('search').fill('dance');
      await page.getByTestId('search-hit').locator('mark').waitFor();
    },
  },
  {
    name: 'sidebar search without results',
    setup: withKey,
    reach: async (page) => {
      await page.getByTestId('search').fill('nothing like this');
      await page.getByTestId('search-results').getByText('No').waitFor();
    },
  },
  {
    name: 'the documents section, none open',
    setup: withKey,
    reach: async (page) => {
      await page.getByTestId('documents').click();
      await page.getByTestId('new-document').waitFor();
      await page.getByTestId('open-file').waitFor();
    },
  },
  {
    name: 'a document with a pending change',
    setup: withKey,
    reach: async (page) => {
      await page.getByTestId('documents').click();
      await page.getByTestId('new-document').click();
      await page.getByTestId('editor').waitFor();
      await page.getByTestId('editor').click();
      await page.keyboard.type('# Meeting\n\nAbout **Friday**’s meeting.\nI have a clash and cannot make it.');
      await page.keyboard.press('Home');
      await page.keyboard.press('Shift+End');
      await page.evaluate(() =>
        window['foxtailMock'].control.drafts.push([
          { delay: 10, events: [{ type: 'text', text: 'I cannot attend.' }] },
          { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
        ]),
      );
      await page.locator('[data-testid="ai-action"][data-action="shorter"]').click();
      await page.getByTestId('ai-accept').waitFor();
      await page.getByTestId('ai-original').waitFor();
      await page.getByTestId('ai-pending').getByText('I cannot attend.').waitFor();
      await page.getByTestId('document').first().waitFor();
    },
  },
  {
    name: 'the keyboard help open',
    setup: withKey,
    reach: async (page) => {
      await page.getByTestId('composer').waitFor();
      await page.keyboard.press('F1');
      await page.getByTestId('keyboard-help').getByTestId('shortcut').first().waitFor();
      await page.getByTestId('close-help').waitFor();
    },
  },
  {
    name: 'Settings at twice the text size, with the reading settings',
    setup: withKey,
    reach: async (page) => {
      await page.getByTestId('settings').click();
      await page.getByTestId('text-size').selectOption('200');
      await page.getByTestId('announce-mode').selectOption('end');
      await page.getByTestId('reading-settings').waitFor();
    },
  },
  {
    name: 'the model picker open',
    setup: twoProviders,
    reach: async (page) => {
      await page.getByTestId('model-picker').click();
      await page.getByTestId('model-option').first().waitFor();
      await page.getByTestId('model-star').first().waitFor();
    },
  },
  {
    name: 'Settings: providers, connection, assistants, tools and usage',
    setup: twoProviders,
    reach: async (page) => {
      await openSettings(page);
      await page.getByTestId('default-connection').waitFor();
      await page.getByTestId('assistant-row').first().waitFor();
      await page.getByTestId('tool-settings').waitFor();
      await page.getByTestId('usage-section').locator('summary').click();
      await page.getByTestId('usage-row').first().waitFor();
    },
  },
  {
    name: 'Settings: adding a provider',
    setup: twoProviders,
    reach: async (page) => {
      await openSettings(page);
      await page.getByTestId('add-provider').click();
      await page.getByTestId('provider-form').waitFor();
    },
  },
  {
    name: 'Settings: editing an assistant',
    setup: twoProviders,
    reach: async (page) => {
      await openSettings(page);
      await page.getByTestId('add-assistant').click();
      await page.getByTestId('save-assistant').click();
      await page.getByTestId('assistant-problem').waitFor();
      await page.locator('[data-testid="assistant-row"][data-id="lawyer"]').getByTestId('edit-assistant').click();
      await page.locator('[data-testid="assistant-row"][data-id="lawyer"]').getByTestId('assistant-name').waitFor();
    },
  },
  {
    name: 'Settings: adding and testing a tool server',
    setup: twoProviders,
    reach: async (page) => {
      await openSettings(page);
      await page.getByTestId('mcp-add').click();
      const pasted = {
        mcpServers: { 'Test server': { command: 'npx', args: ['-y', 'test-server'], env: { API_KEY: 'sk-test-fake-9999' } } },
      };
      await page.getByTestId('mcp-json').fill(JSON.stringify(pasted, null, 2));
      await page.getByTestId('mcp-import').click();
      const form = page.getByTestId('mcp-add-panel').getByTestId('mcp-form');
      await form.waitFor();
      await form.getByTestId('mcp-form-test').click();
      await form.getByTestId('mcp-tools').waitFor();
    },
  },
  {
    name: 'Settings: a saved tool server with its tools',
    setup: (fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      fake.control.settings.mcp_servers = [
        {
          id: 'test-server',
          name: 'Test server',
          enabled: true,
          transport: { kind: 'stdio', command: 'npx', args: ['-y', 'test-server'], env: [] },
          auto_read_only: false,
          timeout_s: null,
        },
      ];
    },
    reach: async (page) => {
      await openSettings(page);
      const entry = page.locator('[data-testid="mcp-server"][data-id="test-server"]');
      await entry.getByTestId('mcp-test').click();
      await entry.getByTestId('mcp-tool').first().waitFor();
      await entry.getByTestId('mcp-remove').click();
      await entry.getByTestId('mcp-remove-confirm').waitFor();
    },
  },
];

for (const colorScheme of /** @type {const} */ (['light', 'dark'])) {
  for (const state of STATES) {
    test(`axe: ${state.name}, ${colorScheme}`, async () => {
      const { page, pageErrors, close } = await openWindow({ colorScheme, ...(state.setup ? { setup: state.setup } : {}) });
      try {
        await state.reach(page);
        await assertAxeClean(page, `${state.name} (${colorScheme})`);
        if (pageErrors.length) throw new Error(`page errors: ${pageErrors.join('\n')}`);
      } finally {
        await close();
      }
    });
  }
}
