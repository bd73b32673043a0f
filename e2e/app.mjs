// @ts-check
// Starts the real Foxtail binary through tauri-driver (which drives WebKitWebDriver)
// with its data folder and keychain service moved out of the way of a person's own.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Builder, By, Key, until } from 'selenium-webdriver';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const appBinary = process.env.FOXTAIL_APP_BINARY ?? join(repoRoot, 'target', 'debug', 'foxtail');
export const artifactsDir = join(repoRoot, 'artifacts', 'e2e');

/** A fresh, empty data folder for one test. */
export function freshDataDir() {
  return mkdtempSync(join(tmpdir(), 'foxtail-e2e-'));
}

/** Waits until something answers HTTP on `url`, or fails after `ms`. */
async function waitForHttp(url, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`nothing answered on ${url}: ${err}`);
      await sleep(100);
    }
  }
}

let nextPort = 4444 + (process.pid % 500) * 2;

/**
 * Opens the app with `FOXTAIL_DATA_DIR=dataDir` and returns the WebDriver session and
 * a function that closes both the window and tauri-driver.
 * @param {{dataDir: string, env?: Record<string, string>}} options
 */
export async function launchApp({ dataDir, env = {} }) {
  const port = nextPort;
  nextPort += 2;
  // tauri-driver passes its environment down to WebKitWebDriver and so to the app. Their
  // output goes to a file, not this process's pipes: a web process left behind by a
  // killed app must not hold the test runner open.
  mkdirSync(artifactsDir, { recursive: true });
  const log = openSync(join(artifactsDir, 'tauri-driver.log'), 'a');
  const driverProcess = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      FOXTAIL_DATA_DIR: dataDir,
      FOXTAIL_KEYRING_SERVICE: `foxtail-e2e-${process.pid}`,
      ...env,
    },
  });
  await waitForHttp(`http://127.0.0.1:${port}/status`, 20_000);
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${port}/`)
    .withCapabilities({ browserName: 'wry', 'tauri:options': { application: appBinary } })
    .build();
  const close = async () => {
    try {
      await driver.quit();
    } finally {
      driverProcess.kill();
      // Tests run one at a time, so any app still running is this test's.
      killApp();
    }
  };
  return { driver, close };
}

/** The running app's process ids (its command line is exactly the binary). */
function appPids() {
  const found = spawnSync('pgrep', ['-x', '-f', appBinary], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean);
}

/** Kills the app at once, as a crash or `kill -9` would, and waits until it is gone. */
export function killApp() {
  const pids = appPids();
  if (pids.length) spawnSync('kill', ['-9', ...pids]);
  for (let i = 0; i < 50 && appPids().length; i++) spawnSync('sleep', ['0.1']);
  return pids.length;
}

/** The element with `data-testid`, once it is on the page. */
export async function byTestId(driver, id, ms = 20_000) {
  return driver.wait(until.elementLocated(By.css(`[data-testid="${id}"]`)), ms);
}

/** Saves a PNG of the window under artifacts/e2e/. */
export async function screenshot(driver, name) {
  mkdirSync(artifactsDir, { recursive: true });
  // WebKit captures the last painted frame: let the page paint what the test just did.
  await driver.executeAsyncScript(
    'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done()));',
  );
  const path = join(artifactsDir, `${name}.png`);
  writeFileSync(path, await driver.takeScreenshot(), 'base64');
  return path;
}

export const gatewayBinary = join(repoRoot, 'target', 'debug', 'foxtail-mock-gateway');
/** The key the tests paste; it must end up in the keychain and nowhere else. */
export const KEY = 'sk-test-fake-e2e-7777';

/** Starts the mock gateway with a scenario; resolves to its URL and a stop function. */
export async function startGateway(/** @type {string} */ scenario) {
  const child = spawn(gatewayBinary, ['--scenario', scenario], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the mock gateway exited with ${code}`)));
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

