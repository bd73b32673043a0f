#!/usr/bin/env node
// Benchmark of the real window: the release app (WebKitGTK) under Xvfb, driven through
// tauri-driver against the mock gateway, as a person gets it.
//
// Reports, in the same run:
//   idle                frame p50/p95 of the window doing nothing, and PSS of the app
//                       with every WebKit process it started
//   streaming answer    frame p50/p95 while a ~20,000-token Markdown answer (prose,
//                       lists, code blocks, tables) streams at 1,000 tokens/s, as a ratio
//                       to idle; PSS right after it and 30 s later
//   first paint         from starting the app to the chat screen shown (includes the
//                       WebDriver session's start, so it is an upper bound)
// Targets (issue 16): frame p95 while streaming ≤ 1.5× idle; PSS 30 s after the answer
// ≤ 60 MB above idle. It prints figures and never fails on them.
//
//   bash scripts/bench-window.sh            (builds the release app, then runs this)
//   node scripts/bench-window.mjs [--tokens 20000] [--rate 1000] [--settle 30]
//
// Run it under Xvfb with a D-Bus session (bench-window.sh does).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(fileURLToPath(import.meta.url), '../..');
process.env.FOXTAIL_APP_BINARY ??= join(repo, 'target', 'release', 'foxtail');

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '1000' },
    settle: { type: 'string', default: '30' },
  },
});
const TOKENS = Number(values.tokens);
const RATE = Number(values.rate);
const SETTLE_S = Number(values.settle);

const { By, Key } = await import('selenium-webdriver');
const { byTestId, freshDataDir, launchApp, LAST_ANSWER, read, startGateway, stopEverything } = await import('../e2e/app.mjs');

/** About `tokens` tokens (4 bytes each) of the Markdown a long answer holds. */
function answerText(tokens) {
  const sections = [];
  for (let n = 1; sections.join('').length < tokens * 4; n++) {
    sections.push(
      `## Part ${n}: ownership and borrowing\n\n` +
        `Rust checks at compile time that every value has **one owner**, and that a reference never outlives what it points to. ` +
        `This is why a \`String\` moved into a function cannot be used afterwards, while a \`&str\` borrowed from it can.\n\n` +
        `- Moves transfer ownership; *copies* happen only for \`Copy\` types.\n- A mutable borrow is exclusive.\n- Lifetimes name how long a borrow lasts.\n\n` +
        '```rust\nfn longest<\'a>(a: &\'a str, b: &\'a str) -> &\'a str {\n    if a.len() >= b.len() { a } else { b }\n}\n```\n\n' +
        `| Type | Moves | Copies |\n|---|---|---|\n| String | yes | no |\n| i32 | no | yes |\n| &str | no | yes |\n\n`,
    );
  }
  return sections.join('');
}

/** p-th percentile of `values`. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** PSS in MB of every process started for this launch (the app and its WebKit processes). */
function pss(tag) {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
      if (!environ.split('\0').includes(`FOXTAIL_E2E_TAG=${tag}`)) continue;
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      // The WebDriver side carries the tag too; it is not the app.
      if (comm === 'tauri-driver' || comm === 'WebKitWebDriver') continue;
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      kb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return kb / 1024;
}

const RECORD = `
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);`;
const STOP = 'window.__recording = false; return window.__frames.slice(1);';

async function frames(driver, during) {
  await driver.executeScript(RECORD);
  await during();
  return /** @type {number[]} */ (await driver.executeScript(STOP));
}

const describe = (ms) => `p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms (${ms.length} frames, ${ms.filter((f) => f > 50).length} over 50 ms)`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const work = mkdtempSync(join(tmpdir(), 'foxtail-bench-window-'));
const answerFile = join(work, 'answer.md');
const text = answerText(TOKENS);
writeFileSync(answerFile, text);
const gateway = await startGateway(`tokens:${RATE}:${answerFile}`);
try {
  const dataDir = freshDataDir();
  // Set up already, against a server on this computer that needs no key: the benchmark
  // measures the chat, not the first-run screen.
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({ provider: 'ollama', protocol: 'openai', base_url: gateway.url, model: 'mock/alpha', setup_done: true }),
  );

  const started = performance.now();
  const { driver, close, tag } = await launchApp({ dataDir });
  try {
    const composer = await byTestId(driver, 'composer');
    const firstPaint = performance.now() - started;
    await sleep(5_000);
    const idleFrames = await frames(driver, () => sleep(5_000));
    const idlePss = pss(tag);

    const sent = performance.now();
    let streamFrames = [];
    streamFrames = await frames(driver, async () => {
      await composer.sendKeys('Explain ownership at length', Key.ENTER);
      await driver.wait(async () => (await read(driver, LAST_ANSWER, 'data-status')) === 'done', 10 * 60_000, 'the answer ended');
    });
    const streamed_s = (performance.now() - sent) / 1000;
    const afterPss = pss(tag);
    await sleep(SETTLE_S * 1000);
    const settledPss = pss(tag);
    const shown = (await driver.findElement(By.css(LAST_ANSWER)).getAttribute('textContent')).length;

    const idleP95 = percentile(idleFrames, 95);
    const lines = [
      `Foxtail in the real window (${process.env.FOXTAIL_APP_BINARY}), ${new Date().toISOString()}`,
      `first paint (incl. WebDriver start)  ${(firstPaint / 1000).toFixed(2)} s`,
      `idle                                 ${describe(idleFrames)}; PSS ${idlePss.toFixed(0)} MB`,
      `streaming ${TOKENS} tokens at ${RATE}/s     ${describe(streamFrames)}; p95 ${(percentile(streamFrames, 95) / idleP95).toFixed(2)}× idle (target ≤ 1.5×)`,
      `                                     took ${streamed_s.toFixed(1)} s (${(text.length / 4 / streamed_s).toFixed(0)} tokens/s), ${shown} characters shown of ${text.length}`,
      `PSS right after the answer           ${afterPss.toFixed(0)} MB (+${(afterPss - idlePss).toFixed(0)} MB)`,
      `PSS ${SETTLE_S} s later                       ${settledPss.toFixed(0)} MB (+${(settledPss - idlePss).toFixed(0)} MB; target ≤ +60 MB)`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await close();
  }
} finally {
  gateway.stop();
  stopEverything();
}
