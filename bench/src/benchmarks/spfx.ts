import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchRoot, round, type Benchmark } from '../benchmark.js';

const spfxRoot = path.resolve(benchRoot, '../spfx-webparts');
const assetsDir = path.join(spfxRoot, 'release/assets');
const sppkg = path.join(spfxRoot, 'sharepoint/solution/ruche.sppkg');

/** The chunk of each web part's own content (webpackChunkName in spfx-webparts/src/webparts). */
const webParts = ['feed', 'communities', 'announcements', 'experts', 'people-card', 'kudos-wall', 'leaderboard'] as const;

export interface BundleLayout {
  /** The bundle every Ruche web part loads (its manifests' script resource): host, Fluent theme, API client. */
  shared: string;
  /** For each web part's content chunk: every chunk file loaded together with it when the web part first renders. */
  own: Map<string, string[]>;
}

/**
 * Reads what webpack wrote into the shared bundle: chunk ids to file names, and the chunk ids
 * that each lazy import loads at once (`Promise.all([x.e(86), x.e(19), x.e(308)])` or `x.e(980)`).
 */
export function bundleLayout(files: string[], read: (file: string) => string): BundleLayout {
  const shared = files.find((f) => /^ruche-web-parts_[0-9a-f]+\.js$/.test(f));
  if (!shared) throw new Error(`no ruche-web-parts_<hash>.js among ${files.join(', ')}`);
  const code = read(shared);
  const hashes = /\{((?:\d+:"[0-9a-f]+",?)+)\}\[e\]\+"\.js"/.exec(code);
  if (!hashes) throw new Error(`${shared}: no chunk table (did the SPFx build change its runtime?)`);
  const names = /"chunk\."\+\(\{([^}]*)\}\[e\]\|\|e\)/.exec(code);
  const nameOf = new Map([...(names?.[1] ?? '').matchAll(/(\d+):"([\w-]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const fileOf = new Map([...hashes[1]!.matchAll(/(\d+):"([0-9a-f]+)"/g)].map((m) => [m[1]!, `chunk.${nameOf.get(m[1]!) ?? m[1]!}_${m[2]!}.js`]));
  const own = new Map<string, string[]>();
  for (const load of code.matchAll(/(?:Promise\.all\(\[((?:[\w$]+\.e\(\d+\),?)+)\]\)|[\w$]+\.e\((\d+)\))\.then\(/g)) {
    const ids = load[1] ? [...load[1].matchAll(/\.e\((\d+)\)/g)].map((m) => m[1]!) : [load[2]!];
    const named = ids.map((id) => nameOf.get(id)).find((n): n is string => !!n);
    if (!named) continue;
    own.set(named, ids.map((id) => {
      const file = fileOf.get(id);
      if (!file || !files.includes(file)) throw new Error(`chunk ${id} of ${named} is not in the build output`);
      return file;
    }));
  }
  return { shared, own };
}

function ensureBuilt(log: (m: string) => void): void {
  if (existsSync(sppkg) && existsSync(assetsDir)) return;
  if (!existsSync(path.join(spfxRoot, 'node_modules'))) {
    log('installing spfx-webparts (npm ci)');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: spfxRoot, stdio: 'pipe' });
  }
  log('building spfx-webparts (npm run build)');
  execFileSync('npm', ['run', 'build'], { cwd: spfxRoot, stdio: 'pipe' });
}

/**
 * Sizes of the SharePoint web parts as a page downloads them (gzip, production build of
 * spfx-webparts, built first if missing). Every Ruche web part loads one bundle (host, Fluent
 * provider and theme, API client, i18n: once per page however many web parts it has), then its
 * content chunk together with the chunks that content needs. shared_gzip_kb: the bundle and
 * the chunks that two web parts or more load (Fluent components, shared ui); a web part's own
 * code: the chunks only it loads; "alone": what a page with only that web part downloads. Code
 * loaded later on demand (the composer, charts) is not counted.
 */
export const spfx: Benchmark = {
  name: 'spfx',
  description: 'SharePoint web parts: gzipped bundle shared by all web parts, and each web part\'s own code',
  async run({ log }) {
    ensureBuilt(log);
    const files = readdirSync(assetsDir).filter((f) => f.endsWith('.js'));
    const bytes = new Map<string, number>();
    const gzipKb = (file: string): number => {
      if (!bytes.has(file)) bytes.set(file, gzipSync(readFileSync(path.join(assetsDir, file))).length);
      return bytes.get(file)! / 1024;
    };
    const layout = bundleLayout(files, (f) => readFileSync(path.join(assetsDir, f), 'utf8'));
    const sum = (list: Iterable<string>) => [...list].reduce((total, f) => total + gzipKb(f), 0);
    const loads = new Map<string, string[]>();
    for (const part of webParts) {
      const chunks = layout.own.get(part);
      if (!chunks) throw new Error(`no lazy chunk "${part}" in ${layout.shared}: each web part's content must be imported with webpackChunkName '${part}'`);
      loads.set(part, chunks);
    }
    // A chunk loaded by two web parts or more (Fluent components, shared ui) is shared: a page
    // with both loads it once. A web part's own code is what only it loads.
    const users = new Map<string, number>();
    for (const chunks of loads.values()) for (const f of chunks) users.set(f, (users.get(f) ?? 0) + 1);
    const sharedChunks = [...users].filter(([, n]) => n > 1).map(([f]) => f);
    const metrics: Record<string, number> = {
      shared_gzip_kb: round(gzipKb(layout.shared) + sum(sharedChunks), 1),
      shared_bundle_gzip_kb: round(gzipKb(layout.shared), 1),
    };
    let maxOwn = 0;
    let maxAlone = 0;
    for (const [part, chunks] of loads) {
      const own = sum(chunks.filter((f) => users.get(f) === 1));
      const alone = gzipKb(layout.shared) + sum(chunks);
      const key = part.replace(/-/g, '_');
      metrics[`webpart_${key}_own_gzip_kb`] = round(own, 1);
      metrics[`webpart_${key}_alone_gzip_kb`] = round(alone, 1);
      maxOwn = Math.max(maxOwn, own);
      maxAlone = Math.max(maxAlone, alone);
      log(`${part}: own ${round(own, 1)} KB, alone on a page ${round(alone, 1)} KB (${chunks.join(', ')})`);
    }
    metrics.webpart_max_own_gzip_kb = round(maxOwn, 1);
    metrics.webpart_max_alone_gzip_kb = round(maxAlone, 1);
    // A page with all seven web parts: the shared bundle once, and each chunk once.
    metrics.page_all_webparts_gzip_kb = round(gzipKb(layout.shared) + sum(users.keys()), 1);
    return { database: 'none', metrics };
  },
};
