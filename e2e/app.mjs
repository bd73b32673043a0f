// @ts-check
// Starts the real Foxtail binary through tauri-driver (which drives WebKitWebDriver)
// with its data folder and keychain service moved out of the way of a person's own.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { after } from 'node:test';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Builder, By, Key } from 'selenium-webdriver';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const appBinary = process.env.FOXTAIL_APP_BINARY ?? join(repoRoot, 'target', 'debug', 'foxtail');
export const artifactsDir = join(repoRoot, 'artifacts', 'e2e');

/** The folders tempDir made, removed when the process exits. */
const tempDirs = new Set();

/**
 * A new, empty folder under the system's temporary folder, removed when this process
 * exits, however it exits (a failed test, a timeout's signal): each run made a few dozen,
 * and nothing else removed them.
 */
export function tempDir(/** @type {string} */ prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** A fresh, empty data folder for one test. */
export function freshDataDir() {
  return tempDir('foxtail-e2e-');
}

/** Every child process this test file started and has not stopped yet. */
const children = new Set();

/**
 * Remembers `child` until it exits, so that a test that fails at any point, even before
 * it had a handle to stop it, leaves nothing running: a live child holds the test
 * runner open for ever.
 * @param {import('node:child_process').ChildProcess} child
 */
function own(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills `child` and everything it started (it leads its own process group). */
function killGroup(/** @type {import('node:child_process').ChildProcess} */ child) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // not a group leader, or gone already
  }
}

/** Stops for processes a caller started on its own, run with stopEverything. */
const otherStops = new Set();

/** Has stopEverything (after the tests, on exit or on a signal) also run `stop`. */
export function alsoStop(/** @type {() => void} */ stop) {
  otherStops.add(stop);
}

/** Kills every process this file started (the app too), at once. */
export function stopEverything() {
  for (const child of children) killGroup(child);
  children.clear();
  for (const tag of launchedTags) killApp(tag);
  for (const stop of otherStops) stop();
}

// After the file's last test, and on any way out of the process (an uncaught error
// included), nothing this file started may outlive it.
after(stopEverything);
process.once('exit', stopEverything);
// Registered after stopEverything, so the apps using these folders are gone first.
// WebKit's processes, killed and not waited for, may still be writing in a data folder:
// rmSync retries, and one folder that cannot go neither keeps the others nor changes the
// process's exit status.
process.once('exit', () => {
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    } catch (err) {
      console.error(`could not remove ${dir}: ${err}`);
    }
  }
});
// Node runs no 'exit' handlers when a signal ends it, as the test runner's timeout or an
// outer `timeout` does: a tauri-driver left then has no display to lose and lives on.
for (const [signal, number] of /** @type {const} */ ([['SIGTERM', 15], ['SIGINT', 2], ['SIGHUP', 1]])) {
  process.once(signal, () => {
    stopEverything();
    process.exit(128 + number);
  });
}

/**
 * `count` free loopback ports, chosen by the OS. All are held open until every one is
 * chosen: asked one after another, the OS may give a port just closed again, and a
 * driver told to listen on its own bridge's port loops for ever.
 */
export async function freePorts(/** @type {number} */ count) {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          /** @type {Promise<number>} */ (new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => {
              const address = server.address();
              if (!address || typeof address === 'string') reject(new Error('the OS gave no port'));
              else resolve(address.port);
            });
          })),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))));
  }
}

/** Waits until something answers HTTP on `url`; fails after `ms`, or when `gone()` says the server died. */
async function waitForHttp(url, ms, gone) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch (err) {
      const died = gone();
      if (died) throw new Error(`${died} before it answered on ${url}`);
      if (Date.now() > deadline) throw new Error(`nothing answered on ${url} within ${ms / 1000} s: ${err}`);
      await sleep(100);
    }
  }
}

/** The end of a log file, for an error message. */
function tail(/** @type {string} */ path, lines = 40) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The tags of the apps this file launched: each names one launch's processes. */
const launchedTags = new Set();

