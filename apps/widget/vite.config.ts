import { defineConfig } from 'vite';

// The panel: frame.html and its hashed script and stylesheet in dist/assets/, served by the server at
// /widget/frame (and /widget/preview) with `script-src 'self'; style-src 'self'`, so nothing is inlined.
// The loader (widget.js) is the second build, vite.loader.config.ts, which keeps this dist/.
export default defineConfig({
  base: '/widget/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: { input: 'frame.html' },
  },
});
