// @ts-check
// What a hostile answer can and cannot do to the person reading it: links that could
// mislead ask first, formulas stay inside their message, and code is copied without the
// characters that change it unseen.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openWindow, useBrowser, withKey } from './harness.mjs';

useBrowser();

const shots = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'ui');

const answer = (/** @type {import('playwright-core').Page} */ page) =>
  page.locator('[data-testid="message"][data-role="assistant"]').last();

/** Sends `question` and has the fake answer `text`, then waits until the answer is done. */
async function ask(/** @type {import('playwright-core').Page} */ page, /** @type {string} */ question, /** @type {string} */ text) {
  await page.evaluate((t) => {
    const fake = window['foxtailMock'];
    fake.control.answers.push([...fake.tokens(t, 2), { delay: 5, events: [{ type: 'finish', reason: 'stop', raw: 'stop' }] }]);
  }, text);
  const before = await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').count();
  await page.getByTestId('composer').fill(question);
  await page.getByTestId('composer').press('Enter');
  await page.locator('[data-testid="message"][data-role="assistant"][data-status="done"]').nth(before).waitFor();
}

/** The open_link calls the fake backend has had, in order. */
const openLinkCalls = (/** @type {import('playwright-core').Page} */ page) =>
  page.evaluate(() => window['foxtailMock'].control.calls.filter((c) => c.cmd === 'open_link').map((c) => c.args.url));

/** What has focus, in words a test can compare. */
const focused = (/** @type {import('playwright-core').Page} */ page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName.toLowerCase()}:${el.getAttribute('data-testid') ?? el.textContent?.trim()}` : '';
  });

test('a link whose text is another address asks first, shows the whole address, and opens only on Open', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    const target = 'https://evil.example/login?next=%2Faccount&session=1#top';
    await ask(
      page,
      'Where do I log in?',
      `Log in at [https://bank.example](${target}) today.\n\nThe guide is at https://example.org/guide too.`,
    );
    const a = answer(page);

    // A link whose text is its own address opens at once, as before.
    await a.getByText('https://example.org/guide').click();
    await page.waitForTimeout(100);
    assert.equal(await page.getByTestId('link-dialog').count(), 0, 'no question for a plain link');
    assert.deepEqual(await openLinkCalls(page), ['https://example.org/guide']);

    // The mismatched one asks, with the full address and its host in bold.
    await a.getByText('https://bank.example').click();
    const dialog = page.getByTestId('link-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute('role'), 'alertdialog');
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    assert.equal(await dialog.locator('h1').textContent(), 'Open this link?');
    assert.equal(await page.getByTestId('link-dialog-url').textContent(), target);
    assert.equal(await page.getByTestId('link-dialog-host').textContent(), 'evil.example');
    assert.equal(
      await page.getByTestId('link-dialog-host').evaluate((el) => getComputedStyle(el).fontWeight),
      '700',
      'the host stands out',
    );
    assert.match((await dialog.textContent()) ?? '', /The link’s text is not the address it opens\./);
    await page.waitForTimeout(200);
    assert.deepEqual(await openLinkCalls(page), ['https://example.org/guide'], 'nothing opened while asking');
    await page.screenshot({ path: resolve(shots, 'link-dialog.png') });

    // Keyboard: focus starts on Cancel, Tab and Shift+Tab stay in the dialog, Esc cancels
    // (without stopping anything behind it) and focus goes back to the link.
    assert.equal(await focused(page), 'button:link-cancel');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'button:link-open');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'button:link-cancel');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'button:link-open');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'button:link-cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'a:https://bank.example');
    assert.deepEqual(await openLinkCalls(page), ['https://example.org/guide'], 'Esc opened nothing');

    // Enter on the focused link asks again; Cancel by mouse opens nothing either.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.getByTestId('link-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(await openLinkCalls(page), ['https://example.org/guide']);

    // Open opens exactly the address shown.
    await a.getByText('https://bank.example').click();
    await page.getByTestId('link-open').click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(await openLinkCalls(page), ['https://example.org/guide', target]);
    assert.equal(await focused(page), 'a:https://bank.example');
    assert.ok(page.url().endsWith('/mock.html'), 'the window never navigated');
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('links to this computer, private networks and long queries ask first, in Korean too', async () => {
  const { page, close } = await openWindow({
    locale: 'ko-KR',
    setup: (fake) => {
      fake.control.keys.set('ofox', { key: 'sk-test-fake-1234', sessionOnly: false });
      fake.control.settings.setup_done = true;
      fake.control.settings.language = 'system';
    },
  });
  try {
    const long = `https://collect.example/p?d=${'a'.repeat(120)}`;
    await ask(page, '링크', `http://localhost:8080/admin\n\nhttp://192.168.0.1/\n\n${long}`);
    const cases = [
      ['http://localhost:8080/admin', 'localhost', '이 컴퓨터나 내부 네트워크에 있는 주소입니다.'],
      ['http://192.168.0.1/', '192.168.0.1', '이 컴퓨터나 내부 네트워크에 있는 주소입니다.'],
      [long, 'collect.example', '주소에 긴 데이터가 붙어 있어'],
    ];
    for (const [url, host, reason] of cases) {
      await answer(page).locator('a').filter({ hasText: host }).click();
      const dialog = page.getByTestId('link-dialog');
      await dialog.waitFor();
      assert.equal(await dialog.locator('h1').textContent(), '이 링크를 열까요?');
      assert.equal(await page.getByTestId('link-dialog-url').textContent(), url);
      assert.equal(await page.getByTestId('link-dialog-host').textContent(), host);
      assert.match((await dialog.textContent()) ?? '', new RegExp(reason));
      assert.equal((await page.getByTestId('link-open').textContent())?.trim(), '열기');
      await page.getByTestId('link-cancel').click();
      await dialog.waitFor({ state: 'detached' });
    }
    assert.deepEqual(await openLinkCalls(page), []);
  } finally {
    await close();
  }
});

