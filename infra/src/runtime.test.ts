/**
 * infra/runtime: the launcher of both roles (start.mjs) and the image's health check
 * (healthcheck.mjs), run for real on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { check } from '../runtime/healthcheck.mjs';
import { serveWorkerLiveness, start } from '../runtime/start.mjs';

function get(port: number, path: string, method = 'GET'): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, method }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }));
    });
    request.on('error', reject);
    request.end();
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('worker liveness (start.mjs)', () => {
  test('GET /healthz answers 200 while the process runs; other paths 404 as problem+json', async () => {
    const server = await serveWorkerLiveness(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    try {
      expect(await get(port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok","role":"worker"}', type: 'application/json' });
      expect(await get(port, '/healthz?probe=1')).toMatchObject({ status: 200 });
      expect(await get(port, '/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
      const other = await get(port, '/api/v1/me');
      expect(other.status).toBe(404);
      expect(other.type).toBe('application/problem+json');
      expect(JSON.parse(other.body)).toMatchObject({ status: 404 });
      expect(await get(port, '/healthz', 'POST')).toMatchObject({ status: 404 });
    } finally {
      await close(server);
    }
  });

  test('a port already taken is an error, not a silent start', async () => {
    const taken = await serveWorkerLiveness(0, '127.0.0.1');
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(serveWorkerLiveness(port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await close(taken);
    }
  });
});

describe('start(): the role decides', () => {
  const config = (role: string) => ({ role, port: 0, host: '127.0.0.1' });

  test('worker: the liveness endpoint answers before the worker starts', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await close(probe);
    let answeredBeforeMain: boolean | undefined;
    const liveness = await start({
      loadConfig: () => ({ role: 'worker', port, host: '127.0.0.1' }),
      runMain: async () => {
        answeredBeforeMain = await check(port);
      },
    });
    try {
      expect(answeredBeforeMain).toBe(true);
      expect((liveness!.address() as AddressInfo).port).toBe(port);
    } finally {
      await close(liveness!);
    }
  });

  test('api and all: only the server, which answers /healthz itself', async () => {
    for (const role of ['api', 'all']) {
      let ran = 0;
      const liveness = await start({ loadConfig: () => config(role), runMain: async () => void ran++ });
      expect(liveness).toBeUndefined();
      expect(ran).toBe(1);
    }
  });

  test('a bad configuration goes to main.js, which names the variable and exits', async () => {
    let ran = 0;
    const liveness = await start({
      loadConfig: () => {
        throw new Error('Invalid configuration: DATABASE_URL');
      },
      runMain: async () => void ran++,
    });
    expect(liveness).toBeUndefined();
    expect(ran).toBe(1);
  });
});

describe('healthcheck.mjs', () => {
  test('true on 200, false on another status, false when nothing listens or nothing answers', async () => {
    let status = 200;
    let hang = false;
    const server = http.createServer((request, response) => {
      if (hang) return;
      response.writeHead(request.url === '/healthz' ? status : 404);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await check(port)).toBe(true);
      status = 503;
      expect(await check(port)).toBe(false);
      hang = true;
      expect(await check(port, 200)).toBe(false);
    } finally {
      server.closeAllConnections();
      await close(server);
    }
    expect(await check(port)).toBe(false);
  });
});
