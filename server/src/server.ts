import type { JWTVerifyGetKey } from 'jose';
import {
  type Config,
  type Db,
  type JobQueue,
  type Logger,
  DEMO_TENANT_ID,
  RucheError,
  generateDemo,
  isDemoLoaded,
  migrate,
  openDb,
  tracedDb,
} from '@ruche/core';
import { buildApp, type RucheApp } from './app.js';
import { startTelemetry, type Telemetry } from './observability/telemetry.js';
import { JOBS_DRAIN_MS, startJobs } from './worker.js';

const DEMO_LOCK_KEY = 727_465_002;

export interface RunningServer extends RucheApp {
  db: Db;
  /** OpenTelemetry, when an exporter is configured (METRICS_PORT, APPLICATIONINSIGHTS_CONNECTION_STRING). */
  telemetry?: Telemetry;
  /** The address the server listens on, e.g. http://127.0.0.1:3978. */
  url: string;
  /** The background job queue: it runs jobs in role `all`, and only enqueues in role `api`. */
  jobs: JobQueue;
  /** Drains in-flight requests and running jobs, then closes the database. Safe to call twice. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  entraKeys?: JWTVerifyGetKey;
  /** Use this database instead of opening the configured one (tests). */
  db?: Db;
}

/**
 * Opens the database, applies migrations, loads the demo organisation on the first local
 * start, and listens. Start-up fails fast with a clear error rather than serving half-ready.
 */
export async function startServer(config: Config, options: StartOptions): Promise<RunningServer> {
  const { logger } = options;
  if (config.role === 'worker') {
    throw new RucheError('CONFIG_INVALID', 'RUCHE_ROLE=worker runs no HTTP server: start it with `ruche worker`');
  }
  const db = options.db ?? (await openDb(config.database));
  let jobs: JobQueue | undefined;
  let telemetry: Telemetry | undefined;
  try {
    const report = await migrate(db);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'database migrated');

    if (config.demo.enabled) {
      // Instances starting together on one database: one loads the demo, the others wait.
      await db.withLock(DEMO_LOCK_KEY, async () => {
        if (await isDemoLoaded(db, DEMO_TENANT_ID)) return;
        const started = Date.now();
        logger.info({ people: config.demo.people }, 'loading the demo organisation (first local start)');
        const summary = await generateDemo(db, { tenantId: DEMO_TENANT_ID, people: config.demo.people });
        logger.info({ ms: Date.now() - started, people: summary.counts.people, posts: summary.counts.posts }, 'demo organisation loaded');
      });
    }

    // After migrations: pg-boss creates or upgrades its own schema (`pgboss`) as it starts.
    jobs = await startJobs(config, db, logger, config.role === 'all');

    telemetry = await startTelemetry(config, { logger, role: config.role });
    telemetry?.observe(db, jobs);
    const built = await buildApp({
      config,
      // With traces on, each statement of a request is a child span of the request's span.
      db: telemetry?.tracing ? tracedDb(db) : db,
      logger,
      ...(telemetry ? { telemetry: { tracing: telemetry.tracing } } : {}),
      localTenantId: DEMO_TENANT_ID,
      ...(options.entraKeys ? { entraKeys: options.entraKeys } : {}),
    });
    const address = await built.app.listen({ port: config.port, host: config.host });
    let closing: Promise<void> | undefined;
    const queue = jobs;
    const running = telemetry;
    return {
      ...built,
      db,
      jobs: queue,
      ...(running ? { telemetry: running } : {}),
      url: address.replace('[::1]', 'localhost').replace('0.0.0.0', '127.0.0.1'),
      close() {
        closing ??= (async () => {
          built.health.closing = true;
          await built.app.close();
          await queue.stop({ graceful: true, timeoutMs: JOBS_DRAIN_MS });
          await running?.shutdown();
          await db.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await jobs?.stop({ graceful: false }).catch(() => undefined);
    await telemetry?.shutdown().catch(() => undefined);
    if (!options.db) await db.close().catch(() => undefined);
    throw err;
  }
}
