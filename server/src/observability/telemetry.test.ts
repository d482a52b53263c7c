import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { type Db, createGraphClient, recordGraphThrottled, staticTokenProvider, tracedDb } from '@ruche/core';
import { createTestTenant, testDatabases } from '@ruche/core/testing';
import { startServer, type RunningServer } from '../server.js';
import { startWorker } from '../worker.js';
import { localConfig, silentLogger } from '../testing.js';
import { registerRequestTelemetry } from './http.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A stand-in Graph that throttles the first call of each path (429, Retry-After: 3), then answers. */
async function throttlingGraph(): Promise<{ url: string; close(): Promise<void> }> {
  const seen = new Set<string>();
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    if (!seen.has(path)) {
      seen.add(path);
      response.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' }).end('{"error":{"code":"TooManyRequests","message":"slow down"}}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"org"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The value of one sample line of the Prometheus text, e.g. sample(text, 'ruche_graph_throttled_total', 'kind="request"'). */
function sample(text: string, name: string, label?: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && (label === undefined || l.includes(label)) || l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

for (const database of testDatabases()) {
  describe(`telemetry (${database.name})`, () => {
    // A running server closes its database when it stops: each case opens its own.
    let db: Db;
    beforeEach(async () => {
      db = await database.open();
    });
    afterEach(async () => {
      await db.close().catch(() => undefined);
    });

    test('the Prometheus endpoint shows request latency by route and status, queue depth, Graph throttling and the notification backlog', async () => {
      const server: RunningServer = await startServer(localConfig({ METRICS_PORT: '0' }), { logger: silentLogger, db });
      const graph = await throttlingGraph();
      try {
        expect(server.telemetry?.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
        expect(server.telemetry?.tracing).toBe(false);
        // A few requests: a health check twice, an unauthenticated API call, an unknown path.
        for (const path of ['/healthz', '/healthz', '/api/v1/me', '/no/such/page']) await fetch(`${server.url}${path}`);
        // Graph throttles once per path: one whole request and one $batch item.
        const client = createGraphClient({ tokenProvider: staticTokenProvider('t'), baseUrl: graph.url, sleep: async () => undefined });
        await client.get('/organization');
        const tenantId = await createTestTenant(db);
        const person = await db.query<{ id: string }>("insert into people (tenant_id, upn, display_name) values ($1, 'p@x.example', 'P') returning id", [tenantId]);
        await db.query("insert into bot_outbox (tenant_id, person_id, kind, digest_week) values ($1, $2, 'digest', '2026-11-23')", [tenantId, person.rows[0]!.id]);
        await server.jobs.enqueue('files.purge', { olderThanHours: 1 }, { startAfter: 3600 });

        const response = await fetch(server.telemetry!.metricsUrl!);
        expect(response.status).toBe(200);
        const text = await response.text();
        expect(sample(text, 'http_server_request_duration_count', 'http_route="/healthz"')).toBe(2);
        expect(text).toMatch(/http_server_request_duration_bucket\{[^}]*http_request_method="GET"[^}]*http_route="\/healthz"[^}]*http_response_status_code="200"[^}]*le="0.005"\}/);
        expect(text).toMatch(/http_server_request_duration_count\{[^}]*http_route="\/api\/v1\/me"[^}]*http_response_status_code="401"[^}]*\} 1/);
        expect(text).toMatch(/http_server_request_duration_count\{[^}]*http_route="unmatched"[^}]*http_response_status_code="404"[^}]*\} 1/);
        expect(sample(text, 'ruche_graph_throttled_total', 'kind="request"')).toBe(1);
        expect(sample(text, 'ruche_graph_retry_after_seconds_total')).toBe(3);
        // On PostgreSQL the job queue's schema (pgboss) is shared by the suites running beside
        // this one, so only its own database (PGlite) gives exact depths.
        if (database.name === 'pglite') {
          expect(sample(text, 'ruche_jobs_queue_depth', 'queue="files.purge"')).toBe(1);
          expect(sample(text, 'ruche_jobs_queue_depth', 'queue="teams.deliver"')).toBe(0);
        } else {
          expect(sample(text, 'ruche_jobs_queue_depth', 'queue="files.purge"')).toBeGreaterThanOrEqual(1);
          expect(sample(text, 'ruche_jobs_queue_depth', 'queue="teams.deliver"')).toBeGreaterThanOrEqual(0);
        }
        expect(sample(text, 'ruche_notifications_backlog', 'outbox="bot"')).toBeGreaterThanOrEqual(1);
        expect(sample(text, 'ruche_notifications_backlog', 'outbox="teams"')).toBeGreaterThanOrEqual(0);
        expect(text).toContain('# HELP ruche_notifications_backlog Notifications waiting for delivery');
        // Only /metrics is served on that port.
        expect((await fetch(server.telemetry!.metricsUrl!.replace('/metrics', '/'))).status).toBe(404);
      } finally {
        await graph.close();
        await server.close();
      }
      // Stopped with the server: the port is closed and the global providers are no-ops again.
      await expect(fetch(server.telemetry!.metricsUrl!)).rejects.toThrow();
      expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
    }, 60_000);

    test('without configuration nothing is started: no endpoint, no-op providers, no wrapped database', async () => {
      const server = await startServer(localConfig(), { logger: silentLogger, db });
      try {
        expect(server.telemetry).toBeUndefined();
        expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
        expect(trace.getTracer('ruche').startSpan('x').isRecording()).toBe(false);
        // Recording through core's instruments is harmless and goes nowhere.
        expect(() => recordGraphThrottled('request')).not.toThrow();
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      } finally {
        await server.close();
      }
    }, 60_000);

    test('the worker serves the same metrics on its own port', async () => {
      const worker = await startWorker(localConfig({ METRICS_PORT: '0' }), { logger: silentLogger, db });
      try {
        const text = await (await fetch(worker.telemetry!.metricsUrl!)).text();
        expect(text).toMatch(/ruche_jobs_queue_depth\{[^}]*queue="idempotency.purge"[^}]*\} \d+/);
        expect(text).toMatch(/ruche_notifications_backlog\{[^}]*outbox="teams"[^}]*\} \d+/);
      } finally {
        await worker.close();
      }
    }, 60_000);

    test('traces: a server span per request continues the caller trace; database statements are its children', async () => {
      const exporter = new InMemorySpanExporter();
      const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
      provider.register();
      const app = Fastify();
      try {
        registerRequestTelemetry(app, { tracing: true });
        const traced = tracedDb(db);
        app.get('/people/:id', async () => (await traced.query<{ n: number }>('select count(*)::int as n from people where tenant_id = $1', [randomUUID()])).rows[0]);
        const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
        const response = await app.inject({ url: '/people/42', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
        expect(response.statusCode).toBe(200);
        await traced.query('select 1'); // outside a request: no span
        const spans = exporter.getFinishedSpans();
        expect(spans.map((x) => x.name).sort()).toEqual(['GET /people/:id', 'select people']);
        const server = spans.find((x) => x.name === 'GET /people/:id')!;
        const statement = spans.find((x) => x.name === 'select people')!;
        expect(server.spanContext().traceId).toBe(traceId);
        expect(server.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
        expect(server.attributes).toMatchObject({ 'http.route': '/people/:id', 'http.request.method': 'GET', 'http.response.status_code': 200 });
        expect(statement.spanContext().traceId).toBe(traceId);
        expect(statement.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
        // Never the parameters.
        expect(JSON.stringify(statement.attributes)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
      } finally {
        await app.close();
        await provider.shutdown();
        trace.disable();
        context.disable();
        propagation.disable();
      }
    });

    test('tracedDb answers like the database it wraps', async () => {
      const traced = tracedDb(db);
      expect(traced.kind).toBe(db.kind);
      expect((await traced.query<{ n: number }>('select 1 as n')).rows).toEqual([{ n: 1 }]);
      expect(await traced.transaction(async (tx) => (await tx.query<{ n: number }>('select 2 as n')).rows[0]!.n)).toBe(2);
    });
  });
}

describe('Application Insights', () => {
  test('with APPLICATIONINSIGHTS_CONNECTION_STRING the server exports request telemetry to Application Insights', async () => {
    // A stand-in for the ingestion endpoint (HTTPS, as the exporter requires). The server runs
    // in a child process: the exporter loads modules lazily, which Jest's module sandbox refuses.
    const dir = mkdtempSync(path.join(tmpdir(), 'ruche-ai-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=127.0.0.1'], {
      stdio: 'ignore',
    });
    const tls = { key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) };
    rmSync(dir, { recursive: true, force: true });
    const envelopes: { name: string; tags: Record<string, string>; data: { baseData: Record<string, unknown> } }[] = [];
    const ingestion = createHttpsServer(tls, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
        if (request.url === '/v2.1/track') envelopes.push(...(JSON.parse(text) as typeof envelopes));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"itemsReceived":1,"itemsAccepted":1,"errors":[]}');
      });
    });
    ingestion.listen(0, '127.0.0.1');
    await once(ingestion, 'listening');
    const port = (ingestion.address() as { port: number }).port;
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', path.join(repoRoot, 'server')], { stdio: 'pipe' });
      const script = `
        const { startServer } = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'server/dist/server.js')).href)});
        const { loadConfig, createLogger, openPglite, migrate } = await import('@ruche/core');
        const db = await openPglite();
        await migrate(db);
        const server = await startServer(loadConfig({ NODE_ENV: 'test', RUCHE_DEMO: 'off', PORT: '0',
          APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=0f6b8c1e-1111-4222-8333-444455556666;IngestionEndpoint=https://127.0.0.1:${port}/' }),
          { logger: createLogger({ level: 'silent' }), db });
        if (!server.telemetry?.tracing) throw new Error('tracing is off');
        const response = await fetch(server.url + '/api/v1/me', { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
        if (response.status !== 401) throw new Error('unexpected status ' + response.status);
        await server.close();
      `;
      await new Promise<void>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--input-type=module', '-e', script],
          // The stand-in's certificate is self-signed; statsbeat (the exporter's own statistics) stays off in a test.
          { cwd: path.join(repoRoot, 'server'), env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0', APPLICATION_INSIGHTS_NO_STATSBEAT: '1' }, timeout: 60_000 },
          (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
        );
      });
    } finally {
      ingestion.closeAllConnections();
      await new Promise((resolve) => ingestion.close(resolve));
    }
    const request = envelopes.find((e) => e.name === 'Microsoft.ApplicationInsights.Request' && e.data.baseData.name === 'GET /api/v1/me');
    expect(request).toBeDefined();
    expect(request!.data.baseData.responseCode).toBe('401');
    expect(request!.tags['ai.operation.id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(request!.tags['ai.cloud.role']).toBe('ruche');
    expect(envelopes.some((e) => e.name === 'Microsoft.ApplicationInsights.Metric')).toBe(true);
  }, 180_000);
});

describe('telemetry settings', () => {
  test('off by default; METRICS_PORT serves on 127.0.0.1 unless METRICS_HOST says otherwise; a bad connection string is named', () => {
    expect(localConfig().telemetry).toEqual({});
    expect(localConfig({ METRICS_PORT: '9464' }).telemetry).toEqual({ prometheus: { port: 9464, host: '127.0.0.1' } });
    expect(localConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).telemetry.prometheus).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(() => localConfig({ METRICS_PORT: 'ninety' })).toThrow(/METRICS_PORT/);
    expect(() => localConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.com' })).toThrow(
      /APPLICATIONINSIGHTS_CONNECTION_STRING: must be the connection string of an Application Insights resource/,
    );
    const connection = 'InstrumentationKey=0f6b8c1e-1111-4222-8333-444455556666;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
    expect(localConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: connection }).telemetry).toEqual({ applicationInsightsConnectionString: connection });
  });
});
