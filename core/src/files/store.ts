import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';

/**
 * Where attachment bytes live. The embedded default is a local folder; a SharePoint
 * document library (through Graph) implements the same port for tenants that want it.
 */
export interface FileStore {
  readonly kind: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

const keyPattern = /^[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

/** Files in a local folder: `<dir>/<tenant>/<attachment>`, written atomically. */
export function localFolderFileStore(dir: string): FileStore {
  const root = path.resolve(dir);
  const pathOf = (key: string) => {
    if (!keyPattern.test(key)) throw new Error(`Invalid file key ${key}`);
    return path.join(root, key);
  };
  // Tenant folders made by this store: a sync writing thousands of photos makes each once.
  const made = new Set<string>();
  return {
    kind: 'local-folder',
    async put(key, bytes) {
      const file = pathOf(key);
      const folder = path.dirname(file);
      const temp = `${file}.${randomUUID()}.tmp`;
      if (!made.has(folder)) {
        await mkdir(folder, { recursive: true });
        made.add(folder);
      }
      try {
        await writeFile(temp, bytes);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // The folder went away meanwhile (removed by hand, a restore): made again.
        await mkdir(folder, { recursive: true });
        await writeFile(temp, bytes);
      }
      await rename(temp, file);
    },
    async get(key) {
      const file = pathOf(key);
      await stat(file);
      return createReadStream(file);
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
