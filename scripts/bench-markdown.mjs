#!/usr/bin/env node
// Render benchmark for the streaming Markdown renderer (ui/src/lib/markdown).
//
// Streams a ~21,000-token Markdown answer at 1,000 tokens/s into a page in headless
// Chromium, one update per animation frame with whatever tokens have arrived, and prints
// total script time (CDP Performance.getMetrics ScriptDuration) and frame-time
// percentiles for three ways of showing the answer:
//   incremental  createStreamingMarkdown().update() — what the app uses
//   full         re-render the whole answer each frame with the same pipeline (baseline)
//   raw          append raw text, no Markdown (floor)
//
//   node scripts/bench-markdown.mjs [--modes incremental,full,raw] [--tokens 21000] [--rate 1000]
//
// The page is a production build made by Vite into a temporary folder, served on
// loopback under the app's Content Security Policy. Needs Debian's `chromium`
// (scripts/setup.sh test installs it); it never downloads a browser.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../ui/browser-tests/chromium.mjs';

const repo = resolve(fileURLToPath(import.meta.url), '../..');
const markdownDir = join(repo, 'ui/src/lib/markdown');

const { values } = parseArgs({
  options: {
    modes: { type: 'string', default: 'incremental,full,raw' },
    tokens: { type: 'string', default: '21000' },
    rate: { type: 'string', default: '1000' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const modes = values.modes.split(',');
const targetTokens = Number(values.tokens);
const rate = Number(values.rate);

// The app's CSP (tauri.conf.json), so the bench fails the same way the app would if the
// renderer ever reached for a remote resource or an inline script.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'";

const pageScript = `
import { createStreamingMarkdown, renderMarkdown } from ${JSON.stringify(join(markdownDir, 'streaming.ts'))};
import ${JSON.stringify(join(repo, 'ui/src/styles.css'))};
import ${JSON.stringify(join(markdownDir, 'markdown.css'))};

const options = { openExternal() {}, copyText: async () => {} };

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

window.runBench = (mode, tokens, rate) =>
  new Promise((done) => {
    const container = document.getElementById('answer');
    container.replaceChildren();
    let show;
    let finish = () => {};
    if (mode === 'incremental') {
      const renderer = createStreamingMarkdown(container, options);
      show = (text) => renderer.update(text);
      finish = () => renderer.finish();
    } else if (mode === 'full') {
      show = (text) => container.replaceChildren(renderMarkdown(text));
    } else {
      const node = document.createTextNode('');
      container.style.whiteSpace = 'pre-wrap';
      container.append(node);
      let shown = 0;
      show = (text) => {
        node.appendData(text.slice(shown));
        shown = text.length;
      };
    }

    const intervals = [];
    const work = [];
    let delivered = 0;
    let text = '';
    let start = 0;
    let last = 0;
    function frame(now) {
      if (!start) start = last = now;
      intervals.push(now - last);
      last = now;
      const due = Math.min(tokens.length, Math.floor(((now - start) * rate) / 1000) + 1);
      if (due > delivered) {
        for (let i = delivered; i < due; i++) text += tokens[i];
        delivered = due;
        const t0 = performance.now();
        show(text);
        work.push(performance.now() - t0);
      }
      if (delivered < tokens.length) {
        requestAnimationFrame(frame);
        return;
      }
      const t0 = performance.now();
      finish();
      work.push(performance.now() - t0);
      // Let the last frame paint before reporting.
      requestAnimationFrame(() => {
        intervals.shift();
        const sortedFrames = [...intervals].sort((a, b) => a - b);
        const sortedWork = [...work].sort((a, b) => a - b);
        let matchesOneShot = null;
        if (mode === 'incremental') {
          const probe = document.createElement('div');
          probe.append(renderMarkdown(text));
          matchesOneShot = probe.innerHTML === container.innerHTML;
        }
        done({
          frames: intervals.length,
          updates: work.length,
          streamSeconds: (performance.now() - start) / 1000,
          frameP50: percentile(sortedFrames, 50),
          frameP95: percentile(sortedFrames, 95),
          frameMax: sortedFrames[sortedFrames.length - 1] ?? 0,
          updateP50: percentile(sortedWork, 50),
          updateP95: percentile(sortedWork, 95),
          updateMax: sortedWork[sortedWork.length - 1] ?? 0,
          chars: text.length,
          nodes: container.querySelectorAll('*').length,
          matchesOneShot,
        });
      });
    }
    requestAnimationFrame(frame);
  });
`;

const pageHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="${CSP}" />
    <meta name="color-scheme" content="light dark" />
    <link rel="icon" href="data:," />
    <title>Markdown render benchmark</title>
  </head>
  <body>
    <main class="messages"><article class="message assistant"><div id="answer" class="markdown"></div></article></main>
    <script type="module" src="./bench.js"></script>
  </body>
</html>`;

/** A long, varied answer: every construct the renderer treats specially, repeated. */
function makeAnswer() {
  const fence = '```';
  const section = (n) => `## Part ${n}: streaming without jank

Rendering Markdown while it **streams** means every _token_ must be cheap. Here is why
incremental rendering matters, with \`inline code\`, a [reference link](https://example.com/docs/${n})
and some ~~struck~~ text. 한국어 문단도 섞어 봅니다: 스트리밍 중에도 화면이 부드럽게 움직여야 합니다 🦊.

1. Parse only the unfinished tail.
2. Freeze finished blocks, and never touch them again.
   - nested detail one
   - nested detail two
3. Sanitize every piece before it reaches the page.

${fence}ts
export function fib${n}(k: number): number {
  // iterative, so the stack never grows
  let [a, b] = [0, 1];
  for (let i = 0; i < k; i++) [a, b] = [b, a + b];
  return a;
}

console.log(fib${n}(${n % 40}));
${fence}

| Approach | Cost per token | Notes |
|----------|---------------:|-------|
| Full re-render | O(n) | simple, slow |
| Incremental | O(tail) | this renderer |
| Raw text | O(1) | no formatting |

> A quote from the docs: the cost of one token must not grow
> with the length of the answer.

The energy is $E = mc^2$, and the sum is

$$
\\sum_{i=1}^{${n}} i = \\frac{${n}(${n}+1)}{2}
$$

${fence}python
def mean(values):
    """Average of a non-empty list."""
    return sum(values) / len(values)
${fence}

- A bullet with **bold** and *italic*.
- Another bullet with a bare URL https://example.org/${n}.

`;
  const tokenize = (text) => text.match(/\s*[^\s]{1,4}|\s+/gu) ?? [];
  let answer = '# A long answer\n\n';
  let n = 1;
  while (tokenize(answer).length < targetTokens) answer += section(n++);
  return tokenize(answer).slice(0, targetTokens);
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.svg': 'image/svg+xml' };

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'foxtail-bench-'));
  const profile = mkdtempSync(join(tmpdir(), 'foxtail-bench-profile-'));
  const outDir = join(work, 'dist');
  writeFileSync(join(work, 'index.html'), pageHtml);
  writeFileSync(join(work, 'bench.js'), pageScript);
  await build({
    configFile: false,
    root: work,
    logLevel: 'warn',
    build: { outDir, target: 'safari15', emptyOutDir: true, reportCompressedSize: false, chunkSizeWarningLimit: 4096 },
  });

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(outDir, path === '/' ? 'index.html' : path);
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

  // A persistent context is how Playwright takes a fresh --user-data-dir.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: values.chromium,
    viewport: { width: 1000, height: 800 },
    headless: true,
    args: CHROMIUM_FLAGS,
  });

  const tokens = makeAnswer();
  console.log(`answer: ${tokens.length} tokens, ${tokens.join('').length} characters, ${rate} tokens/s`);
  const results = {};
  try {
    for (const mode of modes) {
      const page = await browser.newPage();
      const problems = [];
      page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
      page.on('pageerror', (error) => problems.push(String(error)));
      page.on('request', (request) => {
        if (!request.url().startsWith(`http://127.0.0.1:${port}/`) && !request.url().startsWith('data:')) {
          problems.push(`unexpected request: ${request.url()}`);
        }
      });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => typeof window.runBench === 'function');
      const cdp = await browser.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      const metric = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
      };
      const before = await metric();
      const result = await page.evaluate(([m, t, r]) => window.runBench(m, t, r), [mode, tokens, rate]);
      const after = await metric();
      const delta = (name) => (after[name] ?? 0) - (before[name] ?? 0);
      results[mode] = {
        ...result,
        scriptSeconds: delta('ScriptDuration'),
        layoutSeconds: delta('LayoutDuration'),
        styleSeconds: delta('RecalcStyleDuration'),
        taskSeconds: delta('TaskDuration'),
        problems,
      };
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }

  const ms = (value) => `${value.toFixed(1)} ms`;
  const s = (value) => `${value.toFixed(2)} s`;
  for (const [mode, r] of Object.entries(results)) {
    console.log(`\n${mode}`);
    console.log(`  script time      ${s(r.scriptSeconds)}  (layout ${s(r.layoutSeconds)}, style ${s(r.styleSeconds)}, all tasks ${s(r.taskSeconds)})`);
    console.log(`  frame time       p50 ${ms(r.frameP50)}  p95 ${ms(r.frameP95)}  max ${ms(r.frameMax)}  over ${r.frames} frames, ${s(r.streamSeconds)}`);
    console.log(`  work per update  p50 ${ms(r.updateP50)}  p95 ${ms(r.updateP95)}  max ${ms(r.updateMax)}  over ${r.updates} updates`);
    console.log(`  final DOM        ${r.nodes} elements for ${r.chars} characters${r.matchesOneShot === null ? '' : `, identical to a one-shot render: ${r.matchesOneShot}`}`);
    if (r.problems.length) console.log(`  PROBLEMS: ${r.problems.slice(0, 5).join(' | ')}`);
  }
  if (results.incremental && results.full) {
    const ratio = results.incremental.scriptSeconds / results.full.scriptSeconds;
    console.log(`\nincremental script time is ${(ratio * 100).toFixed(1)}% of the full re-render baseline`);
  }
  const failed = Object.values(results).some((r) => r.problems.length || r.matchesOneShot === false);
  process.exitCode = failed ? 1 : 0;
}

await main();
