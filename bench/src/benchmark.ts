import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A benchmark measures, and returns a flat map of named numbers. */
export interface Benchmark {
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchResult>;
}

export interface BenchResult {
  /** What the measurement ran on, e.g. "pglite (postgresql 17.5)". */
  database: string;
  metrics: Record<string, number>;
}

export interface BenchContext {
  /** A folder of the benchmark's own where it may keep prepared data between runs. */
  workDir: string;
  log(message: string): void;
}

export const benchRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = path.join(benchRoot, 'results');

export async function writeResult(name: string, result: BenchResult): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.json`);
  const body = {
    name,
    at: new Date().toISOString(),
    environment: { node: process.version, cpus: os.cpus().length, database: result.database },
    metrics: result.metrics,
  };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
