// Starts Ruche in the role RUCHE_ROLE names, the same way in the container image (Dockerfile
// CMD) and on App Service's Node runtime (the apps' startup command).
//
// api or all: the server (server/dist/main.js), which answers GET /healthz itself.
// worker: the job worker, plus a liveness endpoint (GET /healthz on PORT) for hosts that
// check a process over HTTP: App Service restarts an app that answers no HTTP request, and
// the image's HEALTHCHECK calls /healthz. The endpoint lives in the worker's own process, so
// it answers only while that process runs and its event loop turns.
import http from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * Serves GET /healthz ({"status":"ok","role":"worker"}) and 404 for anything else.
 * Resolves with the listening server.
 */
export function serveWorkerLiveness(port, host) {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if ((request.method === 'GET' || request.method === 'HEAD') && path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : JSON.stringify({ status: 'ok', role: 'worker' }));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/problem+json' });
    response.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'The worker answers GET /healthz only' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      // Never keeps the process alive on its own: the worker decides when to exit.
      server.unref();
      resolve(server);
    });
  });
}

/**
 * Reads the configuration through core (the one place settings are read), opens the liveness
 * endpoint when the role is worker, then runs server/dist/main.js, which starts the server or
 * the worker and reports a bad configuration itself.
 */
export async function start({ loadConfig, runMain }) {
  let config;
  try {
    config = loadConfig();
  } catch {
    // main.js prints which variable is wrong and exits with status 2.
    await runMain();
    return undefined;
  }
  const liveness = config.role === 'worker' ? await serveWorkerLiveness(config.port, config.host) : undefined;
  await runMain();
  return liveness;
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  const core = await import('../../core/dist/index.js');
  core.loadDotEnv();
  await start({
    loadConfig: () => core.loadConfig(),
    runMain: async () => {
      await import('../../server/dist/main.js');
    },
  });
}
