/**
 * Request telemetry: the latency histogram by route, method and status
 * (http.server.request.duration, OpenTelemetry's HTTP semantic conventions) and, when
 * traces are on, a server span per request that continues the caller's W3C trace context
 * and is active while the handler runs (database spans become its children).
 */
import { type Span, SpanKind, SpanStatusCode, context, metrics, propagation, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RUCHE_METER, RUCHE_TRACER } from '@ruche/core';

/** Seconds; the buckets OpenTelemetry advises for HTTP server durations. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export function registerRequestTelemetry(app: FastifyInstance, options: { tracing: boolean }): void {
  const duration = metrics.getMeter(RUCHE_METER).createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests, by route template, method and status',
    unit: 's',
    advice: { explicitBucketBoundaries: durationBuckets },
  });
  const tracer = trace.getTracer(RUCHE_TRACER);
  const started = new WeakMap<FastifyRequest, { at: bigint; span?: Span }>();
  // The route template, never the raw path (bounded cardinality, no ids in metric labels).
  const routeOf = (request: FastifyRequest) => request.routeOptions.url ?? 'unmatched';

  app.addHook('onRequest', (request, _reply, done) => {
    const at = process.hrtime.bigint();
    if (!options.tracing) {
      started.set(request, { at });
      done();
      return;
    }
    const parent = propagation.extract(context.active(), request.headers);
    const route = routeOf(request);
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0] } },
      parent,
    );
    started.set(request, { at, span });
    context.with(trace.setSpan(parent, span), done);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const start = started.get(request);
    if (start) {
      const seconds = Number(process.hrtime.bigint() - start.at) / 1e9;
      const attributes = { 'http.request.method': request.method, 'http.route': routeOf(request), 'http.response.status_code': reply.statusCode };
      duration.record(seconds, attributes);
      if (start.span) {
        start.span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) start.span.setStatus({ code: SpanStatusCode.ERROR });
        start.span.end();
      }
    }
    done();
  });
}
