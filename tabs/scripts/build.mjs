// npm run build -w tabs: builds the tabs into dist/ with Vite, unless nothing they are made
// of changed since the last build (so that `npm start` stays quick). --force always builds.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const tabs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(tabs, '..');
const dist = path.join(tabs, 'dist');
const stampFile = path.join(dist, '.build-stamp');

/** Every input of the bundle: sources of tabs and ui, their configs and the installed versions. */
function inputs() {
  const files = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(tabs, 'src'));
  walk(path.join(root, 'ui', 'src'));
  files.push(
    path.join(tabs, 'index.html'),
    path.join(tabs, 'vite.config.ts'),
    path.join(tabs, 'package.json'),
    path.join(root, 'ui', 'package.json'),
    path.join(root, 'package-lock.json'),
  );
  return files.filter((f) => existsSync(f)).sort();
}

function stamp() {
  const hash = createHash('sha256');
  for (const file of inputs()) {
    const s = statSync(file);
    hash.update(`${path.relative(root, file)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
const current = stamp();
if (!force && existsSync(path.join(dist, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === current) {
  console.log('tabs: dist is up to date');
  process.exit(0);
}

// The bundle served is always the production one, whoever builds it: under a test runner
// (NODE_ENV=test) Vite would otherwise build React's development code into it.
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
await build({ configFile: path.join(tabs, 'vite.config.ts'), logLevel: 'warn' });
writeFileSync(stampFile, current);
console.log('tabs: built into tabs/dist');