/**
 * Opens the app with `FOXTAIL_DATA_DIR=dataDir` and returns the WebDriver session, a
 * function that closes both the window and tauri-driver, and one that kills this
 * launch's app as a crash would. If the start fails, everything it started is stopped
 * and the error carries tauri-driver's log.
 * @param {{dataDir: string, env?: Record<string, string>, startupMs?: number}} options
 */
export async function launchApp({ dataDir, env = {}, startupMs = 30_000 }) {
  const [port, nativePort] = await freePorts(2);
  // Marks this launch's processes: tauri-driver passes its environment down to
  // WebKitWebDriver and so to the app, so the app can be told from any other copy.
  const tag = `foxtail-e2e-${process.pid}-${randomUUID()}`;
  launchedTags.add(tag);
  // Output goes to a file, not this process's pipes: a web process left behind by a
  // killed app must not hold the test runner open.
  mkdirSync(artifactsDir, { recursive: true });
  const logPath = join(artifactsDir, `tauri-driver-${tag}.log`);
  const log = openSync(logPath, 'a');
  const driverProcess = own(
    spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
      stdio: ['ignore', log, log],
      // Its own process group, so that stopping it also stops the WebKitWebDriver it
      // starts, which would otherwise be left running.
      detached: true,
      env: {
        ...process.env,
        FOXTAIL_DATA_DIR: dataDir,
        FOXTAIL_KEYRING_SERVICE: `foxtail-e2e-${process.pid}`,
        FOXTAIL_E2E_TAG: tag,
        ...env,
      },
    }),
  );
  /** @type {string | null} */
  let exited = null;
  driverProcess.once('exit', (code, signal) => {
    exited = `tauri-driver exited (${signal ?? code})`;
  });
  driverProcess.once('error', (err) => {
    exited = `tauri-driver could not start: ${err.message}`;
  });
  const stop = () => {
    killGroup(driverProcess);
    killApp(tag);
    launchedTags.delete(tag);
  };
  /** @type {import('selenium-webdriver').WebDriver} */
  let driver;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/status`, startupMs, () => exited);
    driver = await withTimeout(
      new Builder()
        .usingServer(`http://127.0.0.1:${port}/`)
        .withCapabilities({ browserName: 'wry', 'tauri:options': { application: appBinary } })
        .build(),
      startupMs,
      'the app window did not open',
    );
  } catch (err) {
    stop();
    throw new Error(`${/** @type {Error} */ (err).message}\n--- tauri-driver log (${logPath}) ---\n${tail(logPath)}`, {
      cause: err,
    });
  }
  const close = async () => {
    try {
      await withTimeout(driver.quit(), 10_000, 'the WebDriver session did not end');
    } finally {
      stop();
    }
  };
  return { driver, close, kill: () => killApp(tag), tag };
}

/** `promise`, or an error saying `what` once `ms` have passed. */
async function withTimeout(/** @type {Promise<any>} */ promise, /** @type {number} */ ms, /** @type {string} */ what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every process started for the launch with `tag` (the tag is in its environment), with
 * its name and environment: the app, WebKit's processes, and the WebDriver side.
 */
export function taggedProcesses(/** @type {string} */ tag) {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid) && Number(pid) !== process.pid)
    .flatMap((pid) => {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
        if (!environ.includes(`FOXTAIL_E2E_TAG=${tag}`)) return [];
        return [{ pid: Number(pid), comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), environ }];
      } catch {
        return []; // gone, or not ours to read
      }
    });
}

/** Kills every process of the launch with `tag` at once, whichever are still there. */
export function killTagged(/** @type {string} */ tag) {
  for (const { pid } of taggedProcesses(tag)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** The process ids of the app launched with `tag`: the binary, with the tag in its environment. */
export function appPids(/** @type {string} */ tag) {
  const found = spawnSync('pgrep', ['-x', '-f', appBinary], { encoding: 'utf8' });
  return found.stdout
    .split('\n')
    .filter(Boolean)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`FOXTAIL_E2E_TAG=${tag}`);
      } catch {
        return false; // gone already
      }
    });
}

