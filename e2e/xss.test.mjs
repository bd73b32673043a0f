// @ts-check
// Model output is untrusted. A corpus of XSS and mutation-XSS payloads (xss-corpus.md)
// streams in as one answer through the real renderer in the real window (markdown-it,
// DOMPurify, KaTeX, highlight.js in WebKitGTK); then every link in it is clicked. Nothing
// in it may run script, navigate the window, open another one or fetch anything: every
// payload that would run leaves its tag in window.__xss or the title, and every remote
// reference points at a canary server that records each connection.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { By, Key } from 'selenium-webdriver';
import { byTestId, freshDataDir, launchApp, repoRoot, screenshot, setUp, startGateway, LAST_ANSWER, located, read, tempDir } from './app.mjs';

const CORPUS = join(repoRoot, 'e2e', 'xss-corpus.md');

/**
 * The corpus as the model sends it: the canary's port in every remote reference, and each
 * `{U+XXXX}` replaced by its character (the file keeps NUL and friends out of itself).
 */
function prepareCorpus(/** @type {string} */ source, /** @type {number} */ port) {
  return source
    .replaceAll('CANARY_PORT', String(port))
    .replace(/\{U\+([0-9A-F]{4,6})\}/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16)));
}

/**
 * A loopback HTTP server on a port the OS chose, recording every connection and request:
 * anything the window fetches from the corpus's references ends up here.
 */
