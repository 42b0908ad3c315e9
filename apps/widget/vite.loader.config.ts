import { defineConfig } from 'vite';

// widget.js, the loader a site embeds: one classic script (an IIFE, no imports) of a few kilobytes. It runs
// after the panel's build (vite.config.ts) and adds to the same dist/.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    copyPublicDir: false,
    lib: {
      entry: 'src/loader/widget.ts',
      formats: ['iife'],
      name: 'PollyBotLoader',
      fileName: () => 'widget.js',
    },
    minify: true,
  },
});
