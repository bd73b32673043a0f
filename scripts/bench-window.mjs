#!/usr/bin/env node
// Benchmark of the real window: the release app (WebKitGTK) under Xvfb, driven through
// tauri-driver against the mock gateway, as a person gets it (issue 16).
//
// Each part opens the app afresh and first measures it idle (frame p50/p95 of the chat
// screen doing nothing; PSS of the app with every WebKit process it started), then:
// (frames are the window's painted frames, from the app's FOXTAIL_FRAME_LOG, against
// the idle page's frames; the page's own updates are printed beside them)
//   streaming answer    frame p50/p95 while a ~20,000-token Markdown answer (prose,
//                       lists, code blocks, tables) streams at 1,000 tokens/s, as a ratio
//                       to idle; PSS right after it and 30 s later; PSS 30 s after a new
//                       chat (what the streaming left besides the answer's own nodes),
//                       and 30 s after the answer opened again in the same window; then PSS with the
//                       same answer opened from the sidebar after a restart (its floor)
//   slow answer         the same at a model's own pace, 3,000 tokens at 100 tokens/s:
//                       the memory an answer leaves grows with the number of updates
//                       (about one a frame at that pace), not with the answer's length
//   500-turn chat       a conversation of 500 questions and answers (~2 million
//                       characters of Markdown with code blocks and tables) seeded in the
//                       history: from the click on it in the sidebar to its last message
//                       painted; PSS with it open; frame p50/p95 while it scrolls 300 px
//                       a frame from the bottom to the top (older pages load on the way),
//                       PSS right after it and 30 s later
//   drafting            "Write here" streams 5,000 words at 1,000 words/s into the middle
//                       of a 2,000-word and of a 100,000-word document while a key is
//                       typed a paragraph above through WebDriver: frame p50/p95 as a
//                       ratio to idle, keypress-to-paint p50/p95 (and, first, the same
//                       typing for 5 s with nothing streaming), PSS with the document
//                       open, right after the stream and 30 s later
//   cold start          the app and an empty Tauri window built the same way
//                       (bench/empty-window), each started 3 times after one warm-up:
//                       from the process's start to the first frame that shows its screen,
//                       and idle PSS 10 s after the start
// Targets (issue 16), printed next to the figures; it never fails on them: frame p95
// while streaming (chat and both documents) ≤ 1.5× idle; keypress-to-paint p95 < 30 ms;
// PSS 30 s after the answer ≤ +60 MB over idle; the 500-turn conversation painted within
// 300 ms of the click, scrolling p95 ≤ 1.5× idle, PSS ≤ +100 MB over idle with it open;
// idle PSS ≤ 40 MB above the empty Tauri window; first paint within 0.5 s.
//
//   bash scripts/bench-window.sh            (builds everything in release, then runs this)
//   node scripts/bench-window.mjs [--only chat,slow-chat,history,drafting,start]
//        [--tokens 20000] [--rate 1000] [--slow-tokens 3000] [--slow-rate 100]
//        [--settle 30] [--turns 500] [--chars 2000000] [--step 300]
//        [--draft-words 5000] [--word-rate 1000] [--words 2000,100000] [--starts 3]
//        [--probe]   (drafting: the page's script while the draft streams, by kind, and
//                     what ran between each slow key and its paint)
//
// Run it under Xvfb with a D-Bus session (bench-window.sh does). It needs the release app
// (target/release/foxtail), the seeder (target/release/examples/seed_bench), the empty
// window (target/release/foxtail-empty-window) and the mock gateway (target/debug).
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeDocument } from './bench-document.mjs';

const repo = resolve(fileURLToPath(import.meta.url), '../..');
process.env.FOXTAIL_APP_BINARY ??= join(repo, 'target', 'release', 'foxtail');
const APP = process.env.FOXTAIL_APP_BINARY;
const EMPTY = process.env.FOXTAIL_EMPTY_WINDOW_BINARY ?? join(repo, 'target', 'release', 'foxtail-empty-window');
const SEEDER = process.env.FOXTAIL_SEED_BINARY ?? join(repo, 'target', 'release', 'examples', 'seed_bench');

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'chat,slow-chat,history,drafting,start' },
    tokens: { type: 'string', default: '20000' },
    rate: { type: 'string', default: '1000' },
    'slow-tokens': { type: 'string', default: '3000' },
    'slow-rate': { type: 'string', default: '100' },
    settle: { type: 'string', default: '30' },
    turns: { type: 'string', default: '500' },
    chars: { type: 'string', default: '2000000' },
    step: { type: 'string', default: '300' },
    'scroll-limit': { type: 'string', default: '600' },
    'draft-words': { type: 'string', default: '5000' },
    'word-rate': { type: 'string', default: '1000' },
    words: { type: 'string', default: '2000,100000' },
    starts: { type: 'string', default: '3' },
    probe: { type: 'boolean', default: false },
  },
});
const PARTS = new Set(values.only.split(','));
const TOKENS = Number(values.tokens);
const RATE = Number(values.rate);
const SLOW_TOKENS = Number(values['slow-tokens']);
const SLOW_RATE = Number(values['slow-rate']);
const SETTLE_S = Number(values.settle);
const TURNS = Number(values.turns);
const CHARS = Number(values.chars);
const STEP_PX = Number(values.step);
const SCROLL_LIMIT_S = Number(values['scroll-limit']);
const DRAFT_WORDS = Number(values['draft-words']);
const WORD_RATE = Number(values['word-rate']);
const DOC_WORDS = values.words.split(',').map(Number);
const STARTS = Number(values.starts);

const { Builder, By, Key } = await import('selenium-webdriver');
const { alsoStop, byTestId, freePorts, freshDataDir, killTagged, launchApp, LAST_ANSWER, located, read, startGateway, stopEverything, taggedProcesses, tempDir } = await import(
  '../e2e/app.mjs'
);

// ---------------------------------------------------------------------------------------
// Content

const RUST_SECTION = (n) =>
  `## Part ${n}: ownership and borrowing\n\n` +
  `Rust checks at compile time that every value has **one owner**, and that a reference never outlives what it points to. ` +
  `This is why a \`String\` moved into a function cannot be used afterwards, while a \`&str\` borrowed from it can.\n\n` +
  `- Moves transfer ownership; *copies* happen only for \`Copy\` types.\n- A mutable borrow is exclusive.\n- Lifetimes name how long a borrow lasts.\n\n` +
  '```rust\nfn longest<\'a>(a: &\'a str, b: &\'a str) -> &\'a str {\n    if a.len() >= b.len() { a } else { b }\n}\n```\n\n' +
  `| Type | Moves | Copies |\n|---|---|---|\n| String | yes | no |\n| i32 | no | yes |\n| &str | no | yes |\n\n`;

