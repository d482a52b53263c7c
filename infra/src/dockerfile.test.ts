/**
 * The Dockerfile read offline (no Docker daemon where the tests run): its stages, a Node 22
 * base, a non-root runtime, the health check, and COPY sources that exist in the repository
 * and are not left out of the build context.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { copyPaths, ignoreMatcher, parseDockerfile, stageEnv } from './dockerfile.js';
import { readRepoFile, repoRoot } from './repo.js';

const dockerfile = parseDockerfile(readRepoFile('Dockerfile'));
const byName = new Map(dockerfile.stages.filter((s) => s.name).map((s) => [s.name!, s]));
const runtime = dockerfile.stages.at(-1)!;
const workspaces = (JSON.parse(readRepoFile('package.json')) as { workspaces: string[] }).workspaces;

const dockerignore = readRepoFile('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const isIgnored = ignoreMatcher(dockerignore);

describe('Dockerfile', () => {
  test('three stages (build, runtime files, runtime), every one on Node 22 (Debian bookworm slim)', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'runtime-files', 'runtime']);
    for (const s of dockerfile.stages) expect(s.base).toBe('node:22-bookworm-slim');
  });

  test('build stage: npm ci on every workspace manifest, then the sources, then npm run build', () => {
    const build = byName.get('build')!;
    const keywords = build.instructions.map((i) => `${i.keyword} ${i.args}`);
    const ci = keywords.findIndex((k) => k.startsWith('RUN npm ci'));
    const sources = keywords.indexOf('COPY . .');
    const run = keywords.findIndex((k) => k.startsWith('RUN npm run build'));
    expect(ci).toBeGreaterThan(0);
    expect(sources).toBeGreaterThan(ci);
    expect(run).toBeGreaterThan(sources);
    expect(keywords[ci]).not.toContain('--omit=dev');
  });

  test('each npm ci sees the lock file and the package.json of every workspace', () => {
    for (const name of ['build', 'runtime-files']) {
      const stage = byName.get(name)!;
      const ci = stage.instructions.findIndex((i) => i.keyword === 'RUN' && i.args.startsWith('npm ci'));
      const copied = stage.instructions.slice(0, ci).filter((i) => i.keyword === 'COPY' && !i.flags.has('from')).flatMap((i) => copyPaths(i).sources);
      expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)]));
    }
  });

  test('the runtime tree has production dependencies only, of the workspaces that run', () => {
    const ci = byName.get('runtime-files')!.instructions.find((i) => i.keyword === 'RUN' && i.args.startsWith('npm ci'))!;
    expect(ci.args).toContain('--omit=dev');
    const selected = [...ci.args.matchAll(/--workspace (\S+)/g)].map((m) => m[1]);
    expect(selected).toEqual(['core', 'server', 'bot']);
    const copied = byName.get('runtime-files')!.instructions.filter((i) => i.keyword === 'COPY').map((i) => copyPaths(i).destination);
    expect(copied).toEqual(expect.arrayContaining(['core/dist', 'core/migrations', 'server/dist', 'server/static', 'bot/dist', 'tabs/dist', 'infra/runtime']));
  });

  test('every COPY source exists in the repository and is in the build context', () => {
    for (const stage of dockerfile.stages) {
      for (const ins of stage.instructions.filter((i) => i.keyword === 'COPY' && !i.flags.has('from'))) {
        for (const source of copyPaths(ins).sources) {
          expect({ line: ins.line, source, exists: existsSync(path.join(repoRoot, source)) }).toEqual({ line: ins.line, source, exists: true });
          if (source !== '.') expect({ line: ins.line, source, ignored: isIgnored(source) }).toEqual({ line: ins.line, source, ignored: false });
        }
      }
    }
  });

  test('COPY --from names an earlier stage, and copies what that stage built or holds', () => {
    const names = dockerfile.stages.map((s) => s.name);
    dockerfile.stages.forEach((stage, index) => {
      for (const ins of stage.instructions.filter((i) => i.keyword === 'COPY' && i.flags.has('from'))) {
        const from = ins.flags.get('from')!;
        expect(names.slice(0, index)).toContain(from);
        for (const source of copyPaths(ins).sources) {
          const relative = source.replace(/^\/app\/?/, '');
          if (relative === '') continue;
          // Either a path of the repository or the dist/ folder of a workspace the build stage builds.
          const isBuildOutput = /^[a-z-]+\/dist$/.test(relative) && workspaces.includes(relative.split('/')[0]!);
          expect({ line: ins.line, source, known: isBuildOutput || existsSync(path.join(repoRoot, relative)) }).toEqual({ line: ins.line, source, known: true });
        }
      }
    });
  });

  test('.dockerignore keeps installed output, local data, secrets and git out of the context', () => {
    for (const p of ['node_modules', 'core/node_modules', 'server/dist', '.env', '.git', '.ruche', 'spfx-webparts', 'infra/env/.env.dev.user']) {
      expect({ path: p, ignored: isIgnored(p) }).toEqual({ path: p, ignored: true });
    }
    for (const p of ['core/migrations', 'server/static', 'infra/runtime/start.mjs', 'package-lock.json']) expect({ path: p, ignored: isIgnored(p) }).toEqual({ path: p, ignored: false });
  });

  test('runtime: production, a non-root user, the port exposed, /healthz checked with node, the launcher as command', () => {
    const env = stageEnv(runtime);
    expect(env.get('NODE_ENV')).toBe('production');
    expect(env.get('RUCHE_ROLE')).toBe('api');
    const user = runtime.instructions.filter((i) => i.keyword === 'USER').at(-1);
    expect(user?.args).toBe('node');
    expect(['root', '0', '0:0']).not.toContain(user?.args);
    expect(runtime.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args)).toEqual([env.get('PORT')]);
    const health = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK')!;
    expect(health.args).toBe('CMD ["node", "infra/runtime/healthcheck.mjs"]');
    expect(readRepoFile('infra/runtime/healthcheck.mjs')).toContain("path: '/healthz'");
    expect(runtime.instructions.find((i) => i.keyword === 'CMD')!.args).toBe('["node", "infra/runtime/start.mjs"]');
    // Writable data (attachments, an embedded database) only under /data, owned by that user.
    expect(env.get('RUCHE_FILES_DIR')).toMatch(/^\/data\//);
    expect(runtime.instructions.some((i) => i.keyword === 'RUN' && i.args.includes('chown -R node:node /data'))).toBe(true);
  });

  test('every ENV of the runtime is a setting Ruche reads', async () => {
    const { configVariables } = await import('./repo.js');
    const known = configVariables();
    for (const name of stageEnv(runtime).keys()) expect({ name, known: known.has(name) }).toEqual({ name, known: true });
  });
});
