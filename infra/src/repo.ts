/** Paths and file readers shared by the infra tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BicepFile, parseBicep } from './bicep.js';

export const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(infraDir, '..');

export function readRepoFile(relative: string): string {
  return readFileSync(path.join(repoRoot, relative), 'utf8');
}

export function readBicep(relative: string): BicepFile {
  return parseBicep(readRepoFile(relative));
}

/** Every environment variable core/src/config.ts reads (the keys of its zod schema). */
export function configVariables(): Set<string> {
  const source = readRepoFile('core/src/config.ts');
  const start = source.indexOf('const envSchema = z.object({');
  if (start < 0) throw new Error('core/src/config.ts: envSchema not found');
  const end = source.indexOf('\n});', start);
  const body = source.slice(start, end);
  return new Set([...body.matchAll(/^\s{2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!));
}

/** `${{NAME}}` placeholders of an Agents Toolkit file. */
export function placeholders(source: string): Set<string> {
  return new Set([...source.matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => m[1]!));
}

/** KEY=value lines of a dotenv file (comments and blank lines skipped). */
export function dotenvKeys(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of source.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}