/** About `tokens` tokens (4 bytes each) of the Markdown a long answer holds. */
function answerText(tokens) {
  const sections = [];
  for (let n = 1; sections.join('').length < tokens * 4; n++) sections.push(RUST_SECTION(n));
  return sections.join('');
}

const TOPICS = ['iterators', 'lifetimes', 'traits', 'error handling', 'async tasks', 'closures', 'smart pointers', 'pattern matching'];

/** Turn `i`'s answer: about `chars` characters of Markdown, ending with a line naming the turn. */
function turnAnswer(i, chars) {
  const topic = TOPICS[i % TOPICS.length];
  const end = `End of turn ${i}.`;
  const parts = [`Here is how **${topic}** work, step by step (turn ${i}).\n\n`];
  for (let n = 1; parts.join('').length < chars - end.length - 400; n++) {
    parts.push(
      `### ${n}. ${topic} in practice\n\n` +
        `When you reach for ${topic}, the compiler checks the *types* and the **borrows** for you; ` +
        `the cost at run time is what you would write by hand. Case ${i}.${n} shows it.\n\n` +
        `- Keep the data owned in one place.\n- Borrow it for as long as you read it.\n- Return owned values across threads.\n\n` +
        '```rust\n' +
        `fn case_${i}_${n}(items: &[u32]) -> u32 {\n    items.iter().filter(|x| **x % ${(n % 7) + 2} == 0).sum()\n}\n` +
        '```\n\n' +
        `| Input | Result | Notes |\n|---|---|---|\n| [1, 2, 3] | ${n} | small |\n| [] | 0 | empty |\n| [${i}, ${n}] | ${i + n} | mixed |\n\n`,
    );
  }
  let text = parts.join('');
  while (text.length < chars - end.length) text += 'More detail follows from the same rules. ';
  return `${text.trimEnd()}\n\n${end}`;
}

/** A conversation of `turns` questions and answers, about `chars` characters in all. */
function longConversation(turns, chars) {
  const messages = [];
  for (let i = 1; i <= turns; i++) {
    const question = `Question ${i}: how do ${TOPICS[i % TOPICS.length]} work in Rust? Show an example with a table.`;
    messages.push({ role: 'user', content: question });
    messages.push({ role: 'assistant', content: turnAnswer(i, Math.floor(chars / turns) - question.length) });
  }
  return messages;
}

/** Words as the editor counts them: runs between spaces that hold a letter or digit. */
const countWords = (text) => text.split(/\s+/u).filter((run) => /[\p{L}\p{N}]/u.test(run)).length;

/** Exactly `words` words of Markdown paragraphs, as a model writes into a document. */
function draftText(words) {
  const list = 'the model writes this paragraph with **bold** and *italic* words so that the editor styles it as it arrives'.split(' ');
  const paragraphs = [];
  let count = 0;
  for (let p = 1; count < words; p++) {
    const run = [`Paragraph ${p}:`];
    count += 2;
    for (let i = 0; i < 38 && count < words; i++, count++) run.push(list[(p + i) % list.length]);
    paragraphs.push(run.join(' ') + '.');
  }
  return paragraphs.join('\n\n') + '\n';
}

/**
 * How many events the mock gateway's `tokens:TPS:PATH` cuts `text` into: pieces of 2-6
 * bytes from a fixed xorshift32 sequence (src-tauri/mock-gateway/src/scenario.rs,
 * `token_pieces`), ported here so that a rate in words/s turns into the right TPS.
 */
function gatewayPieces(text) {
  const bytes = Buffer.from(text, 'utf8');
  let state = 0x2545f491;
  let start = 0;
  let pieces = 0;
  while (start < bytes.length) {
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    let end = Math.min(start + 2 + (state % 5), bytes.length);
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end++;
    pieces++;
    start = end;
  }
  return pieces;
}

// ---------------------------------------------------------------------------------------
// Measuring

/** p-th percentile of `values`. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const median = (values) => percentile(values, 50);

/** The processes started for a launch: the tag is in their environment. */
const taggedPids = (tag) => taggedProcesses(tag).map((p) => p.pid);

/** The app's processes for this launch, by name: the WebDriver side carries the tag too. */
function appProcesses(tag) {
  const out = [];
  for (const pid of taggedPids(tag)) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm !== 'tauri-driver' && comm !== 'WebKitWebDriver') out.push({ pid, comm });
    } catch {
      // Gone.
    }
  }
  return out;
}

