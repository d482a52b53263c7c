/**
 * OpenTelemetry for the server and the worker. Nothing is loaded or recorded unless an
 * exporter is configured (core's instruments then stay the API's no-ops):
 * - APPLICATIONINSIGHTS_CONNECTION_STRING: traces (a span per request, a child span per
 *   database statement) and metrics, exported to Application Insights;
 * - METRICS_PORT: a Prometheus endpoint (GET /metrics) on its own port, on METRICS_HOST
 *   (127.0.0.1 unless set), for self-hosters; metrics only.
 */
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { once } from 'node:events';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { type Config, type Logger, type Queryable, type JobQueue, observeOperationalGauges, type OperationalGauges } from '@ruche/core';

export interface Telemetry {
  /** Traces are recorded and exported (Application Insights). */
  tracing: boolean;
  /** The Prometheus endpoint, when one is served, e.g. http://127.0.0.1:9464/metrics. */
  metricsUrl?: string;
  /** Starts observing the job queue depth and the notification backlog. */
  observe(db: Queryable, jobs: JobQueue | undefined): void;
  /** Flushes what is pending, stops the endpoint and removes the global providers. Safe to call twice. */
  shutdown(): Promise<void>;
}

export interface TelemetryOptions {
  logger: Logger;
  /** The process's role: names the service in traces (ruche-api, ruche-worker, ruche). */
  role: Config['role'];
}

const serviceNames: Record<Config['role'], string> = { all: 'ruche', api: 'ruche-api', worker: 'ruche-worker' };

/** Starts the SDK for what the configuration asks; undefined (nothing started) when it asks for nothing. */
export async function startTelemetry(config: Config, options: TelemetryOptions): Promise<Telemetry | undefined> {
  const { applicationInsightsConnectionString: appInsights, prometheus } = config.telemetry;
  if (!appInsights && !prometheus) return undefined;

  const [{ MeterProvider, PeriodicExportingMetricReader }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resourceFromAttributes({
    'service.name': serviceNames[options.role],
    'service.instance.id': `${hostname()}-${process.pid}`,
    'ruche.role': options.role,
  });

  const readers: MetricReader[] = [];
  let endpoint: Server | undefined;
  let metricsUrl: string | undefined;
  if (prometheus) {
    const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
    const exporter = new PrometheusExporter({ preventServerStart: true });
    readers.push(exporter);
    endpoint = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method === 'GET' && path === '/metrics') {
        exporter.getMetricsRequestHandler(request, response);
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics are at GET /metrics\n');
    });
    endpoint.listen(prometheus.port, prometheus.host);
    await once(endpoint, 'listening');
    const address = endpoint.address();
    const port = typeof address === 'object' && address ? address.port : prometheus.port;
    const host = prometheus.host.includes(':') ? `[${prometheus.host}]` : prometheus.host;
    metricsUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/metrics`;
  }

  let tracerProvider: { shutdown(): Promise<void> } | undefined;
  if (appInsights) {
    const [azure, { NodeTracerProvider }, { BatchSpanProcessor }] = await Promise.all([
      import('@azure/monitor-opentelemetry-exporter'),
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/sdk-trace-base'),
    ]);
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new azure.AzureMonitorMetricExporter({ connectionString: appInsights }),
        exportIntervalMillis: 60_000,
      }),
    );
    const provider = new NodeTracerProvider({
      resource,
      spanProcessors: [new BatchSpanProcessor(new azure.AzureMonitorTraceExporter({ connectionString: appInsights }))],
    });
    // The global tracer, AsyncLocalStorage context and W3C trace-context propagation.
    provider.register();
    tracerProvider = provider;
  }

  const meterProvider = new MeterProvider({ resource, readers });
  metrics.setGlobalMeterProvider(meterProvider);
  options.logger.info(
    { prometheus: metricsUrl, applicationInsights: Boolean(appInsights) },
    metricsUrl ? `metrics served at ${metricsUrl}` : 'telemetry exported to Application Insights',
  );

  const gauges: OperationalGauges[] = [];
  let stopping: Promise<void> | undefined;
  return {
    tracing: tracerProvider !== undefined,
    ...(metricsUrl ? { metricsUrl } : {}),
    observe(db, jobs) {
      gauges.push(observeOperationalGauges(db, jobs));
    },
    shutdown() {
      stopping ??= (async () => {
        for (const g of gauges) g.remove();
        if (endpoint) {
          endpoint.closeAllConnections();
          await new Promise<void>((resolve) => endpoint!.close(() => resolve()));
        }
        await meterProvider.shutdown().catch((err: unknown) => options.logger.warn({ err }, 'metrics shutdown failed'));
        await tracerProvider?.shutdown().catch((err: unknown) => options.logger.warn({ err }, 'traces shutdown failed'));
        metrics.disable();
        if (tracerProvider) {
          trace.disable();
          context.disable();
          propagation.disable();
        }
      })();
      return stopping;
    },
  };
}
