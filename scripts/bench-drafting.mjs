#!/usr/bin/env node
// Benchmark for the drafting editor (ui/src/lib/drafting): a model streams into a
// document while the person types elsewhere in it.
//
// For a 2,000-word and a 100,000-word Markdown document, in headless Chromium: streams
// 5,000 tokens at 1,000 tokens/s as a pending insertion in the middle of the document,
// delivered the way the app's bridge delivers them (whatever arrived, at most once per
// 16 ms), while a key is typed a few lines above every 100 ms. Prints, for each:
//   frame time        requestAnimationFrame intervals during the stream (p50, p95, max)
//   script per token  CDP Performance.getMetrics ScriptDuration over the stream / tokens
//   keypress to paint from the key event to the first frame that shows the character
//                     (the first animation frame after the document holds it, plus the
//                     task after that frame, i.e. once it has painted)
// Targets: frame p95 ≤ 17 ms in both; script per token in the big document ≤ 2× the small
// one; keypress-to-paint p95 < 30 ms. It prints figures and never fails on them.
//
//   node scripts/bench-drafting.mjs [--tokens 5000] [--rate 1000] [--words 2000,100000]
//
// The page is the editor's harness (ui/drafting.html), built by Vite into a temporary
// folder and served on loopback under the app's Content Security Policy. Needs Debian's
// `chromium` (scripts/setup.sh test installs it); it never downloads a browser.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../ui/browser-tests/chromium.mjs';
import { makeDocument } from './bench-document.mjs';

