// The Markdown renderer (markdown-it, KaTeX, highlight.js and DOMPurify) is about half of
// the window's script. The first screen holds no Markdown, so it shows without waiting
// for it: the window asks for it once it has painted, and a message opened before then
// renders when it arrives.
type Renderer = typeof import('./streaming');

let renderer: Renderer | null = null;
let loading: Promise<Renderer> | null = null;

export function loadRenderer(): Promise<Renderer> {
  loading ??= import('./streaming').then((module) => {
    // A mark, so that tests and benchmarks can tell a window that renders Markdown from one
    // that will once its script arrives.
    performance.mark('foxtail:renderer');
    return (renderer = module);
  });
  return loading;
}

/** The renderer if it has loaded, so that a message opened later renders at once. */
export function loadedRenderer(): Renderer | null {
  return renderer;
}