async function startCanary() {
  /** @type {string[]} */
  const requests = [];
  let connections = 0;
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} (${req.headers['user-agent'] ?? 'no user agent'})`);
    res.writeHead(204).end();
  });
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the canary got no port');
  return {
    port: address.port,
    requests,
    connections: () => connections,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve(undefined));
      }),
  };
}

/**
 * In the page: `inspect(root)` lists everything under `root` (an element or fragment,
 * itself included) that could run script, navigate, load something or clobber a global.
 * Each entry quotes the element, which carries the payload's tag.
 */
const INSPECT = String.raw`
function inspect(root) {
  const FORBIDDEN = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base',
    'meta', 'link', 'style', 'form', 'input', 'textarea', 'select', 'option', 'isindex', 'template', 'noscript',
    'portal', 'foreignobject', 'use', 'image', 'animate', 'set', 'animatemotion', 'animatetransform', 'audio',
    'video', 'source', 'track', 'picture']);
  const URL_ATTRIBUTES = new Set(['href', 'xlink:href', 'src', 'action', 'formaction', 'data', 'poster',
    'background', 'srcset', 'ping', 'codebase', 'cite', 'lowsrc', 'dynsrc', 'longdesc', 'usemap', 'icon',
    'archive', 'classid', 'manifest', 'to', 'from', 'values', 'by']);
  const INLINE_IMAGE = /^data:image\/(gif|png|jpeg|webp);/;
  const quote = (el) => (el.outerHTML || '').slice(0, 240);
  const problems = [];
  const elements = root.nodeType === Node.ELEMENT_NODE ? [root, ...root.querySelectorAll('*')] : [...root.querySelectorAll('*')];
  for (const el of elements) {
    const tag = el.localName.toLowerCase();
    if (FORBIDDEN.has(tag)) problems.push('<' + tag + '> element: ' + quote(el));
    if (tag === 'a' && el.hasAttribute('href') && !/^https?:/i.test(el.getAttribute('href').trim())) {
      problems.push('link that is not http(s): ' + quote(el));
    }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      // What a URL parser would see: no whitespace or control characters, any case.
      const value = attribute.value.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, '').toLowerCase();
      if (name.startsWith('on')) problems.push(name + ' attribute: ' + quote(el));
      if (name === 'srcdoc') problems.push('srcdoc attribute: ' + quote(el));
      if (name === 'id' || name === 'name') problems.push(name + ' attribute (clobbers globals): ' + quote(el));
      if (name === 'style' && /url\(|expression\(|@import|javascript:|behavior:|-moz-binding/.test(value)) {
        problems.push('style that loads or runs something: ' + quote(el));
      }
      if (URL_ATTRIBUTES.has(name) || name.endsWith(':href')) {
        if (/^(javascript|vbscript|livescript|mocha|data):/.test(value) && !(tag === 'img' && name === 'src' && INLINE_IMAGE.test(value))) {
          problems.push(name + ' with a script or data URL: ' + quote(el));
        }
        if (tag === 'img' && name === 'src' && !INLINE_IMAGE.test(value)) problems.push('image that loads: ' + quote(el));
      }
    }
  }
  return problems;
}
`;

/**
 * In the page, before the answer arrives: notes every element or attribute that is ever
 * put into an answer, also while it streams (a half-written answer is rendered many times,
 * and something that is there for one frame may already have run), and every request the
 * content security policy refused (which would mean the sanitizer let a load through).
 */
const WATCH = `${INSPECT}
window.__xssCorpusWatch = { problems: [], csp: [], records: 0 };
const watch = window.__xssCorpusWatch;
const inAnswer = (node) => {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return !!element && !!element.closest('.markdown');
};
new MutationObserver((records) => {
  for (const record of records) {
    watch.records++;
    if (!inAnswer(record.target)) continue;
    if (record.type === 'attributes') {
      watch.problems.push(...inspect(record.target).map((p) => 'put into the answer: ' + p));
      continue;
    }
    for (const node of record.addedNodes) {
      if (node.nodeType === Node.ELEMENT_NODE) watch.problems.push(...inspect(node).map((p) => 'put into the answer: ' + p));
    }
  }
}).observe(document.body, { subtree: true, childList: true, attributes: true });
document.addEventListener('securitypolicyviolation', (event) => {
  watch.csp.push(event.violatedDirective + ' refused ' + event.blockedURI + ' (' + (event.sample || '') + ')');
});
`;

/**
 * In the page: where each deepest element whose text is exactly `word` is painted, as far
 * as its clipping ancestors let it be seen, against the box of the answer `arguments[0]`.
 */
const PAINTED = String.raw`
const [answer, word] = arguments;
const box = answer.getBoundingClientRect();
// The MathML copy for screen readers is clipped to a pixel; the typeset one is what shows.
const found = [...answer.querySelectorAll('*')].filter(
  (el) => el.textContent === word && ![...el.children].some((child) => child.textContent === word) && !el.closest('.katex-mathml'),
);
return found.map((el) => {
  const r = el.getBoundingClientRect();
  let painted = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  for (let a = el.parentElement; a && a !== answer; a = a.parentElement) {
    const style = getComputedStyle(a);
    const paint = /paint|strict|content/.test(style.contain);
    const clipX = paint || style.overflowX !== 'visible';
    const clipY = paint || style.overflowY !== 'visible';
    const c = a.getBoundingClientRect();
    if (clipX) painted = { ...painted, left: Math.max(painted.left, c.left), right: Math.min(painted.right, c.right) };
    if (clipY) painted = { ...painted, top: Math.max(painted.top, c.top), bottom: Math.min(painted.bottom, c.bottom) };
  }
  const visible = painted.right - painted.left > 0.5 && painted.bottom - painted.top > 0.5;
  const within = (p) => p.left >= box.left - 1 && p.right <= box.right + 1 && p.top >= box.top - 1 && p.bottom <= box.bottom + 1;
  const round = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));
  return {
    typeset: !!el.closest('.katex'),
    laidOut: round({ left: r.left, top: r.top, right: r.right, bottom: r.bottom }),
    painted: round(painted),
    answer: round({ left: box.left, top: box.top, right: box.right, bottom: box.bottom }),
    visible,
    inside: !visible || within(painted),
    laidOutInside: within(r),
  };
});
`;

/** Names this computer, so that a link to it always asks before opening (linkRisk.ts). */
function isLoopback(/** @type {string} */ hostname) {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname.endsWith('.localhost');
}

/** Clicks `element` as a person would, scrolling it to the middle first if something covers it. */
async function click(
  /** @type {import('selenium-webdriver').WebDriver} */ driver,
  /** @type {import('selenium-webdriver').WebElement} */ element,
) {
  try {
    await element.click();
  } catch (err) {
    if (!/ElementClickIntercepted|ElementNotInteractable/.test(/** @type {Error} */ (err).name)) throw err;
    await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', element);
    await element.click();
  }
}

test('no payload in a hostile answer runs script, navigates, or fetches anything', async (t) => {
  const source = readFileSync(CORPUS, 'utf8');
  const tags = [...new Set(source.match(/\bX\d{3}\b/g))];
  t.diagnostic(`${tags.length} tagged payloads, ${source.length} characters`);

  const canary = await startCanary();
  const dir = tempDir('foxtail-xss-');
  t.after(canary.stop);
  const corpusPath = join(dir, 'corpus.md');
  const corpus = prepareCorpus(source, canary.port);
  writeFileSync(corpusPath, corpus);
  const gateway = await startGateway(`file:${corpusPath}`);
  t.after(gateway.stop);
  const { driver, close } = await launchApp({ dataDir: freshDataDir() });
  t.after(close);

  const startUrl = await driver.getCurrentUrl();
  assert.match(startUrl, /^tauri:\/\/localhost/, 'the window shows the app');
  const startHandles = await driver.getAllWindowHandles();

  await setUp(driver, gateway.url);
  await (await byTestId(driver, 'setup-start')).click();
  const composer = await byTestId(driver, 'composer');
  /** @type {Record<string, number>} */
  const pageElementsBefore = await driver.executeScript(
    `const out = {};
     for (const tag of ['script', 'iframe', 'object', 'embed', 'base', 'meta', 'link', 'form', 'style', 'frame'])
       out[tag] = document.getElementsByTagName(tag).length;
     return out;`,
  );

  // The checker must be able to see what it looks for: known-bad markup, parsed inert in a
  // template, gives one complaint each.
  /** @type {string[]} */
  const control = await driver.executeScript(
    `${INSPECT}
     const template = document.createElement('template');
     template.innerHTML = arguments[0];
     return inspect(template.content);`,
    `<img src="http://127.0.0.1:1/c1" onerror="1"><a href="javascript:c2">c2</a><a href=" DaTa:text/html,c3">c3</a>
     <a href="vbscript:c4">c4</a><iframe srcdoc="c5"></iframe><script>c6</script><object data="c7"></object><embed src="c8">
     <base href="c9"><meta http-equiv="refresh"><form action="c11"></form><div id="__xss" style="background:url(c12)"></div>`,
  );
  for (const expected of [/onerror attribute/, /image that loads/, /javascript/, /DaTa/i, /vbscript/, /<iframe>/, /srcdoc/,
    /<script>/, /<object>/, /<embed>/, /<base>/, /<meta>/, /<form>/, /id attribute/, /style that loads/]) {
    assert.ok(control.some((problem) => expected.test(problem)), `the checker notices ${expected}: ${control.join('\n')}`);
  }

  await driver.executeScript(WATCH);
  await composer.sendKeys('Render the corpus', Key.ENTER);
  await located(driver, By.css(`${LAST_ANSWER} .markdown`), 20_000);
  const seenStreaming = (await read(driver, LAST_ANSWER, 'data-status')) === 'streaming';
  await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 60_000,
    'the answer did not finish within 60 s');
  t.diagnostic(seenStreaming ? 'the answer was seen streaming' : 'the answer was done before it was seen streaming');
  const answer = await driver.findElement(By.css(LAST_ANSWER));

  // All of it arrived and was rendered: every tag is in the text, nothing swallowed the rest.
  /** @type {string} */
  const shown = await driver.executeScript('return arguments[0].textContent', answer);
  assert.match(shown, /XSS-CORPUS-END/, 'the whole answer was rendered');
  assert.deepEqual(tags.filter((tag) => !shown.includes(tag)), [], 'every tagged payload is shown in the answer');

  /** @type {string[]} */
  const problems = [];

  // Every link: its target is a web address on this computer, so a click asks first and
  // the dialog shows exactly that address. Open is never pressed.
  const links = await answer.findElements(By.css('.markdown a'));
  t.diagnostic(`${links.length} links`);
  for (const link of links) {
    const href = (await link.getAttribute('href')) ?? '';
    let url;
    try {
      url = new URL(href);
    } catch {
      problems.push(`link with a target that is not an absolute URL: ${href}`);
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`link that is not http(s): ${href}`);
      continue;
    }
    if (!isLoopback(url.hostname)) {
      // It would open without asking; the corpus only links to this computer.
      problems.push(`link to a public host, not clicked: ${href}`);
      continue;
    }
    await click(driver, link);
    const dialog = await byTestId(driver, 'link-dialog', 5_000).catch(() => null);
    if (!dialog) {
      problems.push(`a click on ${href} opened no confirmation`);
      continue;
    }
    const asked = await (await byTestId(driver, 'link-dialog-url')).getText();
    if (asked !== url.href) problems.push(`the dialog for ${href} shows ${asked}`);
    await (await byTestId(driver, 'link-cancel')).click();
    await driver.wait(async () => (await driver.findElements(By.css('[data-testid="link-dialog"]'))).length === 0, 5_000);
  }

  // What were javascript:, data:, vbscript:, relative and other links (or images) is text
  // now: no href, and a click does nothing.
  const inert = await answer.findElements(By.css('.markdown .md-link-inert, .markdown .md-image-inert'));
  t.diagnostic(`${inert.length} inert links and images`);
  for (const span of inert) {
    const title = (await span.getAttribute('title')) ?? '';
    if ((await span.getTagName()).toLowerCase() !== 'span' || (await span.getAttribute('href')) !== null) {
      problems.push(`inert link ${title} is still a link`);
    }
    await click(driver, span);
    if ((await driver.findElements(By.css('[data-testid="link-dialog"]'))).length) {
      problems.push(`a click on the inert ${title} asked to open it`);
      await (await byTestId(driver, 'link-cancel')).click();
    }
  }
  // Remote images wait for a click on "show image", which this test never gives.
  const imageButtons = await answer.findElements(By.css('.markdown button.md-image-placeholder'));
  assert.ok(imageButtons.length >= 5, `the remote images are placeholders (${imageButtons.length})`);

  // A formula raised or lowered 300em (held to 20em up and 100em down) is painted inside
  // its answer, or not at all (its parts are clipped to the formula's boxes). The corpus
  // has some at each end of the answer, where they would hang out of it. (In WebKitGTK the
  // line grows to hold the moved box, \smash or not, and what hangs below the formula's
  // base is clipped.)
  /** @type {{typeset: boolean, laidOut: Record<string, number>, painted: Record<string, number>, answer: Record<string, number>, visible: boolean, inside: boolean, laidOutInside: boolean}[]} */
  const fake = await driver.executeScript(PAINTED, answer, 'FAKE');
  t.diagnostic(`FAKE: ${JSON.stringify(fake)}`);
  assert.equal(fake.length, 6, `every \\raisebox{±300em}{FAKE} was rendered: ${JSON.stringify(fake)}`);
  for (const spot of fake) {
    assert.ok(spot.typeset, 'FAKE was typeset by KaTeX');
    if (!spot.inside) problems.push(`FAKE is painted outside the answer: ${JSON.stringify(spot)}`);
  }
  // And every box that holds (and clips) a formula's parts lies inside the answer: above,
  // below and to the left, where \raisebox, \kern and \\[-300em] would send them. A
  // formula too long for its line reaches out to the right, as a long code line would;
  // that is noted, not failed (see the X289 payload).
  /** @type {{escapes: string[], wide: string[]}} */
  const boxes = await driver.executeScript(
    `const answer = arguments[0];
     const box = answer.getBoundingClientRect();
     const escapes = [];
     const wide = [];
     for (const el of answer.querySelectorAll('.katex, .katex .base, .md-math')) {
       const r = el.getBoundingClientRect();
       const what = el.className + ' box of "' + el.textContent.slice(0, 40) + '"';
       if (r.left < box.left - 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
         escapes.push(what + ' reaches outside the answer: ' + JSON.stringify(r) + ' answer ' + JSON.stringify(box));
       } else if (r.right > box.right + 1) {
         wide.push(what + ' reaches ' + Math.round(r.right - box.right) + ' px past the right edge of the answer');
       }
     }
     return { escapes, wide };`,
    answer,
  );
  problems.push(...boxes.escapes);
  for (const note of boxes.wide) t.diagnostic(note);
  // The screenshot shows payloads as the answer shows them: the Markdown links. The list
  // is scrolled itself (scrollIntoView would also scroll the document, which a long
  // conversation makes scrollable through the list's visually hidden announcer).
  await driver.executeScript(
    `const heading = [...arguments[0].querySelectorAll('h2')].find((h) => h.textContent.startsWith('3.'));
     const list = document.querySelector('[data-testid="message-list"]');
     if (heading && list) list.scrollTop += heading.getBoundingClientRect().top - list.getBoundingClientRect().top - 8;`,
    answer,
  );

  // Anything delayed (a meta refresh, a timer, a lazy load) has had its time.
  await sleep(2_000);
  await screenshot(driver, 'xss');

  /** @type {{xss: string, title: string, url: string, perf: string[], watch: {problems: string[], csp: string[], records: number}, after: Record<string, number>}} */
  const page = await driver.executeScript(
    `const xss = window.__xss;
     const describe = (v) => v === undefined ? 'undefined' : v instanceof Element ? 'element ' + v.outerHTML.slice(0, 200) : JSON.stringify(v) ?? String(v);
     const after = {};
     for (const tag of ['script', 'iframe', 'object', 'embed', 'base', 'meta', 'link', 'form', 'style', 'frame'])
       after[tag] = document.getElementsByTagName(tag).length;
     return {
       xss: describe(xss),
       title: document.title,
       url: location.href,
       perf: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes(arguments[0])),
       watch: window.__xssCorpusWatch,
       after,
     };`,
    `127.0.0.1:${canary.port}`,
  );
  if (page.xss !== 'undefined') problems.push(`window.__xss is ${page.xss}`);
  if (/PWNED/.test(page.title)) problems.push(`document.title is ${page.title}`);
  const title = await driver.getTitle();
  if (/PWNED/.test(title)) problems.push(`the window title is ${title}`);
  const url = await driver.getCurrentUrl();
  if (url !== startUrl || !url.startsWith('tauri://localhost')) problems.push(`the window went to ${url}`);
  if (page.url !== startUrl) problems.push(`the page's location is ${page.url}`);
  const handles = await driver.getAllWindowHandles();
  if (handles.length !== startHandles.length) problems.push(`${handles.length} windows are open`);
  if (canary.connections() !== 0) {
    problems.push(`the canary got ${canary.connections()} connections: ${canary.requests.join('; ') || 'no request'}`);
  }
  for (const name of page.perf) problems.push(`the page fetched ${name}`);
  for (const refused of page.watch.csp) problems.push(`the content security policy refused something: ${refused}`);
  problems.push(...page.watch.problems);
  assert.ok(page.watch.records > 0, 'the watch saw the answer being rendered');
  t.diagnostic(`${page.watch.records} changes to the page watched`);
  for (const [tag, count] of Object.entries(page.after)) {
    if (count !== pageElementsBefore[tag]) problems.push(`the page has ${count} <${tag}> elements, ${pageElementsBefore[tag]} before`);
  }
  /** @type {string[]} */
  const left = await driver.executeScript(`${INSPECT}\nreturn inspect(arguments[0]);`, answer);
  problems.push(...left);

  assert.deepEqual(problems, [], `${problems.length} payloads got through`);
});
