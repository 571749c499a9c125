/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` serves the UI on :5173 and passes the API to a running `threadline serve`
// (THREADLINE_API overrides where), so the page talks to the same origin in development and production.
const api = process.env.THREADLINE_API ?? 'http://127.0.0.1:16686';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    // Hashed file names under /assets/ let the server cache them for a year.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': api,
      '/metrics': api,
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
