import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger, loadConfig } from '@ruche/core';
import { startServer } from '@ruche/server';
import { round, type Benchmark } from '../benchmark.js';

/**
 * The newcomer's first `npm start`: a new embedded data folder (initdb, migrations, the
 * 300-person demo organisation) until /healthz answers; then a restart on the same folder.
 */
export const startup: Benchmark = {
  name: 'startup',
  description: 'cold and warm start of the server on the embedded database with the demo organisation',
  async run({ workDir, log }) {
    const logger = createLogger({ level: 'silent' });
    const dataDir = await mkdtemp(path.join(workDir, 'data-'));
    try {
      const config = loadConfig({ NODE_ENV: 'test', PORT: '0', RUCHE_DATA_DIR: dataDir });
      const measure = async () => {
        const t0 = performance.now();
        const server = await startServer(config, { logger });
        const res = await fetch(`${server.url}/healthz`);
        if (res.status !== 200) throw new Error(`healthz answered ${res.status}`);
        const ms = performance.now() - t0;
        const version = await server.db.version();
        await server.close();
        return { ms, version };
      };
      const cold = await measure();
      log(`cold start ${Math.round(cold.ms)} ms`);
      const warm = await measure();
      log(`warm start ${Math.round(warm.ms)} ms`);
      return {
        database: cold.version,
        metrics: { cold_start_ms: round(cold.ms), warm_start_ms: round(warm.ms) },
      };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
