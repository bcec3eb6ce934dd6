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
    // The libraries (React, its router) change far less often than the app: a chunk of their own stays in the
    // browser's cache from one release of the hub to the next.
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'libraries', test: /[\\/]node_modules[\\/]/ }] } },
    },
  },
  server: {
    proxy: Object.fromEntries(hubPaths.map((path) => [path, { target: hubOrigin, changeOrigin: false }])),
  },
});
