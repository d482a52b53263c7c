import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEMO_TENANT_ID, defaultProactiveLimits, deliverProactiveMessages, migrate, openPglite, openPostgres, type Db } from '@ruche/core';
import { TeamsProactiveSender, renderProactiveMessage } from '@ruche/bot';
import { percentile, round, type Benchmark } from '../benchmark.js';

const messages = 10_000;
/** What Teams allows per app and tenant; the connector stand-in throttles at this rate. */
const connectorRate = 50;
const commandSamples = 200;
const commandWarmup = 20;

const here = path.dirname(fileURLToPath(import.meta.url));

function child<T>(script: string, args: unknown, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; hello: T }> {
  const c = fork(path.join(here, script), [JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
  return new Promise((resolve, reject) => {
    c.once('error', reject);
    c.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    c.once('message', (hello: T) => resolve({ child: c, hello }));
  });
}

function ask<T>(c: ChildProcess, type: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: Record<string, unknown>) => {
      if (key in message) {
        c.off('message', listener);
        resolve(message[key] as T);
      }
    };
    c.on('message', listener);
    c.send({ type });
  });
}

interface ConnectorStats {
  delivered: number;
  distinctIds: number;
  throttled: number;
  firstArrival: Record<string, number>;
}

/** 10,000 people with the bot installed and one kudos notification each (bulk SQL: what is measured is the fan-out). */
async function prepareFanOut(db: Db, tenantId: string, serviceUrl: string): Promise<void> {
  await db.query(`insert into tenants (id, name) values ($1, 'Bot benchmark')`, [tenantId]);
  await db.query(
    `insert into people (tenant_id, upn, display_name, entra_oid, preferred_language)
     select $1::uuid, 'person' || i || '@bench.example', 'Person ' || i, gen_random_uuid(), case when i % 3 = 0 then 'fr-FR' else 'en-GB' end
       from generate_series(1, $2::int) i
     union all
     select $1::uuid, 'giver' || i || '@bench.example', 'Giver ' || i, gen_random_uuid(), 'en-GB' from generate_series(1, 50) i`,
    [tenantId, messages],
  );
  // 50 givers, 10,000 recipients: 500 kudos of 20 recipients.
  await db.query(
    `with givers as (select id, row_number() over (order by upn) as n from people where tenant_id = $1 and upn like 'giver%')
     insert into kudos (tenant_id, giver_id, value_key, message, visibility)
     select $1::uuid, g.id, 'teamwork', 'Thank you for the release, number ' || k, 'public'
       from generate_series(1, 500) k join givers g on g.n = 1 + (k % 50)`,
    [tenantId],
  );
  await db.query(
    `with recipients as (
       select id, row_number() over (order by upn) - 1 as n from people where tenant_id = $1 and upn like 'person%'),
     numbered as (select id, row_number() over (order by created_at, id) - 1 as n from kudos where tenant_id = $1)
     insert into kudos_recipients (tenant_id, kudos_id, recipient_id)
     select $1::uuid, k.id, r.id from recipients r join numbered k on k.n = r.n / 20`,
    [tenantId],
  );
  await db.query(
    `insert into bot_conversations (tenant_id, conversation_id, conversation_type, person_id, entra_oid, service_url, bot_id, tenant_entra_id)
     select $1::uuid, 'a:' || r.recipient_id, 'personal', r.recipient_id, p.entra_oid, $2, '28:ruche-bot', $1::text
       from kudos_recipients r join people p on p.tenant_id = r.tenant_id and p.id = r.recipient_id
      where r.tenant_id = $1`,
    [tenantId, serviceUrl],
  );
  // The notifications; the outbox trigger turns each into a proactive message.
  await db.query(
    `insert into notifications (tenant_id, person_id, kind, data, actor_ids)
     select $1::uuid, r.recipient_id, 'kudos_received', jsonb_build_object('kudosId', k.id, 'valueKey', k.value_key), array[k.giver_id]
       from kudos_recipients r join kudos k on k.tenant_id = r.tenant_id and k.id = r.kudos_id
      where r.tenant_id = $1`,
    [tenantId],
  );
  const queued = await db.query<{ n: number }>(`select count(*)::int as n from bot_outbox where tenant_id = $1 and state = 'pending'`, [tenantId]);
  if (queued.rows[0]!.n !== messages) throw new Error(`expected ${messages} queued messages, found ${queued.rows[0]!.n}`);
}

/**
 * The bot: a fan-out of 10,000 proactive messages (kudos received, rendered as Adaptive Cards
 * from core's views) through the Teams SDK's API client to a local Bot Connector that
 * throttles like Teams (50 requests per second per tenant, 429 with Retry-After beyond), in
 * its own process; the drain's own limit is 40 per second, so the floor is 10,000 / 40 s.
 * Then the command round trip: a "help" message posted to the server's /api/messages in local
 * mode (server in its own process, on the demo organisation) until the reply reaches the
 * connector, sequentially, p95 after a warm-up.
 */
