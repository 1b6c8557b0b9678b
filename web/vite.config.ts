import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web UI (storefront + admin dashboard): plain TypeScript, built into
 * web/dist, which the service serves (src/serve/plugins/web.ts). `npm run
 * build:web` builds it; `npx vite --config web/vite.config.ts` serves it
 * with hot reload, proxying /api to a running `vitrine shop` on port 3000.
 */
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Admin pages and charts are split into their own chunks, loaded when an admin page opens.
    chunkSizeWarningLimit: 200,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  logLevel: 'warn',
});
