// @ts-check
// axe-core run inside a page, so a test can demand that what a person sees at that
// moment has no accessibility violation. Every rule axe has is on: a screen that needs an
// exception should say so next to the exception, in the test that makes it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
// The minified build: the page gets it as one script, without a module loader.
const source = readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');

/**
 * @typedef {{id: string, impact: string | null, help: string, helpUrl: string,
 *   nodes: {target: unknown[], failureSummary?: string}[]}} Violation
 */

/**
 * The violations axe finds in the whole document, as it is now.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<Violation[]>}
 */
export async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: source });
  // Let a transition or a just-mounted element settle: axe reads computed colours, and
  // a button half-way through fading in would be judged at its half-way colour.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return page.evaluate(async () => {
    // @ts-ignore: injected above
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** One violation per paragraph: rule, impact, what it asks, and each element with why. */
export function describe(/** @type {Violation[]} */ found) {
  return found
    .map((v) => {
      const nodes = v.nodes.map((n) => {
        const why = (n.failureSummary ?? '').split('\n').map((line) => `      ${line}`).join('\n');
        return `    ${JSON.stringify(n.target)}\n${why}`;
      });
      return `${v.id} (${v.impact}): ${v.help}\n${nodes.join('\n')}`;
    })
    .join('\n\n');
}

/**
 * Fails with every violation, readably, when there is any.
 * @param {import('playwright-core').Page} page
 * @param {string} state what the window shows, for the failure message
 */
export async function assertAxeClean(page, state) {
  const found = await violations(page);
  assert.equal(found.length, 0, `axe found violations in ${state}:\n\n${describe(found)}\n`);
}