export const bot: Benchmark = {
  name: 'bot',
  description: 'proactive fan-out of 10,000 messages against a throttling Bot Connector, and the command-to-reply round trip',
  async run({ workDir, log }) {
    const { child: connector, hello } = await child<{ url: string }>('bot-connector-process.js', { ratePerSecond: connectorRate, burst: connectorRate });
    const url = process.env.RUCHE_BENCH_DATABASE_URL;
    const dataDir = url ? undefined : await mkdtemp(path.join(workDir, 'data-'));
    const serverDir = await mkdtemp(path.join(workDir, 'server-'));
    let server: ChildProcess | undefined;
    try {
      // 1. Fan-out.
      const db: Db = url ? await openPostgres({ connectionString: url, max: 8 }) : await openPglite(dataDir);
      let database: string;
      let fanout: { wallS: number; sent: number; throttledByConnector: number };
      try {
        await migrate(db);
        database = await db.version();
        const tenantId = randomUUID();
        const t0 = performance.now();
        await prepareFanOut(db, tenantId, hello.url);
        log(`${messages} messages queued in ${Math.round(performance.now() - t0)} ms`);
        const sender = new TeamsProactiveSender();
        const t1 = performance.now();
        let lastLog = t1;
        let sent = 0;
        const report = await deliverProactiveMessages(db, tenantId, {
          sender,
          render: renderProactiveMessage,
          publicUrl: 'http://localhost:3978',
          afterSend: () => {
            sent++;
            if (performance.now() - lastLog > 30_000) {
              lastLog = performance.now();
              log(`${sent} sent, ${(sent / ((lastLog - t1) / 1000)).toFixed(1)}/s`);
            }
          },
        });
        const wallS = (performance.now() - t1) / 1000;
        const stats = await ask<ConnectorStats>(connector, 'stats', 'stats');
        if (report.sent !== messages || stats.distinctIds !== messages) {
          throw new Error(`fan-out incomplete: ${report.sent} recorded, ${stats.distinctIds} distinct activities at the connector`);
        }
        fanout = { wallS, sent: report.sent, throttledByConnector: stats.throttled };
        log(`fan-out: ${report.sent} sent in ${wallS.toFixed(1)} s (${(report.sent / wallS).toFixed(1)}/s), ${stats.throttled} answered 429, ${report.skipped} skipped`);
      } finally {
        await db.close();
      }
      await ask(connector, 'reset', 'reset');

      // 2. Command round trip on the server in local mode (its own process, embedded database, demo organisation).
      const started = await child<{ url: string }>('feed-server-process.js', { RUCHE_DATA_DIR: serverDir, RUCHE_DEMO: 'auto' });
      server = started.child;
      const base = started.hello.url;
      const latencies: number[] = [];
      let mounted = true;
      for (let i = 0; i < commandWarmup + commandSamples; i++) {
        const conversationId = `a:bench-cmd-${i}`;
        const activity = {
          type: 'message',
          id: randomUUID(),
          text: i % 2 === 0 ? 'help' : 'aide',
          locale: i % 2 === 0 ? 'en-US' : 'fr-FR',
          serviceUrl: hello.url,
          channelId: 'msteams',
          from: { id: `29:bench-${i}`, name: 'Camille Martin' },
          recipient: { id: '28:ruche-bot', name: 'Ruche' },
          conversation: { id: conversationId, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
        };
        const sentAt = performance.timeOrigin + performance.now();
        const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
        await res.arrayBuffer();
        if (res.status === 404) {
          mounted = false;
          break;
        }
        if (res.status >= 300) throw new Error(`/api/messages answered ${res.status}`);
        // The reply may still be on its way to the connector when the answer comes back.
        let arrival: number | undefined;
        for (let wait = 0; wait < 200 && arrival === undefined; wait++) {
          const stats = await ask<ConnectorStats>(connector, 'stats', 'stats');
          arrival = stats.firstArrival[conversationId];
          if (arrival === undefined) await new Promise((r) => setTimeout(r, 5));
        }
        if (arrival === undefined) throw new Error(`no reply reached the connector for message ${i}`);
        if (i >= commandWarmup) latencies.push(arrival - sentAt);
      }
      const metrics: Record<string, number> = {
        fanout_10k_wall_s: round(fanout.wallS, 1),
        fanout_10k_floor_s: round(messages / defaultProactiveLimits.tenant.perSecond, 1),
        fanout_429_answers: fanout.throttledByConnector,
      };
      if (mounted) {
        latencies.sort((a, b) => a - b);
        metrics.command_reply_p95_ms = round(percentile(latencies, 95));
        metrics.command_reply_p50_ms = round(percentile(latencies, 50));
        log(`help -> reply at the connector: p50 ${metrics.command_reply_p50_ms} ms, p95 ${metrics.command_reply_p95_ms} ms (${latencies.length} samples)`);
      } else {
        log('no bot at /api/messages on this server: command_reply_p95_ms not measured');
      }
      return { database, metrics };
    } finally {
      if (server) {
        server.removeAllListeners('exit');
        const exited = new Promise((r) => server!.once('exit', r));
        server.send({ type: 'stop' });
        await exited;
      }
      connector.removeAllListeners('exit');
      const closed = new Promise((r) => connector.once('exit', r));
      connector.send({ type: 'close' });
      await closed;
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      await rm(serverDir, { recursive: true, force: true });
    }
  },
};
