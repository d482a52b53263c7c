/**
 * `ruche sync` as an operator runs it (the compiled CLI in a child process, on an embedded
 * database folder) against the Graph simulator: people and their photos, stored in the
 * files store the server serves them from.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localFolderFileStore, openPglite } from '@ruche/core';
import { startGraphSimulator, type GraphSimulator } from './simulator/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'server/dist/cli/ruche.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe('ruche sync (command line) against the Graph simulator', () => {
  let dir: string;
  let sim: GraphSimulator;
  const tenant = randomUUID();
  const users = 24;

  const ruche = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [cli, ...args],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            NODE_ENV: 'development',
            RUCHE_DATA_DIR: path.join(dir, 'data'),
            RUCHE_FILES_DIR: path.join(dir, 'files'),
            LOG_LEVEL: 'error',
            GRAPH_TENANT_ID: tenant,
            GRAPH_BASE_URL: sim.url,
            GRAPH_ACCESS_TOKEN: 'sim',
          },
          timeout: 120_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', path.join(repoRoot, 'server')], { stdio: 'pipe' });
    dir = await mkdtemp(path.join(tmpdir(), 'ruche-cli-sync-'));
    sim = await startGraphSimulator({ users, seed: 5 });
  }, 300_000);
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('stores the photos of the people who have one, and fetches none again when nothing changed', async () => {
    const withPhoto = Array.from({ length: users }, (_, i) => i).filter((i) => sim.tenant.photo(i) !== undefined);
    expect(withPhoto.length).toBeGreaterThan(0);
    expect(withPhoto.length).toBeLessThan(users);

    const first = await ruche(['sync']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${withPhoto.length} photo(s) stored and 0 removed`);

    const db = await openPglite(path.join(dir, 'data'));
    try {
      const rows = await db.query<{ oid: string; file_key: string; etag: string }>(
        `select p.entra_oid::text as oid, f.file_key, f.etag from person_photos f join people p on p.tenant_id = f.tenant_id and p.id = f.person_id
         where f.tenant_id = $1 order by 1`,
        [tenant],
      );
      expect(rows.rows.map((r) => r.oid)).toEqual(withPhoto.map((i) => sim.tenant.userIdOf(i)).sort());
      // The bytes are in the files store the server reads (RUCHE_FILES_DIR), as Graph gave them.
      const files = localFolderFileStore(path.join(dir, 'files'));
      const one = rows.rows[0]!;
      const index = withPhoto.find((i) => sim.tenant.userIdOf(i) === one.oid)!;
      const stored = await files.get(one.file_key);
      const chunks: Buffer[] = [];
      for await (const chunk of stored) chunks.push(Buffer.from(chunk as Uint8Array));
      expect(Buffer.concat(chunks).equals(sim.tenant.photo(index)!)).toBe(true);
      expect(one.etag).toBe(sim.tenant.photoEtag(index));
    } finally {
      await db.close();
    }
    expect((await filesUnder(path.join(dir, 'files'))).length).toBe(withPhoto.length);

    // A second run reads only the changes: no photo fetched again.
    const second = await ruche(['sync']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('0 photo(s) stored and 0 removed');
    expect((await filesUnder(path.join(dir, 'files'))).length).toBe(withPhoto.length);
  }, 240_000);
});