test('a formula cannot lay text over other messages or the window', async () => {
  const { page, pageErrors, close } = await openWindow({ setup: withKey });
  try {
    await ask(page, 'Say something long', Array.from({ length: 12 }, (_, i) => `Honest line ${i}.`).join('\n\n'));
    // Each of these would paint its word outside its own box: left over the sidebar, or
    // (a line break with negative space) up over the answer before.
    const hostile = [
      String.raw`$$\smash{\raisebox{7em}{\text{RAISED}}} \kern{-40em}\text{DISPLAYLEFT}$$`,
      '',
      String.raw`$\llap{\text{HANGING}}$ Moved left: $\kern{-14em}\text{LEFTWARD}$ and up: $\smash{\raisebox{6em}{\text{UPWARD}}}$.`,
      String.raw`Far: $\rlap{\kern{-300em}\text{FARLEFT}}x$ and $a \\[-16em] \text{LIFTED}$ inline.`,
      String.raw`Normal $x_i$ math.`,
      '',
      'The end.',
    ].join('\n');
    await ask(page, 'Now be sneaky', hostile);
    const a = answer(page);
    assert.equal(await a.locator('.md-math-source').count(), 0, 'every formula was typeset');
    // The answer half-way down the window, so that what it would cover is on screen.
    await page.getByTestId('message-list').evaluate((list, answerTop) => {
      list.scrollTop += answerTop - 380;
    }, await a.evaluate((el) => el.getBoundingClientRect().top));
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: resolve(shots, 'math-contained.png') });

    const report = await a.evaluate((message) => {
      const box = message.getBoundingClientRect();
      const inside = (/** @type {DOMRect} */ r) =>
        r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      const problems = [];
      // Every box that holds a formula's parts (and clips them) lies inside the message.
      for (const el of message.querySelectorAll('.katex, .katex .base, .md-math')) {
        if (!inside(el.getBoundingClientRect())) problems.push(`${el.className} box outside the message`);
      }
      // Each piece of hostile text is inside the message, or not painted where it was
      // sent: what is seen there is whatever was under it before.
      const seen = [];
      for (const word of ['HANGING', 'LEFTWARD', 'UPWARD', 'FARLEFT', 'LIFTED', 'RAISED', 'DISPLAYLEFT']) {
        const target = [...message.querySelectorAll('.katex-html span')].filter((el) => el.textContent === word).pop();
        if (!target) {
          problems.push(`${word} not rendered`);
          continue;
        }
        const r = target.getBoundingClientRect();
        const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        const onScreen = x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
        const hit = onScreen ? document.elementFromPoint(x, y) : null;
        if (!inside(r) && hit && target.contains(hit)) {
          problems.push(`${word} painted outside the message at ${Math.round(x)},${Math.round(y)}`);
        }
        if (!inside(r) && onScreen) seen.push(word);
      }
      return { problems, seen };
    });
    assert.deepEqual(report.problems, []);
    // The check means something only if hostile text was sent somewhere on screen.
    for (const word of ['DISPLAYLEFT', 'HANGING', 'LEFTWARD']) {
      assert.ok(report.seen.includes(word), `${word} was sent on screen outside the message (${report.seen})`);
    }

    // Honest inline math still sits on the text's baseline: x_i hangs below it by the
    // subscript's depth (clipping with overflow: hidden would stand it on the baseline).
    const hang = await a.locator('p', { hasText: 'Normal' }).evaluate((p) => {
      const mark = document.createElement('span');
      mark.style.cssText = 'display:inline-block;width:0;height:0';
      p.prepend(mark);
      const baseline = mark.getBoundingClientRect().bottom;
      mark.remove();
      const base = /** @type {Element} */ (p.querySelector('.katex .base'));
      return base.getBoundingClientRect().bottom - baseline;
    });
    assert.ok(hang > 1 && hang < 8, `the subscript hangs below the baseline (${hang}px)`);
    assert.deepEqual(pageErrors, []);
  } finally {
    await close();
  }
});

