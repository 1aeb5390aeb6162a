// Builds the renderer: `npx vite build --config renderer/vite.config.ts` writes dist/renderer,
// loadable from file:// in Electron (relative base) and over HTTP in web mode.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline scripts or eval: the CSP in index.html allows only 'self'.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
