/**
 * The `ruche` command as an operator runs it: the compiled CLI in a child process, on an
 * embedded database folder (the process owns the folder while it runs).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite } from '@ruche/core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(repoRoot, 'server/dist/cli/ruche.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function ruche(dir: string, args: string[], dataDir = 'data'): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, HOME: dir, NODE_ENV: 'development', RUCHE_DATA_DIR: path.join(dir, dataDir), RUCHE_FILES_DIR: path.join(dir, 'files'), LOG_LEVEL: 'error' },
        timeout: 120_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function firstPerson(dir: string, dataDir = 'data'): Promise<{ upn: string; roles: string[]; n: number }> {
  const db = await openPglite(path.join(dir, dataDir));
  try {
    const r = await db.query<{ upn: string; roles: string[] }>("select upn, roles from people where upn not like 'former-%' order by upn limit 1");
    const n = (await db.query<{ n: number }>('select count(*)::int as n from people')).rows[0]!.n;
    return { ...r.rows[0]!, n };
  } finally {
    await db.close();
  }
}

describe('ruche (the operator command line)', () => {
  let dir: string;
  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', path.join(repoRoot, 'server')], { stdio: 'pipe' });
    dir = await mkdtemp(path.join(tmpdir(), 'ruche-cli-'));
    const demo = await ruche(dir, ['demo', '--people', '40', '--seed', '3']);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('create-tenant-admin, export-person and erase-person on a person given by UPN', async () => {
    const { upn } = await firstPerson(dir);
    const grant = await ruche(dir, ['create-tenant-admin', '--person', upn]);
    expect(grant).toMatchObject({ code: 0, stdout: expect.stringContaining('is now a tenant administrator') });
    const again = await ruche(dir, ['create-tenant-admin', '--person', upn.toUpperCase()]);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining('already is a tenant administrator; nothing changed') });
    expect((await firstPerson(dir)).roles).toContain('admin');

    const out = path.join(dir, 'export.json');
    const exported = await ruche(dir, ['export-person', '--person', upn, '--out', out]);
    expect(exported.code).toBe(0);
    const data = JSON.parse(await readFile(out, 'utf8')) as { profile: { upn: string }; posts: unknown[] };
    expect(data.profile.upn).toBe(upn);
    expect(Array.isArray(data.posts)).toBe(true);
    expect((await stat(out)).mode & 0o077).toBe(0);
    const toStdout = await ruche(dir, ['export-person', '--person', upn]);
    expect((JSON.parse(toStdout.stdout) as { profile: { upn: string } }).profile.upn).toBe(upn);

    const noMode = await ruche(dir, ['erase-person', '--person', upn]);
    expect(noMode).toMatchObject({ code: 2, stderr: expect.stringContaining('--mode anonymise|delete is required') });
    const erased = await ruche(dir, ['erase-person', '--person', upn, '--mode', 'anonymise']);
    expect(erased).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Erased \(anonymise\): .* is now "(Former employee|Ancien collaborateur)"/) });
    expect((await firstPerson(dir)).upn).not.toBe(upn);
  }, 120_000);

  test('unknown people and tenants are named, with a failure exit code', async () => {
    const unknown = await ruche(dir, ['export-person', '--person', 'nobody@hexagone.example']);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('No person "nobody@hexagone.example"') });
    const tenant = await ruche(dir, ['create-tenant-admin', '--person', 'x@y.example', '--tenant', '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d']);
    expect(tenant).toMatchObject({ code: 1, stderr: expect.stringContaining('No organisation with tenant id 9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d') });
    const missing = await ruche(dir, ['export-person']);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('--person ID|UPN is required') });
  }, 60_000);

  test('backup, then restore into an empty folder, and a second restore is refused', async () => {
    const file = path.join(dir, 'ruche.backup.gz');
    const backup = await ruche(dir, ['backup', '--out', file]);
    expect(backup).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Backup written to .*: \d+ rows in \d+ tables/) });
    const restore = await ruche(dir, ['restore', '--in', file], 'restored');
    expect(restore).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Restored \d+ rows in \d+ tables from a backup of /) });
    expect(await firstPerson(dir, 'restored')).toEqual(await firstPerson(dir));
    const again = await ruche(dir, ['restore', '--in', file], 'restored');
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('The database already holds data') });
    const noFile = await ruche(dir, ['restore', '--in', path.join(dir, 'none.gz')], 'other');
    expect(noFile).toMatchObject({ code: 1, stderr: expect.stringContaining('Cannot read') });
  }, 180_000);
});