/**
 * Waits up to `ms` for the app launched with `tag` to be gone, and says whether it is.
 * Synchronous, so that exit handlers can wait too.
 */
export function waitUntilAppGone(/** @type {string} */ tag, /** @type {number} */ ms) {
  const until = Date.now() + ms;
  while (appPids(tag).length) {
    if (Date.now() >= until) return false;
    spawnSync('sleep', ['0.05']);
  }
  return true;
}

/** Kills the app launched with `tag` at once, as a crash or `kill -9` would, and waits until it is gone. */
function killApp(/** @type {string} */ tag) {
  const pids = appPids(tag);
  if (pids.length) spawnSync('kill', ['-9', ...pids]);
  waitUntilAppGone(tag, 5_000);
  return pids.length;
}

/** The last answer in the open conversation. */
export const LAST_ANSWER = '[data-last] > [data-testid="message"][data-role="assistant"]';

/**
 * An attribute or the text of the element `css` matches now. Elements are looked up
 * afresh on every call: the window re-renders while answers stream.
 */
export async function read(/** @type {import('selenium-webdriver').WebDriver} */ driver, /** @type {string} */ css, attribute = '') {
  // The element may be replaced between finding and reading it (or while WebKit
  // finds it): that reads as "not there yet", and the caller's wait tries again.
  try {
    const [element] = await driver.findElements(By.css(css));
    if (!element) return null;
    return attribute ? await element.getAttribute(attribute) : await element.getText();
  } catch (err) {
    if (/** @type {Error} */ (err).name === 'StaleElementReferenceError') return null;
    throw err;
  }
}

/**
 * The element with `data-testid`, once it is on the page. WebKitWebDriver sometimes
 * answers a search with "stale element" while the page re-renders; that is a miss,
 * and the search is tried again.
 */
export async function byTestId(
  /** @type {import('selenium-webdriver').WebDriver} */ driver,
  /** @type {string} */ id,
  ms = 20_000,
) {
  return located(driver, By.css(`[data-testid="${id}"]`), ms, `nothing with data-testid="${id}"`);
}

/**
 * The first element `locator` finds, once there is one; a "stale element" answer while
 * the page re-renders counts as a miss.
 */
export async function located(
  /** @type {import('selenium-webdriver').WebDriver} */ driver,
  /** @type {import('selenium-webdriver').Locator} */ locator,
  ms = 20_000,
  what = `nothing matching ${locator}`,
) {
  const css = locator;
  return /** @type {Promise<import('selenium-webdriver').WebElement>} */ (
    driver.wait(
      async () => {
        try {
          const [found] = await driver.findElements(css);
          return found ?? null;
        } catch (err) {
          if (/** @type {Error} */ (err).name === 'StaleElementReferenceError') return null;
          throw err;
        }
      },
      ms,
      `${what} appeared within ${ms / 1000} s`,
    )
  );
}

/**
 * Clicks `element`; when something else would take the click, the error names what
 * lies on top, since WebKitWebDriver's own message leaves that out.
 */
export async function clickOn(
  /** @type {import('selenium-webdriver').WebDriver} */ driver,
  /** @type {import('selenium-webdriver').WebElement} */ element,
) {
  // WebDriver aims at where the element is when it looks; if something above it appears
  // or goes before the click arrives, the click lands beside it. Waiting until it stays
  // put narrows that window; it cannot close it (an element that keeps moving is
  // clicked after a second anyway).
  let rect = await element.getRect();
  for (let tries = 0; tries < 20; tries += 1) {
    await driver.sleep(50);
    const now = await element.getRect();
    if (now.x === rect.x && now.y === rect.y && now.width === rect.width && now.height === rect.height) break;
    rect = now;
  }
  try {
    await element.click();
  } catch (err) {
    if (/** @type {Error} */ (err).name !== 'ElementClickInterceptedError') throw err;
    const onTop = await driver.executeScript(
      `const box = arguments[0].getBoundingClientRect();
       const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
       return top ? top.outerHTML.slice(0, 300) : 'nothing';`,
      element,
    );
    await screenshot(driver, 'click-intercepted').catch(() => {});
    throw new Error(`the click was taken by ${onTop}`, { cause: err });
  }
}

