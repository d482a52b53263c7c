/**
 * Spans around database statements, for traces exported to Application Insights. The host
 * wraps the Db with `tracedDb` only when tracing is configured; otherwise nothing is wrapped.
 * Statements get a span only inside a traced request (an active span).
 * A span carries the statement's first words (its kind and table), never its parameters.
 */
import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Db, Queryable } from '../store/db.js';

export const RUCHE_TRACER = 'ruche';

/** "select people", "insert posts": enough to find a slow statement, nothing of the data. */
export function statementSummary(sql: string): string {
  const words = sql.trim().replace(/\s+/g, ' ').split(' ');
  const verb = (words[0] ?? '').toLowerCase();
  const table = words.findIndex((w, i) => i > 0 && /^(from|into|update|join)$/i.test(words[i - 1] ?? '') && /^[a-z_][a-z0-9_."]*$/i.test(w));
  const target = verb === 'update' ? words[1] : table >= 0 ? words[table] : undefined;
  return target ? `${verb} ${target.replace(/"/g, '')}` : verb;
}

function inSpan<T>(name: string, system: string, sql: string, fn: () => Promise<T>): Promise<T> {
  // Statements outside a traced request or job would each start a trace of their own: not traced.
  if (!trace.getActiveSpan()) return fn();
  return trace.getTracer(RUCHE_TRACER).startActiveSpan(
    name,
    { kind: SpanKind.CLIENT, attributes: { 'db.system.name': system, 'db.query.summary': statementSummary(sql) } },
    async (span: Span) => {
      try {
        return await fn();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}

function tracedQueryable(q: Queryable, system: string): Queryable {
  return {
    query: (sql, params) => inSpan(statementSummary(sql), system, sql, () => q.query(sql, params)),
    exec: (sql) => inSpan(statementSummary(sql), system, sql, () => q.exec(sql)),
  };
}

/** The same Db, with a client span per statement and per transaction. */
export function tracedDb(db: Db): Db {
  const system = 'postgresql';
  const base = tracedQueryable(db, system);
  return {
    ...db,
    kind: db.kind,
    query: base.query,
    exec: base.exec,
    transaction: (fn) => inSpan('transaction', system, 'transaction', () => db.transaction((tx) => fn(tracedQueryable(tx, system)))),
    withLock: (key, fn) => db.withLock(key, fn),
    listen: (channel, onPayload) => db.listen(channel, onPayload),
    notify: (channel, payload) => db.notify(channel, payload),
    ping: () => db.ping(),
    close: () => db.close(),
    version: () => db.version(),
  };
}
