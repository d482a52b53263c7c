import { createLogger, isRucheError, loadConfig, loadDotEnv } from '@ruche/core';
import { startServer } from './server.js';
import { runWorkerProcess } from './worker.js';

/** `npm start`: one process serving the API (and, as they land, the tabs and the bot). */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(isRucheError(err) ? err.message : err);
    process.exit(2);
  }
  if (config.role === 'worker') {
    // The same image runs the API or the jobs: RUCHE_ROLE=worker starts the worker instead.
    await runWorkerProcess();
    return;
  }
  const logger = createLogger({ level: config.logLevel });
  let server;
  try {
    server = await startServer(config, { logger });
  } catch (err) {
    logger.fatal({ err }, isRucheError(err) ? err.message : 'start-up failed');
    process.exit(1);
  }
  logger.info(
    { url: server.url, database: config.database.kind, mode: config.local ? 'local' : 'entra' },
    config.local ? `Ruche is running: open ${config.publicUrl}` : 'Ruche is running',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    server
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
