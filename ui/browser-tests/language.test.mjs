// @ts-check
// Switching the language rewords the window where it stands: nothing is rebuilt, so a
// draft being written keeps streaming and the editor keeps its undo history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

/** A slow answer of `count` words, `delay` ms apart, so that it outlasts a trip to Settings. */
const slowWords = (/** @type {number} */ count, /** @type {number} */ delay) => [
  ...Array.from({ length: count }, (_, i) => ({ delay, events: [{ type: 'text', text: `w${i} ` }] })),
  { delay: 10, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] },
];

/** @param {import('playwright-core').Page} page @param {string} testId */
const text = async (page, testId) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

/** @param {import('playwright-core').Page} page */
const editorText = (page) =>
  page.evaluate(() => [...document.querySelectorAll('.cm-content .cm-line')].map((l) => l.textContent).join('\n'));

test('switching to Korean while a draft streams rewords the window in place and loses nothing', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await page.getByTestId('documents').click();
    await page.getByTestId('new-document').click();
    await page.getByTestId('editor').waitFor();
    await page.getByTestId('editor').click();
    await page.keyboard.type('Dear Mina,');
    assert.equal(await page.getByTestId('documents').textContent(), 'Documents');
    assert.equal(await page.getByTestId('editor').getAttribute('aria-label'), 'Document');

    await page.evaluate((steps) => window['foxtailMock'].control.drafts.push(steps), slowWords(200, 40));
    await page.getByTestId('ai-prompt').fill('list words');
    await page.getByTestId('ai-run').click();
    await page.getByTestId('ai-pending').getByText('w3 ').waitFor();
    assert.match(await text(page, 'pending-bar'), /The model is writing…/);

    // The nodes as they are before the switch, to compare after it.
    await page.evaluate(() => {
      window['beforeSwitch'] = {
        app: document.getElementById('app')?.firstElementChild,
        layout: document.querySelector('.layout'),
        view: document.querySelector('[data-testid="document-view"]'),
        editor: document.querySelector('[data-testid="editor"]'),
      };
      window['beforeSwitch'].layout.foxtailMark = 'kept';
    });

    await page.getByTestId('settings').click();
    await page.getByTestId('language').selectOption('ko');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });

    // (a) The draft is still being written, now with its status in Korean.
    const bar = page.getByTestId('pending-bar');
    assert.equal(await bar.getAttribute('data-status'), 'streaming', 'the switch came before the draft ended');
    assert.match(await text(page, 'pending-bar'), /모델이 쓰는 중…/);
    assert.equal(await text(page, 'ai-stop'), '중지');

    // (c) Labels everywhere, including the editor's accessible name set by CodeMirror.
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
    assert.equal(await text(page, 'documents'), '문서');
    assert.equal(await text(page, 'settings'), '설정');
    assert.equal(await text(page, 'new-document'), '새 문서');
    assert.equal(await text(page, 'ai-run'), '여기에 쓰기');
    assert.equal(await text(page, 'export'), '내보내기');
    assert.match(await text(page, 'word-count'), /2단어 · \d+자/);
    assert.equal(await page.getByTestId('ai-prompt').getAttribute('aria-label'), '모델에게 줄 지시');
    assert.equal(await page.getByTestId('editor').getAttribute('aria-label'), '문서');

    // (d) Nothing was rebuilt: the same nodes, still carrying what was put on them.
    const same = await page.evaluate(() => {
      const before = window['beforeSwitch'];
      return {
        app: document.getElementById('app')?.firstElementChild === before.app,
        layout: document.querySelector('.layout') === before.layout,
        mark: document.querySelector('.layout')?.['foxtailMark'],
        view: document.querySelector('[data-testid="document-view"]') === before.view,
        editor: document.querySelector('[data-testid="editor"]') === before.editor,
      };
    });
    assert.deepEqual(same, { app: true, layout: true, mark: 'kept', view: true, editor: true });

    // (a) …and it finishes.
    await page.getByTestId('ai-accept').waitFor({ timeout: 15_000 });
    assert.match(await text(page, 'ai-pending'), /w0 w1 .* w199$/);
    assert.equal(await text(page, 'ai-accept'), '적용');
    assert.match(await text(page, 'pending-bar'), /이 변경을 적용할까요\?/);

    // (b) The undo history from before the switch is still there: take the draft out,
    // then undo the typing.
    await page.getByTestId('ai-discard').click();
    assert.equal(await editorText(page), 'Dear Mina,');
    await page.getByTestId('editor').focus();
    await page.keyboard.press('Control+z');
    assert.equal(await editorText(page), '');
    await page.keyboard.press('Control+Shift+Z');
    assert.equal(await editorText(page), 'Dear Mina,');

    // And back to English, in place again.
    await page.getByTestId('settings').click();
    assert.equal(await text(page, 'save-settings'), '저장');
    await page.getByTestId('language').selectOption('en');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
    assert.equal(await text(page, 'documents'), 'Documents');
    assert.equal(await page.getByTestId('editor').getAttribute('aria-label'), 'Document');
    assert.equal(await page.evaluate(() => document.querySelector('.layout') === window['beforeSwitch'].layout), true);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a chat answer keeps streaming through a switch, and its copy buttons are reworded', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const answer = [
      // A finished line after the code block freezes it: its nodes are never rendered again.
      { delay: 10, events: [{ type: 'text', text: '```sh\nls\n```\n\nSome words:\n\n' }] },
      ...slowWords(200, 40),
    ];
    await page.evaluate((steps) => window['foxtailMock'].control.answers.push(steps), answer);
    await page.getByTestId('composer').fill('List some words');
    await page.getByTestId('composer').press('Enter');
    const last = page.locator('[data-testid="message"][data-role="assistant"]');
    const copy = last.locator('button.md-copy');
    await copy.waitFor();
    await last.getByText('w3 ').waitFor();
    assert.equal(await copy.textContent(), 'Copy code');
    await copy.evaluate((button) => (button['foxtailMark'] = 'kept'));

    // A half-typed message must survive too.
    await page.getByTestId('composer').fill('half a thought');
    await page.getByTestId('settings').click();
    await page.getByTestId('language').selectOption('ko');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });

    assert.equal(await last.getAttribute('data-status'), 'streaming');
    assert.equal(await text(page, 'stop'), '중지');
    assert.equal(await copy.textContent(), '코드 복사');
    assert.equal(await copy.evaluate((button) => button['foxtailMark']), 'kept');
    assert.equal(await page.getByTestId('composer').inputValue(), 'half a thought');
    assert.equal(await page.getByTestId('composer').getAttribute('placeholder'), '무엇이든 물어보세요…');

    await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').waitFor({ timeout: 15_000 });
    assert.match((await last.textContent()) ?? '', /w199/);
    assert.equal(await text(page, 'regenerate'), '다시 생성');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});