/** Closes Settings and waits for the dialog to leave the page, as a person would see it go. */
export async function closeSettings(/** @type {import('selenium-webdriver').WebDriver} */ driver) {
  await clickOn(driver, await byTestId(driver, 'close-settings'));
  try {
    await driver.wait(
      async () => (await driver.findElements(By.css('[data-testid="settings-dialog"]'))).length === 0,
      10_000,
      'Settings closed within 10 s',
    );
  } catch (err) {
    await screenshot(driver, 'settings-not-closed').catch(() => {});
    throw err;
  }
}

/** Saves a PNG of the window under artifacts/e2e/. */
export async function screenshot(driver, name) {
  mkdirSync(artifactsDir, { recursive: true });
  // WebKit's screenshot waits for the window's next paint. Painted without compositing
  // (no GPU), an idle page never paints again, and the command would wait for good; so
  // the page repaints one transparent pixel every frame until the picture is taken.
  await driver.executeScript(
    `const mark = document.createElement('div');
     mark.id = 'foxtail-e2e-paint';
     mark.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0.01';
     document.body.append(mark);
     const repaint = () => {
       if (!mark.isConnected) return;
       mark.style.left = mark.style.left === '0px' ? '1px' : '0px';
       requestAnimationFrame(repaint);
     };
     requestAnimationFrame(repaint);`,
  );
  try {
    const path = join(artifactsDir, `${name}.png`);
    writeFileSync(path, await driver.takeScreenshot(), 'base64');
    return path;
  } finally {
    await driver.executeScript("document.getElementById('foxtail-e2e-paint')?.remove()");
  }
}

export const gatewayBinary = join(repoRoot, 'target', 'debug', 'foxtail-mock-gateway');
/** The key the tests paste; it must end up in the keychain and nowhere else. */
export const KEY = 'sk-test-fake-e2e-7777';

/**
 * Starts the mock gateway with a scenario (and any more of its flags, such as
 * `--record DIR`); resolves to its URL and a stop function.
 */
export async function startGateway(/** @type {string} */ scenario, /** @type {string[]} */ flags = []) {
  const child = own(spawn(gatewayBinary, ['--scenario', scenario, ...flags], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the mock gateway exited with ${code}`)));
    child.once('error', reject);
    setTimeout(() => reject(new Error('the mock gateway did not say its address within 20 s')), 20_000).unref();
  }).catch((err) => {
    child.kill('SIGKILL');
    throw err;
  });
  return { url: String(url).trim(), stop: () => child.kill() };
}

/** Replaces an input's text (WebDriver's clear() does not fire Svelte's input event). */
export async function fill(/** @type {import('selenium-webdriver').WebElement} */ input, /** @type {string} */ text) {
  await input.sendKeys(Key.chord(Key.CONTROL, 'a'), Key.BACK_SPACE);
  await input.sendKeys(text);
}

/** The first-run setup, against a custom OpenAI-compatible address. */
export async function setUp(/** @type {import('selenium-webdriver').WebDriver} */ driver, /** @type {string} */ url) {
  await byTestId(driver, 'setup');
  const provider = await byTestId(driver, 'provider');
  await provider.findElement(By.css('option[value="custom"]')).click();
  await fill(await byTestId(driver, 'base-url'), url);
  await fill(await byTestId(driver, 'model'), 'mock/alpha');
  await (await byTestId(driver, 'api-key')).sendKeys(KEY);
  await (await byTestId(driver, 'setup-connect')).click();
  await byTestId(driver, 'setup-ok', 20_000);
}

