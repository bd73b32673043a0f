// @ts-check
// The drafting editor (ui/src/lib/drafting) in headless Chromium, through its harness page
// (ui/drafting.html) served by Vite. The page exposes the editor as `window.drafting`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newContext, pageUrl, useBrowser } from './harness.mjs';

useBrowser();

/**
 * A fresh editor page holding `doc`. Every request the page makes is recorded.
 * @param {string} doc
 */
async function openEditor(doc) {
  const context = await newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
  const page = await context.newPage();
  /** @type {string[]} */
  const pageErrors = [];
  /** @type {string[]} */
  const requests = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pageUrl('/drafting.html'));
  await page.waitForFunction(() => typeof window['draftingHarness']?.mount === 'function');
  await page.evaluate((d) => {
    window['draftingHarness'].mount(d);
  }, doc);
  return { page, pageErrors, requests, close: () => context.close() };
}

/** @param {import('playwright-core').Page} page */
const docOf = (page) => page.evaluate(() => window['drafting'].view.state.doc.toString());

/** @param {import('playwright-core').Page} page */
const selectionOf = (page) =>
  page.evaluate(() => window['drafting'].view.state.selection.ranges.map((/** @type {any} */ r) => ({ anchor: r.anchor, head: r.head })));

/** @param {import('playwright-core').Page} page */
const pendingOf = (page) => page.evaluate(() => window['drafting'].pending.getPending());

/**
 * Starts a pending change at the current selection and streams `pieces` into it, one
 * every `everyMs` ms, without waiting for the stream to end.
 * @param {import('playwright-core').Page} page
 * @param {'insert' | 'replace'} mode
 * @param {string[]} pieces
 * @param {number} everyMs
 */
async function startStream(page, mode, pieces, everyMs) {
  await page.evaluate(
    ([m, p, ms]) => {
      const editor = window['drafting'];
      const { from, to } = editor.view.state.selection.main;
      editor.pending.startPending({ from, to, mode: m });
      window['streamDone'] = window['draftingHarness'].stream(p, ms);
    },
    /** @type {const} */ ([mode, pieces, everyMs]),
  );
}

/** @param {import('playwright-core').Page} page */
const streamEnded = (page) => page.evaluate(() => window['streamDone']);

/** Splits text into small pieces, as a model streams it. */
const piecesOf = (/** @type {string} */ text, size = 3) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

const pendingText = async (/** @type {import('playwright-core').Page} */ page) =>
  (await page.locator('[data-testid="ai-pending"]').allTextContents()).join('');

const DOC = '# Notes\n\nThe first paragraph is here.\n\nThe second paragraph ends here.\n\n- one\n- two\n';

