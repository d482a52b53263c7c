/**
 * The Ruche server for the feed benchmark, in its own process: local mode (development
 * sign-in) on the database given in the environment, the demo tenant as the local tenant,
 * API role (no background jobs), silent logs. Sends its URL to the parent, closes on "stop".
 */
import { createLogger, loadConfig } from '@ruche/core';
import { startServer } from '@ruche/server';

const env = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RUCHE_DEMO: 'off', ...env });
const server = await startServer(config, { logger: createLogger({ level: process.env.FEED_BENCH_LOG ?? 'silent' }) });
process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    // CPU time of this process (API, auth, JSON, hydration in JavaScript; PGlite too when embedded), in ms.
    const u = process.cpuUsage();
    process.send?.({ cpuMs: (u.user + u.system) / 1000 });
  }
  if (message.type === 'stop') {
    void server.close().then(() => process.exit(0));
  }
});
process.send?.({ url: server.url, version: await server.db.version() });
