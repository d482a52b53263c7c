import type { Server } from 'node:http';

export function serveWorkerLiveness(port: number, host: string): Promise<Server>;

export function start(options: {
  loadConfig: () => { role: string; port: number; host: string };
  runMain: () => Promise<void>;
}): Promise<Server | undefined>;
