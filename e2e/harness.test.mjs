// @ts-check
// The harness itself: a start that fails must leave nothing running, or the test
// runner would wait for it for ever.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshDataDir, launchApp } from './app.mjs';

/** The WebDriver processes running now (this runner's tests run one at a time). */
function drivers() {
  const found = spawnSync('pgrep', ['-x', 'tauri-driver|WebKitWebDriver'], { encoding: 'utf8' });
  return new Set(found.stdout.split('\n').filter(Boolean));
}

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
