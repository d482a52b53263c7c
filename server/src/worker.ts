import {
  type Config,
  type Db,
  type JobQueue,
  type Logger,
  createJobQueue,
  createLogger,
  isRucheError,
  loadConfig,
  migrate,
  openDb,
  localFolderFileStore,
  registerRucheJobs,
} from '@ruche/core';
import { proactiveDelivery } from '@ruche/bot';
import { startTelemetry, type Telemetry } from './observability/telemetry.js';

/** How long a graceful stop waits for running handlers before handing their jobs back. */
export const JOBS_DRAIN_MS = 10_000;

/**
 * Starts the job queue on Ruche's database: on PostgreSQL with its own small pool on
 * DATABASE_URL, on PGlite through the Db. A processing queue works every Ruche job and
 * records the periodic schedules; a non-processing one (RUCHE_ROLE=api) only enqueues.
 */
export async function startJobs(config: Config, db: Db, logger: Logger, processing: boolean): Promise<JobQueue> {
  const jobs = createJobQueue({
    db,
    logger,
    processing,
    ...(config.database.kind === 'postgres' ? { connectionString: config.database.url } : {}),
  });
  await jobs.start();
  try {
    if (processing) {
      await registerRucheJobs(jobs, db, {
        files: localFolderFileStore(config.files.dir),
        ...(config.graph ? { graph: config.graph } : {}),
        // The bot's proactive messages (notifications and weekly digests in each person's chat).
        ...(config.bot ? { proactive: proactiveDelivery(config.bot, logger) } : {}),
        publicUrl: config.publicUrl,
      });
    }
  } catch (err) {
    await jobs.stop({ graceful: false }).catch(() => undefined);
    throw err;
  }
  return jobs;
}

export interface RunningWorker {
  db: Db;
  jobs: JobQueue;
  /** Metrics (queue depth, backlog, Graph throttling), when an exporter is configured. */
  telemetry?: Telemetry;
  /** Waits for running handlers (up to JOBS_DRAIN_MS), then closes the database. Safe to call twice. */
  close(): Promise<void>;
}

export interface WorkerOptions {
  logger: Logger;
  /** Use this database instead of opening the configured one (tests). */
  db?: Db;
}

/** `ruche worker` (RUCHE_ROLE=worker): background jobs only, no HTTP. */
export async function startWorker(config: Config, options: WorkerOptions): Promise<RunningWorker> {
  const { logger } = options;
  const db = options.db ?? (await openDb(config.database));
  let telemetry: Telemetry | undefined;
  try {
    const report = await migrate(db);
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'database migrated');
    const jobs = await startJobs(config, db, logger, true);
    telemetry = await startTelemetry(config, { logger, role: 'worker' }).catch(async (err: unknown) => {
      await jobs.stop({ graceful: false }).catch(() => undefined);
      throw err;
    });
    telemetry?.observe(db, jobs);
    let closing: Promise<void> | undefined;
    const running = telemetry;
    return {
      db,
      jobs,
      ...(running ? { telemetry: running } : {}),
      close() {
        closing ??= (async () => {
          await jobs.stop({ graceful: true, timeoutMs: JOBS_DRAIN_MS });
          await running?.shutdown();
          if (!options.db) await db.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    if (!options.db) await db.close().catch(() => undefined);
    throw err;
  }
}

/**
 * The worker process (`ruche worker`, or `npm start` with RUCHE_ROLE=worker): runs jobs
 * until SIGTERM or SIGINT, then lets running handlers finish. Resolves when it is running.
 */
export async function runWorkerProcess(env: Record<string, string | undefined> = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig({ ...env, RUCHE_ROLE: 'worker' });
  } catch (err) {
    console.error(isRucheError(err) ? err.message : err);
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel, name: 'ruche-worker' });
  let worker: RunningWorker;
  try {
    worker = await startWorker(config, { logger });
  } catch (err) {
    logger.fatal({ err }, isRucheError(err) ? err.message : 'worker start-up failed');
    process.exit(1);
  }
  logger.info({ database: config.database.kind }, 'Ruche worker is running');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: letting running jobs finish');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, JOBS_DRAIN_MS + 5_000);
    force.unref();
    worker.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
