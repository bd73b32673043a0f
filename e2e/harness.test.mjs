// @ts-check
// The harness itself: a start that fails must leave nothing running, or the test
// runner would wait for it for ever.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts, freshDataDir, killTagged, launchApp, taggedProcesses } from './app.mjs';

/** The WebDriver processes running now (this runner's tests run one at a time). */
function drivers() {
  const found = spawnSync('pgrep', ['-x', 'tauri-driver|WebKitWebDriver'], { encoding: 'utf8' });
  return new Set(found.stdout.split('\n').filter(Boolean));
}

test('the ports a start asks for are free and never the same one twice', async () => {
  // The driver and its bridge each listen on one; given the same, the bridge talked to itself.
  for (let i = 0; i < 200; i++) {
    const ports = await freePorts(2);
    assert.equal(new Set(ports).size, 2, `ports ${ports.join(' and ')}`);
    assert.ok(ports.every((port) => Number.isInteger(port) && port > 0));
  }
});

test('a start that times out stops what it started and shows the driver log', async () => {
  const before = drivers();
  await assert.rejects(launchApp({ dataDir: freshDataDir(), startupMs: 1 }), (err) => {
    assert.match(String(/** @type {Error} */ (err).message), /within 0\.001 s[\s\S]*tauri-driver log/);
    return true;
  });
  // A killed process lingers a moment until its parent collects it.
  let left = [];
  for (let i = 0; i < 50; i++) {
    left = [...drivers()].filter((pid) => !before.has(pid));
    if (!left.length) break;
    await sleep(100);
  }
  assert.deepEqual(left, [], 'no tauri-driver or WebKitWebDriver left running');
});

test('a runner ended by a signal stops the app and its drivers first', async (t) => {
  // A separate Node process opens the real window, as a test file does, and is then
  // sent SIGTERM, as the test runner's timeout or an outer `timeout` would.
  const runner = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { freshDataDir, launchApp } = await import(${JSON.stringify(new URL('./app.mjs', import.meta.url).href)});
       const dataDir = freshDataDir();
       const { tag } = await launchApp({ dataDir });
       console.log('LAUNCHED ' + JSON.stringify({ tag, dataDir }));
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let tag = '';
  let dataDir = '';
  t.after(() => {
    runner.kill('SIGKILL');
    // Should this test fail, what the runner left must not outlive it either.
    if (tag) killTagged(tag);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (runner.stdout) });
  // app.mjs registers a test hook, so the runner may also print a test report: its own
  // line is the one marked.
  ({ tag, dataDir } = JSON.parse(
    await new Promise((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith('LAUNCHED ')) resolve(line.slice('LAUNCHED '.length));
      });
      runner.once('exit', (code) => reject(new Error(`the runner ended before the window opened (${code})`)));
    }),
  ));
  assert.ok(existsSync(dataDir), 'the app has its data folder');
  const names = () => taggedProcesses(tag).map((p) => p.comm);
  assert.ok(names().includes('tauri-driver'), `the launch's processes are found by its tag: ${names()}`);
  assert.ok(names().length >= 3, `the app, WebKit and the drivers run: ${names()}`);

  const exited = new Promise((resolve) => runner.once('exit', (code, signal) => resolve(code ?? signal)));
  runner.kill('SIGTERM');
  const ended = await exited;
  let left = names();
  for (let i = 0; i < 50 && left.length; i++) {
    await sleep(100);
    left = names();
  }
  assert.deepEqual(left, [], 'nothing of that launch is left running');
  assert.equal(ended, 128 + 15, 'the runner ends with the status a SIGTERM gives');
  assert.ok(!existsSync(dataDir), 'the data folder it made is removed');
});

test('the folders a runner makes are removed when it ends normally', async () => {
  const runner = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { writeFileSync } from 'node:fs';
       const { tempDir } = await import(${JSON.stringify(new URL('./app.mjs', import.meta.url).href)});
       const dir = tempDir('foxtail-e2e-harness-');
       writeFileSync(dir + '/file', 'x');
       console.log('TEMPDIR ' + dir);`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(runner.status, 0, runner.stderr);
  // The runner may also print a test report (app.mjs registers a test hook).
  const dir = /^TEMPDIR (\/.*foxtail-e2e-harness-\w+)$/m.exec(runner.stdout)?.[1];
  assert.ok(dir, `the runner said which folder it made: ${runner.stdout}`);
  assert.ok(!existsSync(dir), `${dir} is removed`);
});
