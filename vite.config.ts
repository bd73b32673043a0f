import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The Tauri CLI expects the dev server on a fixed port (tauri.conf.json's devUrl).
export default defineConfig({
  root: 'ui',
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, host: '127.0.0.1' },
  // Tauri's WebKitGTK on Debian 12 and macOS's WKWebView both handle Safari 15 output.
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true },
  // Component tests mount Svelte in jsdom, which needs the browser build of Svelte.
  ...(process.env.VITEST ? { resolve: { conditions: ['browser'] } } : {}),
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
