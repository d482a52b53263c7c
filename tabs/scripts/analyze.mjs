// node tabs/scripts/analyze.mjs: builds the tabs into a temporary folder and prints, per
// JavaScript chunk, its gzipped size and the packages (or source folders) that weigh most,
// so that what the home page loads can be kept small.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const tabs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(tabs, '..');
const outDir = mkdtempSync(path.join(tmpdir(), 'ruche-tabs-analyze-'));
const top = Number(process.argv[2] ?? 25);

const sizes = {
  name: 'ruche-sizes',
  // After every plugin's generateBundle, so that index.html is written with its preload links.
  writeBundle(_options, bundle) {
    const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    const gz = (c) => gzipSync(c.code).length;
    // What the first page loads: the scripts index.html names (its entry and the chunks it
    // preloads: boot.tsx's) and every chunk they import statically, transitively.
    const html = Object.values(bundle).find((a) => a.type === 'asset' && a.fileName === 'index.html');
    const named = [...String(html?.source ?? '').matchAll(/<(?:script|link)[^>]+(?:src|href)="\/tabs\/([^"]+\.js)"/g)].map((m) => m[1]);
    {
      const seen = new Set();
      const visit = (name) => {
        if (seen.has(name) || !byName.has(name)) return;
        seen.add(name);
        for (const i of byName.get(name).imports) visit(i);
      };
      for (const name of named) visit(name);
      const total = [...seen].reduce((sum, n) => sum + gz(byName.get(n)), 0);
      console.log(`index.html's scripts with their static imports (${seen.size} chunks: ${[...seen].join(', ')}): ${(total / 1024).toFixed(1)} KB gzipped`);
      const owners = new Map();
      for (const name of seen) {
        for (const [id, m] of Object.entries(byName.get(name).modules)) {
          const pkg = id.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
          const owner = pkg ? pkg[1] : path.relative(root, id).split(path.sep).slice(0, 3).join('/');
          owners.set(owner, (owners.get(owner) ?? 0) + (m.renderedLength ?? 0));
        }
      }
      for (const [owner, bytes] of [...owners.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`  ${(bytes / 1024).toFixed(1).padStart(8)} KB  ${owner}`);
      }
      // The project's own modules in it, one by one: what to make lazy next.
      const own = [];
      for (const name of seen) {
        for (const [id, m] of Object.entries(byName.get(name).modules)) {
          if (!id.includes('node_modules') && !id.startsWith('\0')) own.push([path.relative(root, id), m.renderedLength ?? 0]);
        }
      }
      console.log(`  project modules loaded first (${own.length}):`);
      for (const [file, bytes] of own.sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`  ${(bytes / 1024).toFixed(1).padStart(8)} KB  ${file}`);
      }
    }
    for (const chunk of chunks.sort((a, b) => b.code.length - a.code.length)) {
      const byOwner = new Map();
      for (const [id, m] of Object.entries(chunk.modules)) {
        const pkg = id.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
        const owner = pkg ? pkg[1] : path.relative(root, id).split(path.sep).slice(0, 3).join('/');
        byOwner.set(owner, (byOwner.get(owner) ?? 0) + (m.renderedLength ?? 0));
      }
      const kind = chunk.isEntry ? 'entry' : chunk.isDynamicEntry ? 'lazy' : 'shared';
      console.log(`${chunk.fileName} (${kind}): ${(chunk.code.length / 1024).toFixed(1)} KB, ${(gzipSync(chunk.code).length / 1024).toFixed(1)} KB gzipped; static imports: ${chunk.imports.join(', ') || 'none'}`);
      for (const [owner, bytes] of [...byOwner.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`  ${(bytes / 1024).toFixed(1).padStart(8)} KB  ${owner}`);
      }
    }
  },
};

try {
  await build({ configFile: path.join(tabs, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false }, plugins: [sizes] });
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
