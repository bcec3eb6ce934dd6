import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// In development the hub runs on port 3000 and Vite serves the app; these paths belong to the hub.
const hubOrigin = 'http://localhost:3000';
const hubPaths = ['/api', '/docs', '/openapi.json', '/healthz'];

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: Object.fromEntries(hubPaths.map((path) => [path, { target: hubOrigin, changeOrigin: false }])),
  },
});
