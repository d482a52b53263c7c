import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const boot = path.join(import.meta.dirname, 'src/boot.tsx');
const entry = path.join(import.meta.dirname, 'src/main.tsx');
/** The modules of the entry (main.tsx and what it imports), known once the graph is built. */
const inEntry = new Set<string>();

/**
 * index.html preloads the app's chunks (boot.tsx and its static imports) beside the small
 * entry, so that they download while the entry has already started the home feed's request;
 * the chunks of lazy pages, menus, the composer or the charts are not preloaded.
 */
function preloadBoot(): Plugin {
  let base = '/';
  return {
    name: 'ruche-preload-boot',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    buildEnd() {
      // The entry (index.html, main.tsx) imports a few small modules only (no package index), so following its imports is exact.
      inEntry.clear();
      const stack = [...this.getModuleIds()].filter((id) => id !== boot && this.getModuleInfo(id)?.isEntry);
      while (stack.length > 0) {
        const id = stack.pop()!;
        if (inEntry.has(id)) continue;
        inEntry.add(id);
        stack.push(...(this.getModuleInfo(id)?.importedIds ?? []));
      }
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const bundle = context.bundle;
        if (!bundle) return undefined;
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const byName = new Map(chunks.map((c) => [c.fileName, c]));
        const main = chunks.find((c) => c.facadeModuleId === entry || c.moduleIds.includes(entry));
        const booted = chunks.find((c) => c.facadeModuleId === boot);
        if (!main || !booted) throw new Error('ruche-preload-boot: the entry or boot chunk is missing');
        const walk = (name: string, into: Set<string>) => {
          if (into.has(name)) return;
          into.add(name);
          for (const i of byName.get(name)?.imports ?? []) walk(i, into);
        };
        // The entry and its own static imports are in the page already.
        const known = new Set<string>();
        walk(main.fileName, known);
        // The entry must run at once: were it to import the packages' chunk, the early request would wait for it.
        const heavy = [...known].filter((name) => byName.get(name)?.name === 'home-packages' || name === booted.fileName);
        if (heavy.length > 0) throw new Error(`ruche-preload-boot: the entry imports ${heavy.join(', ')} statically`);
        const wanted = new Set<string>();
        walk(booted.fileName, wanted);
        return [...wanted]
          .filter((name) => !known.has(name))
          .map((name) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${name}` }, injectTo: 'head' as const }));
      },
    },
  };
}

// The Teams tabs, served by the Ruche server under /tabs/. JSX goes through Vite's own
// transform (automatic runtime), so no React plugin is needed.
export default defineConfig({
  base: '/tabs/',
  root: import.meta.dirname,
  plugins: [preloadBoot()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    // Browsers that run Teams and SharePoint pages support modulepreload natively.
    modulePreload: { polyfill: false },
    rollupOptions: {
      onwarn(warning, warn) {
        // Fluent's "use client" directives mean nothing in a browser bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      // boot.tsx is an entry of its own (main.tsx imports it dynamically): what it needs at once is
      // "initial", and the packages among it are bundled in one chunk rather than in some twenty
      // small ones shared with the lazy chunks (fewer requests before the first paint, better
      // compression). The app's own code stays in the entry chunks.
      input: { index: path.join(import.meta.dirname, 'index.html'), boot },
      output: {
        codeSplitting: {
          groups: [
            { name: 'home-packages', test: /node_modules[\\/]/, tags: ['$initial'] },
            // The app's own modules that boot needs, less those the entry has (a chunk the entry
            // imported statically would delay the home feed's early request).
            { name: 'home', test: (id) => !inEntry.has(id), tags: ['$initial'], includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3978', '/signin': 'http://127.0.0.1:3978' },
  },
});
