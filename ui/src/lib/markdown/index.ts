export { createStreamingMarkdown, type StreamingMarkdown, type StreamingMarkdownOptions } from './streaming';
export { default as Markdown } from './Markdown.svelte';
export { setCodeTheme, type CodeTheme } from './codeTheme';
