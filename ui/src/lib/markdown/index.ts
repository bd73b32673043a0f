export { createStreamingMarkdown, type StreamingMarkdown, type StreamingMarkdownOptions } from './streaming';
export { default as Markdown } from './Markdown.svelte';
export { setCodeTheme, type CodeTheme } from './codeTheme';
export { default as LinkDialog } from './LinkDialog.svelte';