/** PSS in MB of every process started for this launch (the app and its WebKit processes). */
function pss(tag) {
  let kb = 0;
  for (const { pid } of appProcesses(tag)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      kb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return kb / 1024;
}

/**
 * PSS in MB by process and by kind of memory (glibc's main heap, other private memory:
 * JavaScriptCore's and WebKit's own allocators and glibc's other arenas; shared memory
 * such as painted buffers; mapped files), to say where growth went.
 * @returns {Map<string, number>}
 */
function pssParts(tag) {
  const parts = new Map();
  for (const { pid, comm } of appProcesses(tag)) {
    let smaps = '';
    try {
      smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
    } catch {
      continue;
    }
    let kind = 'private';
    for (const line of smaps.split('\n')) {
      const mapping = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \d+\s*(.*)$/.exec(line);
      if (mapping) {
        const [, permissions = '', name = ''] = mapping;
        if (permissions.endsWith('s')) kind = 'shared';
        else if (name === '[heap]') kind = 'brk heap';
        else if (name.startsWith('/')) kind = 'files';
        else kind = 'private';
        continue;
      }
      const value = /^Pss:\s+(\d+)/.exec(line);
      if (value) {
        const key = `${comm} ${kind}`;
        parts.set(key, (parts.get(key) ?? 0) + Number(value[1]) / 1024);
      }
    }
  }
  return parts;
}

/** The parts that grew from `before` to `after` by a megabyte or more, largest first. */
function grown(/** @type {Map<string, number>} */ before, /** @type {Map<string, number>} */ after) {
  return [...after]
    .map(([key, mb]) => /** @type {[string, number]} */ ([key, mb - (before.get(key) ?? 0)]))
    .filter(([, change]) => Math.abs(change) >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([key, change]) => `${key} ${change > 0 ? '+' : ''}${change.toFixed(0)}`)
    .join(', ');
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

/** Now on CLOCK_MONOTONIC in µs: GLib's clock, which the window's frame log uses. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
/** A time on the page's clock (ms since the epoch) on the frame log's clock. */
const fromEpoch = (epochMs) => epochMs * 1000 - (Date.now() * 1000 - nowUs());

/** The times the window painted (µs, from its FOXTAIL_FRAME_LOG) between two instants. */
function paintsBetween(frameLog, fromUs, toUs) {
  let times = [];
  try {
    times = readFileSync(frameLog, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    // nothing painted yet
  }
  return times.filter((t) => t >= fromUs && t <= toUs);
}
const intervals = (times) => times.slice(1).map((t, i) => (t - times[i]) / 1000);

/**
 * Frames while `during` runs, two ways: the page's updates (requestAnimationFrame), and
 * the frames the window painted, which is what reaches the screen. Without compositing
 * (WEBKIT_DISABLE_COMPOSITING_MODE=1) WebKit runs the page's updates on a timer of its
 * own, faster than it paints, so only the painted frames say how smooth it looked.
 */
async function frames(app, during) {
  await app.driver.executeScript(RECORD);
  const from = nowUs();
  let updates = [];
  try {
    await during();
  } finally {
    updates = /** @type {number[]} */ (await app.driver.executeScript(STOP));
  }
  return { updates, painted: intervals(paintsBetween(app.frameLog, from, nowUs())) };
}

const ms = (value) => `${value.toFixed(1)} ms`;
const describe = (f) =>
  `p50 ${ms(percentile(f, 50))}, p95 ${ms(percentile(f, 95))} (${f.length} frames, ${f.filter((x) => x > 50).length} over 50 ms)`;
/** Painted frames against the idle window's frames (its page updates: idle, it paints nothing). */
const ratio = (f, idle) => `p95 ${(percentile(f.painted, 95) / percentile(idle.updates, 95)).toFixed(2)}× idle (target ≤ 1.5×)`;
const painted = (f, idle) => [
  ['', `painted: ${describe(f.painted)}; ${ratio(f, idle)}`],
  ['', `page updates: ${describe(f.updates)}`],
];
const mb = (value) => `${value.toFixed(0)} MB`;
const plus = (value, base) => `${value - base >= 0 ? '+' : '−'}${Math.abs(value - base).toFixed(0)} MB`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));
const pad = (label) => label.padEnd(40);
const say = (lines) => console.log(lines.map((l) => (Array.isArray(l) ? pad(l[0]) + l[1] : l)).join('\n'));

/** Settings of a person who has set Foxtail up already, against a server that needs no key. */
function setUpDataDir(dataDir, gatewayUrl) {
  writeFileSync(
    join(dataDir, 'settings.json'),
    JSON.stringify({ provider: 'ollama', protocol: 'openai', base_url: gatewayUrl, model: 'mock/alpha', setup_done: true }),
  );
  return dataDir;
}

/** Opens Foxtail on `dataDir`, waits for the chat screen, and measures it idle (5 s after, for 5 s). */
async function openIdle(dataDir) {
  const frameLog = join(work, `frames-${randomUUID()}.log`);
  const launched = await launchApp({ dataDir, env: { FOXTAIL_FRAME_LOG: frameLog } });
  try {
    await launched.driver.manage().setTimeouts({ script: 120_000 });
    await byTestId(launched.driver, 'composer');
    await sleep(5_000);
    const idleFrames = await frames({ ...launched, frameLog }, () => sleep(5_000));
    return { ...launched, frameLog, idleFrames, idlePss: pss(launched.tag), idleParts: pssParts(launched.tag) };
  } catch (err) {
    await launched.close().catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------------------------------
// The parts

const work = tempDir('foxtail-bench-window-');

/** An answer of about `size` tokens streamed at `rate` tokens/s, then the same answer reopened. */
async function chatPart(size, rate) {
  const answerFile = join(work, `answer-${size}.md`);
  const text = answerText(size);
  writeFileSync(answerFile, text);
  const tokens = gatewayPieces(text);
  const gateway = await startGateway(`tokens:${rate}:${answerFile}`);
  try {
    const dataDir = setUpDataDir(freshDataDir(), gateway.url);
    const app = await openIdle(dataDir);
    let shownChars = 0;
    try {
      const { driver, tag, idleFrames, idlePss } = app;
      const composer = await byTestId(driver, 'composer');
      const sent = performance.now();
      const streamFrames = await frames(app, async () => {
        await composer.sendKeys('Explain ownership at length', Key.ENTER);
        // Three times as long as the answer should take, and WebDriver's own limit past it.
        const limitMs = Math.max(60_000, ((3 * size) / rate) * 1000);
        await driver.manage().setTimeouts({ script: limitMs + 10_000 });
        const ended = await driver.executeAsyncScript(ANSWER_ENDED, LAST_ANSWER, limitMs);
        if (ended !== true) throw new Error(String(ended));
      });
      const streamedS = (performance.now() - sent) / 1000;
      const afterPss = pss(tag);
      const settledRows = await settled(app, '+60 MB');
      shownChars = (await driver.findElement(By.css(LAST_ANSWER)).getAttribute('textContent')).length;
      say([
        `streaming answer: ${tokens} tokens (${text.length} characters of Markdown) at ${rate} tokens/s`,
        ['  idle', `${describe(idleFrames.updates)}; PSS ${mb(idlePss)}`],
        ['  while the answer streams', ''],
        ...painted(streamFrames, idleFrames),
        ['', `took ${streamedS.toFixed(1)} s (${(tokens / streamedS).toFixed(0)} tokens/s), ${shownChars} characters shown`],
        ['  PSS right after the answer', `${mb(afterPss)} (${plus(afterPss, idlePss)})`],
        ...settledRows,
      ]);
      const [away, back] = await switchedBack(app, shownChars);
      say([
        ['  left for a new chat', away],
        ['  and opened again', back],
      ]);
    } finally {
      await app.close();
    }
    say([['  the same answer, reopened', await reopenAnswer(dataDir, shownChars)]]);
  } finally {
    gateway.stop();
  }
}

/**
 * What the answer costs when it is only shown, not streamed: the app started again on the
 * same data, the conversation opened from the sidebar, PSS `SETTLE_S` s later against
 * that launch's idle. The streamed answer's figure can come down to this, not below.
 */
async function reopenAnswer(dataDir, shownChars) {
  const app = await openIdle(dataDir);
  try {
    return await openedAgain(app, shownChars);
  } finally {
    await app.close();
  }
}

/**
 * The answer left for a new chat, PSS `SETTLE_S` s later (the page asks for its
 * collection once the answer's nodes are let go): what the streaming left that is not
 * the answer's own nodes; then the answer opened again in the same window.
 */
async function switchedBack(app, shownChars) {
  await app.driver.findElement(By.css('[data-testid="new-chat"]')).click();
  await sleep(SETTLE_S * 1000);
  const awayPss = pss(app.tag);
  const away = `PSS ${SETTLE_S} s after: ${mb(awayPss)} (${plus(awayPss, app.idlePss)})`;
  return [away, await openedAgain(app, shownChars)];
}

/** The conversation opened from the sidebar until its answer shows `shownChars` again; PSS `SETTLE_S` s later. */
async function openedAgain({ driver, tag, idlePss }, shownChars) {
  await driver.findElement(By.css('[data-testid="conversation"] .conversation-link')).click();
  await driver.wait(
    async () => ((await read(driver, LAST_ANSWER, 'textContent')) ?? '').length >= shownChars,
    60_000,
    'the answer shown again',
  );
  await sleep(SETTLE_S * 1000);
  const openPss = pss(tag);
  return `PSS ${SETTLE_S} s after: ${mb(openPss)} (${plus(openPss, idlePss)})`;
}

/** Seeds a data folder through the storage crate (target/release/examples/seed_bench). */
function seed(dataDir, spec) {
  const specFile = join(work, `seed-${randomUUID()}.json`);
  writeFileSync(specFile, JSON.stringify(spec));
  const run = spawnSync(SEEDER, [dataDir, specFile], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`${SEEDER} failed (${run.status ?? run.signal}): ${run.error ?? run.stderr}`);
  return JSON.parse(run.stdout);
}

/** In the page: click the conversation in the sidebar, then wait for its last message painted. */
const OPEN_CONVERSATION = `
  const [id, marker, done] = arguments;
  const link = document.querySelector('[data-testid="conversation"][data-id="' + id + '"] .conversation-link');
  if (!link) return done({ error: 'the conversation is not in the sidebar' });
  const started = performance.now();
  link.click();
  const check = () => {
    const last = document.querySelector('[data-last] [data-testid="message"]');
    // Present with its content in this frame: the next frame starts after it was painted.
    if (last && last.textContent.includes(marker)) {
      const shown = performance.now();
      requestAnimationFrame(() =>
        done({ ms: performance.now() - started, clicked: performance.timeOrigin + started, shown: performance.timeOrigin + shown }),
      );
    }
    else if (performance.now() - started > 60000) done({ error: 'the last message did not show within 60 s' });
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);`;

/**
 * The rows for what a part leaves: PSS `SETTLE_S` s after its work, what grew since idle,
 * and how long the page's full collection (`__foxtailCollect`, which the window asks for
 * once streaming stops or enough was let go: ui/src/lib/memory.ts) then takes. That is
 * a second collection when the window already asked for one; the first, over all the
 * work's garbage, is the pause a person could meet.
 * @param {{ driver: import('selenium-webdriver').WebDriver, tag: string, idlePss: number, idleParts: Map<string, number> }} app
 * @param {string} [target]
 */
async function settled({ driver, tag, idlePss, idleParts }, target) {
  await sleep(SETTLE_S * 1000);
  const settledPss = pss(tag);
  const parts = pssParts(tag);
  const took = await driver.executeScript(
    'if (typeof window.__foxtailCollect !== "function") return null; const t = performance.now(); window.__foxtailCollect(); return performance.now() - t;',
  );
  return [
    ['  PSS ' + SETTLE_S + ' s later', `${mb(settledPss)} (${plus(settledPss, idlePss)}${target ? `; target ≤ ${target}` : ''})`],
    ['', `grown (MB): ${grown(idleParts, parts)}`],
    ['  a full collection then', took === null ? 'not available in this build' : `${Number(took).toFixed(0)} ms, in the page`],
  ];
}

/**
 * In the page: wait for the last answer to end. Asking through WebDriver instead, five
 * times a second, ran WebDriver's scripts in the page while it streamed, which is work a
 * person's window never does: it took frames from the answer being measured.
 */
const ANSWER_ENDED = `
  const [selector, ms, done] = arguments;
  const ended = () => document.querySelector(selector)?.getAttribute('data-status') === 'done';
  const started = performance.now();
  const check = () => {
    if (ended()) done(true);
    else if (performance.now() - started > ms) done('the answer did not end within ' + ms / 1000 + ' s');
    else setTimeout(check, 100);
  };
  check();`;

/** In the page: scroll the message list up by a fixed step each frame until the top, with nothing left to load. */
const SCROLL_TO_TOP = `
  const [step] = arguments;
  const list = document.querySelector('[data-testid="message-list"]');
  const state = (window.__scroll = { done: false, frames: [], started: performance.now(), seen: 0 });
  const seen = new Set();
  let last = performance.now();
  let still = 0;
  const tick = (now) => {
    state.frames.push(now - last);
    last = now;
    for (const m of document.querySelectorAll('[data-testid="message"]')) seen.add(m.dataset.id);
    state.seen = seen.size;
    const older = !!document.querySelector('[data-testid="loading-older"]');
    if (list.scrollTop <= 0 && !older) {
      // At the top with nothing more to load, for a few frames in a row.
      if (++still >= 5) {
        state.frames.splice(-5);
        state.ms = now - state.started;
        state.done = true;
        return;
      }
    } else {
      still = 0;
    }
    list.scrollTop = Math.max(0, list.scrollTop - step);
    if (!state.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame((now) => {
    last = now;
    requestAnimationFrame(tick);
  });`;

async function historyPart(gatewayUrl) {
  const dataDir = freshDataDir();
  const messages = longConversation(TURNS, CHARS);
  const seeded = seed(dataDir, { conversations: [{ title: `${TURNS} turns about Rust`, messages }] });
  const { id } = seeded.conversations[0];
  const chars = messages.reduce((n, m) => n + m.content.length, 0);
  const marker = `End of turn ${TURNS}.`;
  const app = await openIdle(setUpDataDir(dataDir, gatewayUrl));
  try {
    const { driver, tag, idleFrames, idlePss } = app;
    const opened = await driver.executeAsyncScript(OPEN_CONVERSATION, id, marker);
    if (opened.error) throw new Error(opened.error);
    await sleep(3_000);
    // The window's first paint once the last message was in the page.
    const [shownPaint] = paintsBetween(app.frameLog, fromEpoch(opened.shown), Infinity);
    const openMs = shownPaint === undefined ? NaN : (shownPaint - fromEpoch(opened.clicked)) / 1000;
    const openPss = pss(tag);
    const messagesShown = (await driver.findElements(By.css('[data-testid="message"]'))).length;

    await driver.executeScript(SCROLL_TO_TOP, STEP_PX);
    const deadline = Date.now() + SCROLL_LIMIT_S * 1000;
    while (!(await driver.executeScript('return window.__scroll.done')) && Date.now() < deadline) await sleep(1_000);
    const scrolled = await driver.executeScript(
      `window.__scroll.stop = true;
       const first = [...document.querySelectorAll('[data-testid="message"]')].some((m) => m.textContent.includes('Question 1: how'));
       const collections = performance.getEntriesByName('foxtail:collect').filter((e) => e.startTime >= window.__scroll.started).map((e) => e.duration);
       return { ...window.__scroll, first, origin: performance.timeOrigin, collections };`,
    );
    const scrollStart = fromEpoch(scrolled.origin + scrolled.started);
    const scrollFrames = {
      updates: scrolled.frames,
      painted: intervals(paintsBetween(app.frameLog, scrollStart, scrolled.done ? scrollStart + scrolled.ms * 1000 : Infinity)),
    };
    const scrollPss = pss(tag);
    // The rows scrolled out went from the page: the page asks for a collection once the
    // scrolling has stopped for a moment (ui/src/lib/memory.ts).
    const settledRows = await settled(app, '+100 MB');
    say([
      `${TURNS}-turn conversation: ${messages.length} messages, ${chars} characters of Markdown (code blocks, tables)`,
      ['  idle', `${describe(idleFrames.updates)}; PSS ${mb(idlePss)}`],
      [
        '  click to last message painted',
        `${openMs.toFixed(0)} ms (target ≤ 300 ms; the page's next update began ${opened.ms.toFixed(0)} ms after it); ${messagesShown} messages in the page`,
      ],
      ['  PSS with it open', `${mb(openPss)} (${plus(openPss, idlePss)}; target ≤ +100 MB)`],
      [
        `  scrolling to the top, ${STEP_PX} px a frame`,
        '',
      ],
      ...painted(scrollFrames, idleFrames),
      [
        '',
        scrolled.done
          ? `took ${(scrolled.ms / 1000).toFixed(1)} s; ${scrolled.seen} of ${messages.length} messages passed, the first one shown at the top: ${scrolled.first ? 'yes' : 'no'}`
          : `stopped after ${SCROLL_LIMIT_S} s without reaching the top (${scrolled.seen} of ${messages.length} messages passed)`,
      ],
      [
        '',
        scrolled.collections.length
          ? `the page collected ${scrolled.collections.length} times on the way: p50 ${median(scrolled.collections).toFixed(0)} ms, longest ${Math.max(...scrolled.collections).toFixed(0)} ms`
          : 'the page did not collect on the way',
      ],
      ['  PSS after scrolling to the top', `${mb(scrollPss)} (${plus(scrollPss, idlePss)})`],
      ...settledRows,
    ]);
  } finally {
    await app.close();
  }
}

/** In the page: the document's CodeMirror view (from its DOM, as EditorView.findFromDOM does). */
const VIEW = `const view = document.querySelector('[data-testid="document-view"] .cm-content').cmTile.root.view;`;

/** In the page: where the model writes (after a paragraph in the middle) and where the person types (a paragraph above). */
const PLACES = `${VIEW}
  const text = view.state.sliceDoc();
  const streamAt = text.indexOf('\\n\\n', Math.floor(text.length / 2));
  const typeAt = text.lastIndexOf('\\n\\n', streamAt - 1);
  view.dispatch({ selection: { anchor: streamAt }, scrollIntoView: true });
  window.__places = { streamAt, typeAt, chars: text.length };
  return { streamAt, typeAt, chars: text.length };`;

/**
 * With --probe, in the page: times the editor's changes (a take of the draft, a key, or
 * other), animation frames and timers, each as [start on the epoch clock, ms, kind, name].
 * performance.now() is rounded to 1 ms in WebKitGTK, so only spans of 1 ms or more count.
 */
const PROBE = values.probe
  ? `{
    const P = (window.__probe = { spans: [] });
    const timed = (kind, name, fn, self, args) => {
      const t = performance.now();
      try {
        return fn.apply(self, args);
      } finally {
        const d = performance.now() - t;
        if (d >= 1) P.spans.push([performance.timeOrigin + t, d, kind, name]);
      }
    };
    const dispatch = view.dispatch;
    view.dispatch = function (...args) {
      const a = args[0];
      const kind = a?.startState ? (a.isUserEvent?.('input') ? 'key' : 'other') : a?.changes ? 'take' : 'effects';
      return timed('change', kind, dispatch, this, args);
    };
    const frame = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => frame((ts) => timed('frame', cb.name || '?', cb, null, [ts]));
    const timer = window.setTimeout.bind(window);
    window.setTimeout = (cb, delay, ...rest) =>
      typeof cb === 'function' ? timer((...a) => timed('timer', (cb.name || '?') + ' after ' + (delay ?? 0) + ' ms', cb, null, a), delay, ...rest) : timer(cb, delay, ...rest);
  }`
  : '';

/** What --probe saw while the draft streamed: script by kind, and around each slow key. */
function probeLines(probe, keys) {
  const byName = new Map();
  for (const [, d, kind, name] of probe.spans) {
    const entry = byName.get(`${kind} ${name}`) ?? { n: 0, total: 0, max: 0 };
    entry.n++;
    entry.total += d;
    entry.max = Math.max(entry.max, d);
    byName.set(`${kind} ${name}`, entry);
  }
  const kinds = [...byName]
    .sort((a, b) => b[1].total - a[1].total)
    .slice(0, 8)
    .map(([name, e]) => ['', `${name}: ${e.n}, ${e.total.toFixed(0)} ms in all, longest ${e.max.toFixed(0)} ms`]);
  const slow = keys
    .filter((k) => k.ms > 25)
    .map((k) => {
      const around = probe.spans
        .filter(([t, d]) => t + d > k.key && t < k.key + k.ms)
        .map(([t, d, kind, name]) => `${kind} ${name} ${d.toFixed(0)} ms at ${(t - k.key).toFixed(0)}`);
      return ['', `key painted after ${k.ms.toFixed(1)} ms: ${around.join(', ') || 'no script'}`];
    });
  return [['  probe, while the draft streams', ''], ...kinds, ...slow];
}

/**
 * In the page: the cursor goes to the typing place, near the top of the editor, and every
 * printable key's time to paint is recorded: from the key event to the frame after the
 * one in which the cursor has moved past the new character (the document holds it and
 * the view drew it), i.e. once it has painted.
 */
const TYPE_HERE = `${VIEW}
  if (!window.__probe) { ${PROBE} } else window.__probe.spans = [];
  const done = arguments[arguments.length - 1];
  const { streamAt, typeAt } = window.__places;
  view.focus();
  view.dispatch({ selection: { anchor: typeAt } });
  view.scrollDOM.scrollTop = view.lineBlockAt(typeAt).top - 80;
  window.__keys = { paint: [], at: [], lost: 0, late: 0 };
  window.__onKey = (event) => {
    if (event.key.length !== 1) return;
    const now = performance.now();
    // Event.timeStamp is on the page's clock (performance.now() is rounded to 1 ms in
    // WebKitGTK, the time stamp is not); fall back to the handler's time otherwise.
    const t0 = event.timeStamp > 0 && event.timeStamp <= now + 1 ? Math.min(event.timeStamp, now) : now;
    if (t0 === now) window.__keys.late++;
    const head = view.state.selection.main.head;
    let frames = 0;
    const check = () => {
      if (view.state.selection.main.head !== head) {
        window.__keys.at.push({ key: performance.timeOrigin + t0, shown: performance.timeOrigin + performance.now() });
        requestAnimationFrame(() => window.__keys.paint.push(performance.now() - t0));
      }
      else if (++frames > 120) window.__keys.lost++;
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };
  window.addEventListener('keydown', window.__onKey, true);
  const inView = (pos) => {
    const box = view.coordsAtPos(pos);
    const area = view.scrollDOM.getBoundingClientRect();
    return !!box && box.top >= area.top && box.bottom <= area.bottom;
  };
  requestAnimationFrame(() => requestAnimationFrame(() => done({ bothInView: inView(typeAt) && inView(streamAt + 1) })));`;

/** How long the part types with nothing streaming, for the keys' own cost in the document. */
const QUIET_TYPING_MS = 5_000;

/**
 * Types a key every 20 ms (and as fast as WebDriver takes them) at the place TYPE_HERE
 * set up, while `going()` says so; returns how many were typed.
 */
async function typeWhile(driver, going) {
  let typed = 0;
  while (await going()) {
    await driver.actions({ async: true }).sendKeys(typed % 10 === 9 ? ' ' : 'x').perform();
    typed++;
    await sleep(20);
  }
  return typed;
}

/** Each key TYPE_HERE saw, timed to the window's first paint once the editor held it. */
async function keysTyped(app, typed) {
  await sleep(500); // the last keys' frames
  const keys = await app.driver.executeScript(
    "window.removeEventListener('keydown', window.__onKey, true); return window.__keys;",
  );
  const windowPaints = paintsBetween(app.frameLog, 0, Infinity);
  const timed = keys.at.flatMap(({ key, shown }) => {
    const paint = windowPaints.find((t) => t >= fromEpoch(shown));
    return paint === undefined ? [] : [{ key, ms: (paint - fromEpoch(key)) / 1000 }];
  });
  return { keyToPaint: timed.map((k) => k.ms), keys: timed, paint: keys.paint, typed, lost: keys.lost, late: keys.late };
}

const keysLine = ({ keyToPaint, paint, typed, lost, late }) =>
  keyToPaint.length
    ? `p50 ${ms(percentile(keyToPaint, 50))}, p95 ${ms(percentile(keyToPaint, 95))} (target < 30 ms; ` +
      `to the page's next update: p95 ${ms(percentile(paint, 95))}); ` +
      `${keyToPaint.length} of ${typed} keys${lost ? `, ${lost} never shown` : ''}${late ? `, ${late} timed from the handler` : ''}` +
      `${typed < 50 ? ' (fewer than 50: the window took keys no faster)' : ''}`
    : `no key painted (${typed} sent)`;

async function draftingPart(gatewayUrl, draft, words) {
  const dataDir = freshDataDir();
  const doc = makeDocument(words);
  const seeded = seed(dataDir, { documents: [{ title: `${words} words`, content: doc }] });
  const { id } = seeded.documents[0];
  const app = await openIdle(setUpDataDir(dataDir, gatewayUrl));
  try {
    const { driver, tag, idleFrames, idlePss } = app;
    await (await byTestId(driver, 'documents')).click();
    const row = await located(driver, By.css(`[data-testid="document"][data-id="${id}"] .conversation-link`));
    const clicked = performance.now();
    await row.click();
    await driver.wait(
      async () =>
        driver.executeScript(
          `return !!document.querySelector('[data-testid="document-view"][data-id="${id}"] .cm-content') &&
                  !document.querySelector('[data-testid="ai-run"]')?.disabled`,
        ),
      60_000,
      'the document opened',
    );
    const openMs = performance.now() - clicked;
    await sleep(3_000); // the background parser settles, as it would while a person reads
    const openPss = pss(tag);

    // Typing with nothing streaming: what a key costs in this document by itself.
    await driver.executeScript(PLACES);
    await driver.executeAsyncScript(TYPE_HERE);
    const until = Date.now() + QUIET_TYPING_MS;
    const alone = await keysTyped(app, await typeWhile(driver, async () => Date.now() < until));
    // The draft goes in the middle of the document as it now is.
    const places = await driver.executeScript(PLACES);
    await (await byTestId(driver, 'ai-prompt')).sendKeys('Write five thousand words here');

    let view = null;
    let streamedS = 0;
    let typed = 0;
    const streamFrames = await frames(app, async () => {
      const started = performance.now();
      await (await byTestId(driver, 'ai-run')).click();
      await byTestId(driver, 'pending-bar', 30_000);
      view = await driver.executeAsyncScript(TYPE_HERE);
      // (null: the bar was being re-rendered while read)
      const streaming = async () => [null, 'streaming'].includes(await read(driver, '[data-testid="pending-bar"]', 'data-status'));
      const deadline = Date.now() + 10 * 60_000;
      typed = await typeWhile(driver, async () => (await streaming()) && Date.now() < deadline);
      streamedS = (performance.now() - started) / 1000;
    });
    const typing = await keysTyped(app, typed);
    const probe = PROBE ? await driver.executeScript('return window.__probe;') : null;
    const status = await read(driver, '[data-testid="pending-bar"]', 'data-status');
    // What the model wrote: the document grew by it and by what was typed (the cursor moved past that).
    const written = await driver.executeScript(
      `${VIEW} const { typeAt, chars } = window.__places; return view.state.doc.length - chars - (view.state.selection.main.head - typeAt);`,
    );
    const afterPss = pss(tag);
    const settledRows = await settled(app);
    say([
      `"Write here" into a ${words}-word document (${places.chars} characters): ${DRAFT_WORDS} words at ${WORD_RATE} words/s`,
      ['  idle', `${describe(idleFrames.updates)}; PSS ${mb(idlePss)}`],
      ['  document open', `clicked to editable in ${openMs.toFixed(0)} ms; PSS ${mb(openPss)} (${plus(openPss, idlePss)})`],
      ['  while the draft streams', ''],
      ...painted(streamFrames, idleFrames),
      [
        '',
        `took ${streamedS.toFixed(1)} s from the click (${(DRAFT_WORDS / streamedS).toFixed(0)} words/s), ended ${status}, ` +
          `${written} of ${draft.length} characters written; typing and stream both in view: ${view?.bothInView ? 'yes' : 'no'}`,
      ],
      ['  keypress to paint, nothing streaming', keysLine(alone)],
      ['  keypress to paint, typing meanwhile', keysLine(typing)],
      ...(probe ? probeLines(probe, typing.keys) : []),
      ['  PSS right after the draft', `${mb(afterPss)} (${plus(afterPss, idlePss)})`],
      ...settledRows,
    ]);
  } finally {
    await app.close();
  }
}

// Cold start: both apps are started by the same function, the same way.

/** The tags of the windows startWindow opened and has not closed. */
const openTags = new Set();
alsoStop(() => openTags.forEach(killTagged));

/** Milliseconds since boot (the clock /proc/PID/stat's start times are on) at `epochMs`. */
function bootTime(epochMs) {
  // /proc/uptime has 10 ms steps: the smallest offset seen is the closest.
  let offset = Infinity;
  for (let i = 0; i < 30; i++) {
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;
    offset = Math.min(offset, Date.now() - uptime);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3);
  }
  return epochMs - offset;
}
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** The start of the process running `binary` for `tag`, in ms since boot (10 ms steps). */
function processStart(binary, tag) {
  const real = realpathSync(binary);
  for (const pid of taggedPids(tag)) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) !== real) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[19]) * 1000) / CLK_TCK; // field 22, starttime
    } catch {
      // gone
    }
  }
  throw new Error(`no ${binary} process for this launch`);
}

