// @ts-check
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Key } from 'selenium-webdriver';
import { byTestId, freshDataDir, launchApp, screenshot, taggedProcesses } from './app.mjs';

/** Every path under `dir`, relative to it. */
function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const rel = join(prefix, entry.name);
    return entry.isDirectory() ? [rel, ...listFiles(join(dir, entry.name), rel)] : [rel];
  });
}

/** Whether this machine has a GPU render node, as rendering.rs decides. */
function hasRenderNode() {
  return existsSync('/dev/dri') && readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
}

test('the window opens titled Foxtail with the chat layout', async () => {
  const dataDir = freshDataDir();
  // The platform's own folders point into an empty place, to catch any file written
  // outside FOXTAIL_DATA_DIR.
  const platformHome = freshDataDir();
  const env = {
    XDG_DATA_HOME: join(platformHome, 'data'),
    XDG_CONFIG_HOME: join(platformHome, 'config'),
    XDG_CACHE_HOME: join(platformHome, 'cache'),
  };
  const { driver, close } = await launchApp({ dataDir, env });
  try {
    // A first run asks for a provider and key; "later" leads to the chat.
    await (await byTestId(driver, 'setup')).isDisplayed();
    assert.equal(await driver.getTitle(), 'Foxtail');
    // The window is built hidden and shown once its page loads (lib.rs).
    assert.equal(await driver.executeScript('return document.visibilityState'), 'visible', 'the window is shown');
    await (await byTestId(driver, 'setup-skip')).click();
    const composer = await byTestId(driver, 'composer');
    assert.ok(await (await byTestId(driver, 'sidebar')).isDisplayed(), 'sidebar is shown');
    assert.ok(await (await byTestId(driver, 'message-list')).isDisplayed(), 'message list is shown');
    assert.ok(await composer.isDisplayed(), 'composer is shown');

    // The default settings reached the window from the backend's store.
    const model = await byTestId(driver, 'current-model');
    // Its text, not WebDriver's "visible text": WebKitWebDriver reads the picker's
    // clipped label as empty.
    await driver.wait(async () => (await model.getAttribute('textContent')) === 'openai/gpt-4o', 10_000);

    const send = await byTestId(driver, 'send');
    assert.equal(await send.isEnabled(), false, 'nothing to send yet');
    await composer.sendKeys('Hello, Foxtail');
    await composer.sendKeys(Key.ENTER);
    // Without a key nothing is sent: the window says what to do and keeps the text.
    const notice = await byTestId(driver, 'notice');
    await driver.wait(async () => (await notice.getText()).includes('No API key is set'), 10_000);
    assert.equal(await composer.getAttribute('value'), 'Hello, Foxtail', 'the text is not lost');

    const shot = await screenshot(driver, 'window');
    assert.ok(statSync(shot).size > 10_000, 'the screenshot holds a real picture');
  } finally {
    await close();
  }

  // Every file the app wrote is inside FOXTAIL_DATA_DIR.
  const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
  assert.equal(settings.provider, 'ofox');
  assert.ok(existsSync(join(dataDir, 'webview')), 'the web view keeps its storage in the data folder');
  const strays = listFiles(platformHome).filter((path) => /foxtail/i.test(path));
  assert.deepEqual(strays, [], 'nothing of Foxtail is written outside FOXTAIL_DATA_DIR');
});

test('a corrupt settings file is kept aside and the person is told', async () => {
  const dataDir = freshDataDir();
  writeFileSync(join(dataDir, 'settings.json'), '{"model": "half-writ');
  const { driver, close } = await launchApp({ dataDir });
  try {
    const banner = await byTestId(driver, 'banner');
    await driver.wait(async () => (await banner.getText()).includes('settings.json.corrupt-'), 10_000);
    await screenshot(driver, 'settings-recovered');
  } finally {
    await close();
  }
  const aside = readdirSync(dataDir).filter((name) => name.startsWith('settings.json.corrupt-'));
  assert.equal(aside.length, 1);
  assert.equal(readFileSync(join(dataDir, aside[0] ?? ''), 'utf8'), '{"model": "half-writ');
  assert.equal(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).model, 'openai/gpt-4o');
});

test('the web view gives memory back, and a benchmark can see the frames it paints', async () => {
  const dataDir = freshDataDir();
  const frameLog = join(dataDir, 'frames.log');
  const { driver, close, tag } = await launchApp({ dataDir, env: { FOXTAIL_FRAME_LOG: frameLog } });
  try {
    await (await byTestId(driver, 'setup-skip')).click();
    const composer = await byTestId(driver, 'composer');
    const logged = () => (existsSync(frameLog) ? readFileSync(frameLog, 'utf8').split('\n').filter(Boolean).map(Number) : []);
    const before = logged().length;
    await composer.sendKeys('a few words, painted as they are typed');
    await driver.wait(() => logged().length >= before + 5, 10_000, 'the window logged its paints');
    const times = logged();
    assert.ok(times.every((t, i) => Number.isSafeInteger(t) && (i === 0 || t >= times[i - 1])), 'paint times are in order');

    // WebKit starts its web process with the app's environment, so that is where the
    // choices of rendering.rs must arrive.
    const webProcesses = taggedProcesses(tag).filter((p) => p.comm === 'WebKitWebProces');
    assert.ok(webProcesses.length > 0, 'the web process was found');
    for (const { environ } of webProcesses) {
      assert.ok(environ.includes('MALLOC_MMAP_THRESHOLD_=131072'), 'large blocks are given back when freed');
      assert.ok(environ.includes('JSC_percentCPUPerMBForFullTimer=0.1'), 'dropped DOM is collected soon');
      // Without a GPU render node the page is painted directly (unless the runner chose).
      if (!hasRenderNode() && process.env.WEBKIT_DISABLE_COMPOSITING_MODE === undefined) {
        assert.ok(environ.includes('WEBKIT_DISABLE_COMPOSITING_MODE=1'), 'without a GPU, no software compositing');
      }
    }

    // The web process extension (web_extension.rs) gives the page a collection on
    // demand: what the page dropped is gone once it returns, with no other allocation.
    assert.equal(await driver.executeScript('return typeof window.__foxtailCollect'), 'function');
    // The nodes are held until the script that collects, which counts them: no
    // collection of JavaScriptCore's own can come between.
    await driver.executeScript(`
      window.__held = Array.from({ length: 200 }, () => {
        const node = document.createElement('div');
        node.textContent = 'dropped '.repeat(50);
        return node;
      });
      window.__dropped = window.__held.map((node) => new WeakRef(node));`);
    const left = Number(
      await driver.executeScript(
        'window.__held = null; window.__foxtailCollect(); return window.__dropped.filter((ref) => ref.deref()).length',
      ),
    );
    // (A stray word on the stack may hold one or two: the collector scans it conservatively.)
    assert.ok(left <= 5, `${left} of 200 dropped nodes outlived the collection`);
  } finally {
    await close();
  }
});

