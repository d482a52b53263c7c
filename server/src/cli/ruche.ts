#!/usr/bin/env node
import { createReadStream } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  directoryGraphClient,
  importPeopleCsv,
  syncDirectory,
  type SyncProgress,
  DEMO_MAX_PEOPLE,
  DEMO_MIN_PEOPLE,
  DEMO_TENANT_ID,
  createLogger,
  isRucheError,
  loadConfig,
  loadDotEnv,
  localFolderFileStore,
  migrate,
  openDb,
} from '@ruche/core/sync';

const usage = `Usage: ruche <command> [options]

Commands:
  start                       start the server (same as npm start)
  migrate                     apply pending database migrations and exit
  worker                      run background jobs only, no HTTP (RUCHE_ROLE=worker; needs
                              DATABASE_URL: with the embedded database, start runs the jobs)
  demo [--reset] [--people N] [--seed N]
                              load the demo organisation; --reset deletes it first
  sync [--tenant ID]          sync people (managers, skills, photos, former employees) from
                              Microsoft Graph: GRAPH_TENANT_ID and a credential (see README.md);
                              photos go to the files store (RUCHE_FILES_DIR) as the server's; the
                              first run reads everyone, later runs only the changes, and an
                              interrupted run resumes where it stopped
  import --csv FILE [--tenant ID]
                              import people from an HR export (column format in README.md);
                              bad rows are listed with their line number, good rows are kept
  export-person --person ID|UPN [--tenant ID] [--out FILE]
                              write everything Ruche holds about a person as JSON (stdout
                              without --out); the person is a Ruche id, an Entra object id
                              or a user principal name; audited
  erase-person --person ID|UPN --mode anonymise|delete [--tenant ID]
                              erase a person's personal data; "delete" also deletes their
                              posts, comments, reactions and kudos messages; audited
  create-tenant-admin --person UPN|OID [--tenant ID]
                              make a person a tenant administrator (idempotent; audited)
  backup --out FILE           write the whole database (every tenant) to one gzip file, in
                              one consistent snapshot; same format for PGlite and PostgreSQL
  restore --in FILE           load a backup into an EMPTY database (refused otherwise), then
                              apply newer migrations; with PGlite, stop the server first

The database is the one the environment names (DATABASE_URL, or PGlite in RUCHE_DATA_DIR).
--tenant defaults to GRAPH_TENANT_ID, else the demo organisation.`;

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDb>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb(config.database);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

function progressLine(p: SyncProgress): string {
  if (p.phase === 'finishing') return `  ${p.done} people stored; resolving managers and org-unit communities...`;
  if (p.phase === 'completed') return `  done: ${p.done} people in ${duration(p.elapsedSeconds)}`;
  const total = p.total !== null ? `/${p.total}` : '';
  const left = p.secondsLeft !== null ? `, about ${duration(p.secondsLeft)} left` : '';
  return `  ${p.roundKind} round: ${p.done}${total} people, ${Math.round(p.perSecond)} people/s${left}`;
}

/** Calls `fn` at most once per interval (progress lines). */
function progressEvery<T>(ms: number, fn: (value: T) => void): (value: T) => void {
  let last = 0;
  return (value) => {
    if (Date.now() - last < ms) return;
    last = Date.now();
    fn(value);
  };
}

