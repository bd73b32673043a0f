// @vitest-environment node
// The first screen waits for the script it needs and nothing more: the Markdown renderer
// (markdown-it, highlight.js, KaTeX; about half a megabyte) is loaded once that screen has
// painted (lib/markdown/renderer.ts). One static import of a module that reaches it put it
// all back into the first script, and the real window's first paint came about 0.1 s later
// (README, cold start).
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

const RENDERER = ['markdown-it', 'highlight.js', 'katex'];
const config = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));

async function chunks(): Promise<Rolldown.OutputChunk[]> {
  const result = await build({ configFile: config, logLevel: 'silent', build: { write: false, reportCompressedSize: false } });
  const outputs = Array.isArray(result) ? result : [result];
  return outputs.flatMap((out) => ('output' in out ? out.output : [])).filter((c): c is Rolldown.OutputChunk => c.type === 'chunk');
}

/** The chunk and every chunk it imports statically: what loads before it runs. */
function loadedWith(entry: Rolldown.OutputChunk, all: Rolldown.OutputChunk[]): Rolldown.OutputChunk[] {
  const byName = new Map(all.map((c) => [c.fileName, c]));
  const seen = new Map<string, Rolldown.OutputChunk>();
  const visit = (chunk: Rolldown.OutputChunk): void => {
    if (seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const name of chunk.imports) {
      const next = byName.get(name);
      if (next) visit(next);
    }
  };
  visit(entry);
  return [...seen.values()];
}

/** The renderer's package a module is script of (its code colours, a few kilobytes of CSS, are wanted at once). */
const packageOf = (id: string) => (/\.css(\?|$)/.test(id) ? undefined : RENDERER.find((name) => id.includes(`/node_modules/${name}/`)));

describe("the first screen's script", () => {
  it('holds no part of the Markdown renderer, which still comes in a chunk of its own', async () => {
    const all = await chunks();
    const entry = all.find((c) => c.isEntry);
    expect(entry).toBeDefined();
    const first = loadedWith(entry!, all).flatMap((c) => c.moduleIds);
    expect(first.map(packageOf).filter(Boolean)).toEqual([]);
    const later = all.flatMap((c) => c.moduleIds);
    expect(RENDERER.filter((name) => !later.some((id) => packageOf(id) === name))).toEqual([]);
  }, 60_000);
});
