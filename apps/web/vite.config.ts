import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard is served by the API server at `/` from apps/web/dist. During development
// (`npm run dev -w @pollybot/web`) Vite serves it and forwards the API to a running server.
const apiServer = process.env.POLLYBOT_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 400 },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: apiServer, changeOrigin: false },
      '/docs': { target: apiServer },
      '/openapi.json': { target: apiServer },
    },
  },
});