/**
 * In the page, run by WebDriver as soon as the session is up (WebDriver waits for the
 * page's load first): when page loading began (performance.timeOrigin), the page's first
 * contentful paint (the Paint Timing API's record of the first frame with content in
 * it), and the first frame with the screen's element in it once painted (the start of
 * the frame after it; when the element was there before the script ran, that frame is
 * only an upper bound). All on the page's clock, as ms since the Unix epoch.
 */
const FIRST_PAINT = `
  const [selector, done] = arguments;
  const there = !!document.querySelector(selector);
  const check = () => {
    if (!document.querySelector(selector)) return requestAnimationFrame(check);
    requestAnimationFrame(() => {
      const fcp = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
      done({
        origin: performance.timeOrigin,
        contentful: fcp ? performance.timeOrigin + fcp.startTime : null,
        shown: performance.timeOrigin + performance.now(),
        there,
        // The page's own steps, in ms after it began to load: its HTML parsed, its
        // scripts run (a module script runs before DOMContentLoaded ends).
        steps: (() => {
          const nav = performance.getEntriesByType('navigation')[0];
          return nav ? { parsed: nav.domInteractive, ran: nav.domContentLoadedEventEnd } : null;
        })(),
      });
    });
  };
  requestAnimationFrame(check);`;

/** Starts `binary` through tauri-driver as launchApp does, and times its first painted screen. */
async function startWindow(binary, dataDir, selector, env = {}) {
  const [port, nativePort] = await freePorts(2);
  const tag = `foxtail-bench-${process.pid}-${randomUUID()}`;
  openTags.add(tag);
  const logPath = join(work, `tauri-driver-${tag}.log`);
  const log = openSync(logPath, 'a');
  const driverProcess = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    stdio: ['ignore', log, log],
    detached: true,
    env: {
      ...process.env,
      FOXTAIL_DATA_DIR: dataDir,
      FOXTAIL_KEYRING_SERVICE: `foxtail-bench-${process.pid}`,
      FOXTAIL_E2E_TAG: tag,
      ...env,
    },
  });
  driverProcess.once('error', () => {});
  const stop = () => {
    try {
      if (driverProcess.pid) process.kill(-driverProcess.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    killTagged(tag);
    openTags.delete(tag);
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await fetch(`http://127.0.0.1:${port}/status`, { signal: AbortSignal.timeout(2_000) });
        break;
      } catch (err) {
        if (driverProcess.exitCode !== null || Date.now() > deadline) {
          // The log is in the temporary folder, removed at exit: its end goes with the error.
          throw new Error(`tauri-driver did not answer: ${err}\n${readFileSync(logPath, 'utf8').slice(-2_000)}`);
        }
        await sleep(50);
      }
    }
    const driver = await new Builder()
      .usingServer(`http://127.0.0.1:${port}/`)
      .withCapabilities({ browserName: 'wry', 'tauri:options': { application: binary } })
      .build();
    const close = async () => {
      try {
        await Promise.race([driver.quit(), sleep(10_000)]);
      } finally {
        stop();
      }
    };
    try {
      const seen = await driver.executeAsyncScript(FIRST_PAINT, selector);
      const start = processStart(binary, tag);
      const shownMs = bootTime(seen.shown) - start;
      return {
        driver,
        tag,
        close,
        loadStartMs: bootTime(seen.origin) - start,
        // Without the Paint Timing API, the first frame seen with the screen in it.
        firstPaintMs: seen.contentful === null ? shownMs : bootTime(seen.contentful) - start,
        shownMs,
        shownBound: seen.there,
        steps: seen.steps && seen.contentful !== null ? { ...seen.steps, contentful: seen.contentful - seen.origin } : null,
      };
    } catch (err) {
      await close();
      throw err;
    }
  } catch (err) {
    stop();
    throw err;
  }
}