const repo = resolve(fileURLToPath(import.meta.url), '../..');

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '1000' },
    words: { type: 'string', default: '2000,100000' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const tokenCount = Number(values.tokens);
const rate = Number(values.rate);
const sizes = values.words.split(',').map(Number);

// The app's CSP (tauri.conf.json).
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'";

/** What the model writes: Markdown cut into tokens of up to four characters. */
function makeTokens(count) {
  const text = Array.from(
    { length: Math.ceil(count / 30) + 1 },
    (_, i) => `Paragraph ${i} from the model, with **bold** and *italic* words, and a list:\n\n- first point\n- second point\n\n`,
  ).join('');
  return (text.match(/\s*[^\s]{1,4}|\s+/gu) ?? []).slice(0, count);
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.svg': 'image/svg+xml' };

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs in the page: mounts the document, places the cursors, and waits until it is parsed. */
async function prepare(doc) {
  const t0 = performance.now();
  const editor = window.draftingHarness.mount(doc);
  const view = editor.view;
  // The stream goes after a paragraph in the middle; the person types a few lines above.
  const text = view.state.sliceDoc();
  const streamAt = text.indexOf('\n\n', Math.floor(text.length / 2));
  const typeAt = text.lastIndexOf('\n\n', streamAt - 1);
  view.focus();
  view.dispatch({ selection: { anchor: streamAt }, scrollIntoView: true });
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const mountMs = performance.now() - t0;
  // Let the background parser settle, as it would while a person reads. (CodeMirror
  // parses at most 100,000 characters past the viewport, so it may stop short of the end.)
  const started = performance.now();
  let parsed = window.draftingHarness.parsedTo();
  let settledAt = started;
  while (performance.now() - settledAt < 500 && performance.now() - started < 20000) {
    await new Promise((done) => setTimeout(done, 50));
    const now = window.draftingHarness.parsedTo();
    if (now !== parsed) {
      parsed = now;
      settledAt = performance.now();
    }
  }
  const parseMs = settledAt - started;
  view.dispatch({ selection: { anchor: typeAt } });
  // The typing point near the top of the window, the stream point below it.
  for (let i = 0; i < 3; i++) {
    view.scrollDOM.scrollTop = view.lineBlockAt(typeAt).top - 80;
    await new Promise((done) => setTimeout(done, 100));
  }
  const inView = (pos) => {
    const box = view.coordsAtPos(pos);
    return !!box && box.top >= 0 && box.bottom <= window.innerHeight;
  };
  if (!inView(streamAt) || !inView(typeAt)) throw new Error('the stream and the typing are not both in view');
  window.benchStreamAt = streamAt;
  return { mountMs, parseMs, parsed, chars: view.state.doc.length, lines: view.state.doc.lines };
}

/** Runs in the page: streams the tokens, records frames and keypress-to-paint. */
function stream([tokens, rate]) {
  const editor = window.draftingHarness && window.drafting;
  const view = editor.view;
  editor.pending.startPending({ from: window.benchStreamAt, to: window.benchStreamAt, mode: 'insert' });
  const intervals = [];
  const appendMs = [];
  const keyToPaint = [];
  let last = 0;
  let running = true;
  const frame = (now) => {
    if (last) intervals.push(now - last);
    last = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  // Keypress to paint: from the key event until the frame that shows the new character.
  const onKey = (event) => {
    if (event.key.length !== 1) return;
    const t0 = Math.min(event.timeStamp, performance.now());
    const length = view.state.doc.length;
    const check = () => {
      if (view.state.doc.length === length) {
        requestAnimationFrame(check);
        return;
      }
      // The document holds it and the view drew it in this frame: after the frame's
      // rendering, the next task runs.
      setTimeout(() => keyToPaint.push(performance.now() - t0), 0);
    };
    requestAnimationFrame(check);
  };
  window.addEventListener('keydown', onKey, true);

  return new Promise((done) => {
    const start = performance.now();
    let delivered = 0;
    const deliver = () => {
      const due = Math.min(tokens.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      if (due > delivered) {
        const piece = tokens.slice(delivered, due).join('');
        delivered = due;
        const t0 = performance.now();
        editor.pending.appendPending(piece);
        appendMs.push(performance.now() - t0);
      }
      if (delivered < tokens.length) {
        setTimeout(deliver, 16);
        return;
      }
      editor.pending.setPendingStatus('done');
      const streamSeconds = (performance.now() - start) / 1000;
      requestAnimationFrame(() =>
        setTimeout(() => {
          running = false;
          window.removeEventListener('keydown', onKey, true);
          const pending = editor.pending.getPending();
          done({
            streamSeconds,
            intervals,
            appendMs,
            keyToPaint,
            pendingChars: pending ? pending.text.length : -1,
            expectedChars: tokens.join('').length,
          });
        }, 50),
      );
    };
    setTimeout(deliver, 0);
  });
}

async function main() {
  const outDir = mkdtempSync(join(tmpdir(), 'foxtail-bench-drafting-'));
  const profile = mkdtempSync(join(tmpdir(), 'foxtail-bench-profile-'));
  await build({
    configFile: join(repo, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
      rolldownOptions: { input: join(repo, 'ui/drafting.html') },
    },
  });

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(outDir, path === '/' ? 'drafting.html' : path);
    if (!file.startsWith(outDir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();

  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: values.chromium,
    viewport: { width: 1000, height: 800 },
    headless: true,
    args: CHROMIUM_FLAGS,
  });

  const tokens = makeTokens(tokenCount);
  console.log(`stream: ${tokens.length} tokens, ${tokens.join('').length} characters, ${rate} tokens/s; a key typed every 100 ms`);
  const results = [];
  try {
    for (const words of sizes) {
      const doc = makeDocument(words);
      const page = await browser.newPage();
      const problems = [];
      page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('request', (request) => {
        if (!request.url().startsWith(`http://127.0.0.1:${port}/`) && !request.url().startsWith('data:')) {
          problems.push(`unexpected request: ${request.url()}`);
        }
      });
      await page.goto(`http://127.0.0.1:${port}/drafting.html`);
      await page.waitForFunction(() => typeof window.draftingHarness?.mount === 'function');
      const prepared = await page.evaluate(prepare, doc);
      const cdp = await browser.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      const metric = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
      };
      const before = await metric();
      const running = page.evaluate(stream, [tokens, rate]);
      let typing = true;
      let typed = 0;
      const typist = (async () => {
        await new Promise((r) => setTimeout(r, 100));
        while (typing) {
          const t = Date.now();
          await page.keyboard.press('q');
          typed++;
          await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - t))));
        }
      })();
      const result = await running;
      typing = false;
      await typist;
      const after = await metric();
      const delta = (name) => (after[name] ?? 0) - (before[name] ?? 0);
      const frames = [...result.intervals].sort((a, b) => a - b);
      const keys = [...result.keyToPaint].sort((a, b) => a - b);
      const appends = [...result.appendMs].sort((a, b) => a - b);
      const typedInDoc = await page.evaluate(() => window.drafting.getDoc().split('q').length - 1);
      if (result.pendingChars !== result.expectedChars) problems.push(`pending text has ${result.pendingChars} characters, expected ${result.expectedChars}`);
      results.push({
        words,
        ...prepared,
        streamSeconds: result.streamSeconds,
        frames: frames.length,
        frameP50: percentile(frames, 50),
        frameP95: percentile(frames, 95),
        frameMax: frames.at(-1) ?? 0,
        scriptSeconds: delta('ScriptDuration'),
        layoutSeconds: delta('LayoutDuration'),
        styleSeconds: delta('RecalcStyleDuration'),
        taskSeconds: delta('TaskDuration'),
        appends: appends.length,
        appendP50: percentile(appends, 50),
        appendP95: percentile(appends, 95),
        keys: keys.length,
        typed,
        typedInDoc,
        keyP50: percentile(keys, 50),
        keyP95: percentile(keys, 95),
        keyMax: keys.at(-1) ?? 0,
        problems,
      });
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }

  const ms = (value) => `${value.toFixed(1)} ms`;
  for (const r of results) {
    console.log(`\n${r.words.toLocaleString('en')}-word document (${r.chars.toLocaleString('en')} characters, ${r.lines.toLocaleString('en')} lines)`);
    console.log(`  mount            ${ms(r.mountMs)} to the first frame; the background parse then reached ${r.parsed.toLocaleString('en')} characters in ${ms(r.parseMs)}`);
    console.log(`  frame time       p50 ${ms(r.frameP50)}  p95 ${ms(r.frameP95)}  max ${ms(r.frameMax)}  over ${r.frames} frames, ${r.streamSeconds.toFixed(2)} s`);
    console.log(
      `  script           ${(r.scriptSeconds * 1000).toFixed(0)} ms in all, ${((r.scriptSeconds * 1e6) / tokenCount).toFixed(1)} µs per token (layout ${(r.layoutSeconds * 1000).toFixed(0)} ms, style ${(r.styleSeconds * 1000).toFixed(0)} ms, all tasks ${(r.taskSeconds * 1000).toFixed(0)} ms)`,
    );
    console.log(`  appendPending    p50 ${ms(r.appendP50)}  p95 ${ms(r.appendP95)}  over ${r.appends} deliveries`);
    console.log(`  keypress→paint   p50 ${ms(r.keyP50)}  p95 ${ms(r.keyP95)}  max ${ms(r.keyMax)}  over ${r.keys} keys (${r.typed} typed, ${r.typedInDoc} in the document)`);
    if (r.problems.length) console.log(`  PROBLEMS: ${r.problems.slice(0, 5).join(' | ')}`);
  }
  const small = results.find((r) => r.words === Math.min(...sizes));
  const big = results.find((r) => r.words === Math.max(...sizes));
  if (small && big && small !== big) {
    const ratio = big.scriptSeconds / small.scriptSeconds;
    console.log(`\nscript per token, big / small document: ${ratio.toFixed(2)}× (target ≤ 2×)`);
    console.log(`frame p95: ${ms(small.frameP95)} / ${ms(big.frameP95)} (target ≤ 17 ms); keypress→paint p95: ${ms(small.keyP95)} / ${ms(big.keyP95)} (target < 30 ms)`);
  }
  process.exitCode = results.some((r) => r.problems.length) ? 1 : 0;
}

await main();
