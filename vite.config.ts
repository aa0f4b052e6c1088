import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app (src/web) is built into dist/web and served by the API server itself: one origin, no
 * second server. JSX compiles for Preact without a plugin; nothing is loaded from outside the server
 * (air-gapped networks), and no script is inlined (the Content-Security-Policy forbids it).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // The polyfill would be an inline script; every browser we support has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
