// The image's HEALTHCHECK: GET http://127.0.0.1:$PORT/healthz, exit 0 on 200, else 1.
// Both roles answer it (the API itself, the worker through infra/runtime/start.mjs).
// Node only, so the image needs no curl. PORT is the one setting it reads, as Ruche does
// (core/src/config.ts, default 3978); the image sets PORT=8080.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

export function check(port, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: timeoutMs }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', () => resolve(false));
  });
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  const healthy = await check(Number(process.env.PORT ?? 3978));
  process.exit(healthy ? 0 : 1);
}