test('copying code leaves out hidden characters, marks them in the block, and says so', async () => {
  const { page, close } = await openWindow({ setup: withKey });
  try {
    // Trojan Source: shown, the comment seems to close the string; run, the string holds it.
    const code = 'if (level != "user\u202E \u2066// admin only\u2069 \u2066") {\n\tgrant();\u200B\n}\necho \u001B[2Jdone';
    await ask(page, 'Show me code', `Here:\n\n\`\`\`js\n${code}\n\`\`\`\n\nAnd a clean one:\n\n\`\`\`sh\nls -la\n\`\`\``);
    const blocks = answer(page).locator('.md-code');
    const marks = blocks.first().locator('.md-hidden-char');
    assert.deepEqual(await marks.allTextContents(), ['U+202E', 'U+2066', 'U+2069', 'U+2066', 'U+200B', 'U+001B']);
    assert.ok(await marks.first().isVisible(), 'the marks can be seen');
    const inPage = await blocks.first().locator('pre').textContent();
    assert.doesNotMatch(inPage ?? '', /[\u202A-\u202E\u2066-\u2069\u200B\u001B]/, 'no hidden character is left in the page');

    await blocks.first().locator('button.md-copy').click();
    const notice = blocks.first().getByTestId('copy-notice');
    await notice.waitFor();
    assert.equal(await notice.textContent(), 'Hidden characters were removed from the copied code (6).');
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.equal(
      await page.evaluate(() => window['foxtailMock'].control.clipboard),
      'if (level != "user // admin only ") {\n\tgrant();\n}\necho [2Jdone',
    );
    await page.screenshot({ path: resolve(shots, 'hidden-characters.png') });

    // Clean code is copied as it is, with nothing to say.
    await blocks.nth(1).locator('button.md-copy').click();
    await page.waitForFunction(() => window['foxtailMock'].control.clipboard === 'ls -la');
    assert.equal(await blocks.nth(1).getByTestId('copy-notice').count(), 0);
  } finally {
    await close();
  }
});
