/**
 * Ruche's own metrics, on the OpenTelemetry API. Without a configured meter provider (the
 * default) every instrument is the API's no-op: recording costs a function call. The host
 * (server or worker) installs the SDK when an exporter is configured (Prometheus endpoint,
 * Application Insights); see server/src/observability.
 *
 * Names follow OpenTelemetry conventions (dots, a unit); the Prometheus endpoint shows them
 * with underscores, counters with _total: ruche_graph_throttled_total,
 * ruche_graph_retry_after_seconds_total, ruche_jobs_queue_depth, ruche_notifications_backlog.
 */
import { type Counter, type Meter, type ObservableResult, metrics } from '@opentelemetry/api';
import type { Queryable } from '../store/db.js';
import type { JobQueue } from '../jobs/queue.js';
import { jobCatalogue } from '../jobs/catalogue.js';

/** The instrumentation scope of every Ruche instrument. */
export const RUCHE_METER = 'ruche';

export const metricNames = {
  graphThrottled: 'ruche.graph.throttled',
  graphRetryAfter: 'ruche.graph.retry_after_seconds',
  jobQueueDepth: 'ruche.jobs.queue_depth',
  notificationBacklog: 'ruche.notifications.backlog',
} as const;

interface Instruments {
  graphThrottled: Counter;
  graphRetryAfter: Counter;
}

let cached: { provider: unknown; instruments: Instruments } | undefined;

function createInstruments(meter: Meter): Instruments {
  return {
    graphThrottled: meter.createCounter(metricNames.graphThrottled, {
      description: 'Answers 429 (Too Many Requests) received from Microsoft Graph, requests and $batch items',
      unit: '{response}',
    }),
    graphRetryAfter: meter.createCounter(metricNames.graphRetryAfter, {
      description: 'Time spent waiting because Microsoft Graph answered with Retry-After',
      unit: 's',
    }),
  };
}

/** The instruments of the meter provider in place now (instruments of the no-op provider stay no-op). */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider !== provider) cached = { provider, instruments: createInstruments(provider.getMeter(RUCHE_METER)) };
  return cached.instruments;
}

/** Counts one 429 answer of Microsoft Graph (`request`: a whole request; `batch_item`: an item of a $batch). */
export function recordGraphThrottled(kind: 'request' | 'batch_item'): void {
  instruments().graphThrottled.add(1, { kind });
}

/** Adds time waited on Graph's Retry-After. */
export function recordGraphRetryAfter(waitMs: number): void {
  if (waitMs > 0) instruments().graphRetryAfter.add(waitMs / 1000);
}

/** Pending rows of each delivery outbox (all tenants): Teams activity feed, bot messages, search connector. */
export async function notificationBacklog(db: Queryable): Promise<Record<'teams' | 'bot' | 'connector', number>> {
  const r = await db.query<{ outbox: 'teams' | 'bot' | 'connector'; n: number }>(
    `select 'teams' as outbox, count(*)::int as n from teams_outbox where state = 'pending'
     union all select 'bot', count(*)::int from bot_outbox where state = 'pending'
     union all select 'connector', count(*)::int from connector_outbox where state = 'pending'`,
  );
  const out = { teams: 0, bot: 0, connector: 0 };
  for (const row of r.rows) out[row.outbox] = row.n;
  return out;
}

export interface OperationalGauges {
  /** Stops observing (before the database or the queue closes). */
  remove(): void;
}

/**
 * Observes, at each collection (a Prometheus scrape, an export interval), the depth of each
 * job queue and the notification backlog. Call it once the SDK's meter provider is in place.
 */
export function observeOperationalGauges(db: Queryable, jobs: JobQueue | undefined): OperationalGauges {
  const meter = metrics.getMeterProvider().getMeter(RUCHE_METER);
  const depth = meter.createObservableGauge(metricNames.jobQueueDepth, {
    description: 'Background jobs waiting to run (created or waiting for a retry), per queue',
    unit: '{job}',
  });
  const backlog = meter.createObservableGauge(metricNames.notificationBacklog, {
    description: 'Notifications waiting for delivery, per outbox (teams, bot, connector)',
    unit: '{notification}',
  });
  const observeDepth = async (result: ObservableResult) => {
    if (!jobs) return;
    for (const queue of Object.keys(jobCatalogue) as (keyof typeof jobCatalogue)[]) {
      result.observe(await jobs.queueDepth(queue), { queue });
    }
  };
  const observeBacklog = async (result: ObservableResult) => {
    for (const [outbox, n] of Object.entries(await notificationBacklog(db))) result.observe(n, { outbox });
  };
  depth.addCallback(observeDepth);
  backlog.addCallback(observeBacklog);
  return {
    remove() {
      depth.removeCallback(observeDepth);
      backlog.removeCallback(observeBacklog);
    },
  };
}
