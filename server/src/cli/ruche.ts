#!/usr/bin/env node
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  directoryGraphClient,
  importPeopleCsv,
  syncDirectory,
  type SyncProgress,
  DEMO_TENANT_ID,
  createLogger,
  generateDemo,
  isRucheError,
  loadConfig,
  loadDotEnv,
  migrate,
  openDb,
  resetDemo,
} from '@ruche/core';
import { runWorkerProcess } from '../worker.js';

const usage = `Usage: ruche <command> [options]

Commands:
  start                       start the server (same as npm start)
  migrate                     apply pending database migrations and exit
  worker                      run background jobs only, no HTTP (RUCHE_ROLE=worker; needs
                              DATABASE_URL: with the embedded database, start runs the jobs)
  demo [--reset] [--people N] [--seed N]
                              load the demo organisation; --reset deletes it first
  sync [--tenant ID]          sync people (managers, skills, former employees) from Microsoft
                              Graph: GRAPH_TENANT_ID and a credential (see README.md); the
                              first run reads everyone, later runs only the changes, and an
                              interrupted run resumes where it stopped
  import --csv FILE [--tenant ID]
                              import people from an HR export (column format in README.md);
                              bad rows are listed with their line number, good rows are kept

The database is the one the environment names (DATABASE_URL, or PGlite in RUCHE_DATA_DIR).`;

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

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  loadDotEnv();
  switch (command) {
    case 'start':
      await import('../main.js');
      return -1;
    case 'worker':
      await runWorkerProcess();
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
      if (!Number.isInteger(people) || people < 10 || people > 50_000) {
        console.error('--people must be a whole number between 10 and 50000');
        return 2;
      }
      const seed = values.seed === undefined ? undefined : Number(values.seed);
      if (seed !== undefined && !Number.isInteger(seed)) {
        console.error('--seed must be a whole number');
        return 2;
      }
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
          onProgress: (p) => {
            if (p.phase === 'people' && Date.now() - lastLine < 1000) return;
            lastLine = Date.now();
            console.log(progressLine(p));
          },
        });
        console.log(
          `Directory sync ${result.resumed ? '(resumed) ' : ''}${result.roundKind}: ${result.changes} change(s) in ${result.seconds.toFixed(1)} s, ` +
            `${result.created} new, ${result.former} former, ${result.managersChanged} manager link(s) changed, skills of ${result.skillsReplaced} people; ` +
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