/** --tenant, else the tenant directory sync reads, else the demo organisation. */
function defaultTenant(tenant: string | undefined): string {
  return tenant ?? loadConfig().graph?.tenantId ?? DEMO_TENANT_ID;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  loadDotEnv();
  switch (command) {
    case 'start':
      await import('../main.js');
      return -1;
    case 'worker':
      // The worker (jobs, the bot's delivery, telemetry) is loaded only for this command.
      await (await import('../worker.js')).runWorkerProcess();
      return -1;
    case 'migrate': {
      const config = loadConfig();
      const db = await openDb(config.database);
      try {
        const report = await migrate(db);
        console.log(
          report.applied.length > 0
            ? `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
            : `Up to date (${report.alreadyApplied} migrations applied).`,
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: { reset: { type: 'boolean', default: false }, people: { type: 'string' }, seed: { type: 'string' } },
        strict: true,
      });
      const people = values.people === undefined ? loadConfig().demo.people : Number(values.people);
      if (!Number.isInteger(people) || people < DEMO_MIN_PEOPLE || people > DEMO_MAX_PEOPLE) {
        console.error(`--people must be a whole number between ${DEMO_MIN_PEOPLE} and ${DEMO_MAX_PEOPLE}`);
        return 2;
      }
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed)) {
        console.error('--seed must be a whole number');
        return 2;
      }
      const { generateDemo, resetDemo } = await import('@ruche/core');
      await withDb(async (db) => {
        if (values.reset) {
          await resetDemo(db, DEMO_TENANT_ID);
          console.log('Demo organisation deleted.');
        }
        const started = Date.now();
        let lastStep = '';
        const summary = await generateDemo(db, {
          tenantId: DEMO_TENANT_ID,
          people,
          ...(seed !== undefined ? { seed } : {}),
          onProgress: (step, done, total) => {
            if (step !== lastStep || done === total) {
              lastStep = step;
              process.stdout.write(`  ${step}: ${done}/${total}\n`);
            }
          },
        });
        console.log(
          `Demo organisation loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.counts.people} people, ` +
            `${summary.counts.communities} communities, ${summary.counts.posts} posts.`,
        );
      });
      return 0;
    }
    case 'sync': {
      const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' } }, strict: true });
      const config = loadConfig();
      const graph = directoryGraphClient(config.graph);
      const tenantId = (values.tenant ?? config.graph!.tenantId).toLowerCase();
      await withDb(async (db) => {
        let lastLine = 0;
        const result = await syncDirectory(db, graph, tenantId, {
          // The same files store the server serves photos from (as the admin sync route passes it).
          photos: localFolderFileStore(config.files.dir),
          onProgress: (p) => {
            if (p.phase === 'people' && Date.now() - lastLine < 1000) return;
            lastLine = Date.now();
            console.log(progressLine(p));
          },
        });
        console.log(
          `Directory sync ${result.resumed ? '(resumed) ' : ''}${result.roundKind}: ${result.changes} change(s) in ${result.seconds.toFixed(1)} s, ` +
            `${result.created} new, ${result.former} former, ${result.managersChanged} manager link(s) changed, skills of ${result.skillsReplaced} people, ` +
            `${result.photosStored} photo(s) stored and ${result.photosRemoved} removed; ` +
            `waited ${(result.graph.retryAfterWaitMs / 1000).toFixed(1)} s on Graph's Retry-After.`,
        );
      });
      return 0;
    }
    case 'import': {
      const { values } = parseArgs({ args: rest, options: { csv: { type: 'string' }, tenant: { type: 'string' } }, strict: true });
      if (!values.csv) {
        console.error('--csv FILE is required');
        return 2;
      }
      const file = values.csv;
      try {
        await access(file);
      } catch {
        console.error(`Cannot read ${file}`);
        return 2;
      }
      const config = loadConfig();
      const tenantId = values.tenant ?? config.graph?.tenantId ?? DEMO_TENANT_ID;
      const result = await withDb((db) => importPeopleCsv(db, tenantId, createReadStream(file)));
      console.log(`Imported ${result.imported} people (${result.created} new, ${result.updated} updated) into tenant ${tenantId}.`);
      if (result.ignoredColumns.length > 0) console.log(`Ignored column(s): ${result.ignoredColumns.join(', ')}`);
      for (const m of result.unresolvedManagers) console.log(`  manager not found: ${m.upn} -> ${m.managerUpn}`);
      if (result.errors.length > 0) {
        console.error(`${result.errors.length} row(s) not imported:`);
        for (const e of result.errors) console.error(`  line ${e.line}${e.upn ? ` (${e.upn})` : ''}: ${e.reason}`);
        return 1;
      }
      return 0;
    }
    case 'export-person': {
      const { values } = parseArgs({
        args: rest,
        options: { tenant: { type: 'string' }, person: { type: 'string' }, out: { type: 'string' } },
        strict: true,
      });
      if (!values.person) {
        console.error('--person ID|UPN is required');
        return 2;
      }
      const person = values.person;
      const { exportPerson } = await import('./admin.js');
      const { person: found, data } = await withDb((db) => exportPerson(db, defaultTenant(values.tenant), person));
      const json = `${JSON.stringify(data, null, 2)}\n`;
      if (values.out) {
        await writeFile(values.out, json, { mode: 0o600 });
        console.error(`Exported the data of ${found.upn} (${found.id}) to ${values.out}.`);
      } else {
        process.stdout.write(json);
      }
      return 0;
    }
    case 'erase-person': {
      const { values } = parseArgs({
        args: rest,
        options: { tenant: { type: 'string' }, person: { type: 'string' }, mode: { type: 'string' } },
        strict: true,
      });
      if (!values.person) {
        console.error('--person ID|UPN is required');
        return 2;
      }
      if (values.mode !== 'anonymise' && values.mode !== 'delete') {
        console.error('--mode anonymise|delete is required: anonymise keeps their content under "Former employee", delete removes it too');
        return 2;
      }
      const person = values.person;
      const mode = values.mode;
      const { erasePersonData } = await import('./admin.js');
      const { person: found, result } = await withDb((db) => erasePersonData(db, defaultTenant(values.tenant), person, mode));
      const counts = Object.entries(result.counts).map(([k, n]) => `${k} ${n}`);
      console.log(
        `${result.alreadyErased && counts.length === 0 ? 'Already erased' : 'Erased'} (${mode}): ${found.id} is now "${result.displayName}".` +
          (counts.length > 0 ? ` Rows changed: ${counts.join(', ')}.` : ''),
      );
      return 0;
    }
    case 'create-tenant-admin': {
      const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, person: { type: 'string' } }, strict: true });
      if (!values.person) {
        console.error('--person UPN|OID is required');
        return 2;
      }
      const person = values.person;
      const { grantTenantAdmin } = await import('./admin.js');
      const grant = await withDb((db) => grantTenantAdmin(db, defaultTenant(values.tenant), person));
      console.log(
        grant.granted
          ? `${grant.person.displayName} (${grant.person.upn}) is now a tenant administrator.`
          : `${grant.person.displayName} (${grant.person.upn}) already is a tenant administrator; nothing changed.`,
      );
      return 0;
    }
    case 'backup': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } }, strict: true });
      if (!values.out) {
        console.error('--out FILE is required');
        return 2;
      }
      const out = values.out;
      const { backupDatabase } = await import('@ruche/core');
      const summary = await withDb((db) =>
        backupDatabase(db, out, {
          onProgress: progressEvery(1000, (p) => console.error(`  ${p.table}: ${p.rows} rows`)),
        }),
      );
      console.log(`Backup written to ${out}: ${summary.rows} rows in ${summary.tables} tables, ${(summary.bytes / 1024 / 1024).toFixed(1)} MiB.`);
      return 0;
    }
    case 'restore': {
      const { values } = parseArgs({ args: rest, options: { in: { type: 'string' } }, strict: true });
      if (!values.in) {
        console.error('--in FILE is required');
        return 2;
      }
      const file = values.in;
      const { restoreDatabase } = await import('@ruche/core');
      const config = loadConfig();
      const db = await openDb(config.database);
      try {
        const summary = await restoreDatabase(db, file, {
          onProgress: progressEvery(1000, (p) => console.error(`  ${p.table}: ${p.rows} rows`)),
        });
        const report = await migrate(db);
        console.log(
          `Restored ${summary.rows} rows in ${summary.tables} tables from a backup of ${summary.createdAt} (${summary.source}).` +
            (report.applied.length > 0 ? ` Then applied ${report.applied.length} newer migration(s): ${report.applied.join(', ')}.` : ''),
        );
      } finally {
        await db.close();
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return command === undefined ? 2 : 0;
    default:
      console.error(`Unknown command "${command}".\n\n${usage}`);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    const logger = createLogger();
    if (isRucheError(err)) console.error(err.message);
    else logger.fatal({ err }, 'command failed');
    process.exit(1);
  },
);
