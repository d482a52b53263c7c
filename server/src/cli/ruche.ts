#!/usr/bin/env node
import { parseArgs } from 'node:util';
import {
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

const usage = `Usage: ruche <command> [options]

Commands:
  start                       start the server (same as npm start)
  migrate                     apply pending database migrations and exit
  demo [--reset] [--people N] [--seed N]
                              load the demo organisation; --reset deletes it first

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

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  loadDotEnv();
  switch (command) {
    case 'start':
      await import('../main.js');
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
          `Demo organisation loaded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${summary.people} people, ` +
            `${summary.communities} communities, ${summary.posts} posts.`,
        );
      });
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