/** The environment a launch's web process was started with. */
function webProcessEnv(tag) {
  const web = taggedProcesses(tag).find((p) => p.comm === 'WebKitWebProces');
  if (!web) throw new Error('no web process for this launch');
  const entries = web.environ.filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

async function startPart(gatewayUrl) {
  const foxtailDir = setUpDataDir(freshDataDir(), gatewayUrl);
  const emptyDir = freshDataDir();
  const apps = [
    { name: 'Foxtail', binary: APP, dir: foxtailDir, selector: '[data-testid="composer"]', runs: [], env: {} },
    { name: 'empty Tauri window', binary: EMPTY, dir: emptyDir, selector: '#empty', runs: [], env: {} },
    // Foxtail chooses how WebKit paints and gives memory back on this machine (rendering.rs):
    // what its web process has in its environment and the empty window's does not.
    { name: '  the same, painted as Foxtail', binary: EMPTY, dir: freshDataDir(), selector: '#empty', runs: [], env: null },
  ];
  const webEnvs = [];
  // One warm-up start each (it makes the data folder's files), then turn about.
  for (let round = 0; round <= STARTS; round++) {
    for (const app of apps) {
      if (app.env === null) {
        const [foxtail, empty] = webEnvs;
        app.env = Object.fromEntries(Object.entries(foxtail).filter(([name]) => !(name in empty)));
      }
      const started = await startWindow(app.binary, app.dir, app.selector, app.env);
      try {
        if (webEnvs.length < 2) webEnvs.push(webProcessEnv(started.tag));
        await sleep(Math.max(0, 10_000 - started.firstPaintMs));
        const idle = pss(started.tag);
        // Marks the page set on its way to the first screen, each where it was first set.
        const marks = Object.fromEntries(
          (await started.driver.executeScript(`return performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])`))
            .reverse(),
        );
        if (round > 0) app.runs.push({ ...started, idle, marks });
      } finally {
        await started.close();
      }
    }
  }
  const seconds = (value) => `${(value / 1000).toFixed(2)} s`;
  const figures = apps.map((app) => ({
    first: median(app.runs.map((r) => r.firstPaintMs)),
    load: median(app.runs.map((r) => r.loadStartMs)),
    shown: median(app.runs.map((r) => r.shownMs)),
    bound: app.runs.some((r) => r.shownBound),
    idle: median(app.runs.map((r) => r.idle)),
    all: app.runs.map((r) => (r.firstPaintMs / 1000).toFixed(2)).join(', '),
    steps: app.runs.every((r) => r.steps)
      ? ['parsed', 'ran', 'contentful'].map((step) => median(app.runs.map((r) => r.steps[step])).toFixed(0)).join(', ')
      : null,
    marks: [...new Set(app.runs.flatMap((r) => Object.keys(r.marks)))]
      .map((name) => [name, median(app.runs.filter((r) => name in r.marks).map((r) => r.marks[name]))])
      .sort((a, b) => a[1] - b[1])
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
      .join(', '),
  }));
  const [foxtail, empty, emptyAlike] = figures;
  say([
    `cold start, the median of ${STARTS} starts after a warm-up start each: from the app process's start (its`,
    `kernel start time, 10 ms steps) to the page's first contentful paint (Paint Timing API), and to the first`,
    `frame with the screen in it (Foxtail's composer, the empty page's line; ≤: it was there before WebDriver`,
    `could look, once the page had loaded); idle PSS 10 s after the start`,
    ...apps.map((app, i) => [
      `  ${app.name}`,
      `first paint ${seconds(figures[i].first)} (${figures[i].all}); page load began at ${seconds(figures[i].load)}, ` +
        `screen shown at ${figures[i].bound ? '≤ ' : ''}${seconds(figures[i].shown)}; idle PSS ${mb(figures[i].idle)}` +
        (figures[i].steps ? `; in the page: HTML parsed, scripts run, first contentful paint at ${figures[i].steps} ms` : '') +
        (figures[i].marks ? `; its marks (ms): ${figures[i].marks}` : ''),
    ]),
    [
      '  Foxtail against the empty window',
      `first paint ${foxtail.first - empty.first >= 0 ? '+' : '−'}${seconds(Math.abs(foxtail.first - empty.first))} ` +
        `(Foxtail's ${seconds(foxtail.first)}: target ≤ 0.5 s); idle PSS ${plus(foxtail.idle, empty.idle)} (target ≤ +40 MB)`,
    ],
    ['', `idle PSS ${plus(foxtail.idle, emptyAlike.idle)} over the empty window painted as Foxtail (${Object.keys(apps[2].env ?? {}).join(', ')})`],
  ]);
}

// ---------------------------------------------------------------------------------------

console.log(`Foxtail in the real window (${APP}), ${new Date().toISOString()}`);
let failed = false;
/** Runs one part; a part that breaks is reported and the others still run. */
async function part(name, run) {
  if (!PARTS.has(name)) return;
  console.log('');
  try {
    await run();
  } catch (err) {
    failed = true;
    console.log(`${name}: could not be measured: ${/** @type {Error} */ (err).stack ?? err}`);
  }
}

const draft = draftText(DRAFT_WORDS);
const draftFile = join(work, 'draft.md');
writeFileSync(draftFile, draft);
// Words/s into events/s: the gateway sends one piece an event.
const draftTps = Math.round((gatewayPieces(draft) * WORD_RATE) / countWords(draft));
const draftGateway = await startGateway(`tokens:${draftTps}:${draftFile}`);
try {
  await part('chat', () => chatPart(TOKENS, RATE));
  await part('slow-chat', () => chatPart(SLOW_TOKENS, SLOW_RATE));
  await part('history', () => historyPart(draftGateway.url));
  for (const words of DOC_WORDS) await part('drafting', () => draftingPart(draftGateway.url, draft, words));
  await part('start', () => startPart(draftGateway.url));
} finally {
  draftGateway.stop();
  stopEverything();
  openTags.forEach(killTagged);
}
if (failed) process.exitCode = 1;
