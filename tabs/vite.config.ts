import { defineConfig } from 'vite';

// The Teams tabs, served by the Ruche server under /tabs/. JSX goes through Vite's own
// transform (automatic runtime), so no React plugin is needed.
export default defineConfig({
  base: '/tabs/',
  root: import.meta.dirname,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      onwarn(warning, warn) {
        // Fluent's "use client" directives mean nothing in a browser bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3978', '/signin': 'http://127.0.0.1:3978' },
  },
});