test('streamed text at the cursor is pending until Enter; then one undo step, and redo', async () => {
  const { page, pageErrors, close } = await openEditor(DOC);
  try {
    const editor = page.getByTestId('editor');
    await editor.click();
    // The cursor to the end of the first paragraph, by keyboard.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    assert.deepEqual(await selectionOf(page), [{ anchor: 37, head: 37 }]);
    const added = ' It has **more** to say, and then some.';
    // Slow enough that the stream is still seen writing from here on a busy machine.
    await startStream(page, 'insert', piecesOf(added), 100);
    await page.locator('[data-testid="ai-pending"][data-status="streaming"]').first().waitFor();
    await page.locator('[data-testid="ai-pending"][data-status="done"]').first().waitFor();
    assert.equal(await pendingText(page), added, "the cursor's line shows its marks");
    assert.equal(await docOf(page), DOC.slice(0, 37) + added + DOC.slice(37));
    // Streamed pieces are not undo steps.
    assert.equal(await page.evaluate(() => window['draftingHarness'].changes), 0, 'onChange not called per piece');

    await page.keyboard.press('Enter');
    const accepted = DOC.slice(0, 37) + added + DOC.slice(37);
    assert.equal(await docOf(page), accepted);
    assert.equal(await pendingOf(page), null);
    assert.equal(await page.locator('[data-testid="ai-pending"]').count(), 0);
    assert.equal(await page.evaluate(() => window['draftingHarness'].lastChange), accepted);

    await page.keyboard.press('Control+z');
    assert.equal(await docOf(page), DOC, 'one undo restores the original');
    assert.deepEqual(await selectionOf(page), [{ anchor: 37, head: 37 }]);
    await page.keyboard.press('Control+Shift+z');
    assert.equal(await docOf(page), accepted);
    await page.keyboard.press('Control+z');
    assert.equal(await docOf(page), DOC);
    await page.keyboard.press('Control+y');
    assert.equal(await docOf(page), accepted);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    assert.equal(await docOf(page), DOC, 'nothing else was in the history');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('a replaced selection stays visible struck through; Esc restores document and selection exactly', async () => {
  const doc = 'Intro line.\n\nPlease rewrite this clumsy sentence, ok?\n\n가나다 **끝**  \n\t\n';
  const { page, pageErrors, close } = await openEditor(doc);
  try {
    await page.getByTestId('editor').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    // Select "this clumsy sentence" backwards, by keyboard.
    for (let i = 0; i < 'Please rewrite this clumsy sentence'.length; i++) await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 'this clumsy sentence'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    const selection = await selectionOf(page);
    const start = doc.indexOf('this clumsy');
    assert.deepEqual(selection, [{ anchor: start + 20, head: start }]);

    await startStream(page, 'replace', piecesOf('a **clearer** sentence', 2), 200);
    await page.locator('[data-testid="ai-pending"]').first().waitFor();
    const original = page.getByTestId('ai-original');
    assert.equal(await original.textContent(), 'this clumsy sentence');
    assert.match(await original.evaluate((el) => getComputedStyle(el).textDecorationLine), /line-through/);
    assert.equal(await page.locator('[data-testid="ai-pending"]').first().getAttribute('data-status'), 'streaming');

    // Esc while streaming stops (the change stays pending, interrupted); Esc again discards.
    await page.keyboard.press('Escape');
    await streamEnded(page);
    assert.equal(await page.evaluate(() => window['draftingHarness'].stops), 1);
    await page.locator('[data-testid="ai-pending"][data-status="interrupted"]').first().waitFor();
    const kept = (await pendingOf(page))?.text ?? '';
    assert.ok(kept.length > 0 && 'a **clearer** sentence'.startsWith(kept), `kept what was written: ${kept}`);
    await page.waitForTimeout(100);
    assert.equal((await pendingOf(page))?.text, kept, 'nothing arrives after Stop');

    await page.keyboard.press('Escape');
    assert.equal(await docOf(page), doc, 'byte for byte');
    assert.deepEqual(await selectionOf(page), selection);
    assert.equal(await page.locator('[data-testid="ai-original"]').count(), 0);
    assert.equal(await page.evaluate(() => window['draftingHarness'].changes), 0);
    // Nothing to undo: the change never entered history.
    await page.keyboard.press('Control+z');
    assert.equal(await docOf(page), doc);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('the person types elsewhere while the model streams; both texts end up where they belong', async () => {
  const { page, pageErrors, close } = await openEditor(DOC);
  try {
    await page.evaluate(() => {
      const v = window['drafting'].view;
      v.focus();
      v.dispatch({ selection: { anchor: v.state.doc.toString().indexOf(' ends here') } });
    });
    const added = ' (and the model adds a long clause here, piece by piece)';
    await startStream(page, 'insert', piecesOf(added, 1), 60);
    await page.locator('[data-testid="ai-pending"]').first().waitFor();
    // Up to the first paragraph and type there.
    await page.locator('.cm-line', { hasText: 'The first paragraph' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Typed by me.', { delay: 15 });
    assert.equal((await pendingOf(page))?.status, 'streaming', 'the typing happened during the stream');
    await streamEnded(page);
    await page.keyboard.type(' More.', { delay: 10 });

    const expectedPending = DOC.replace('first paragraph is here.', 'first paragraph is here. Typed by me. More.');
    const at = expectedPending.indexOf(' ends here');
    assert.equal(await docOf(page), expectedPending.slice(0, at) + added + expectedPending.slice(at));
    assert.equal((await pendingOf(page))?.text, added);
    assert.equal(await pendingText(page), added);
    assert.equal(await page.evaluate(() => window['draftingHarness'].lastChange), expectedPending, 'onChange reports the document without the pending text');

    // Typing inside the pending text is not allowed: it stays the model's.
    await page.evaluate(() => {
      const p = window['drafting'].pending.getPending();
      window['drafting'].view.dispatch({ selection: { anchor: p.originalTo + 5 } });
    });
    await page.keyboard.type('zz');
    await page.keyboard.press('Backspace');
    assert.equal((await pendingOf(page))?.text, added);
    assert.equal(await pendingText(page), added, 'the page shows it unchanged too');

    await page.keyboard.press('Tab');
    assert.equal(await docOf(page), expectedPending.slice(0, at) + added + expectedPending.slice(at));
    await page.keyboard.press('Control+z');
    assert.equal(await docOf(page), expectedPending, 'undo takes out the accepted text only');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('Korean IME composition lands correctly while text streams into another part', async () => {
  const doc = '# 초안\n\n첫 문단입니다.\n\n둘째 문단입니다.\n';
  const { page, pageErrors, close } = await openEditor(doc);
  try {
    const streamAt = doc.indexOf('둘째 문단입니다.') + '둘째 문단입니다.'.length;
    await page.evaluate((pos) => {
      const v = window['drafting'].view;
      v.focus();
      v.dispatch({ selection: { anchor: pos } });
    }, streamAt);
    const added = ' 모델이 이어서 쓰는 문장이 조금씩 들어옵니다. 계속해서 들어옵니다.';
    await startStream(page, 'insert', piecesOf(added, 1), 30);
    await page.locator('[data-testid="ai-pending"]').first().waitFor();

    // The cursor to the end of the first paragraph, then compose 한글 there.
    const typeAt = doc.indexOf('첫 문단입니다.') + '첫 문단입니다.'.length;
    await page.evaluate((pos) => window['drafting'].view.dispatch({ selection: { anchor: pos } }), typeAt);
    const cdp = await page.context().newCDPSession(page);
    const before = (await pendingOf(page))?.text.length ?? 0;
    for (const text of [' ', ' ㅎ', ' 하', ' 한', ' 한ㄱ', ' 한그', ' 한글']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await page.waitForTimeout(60);
    }
    const during = (await pendingOf(page))?.text.length ?? 0;
    assert.ok(during > before, `the stream kept arriving during composition (${before} → ${during})`);
    await cdp.send('Input.insertText', { text: ' 한글' });
    await page.waitForTimeout(30);
    for (const text of ['ㅇ', '이', '입', '입ㄹ', '입려', '입력']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await page.waitForTimeout(40);
    }
    await cdp.send('Input.insertText', { text: '입력' });
    await streamEnded(page);
    await page.waitForTimeout(50);

    const typed = doc.slice(0, typeAt) + ' 한글입력' + doc.slice(typeAt);
    const at = streamAt + ' 한글입력'.length;
    assert.equal(await docOf(page), typed.slice(0, at) + added + typed.slice(at));
    assert.equal((await pendingOf(page))?.text, added);
    assert.equal(await pendingText(page), added);
    assert.equal(
      await page.locator('.cm-line', { hasText: '첫 문단입니다.' }).textContent(),
      '첫 문단입니다. 한글입력',
      'the composed text shows once, in place',
    );
    await page.keyboard.press('Enter');
    assert.equal(await docOf(page), typed.slice(0, at) + added + typed.slice(at));
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('Korean IME composition right before text that is streaming into the same line', async () => {
  const doc = '첫 문장입니다. 끝.\n';
  const { page, pageErrors, close } = await openEditor(doc);
  try {
    const at = doc.indexOf(' 끝');
    await page.evaluate((pos) => {
      const v = window['drafting'].view;
      v.focus();
      v.dispatch({ selection: { anchor: pos } });
    }, at);
    const pieces = Array.from({ length: 80 }, (_, i) => ` 조각${i}`);
    await startStream(page, 'insert', pieces, 50);
    await page.locator('[data-testid="ai-pending"]').first().waitFor();
    // The cursor stayed at the insertion point, before the new text: compose there.
    const cdp = await page.context().newCDPSession(page);
    for (const text of ['ㅎ', '하', '한', '한ㄱ', '한그', '한글']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await page.waitForTimeout(50);
    }
    await cdp.send('Input.insertText', { text: '한글' });
    assert.equal((await pendingOf(page))?.status, 'streaming', 'composed while the stream went on');
    await streamEnded(page);
    const added = pieces.join('');
    assert.equal(await docOf(page), doc.slice(0, at) + '한글' + added + doc.slice(at));
    assert.equal((await pendingOf(page))?.text, added);
    assert.equal(await page.locator('.cm-line').first().textContent(), doc.slice(0, at) + '한글' + added + ' 끝.');
    await page.keyboard.press('Escape');
    assert.equal(await docOf(page), doc.slice(0, at) + '한글' + doc.slice(at), 'discard keeps the composed text');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('hostile model output stays inert text: no script runs, nothing is requested', async () => {
  const { page, pageErrors, requests, close } = await openEditor('Start.\n\n');
  try {
    const origin = pageUrl('');
    const before = requests.length;
    const hostile = [
      '<script>window.pwned = "script"</script>',
      '<img src=x onerror="window.pwned = \'img\'">',
      '<img src="https://tracker.example/pixel.gif">',
      '[click me](javascript:window.pwned="link")',
      '![remote](https://images.example/photo.png)',
      '<iframe src="https://frame.example/"></iframe>',
      '<a href="https://example.com" onmouseover="window.pwned=\'hover\'">hover</a>',
      '<svg onload="window.pwned=\'svg\'"></svg>',
      '<style>body{background:url(https://css.example/bg.png)}</style>',
    ].join('\n\n');
    await page.evaluate(() => {
      const v = window['drafting'].view;
      v.focus();
      v.dispatch({ selection: { anchor: v.state.doc.length } });
    });
    await startStream(page, 'insert', piecesOf(hostile, 7), 5);
    await streamEnded(page);
    assert.equal((await pendingOf(page))?.text, hostile);
    const content = page.getByTestId('editor');
    // Hover and click across the text, as a person might.
    await page.locator('.cm-line', { hasText: 'onmouseover' }).hover();
    await page.locator('.cm-line', { hasText: 'click me' }).click();
    await page.keyboard.press('Enter'); // (the click moved the cursor; Enter still accepts)
    assert.equal(await docOf(page), 'Start.\n\n' + hostile);
    await page.evaluate(() => window['drafting'].view.dispatch({ selection: { anchor: 0 } }));
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate(() => window['pwned'] ?? null), null);
    // CodeMirror's own empty cursor helpers (img.cm-widgetBuffer, no src) are the only images.
    assert.deepEqual(
      await content.evaluate((el) =>
        [...el.querySelectorAll('script, img, iframe, svg, style, a, object, embed, video, audio, link, [src], [href]')]
          .filter((n) => !(n.matches('img.cm-widgetBuffer') && !n.hasAttribute('src')))
          .map((n) => n.outerHTML),
      ),
      [],
    );
    assert.deepEqual(await content.evaluate((el) => [...el.querySelectorAll('*')].flatMap((n) => n.getAttributeNames().filter((a) => a.startsWith('on')))), []);
    assert.match((await content.textContent()) ?? '', /<script>window\.pwned = "script"<\/script>/);
    const foreign = requests.slice(before).filter((url) => !url.startsWith(origin));
    assert.deepEqual(foreign, [], 'no request left the page');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('live preview: headings, bold and bullets look like formatting; marks show on the cursor line', async () => {
  const doc = '# Big title\n\nPlain words and **strong words** here.\n\n- first item\n- second item\n';
  const { page, pageErrors, close } = await openEditor(doc);
  try {
    await page.evaluate(() => {
      const v = window['drafting'].view;
      v.focus();
      v.dispatch({ selection: { anchor: v.state.doc.length } });
    });
    const heading = page.locator('.cm-line', { hasText: 'Big title' });
    const body = page.locator('.cm-line', { hasText: 'Plain words' });
    assert.equal(await heading.textContent(), 'Big title', '"# " hidden');
    const size = (/** @type {import('playwright-core').Locator} */ l) => l.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok((await size(heading)) > (await size(body)) * 1.3, 'the heading is larger');
    assert.equal(await body.textContent(), 'Plain words and strong words here.');
    const strong = body.locator('.cm-md-strong');
    assert.equal(await strong.evaluate((el) => getComputedStyle(el).fontWeight), '700');
    assert.equal(await page.locator('.cm-md-bullet').count(), 2);
    assert.equal(await page.locator('.cm-line', { hasText: 'first item' }).textContent(), '• first item');

    // Clicking into the heading shows its mark, dimmed, for editing.
    await heading.click();
    assert.equal(await heading.textContent(), '# Big title');
    assert.equal(await body.textContent(), 'Plain words and strong words here.');
    await body.click();
    assert.equal(await body.textContent(), 'Plain words and **strong words** here.');
    assert.equal(await heading.textContent(), 'Big title');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('try again keeps earlier versions reachable, and the version shown is the one accepted', async () => {
  const { page, pageErrors, close } = await openEditor('Title: X\n');
  try {
    await page.evaluate(() => {
      const v = window['drafting'].view;
      v.focus();
      v.dispatch({ selection: { anchor: 7, head: 8 } });
    });
    await startStream(page, 'replace', ['First', ' idea'], 10);
    await streamEnded(page);
    for (const version of [['Second', ' idea'], ['Third', ' idea']]) {
      await page.evaluate((p) => {
        window['drafting'].pending.newVersion();
        window['streamDone'] = window['draftingHarness'].stream(p, 10);
      }, version);
      await streamEnded(page);
    }
    assert.deepEqual((await pendingOf(page))?.version, { index: 2, count: 3 });
    assert.equal(await page.evaluate(() => window['drafting'].pending.showVersion(1)), true);
    assert.equal(await pendingText(page), 'Second idea');
    assert.equal(await page.getByTestId('ai-original').textContent(), 'X');
    const events = await page.evaluate(() => window['draftingHarness'].pendingEvents.map((/** @type {any} */ e) => e && `${e.version.index + 1} of ${e.version.count} ${e.status}`));
    assert.equal(events.at(-1), '2 of 3 done');
    await page.keyboard.press('Enter');
    assert.equal(await docOf(page), 'Title: Second idea\n');
    await page.keyboard.press('Control+z');
    assert.equal(await docOf(page), 'Title: X\n');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});
