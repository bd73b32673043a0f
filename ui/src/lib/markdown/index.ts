export type { StreamingMarkdown, StreamingMarkdownOptions } from './streaming';
export { loadRenderer } from './renderer';
export { default as Markdown } from './Markdown.svelte';
export { setCodeTheme, type CodeTheme } from './codeTheme';
export { default as LinkDialog } from './LinkDialog.svelte';
