import type { Db } from '../store/db.js';
import { purgeIdempotencyKeys } from '../idempotency.js';
import { sendAcknowledgementReminders, tenantsWithAnnouncements } from '../announcements/requests.js';
import { purgeUnattachedFiles } from '../files/attachments.js';
import { refreshExpertiseEvidence } from '../expertise/expertise.js';
import { requestExpiredBiographyVerifications } from '../people/profile.js';
import { runMeetupRound, tenantsWithMeetups } from '../meetups/meetups.js';
import { sendSimilarWorkDigests } from '../similar/digest.js';
import { refreshSimilarProfiles } from '../similar/profiles.js';
import type { FileStore } from '../files/store.js';
import type { JobQueue } from './queue.js';
import type { GraphConfig } from '../config.js';
import type { GraphClient } from '../graph/index.js';
import { directoryGraphClient } from '../directory/graph-client.js';
import { deliverTeamsNotifications, enableTeamsDelivery, tenantsWithPendingTeamsDeliveries } from '../teams/delivery.js';
import { enableSearchConnector, pushConnectorUpdates, tenantsWithPendingConnectorUpdates } from '../connector/connector.js';
import { deliverProactiveMessages, purgeProactiveOutbox, tenantsWithPendingProactiveMessages, type ProactiveRenderer, type ProactiveSender } from '../bot/proactive.js';
import { previousDigestWeek, queueWeeklyDigests, tenantsWithBotConversations } from '../bot/digest.js';
import { fetchSharePointNews } from '../news/news.js';
import { syncLinkedGroups } from '../groups/links.js';

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/** Every hour, at minute 7 (UTC): off the hour, when other schedules tend to fire. */
export const IDEMPOTENCY_PURGE_CRON = '7 * * * *';

/** Must-read reminders and newcomers to announcement audiences: every hour, at minute 17 (UTC). */
export const ANNOUNCEMENT_REMINDERS_CRON = '17 * * * *';

/** Expertise evidence: every 15 minutes (the finder counts new answers and posts after that delay). */
export const EXPERTISE_REFRESH_CRON = '*/15 * * * *';

/** Expired biography verifications: every day at 06:23 (UTC). */
export const PEOPLE_VERIFICATIONS_CRON = '23 6 * * *';

/** Meetup rounds: every day at 07:11 (UTC); a round runs once per period (week or two weeks), so later ticks do nothing. */
export const MEETUPS_ROUND_CRON = '11 7 * * *';

/** Digest of similar work for community managers: Mondays at 08:13 (UTC), once per ISO week and manager. */
export const SIMILAR_DIGEST_CRON = '13 8 * * 1';

/** Words of new posts counted and community word profiles refreshed for "same work elsewhere": every hour, at minute 47 (UTC). */
export const SIMILAR_PROFILES_CRON = '47 * * * *';

async function allTenants(db: Db): Promise<string[]> {
  const r = await db.query<{ id: string }>('select id from tenants order by id');
  return r.rows.map((x) => x.id);
}

/** Uploads never attached to a post: every hour, at minute 37 (UTC). */
export const FILES_PURGE_CRON = '37 * * * *';

/**
 * Works every Ruche job in this process and records the periodic schedules (a schedule is
 * stored once in the database; every processing instance watches it, and pg-boss sends one
 * job per tick whatever the number of instances).
 */
/** Teams deliveries and connector pushes left behind (expired leases, missed wake-ups): every minute. */
export const GRAPH_OUTBOX_SWEEP_CRON = '* * * * *';

export interface RucheJobDeps {
  files?: FileStore;
  /** Microsoft Graph (config.graph): Teams activity-feed delivery and the search connector run only with it. */
  graph?: GraphConfig;
  /** A ready Graph client instead of one built from `graph` (tests: the simulator). */
  graphClient?: GraphClient;
  /** Ruche's public URL (links in notifications and search results). */
  publicUrl?: string;
  /** The Teams app id of the manifest, for deep links in activity-feed notifications. */
  teamsAppId?: string;
  /** The bot's proactive messages (bot/src/proactive): without it, the bot outbox is not drained. */
  proactive?: { sender: ProactiveSender; render: ProactiveRenderer };
}

export async function registerRucheJobs(queue: JobQueue, db: Db, deps: RucheJobDeps = {}): Promise<void> {
  await queue.work('idempotency.purge', async (data, { logger }) => {
    // Idempotent by nature: deleting what is already gone deletes nothing.
    const deleted = await purgeIdempotencyKeys(db, data.olderThanHours);
    logger.info({ deleted }, 'expired idempotency keys purged');
  });
  await queue.schedule('idempotency.purge', IDEMPOTENCY_PURGE_CRON, { olderThanHours: IDEMPOTENCY_RETENTION_HOURS });
  await queue.work('announcements.remind', async (_data, { logger }) => {
    // Idempotent: a reminder is counted per request and interval, so a second run sends nothing more.
    for (const tenantId of await tenantsWithAnnouncements(db)) {
      const report = await sendAcknowledgementReminders(db, tenantId);
      if (report.asked > 0 || report.reminded > 0) logger.info({ tenantId, ...report }, 'announcement acknowledgements requested and reminded');
    }
  });
  await queue.schedule('announcements.remind', ANNOUNCEMENT_REMINDERS_CRON, {});
  await queue.work('expertise.refresh', async (_data, { logger }) => {
    // Idempotent: each run replaces a tenant's evidence as a whole, in one transaction.
    for (const tenantId of await allTenants(db)) {
      const { rows, ms } = await refreshExpertiseEvidence(db, tenantId);
      logger.info({ tenantId, rows, ms: Math.round(ms) }, 'expertise evidence refreshed');
    }
  });
  await queue.schedule('expertise.refresh', EXPERTISE_REFRESH_CRON, {});
  await queue.work('people.verifications', async (_data, { logger }) => {
    // Idempotent: a manager is asked once per expired verification.
    for (const tenantId of await allTenants(db)) {
      const asked = await requestExpiredBiographyVerifications(db, tenantId);
      if (asked > 0) logger.info({ tenantId, asked }, 'biography verifications requested');
    }
  });
  await queue.schedule('people.verifications', PEOPLE_VERIFICATIONS_CRON, {});
  await queue.work('meetups.round', async (_data, { logger }) => {
    // Idempotent: one round per tenant and period (unique start day); a second run returns the existing round.
    for (const tenantId of await tenantsWithMeetups(db)) {
      const report = await runMeetupRound(db, tenantId);
      if (report?.created) logger.info({ tenantId, ...report }, 'meetup round run');
    }
  });
  await queue.schedule('meetups.round', MEETUPS_ROUND_CRON, {});
  await queue.work('similar.digest', async (_data, { logger }) => {
    // Idempotent: one digest per manager and ISO week (recorded with the notification).
    for (const tenantId of await allTenants(db)) {
      const report = await sendSimilarWorkDigests(db, tenantId);
      if (report.notified > 0) logger.info({ tenantId, ...report }, 'similar work digests sent');
    }
  });
  await queue.schedule('similar.digest', SIMILAR_DIGEST_CRON, {});
  await queue.work('similar.profiles', async (_data, { logger }) => {
    // Idempotent: words are counted from a watermark under a row lock; profiles are rebuilt whole.
    for (const tenantId of await allTenants(db)) {
      const report = await refreshSimilarProfiles(db, tenantId);
      if (report.posts + report.communities > 0) logger.info({ tenantId, ...report }, 'similar work profiles refreshed');
    }
  });
  await queue.schedule('similar.profiles', SIMILAR_PROFILES_CRON, {});
  const files = deps.files;
  if (files) {
    await queue.work('files.purge', async (data, { logger }) => {
      const deleted = await purgeUnattachedFiles(db, files, data.olderThanHours);
      if (deleted > 0) logger.info({ deleted }, 'unattached uploads purged');
    });
    await queue.schedule('files.purge', FILES_PURGE_CRON, { olderThanHours: 24 });
  }
  await registerGraphOutboxJobs(queue, db, deps);
  await registerGraphDirectoryJobs(queue, db, deps);
  await registerBotJobs(queue, db, deps);
}

/** Days a proactive message is remembered once done (the digest of a week is queued once within them). */
export const PROACTIVE_OUTBOX_RETENTION_DAYS = 30;

/** The weekly bot digest: Mondays at 07:41 (UTC), about the week before. */
export const BOT_DIGEST_CRON = '41 7 * * 1';

/**
 * The bot's proactive messages: notifications wake the drain of their tenant at once
 * (NOTIFY from the outbox trigger); a sweep every minute catches what a wake-up missed; the
 * weekly digest is queued on Mondays.
 */
async function registerBotJobs(queue: JobQueue, db: Db, deps: RucheJobDeps): Promise<void> {
  const proactive = deps.proactive;
  if (!proactive) return;
  const publicUrl = deps.publicUrl ?? 'http://localhost:3978';
  await queue.work('bot.deliver', async (data, { logger }) => {
    if (!data.tenantId) {
      for (const tenant of await tenantsWithPendingProactiveMessages(db)) await queue.enqueue('bot.deliver', { tenantId: tenant }, { singletonKey: tenant });
      const purged = await purgeProactiveOutbox(db, PROACTIVE_OUTBOX_RETENTION_DAYS);
      if (purged > 0) logger.info({ purged }, 'old bot messages forgotten');
      return;
    }
    // Idempotent: rows are claimed with a lease and recorded one by one; a retry sends what is left.
    const report = await deliverProactiveMessages(db, data.tenantId, {
      sender: proactive.sender,
      render: proactive.render,
      publicUrl,
      ...(deps.teamsAppId ? { teamsAppId: deps.teamsAppId } : {}),
    });
    if (report.sent + report.failed + report.skipped > 0) logger.info({ tenantId: data.tenantId, ...report }, 'bot messages sent');
  });
  await queue.work('bot.digest', async (data, { logger }) => {
    // Idempotent: one digest per person and week (unique outbox row).
    const week = data.weekStart ?? previousDigestWeek(new Date());
    for (const tenantId of await tenantsWithBotConversations(db)) {
      const report = await queueWeeklyDigests(db, tenantId, week);
      if (report.queued > 0) {
        logger.info({ tenantId, week, ...report }, 'bot digests queued');
        await queue.enqueue('bot.deliver', { tenantId }, { singletonKey: tenantId });
      }
    }
  });
  await queue.schedule('bot.deliver', GRAPH_OUTBOX_SWEEP_CRON, {});
  await queue.schedule('bot.digest', BOT_DIGEST_CRON, {});
  await db.listen('ruche_bot_outbox', (tenant) => {
    if (!/^[0-9a-f-]{36}$/i.test(tenant)) return;
    queue.enqueue('bot.deliver', { tenantId: tenant }, { singletonKey: tenant }).catch(() => undefined);
  });
  await queue.enqueue('bot.deliver', {});
}

/**
 * Teams delivery and the search connector: on for the Graph tenant when Graph is configured,
 * off (no outbox filled) otherwise. Notifications and content changes wake the drains at
 * once through NOTIFY; a sweep every minute catches what a wake-up missed.
 */
async function registerGraphOutboxJobs(queue: JobQueue, db: Db, deps: RucheJobDeps): Promise<void> {
  const graph = deps.graph;
  // Tenants other than the configured one (or all of them without Graph) get no Teams outbox rows.
  await db.query('delete from teams_delivery_tenants where $1::uuid is null or tenant_id <> $1::uuid', [graph?.tenantId ?? null]);
  if (!graph) return;
  const tenantId = graph.tenantId;
  await db.query(`insert into tenants (id, name) values ($1, 'Organisation') on conflict (id) do nothing`, [tenantId]);
  await enableTeamsDelivery(db, tenantId, deps.teamsAppId ? { teamsAppId: deps.teamsAppId } : {});
  await enableSearchConnector(db, tenantId);
  const client = deps.graphClient ?? directoryGraphClient(graph);
  const clientFor = (tenant: string): GraphClient | undefined => (tenant === tenantId ? client : undefined);
  const publicUrl = deps.publicUrl ?? 'http://localhost:3978';

  await queue.work('teams.deliver', async (data, { logger }) => {
    if (!data.tenantId) {
      for (const tenant of await tenantsWithPendingTeamsDeliveries(db)) await queue.enqueue('teams.deliver', { tenantId: tenant }, { singletonKey: tenant });
      return;
    }
    const graphClient = clientFor(data.tenantId);
    if (!graphClient) return;
    const report = await deliverTeamsNotifications(db, data.tenantId, { graph: graphClient, publicUrl });
    if (report.sent + report.failed + report.skipped > 0) logger.info({ tenantId: data.tenantId, ...report }, 'Teams notifications delivered');
  });
  await queue.work('connector.push', async (data, { logger }) => {
    if (!data.tenantId) {
      for (const tenant of await tenantsWithPendingConnectorUpdates(db)) await queue.enqueue('connector.push', { tenantId: tenant }, { singletonKey: tenant });
      return;
    }
    const graphClient = clientFor(data.tenantId);
    if (!graphClient) return;
    const report = await pushConnectorUpdates(db, data.tenantId, { graph: graphClient, publicUrl });
    if (report.pushed + report.deleted + report.failed > 0) logger.info({ tenantId: data.tenantId, ...report }, 'search connector updated');
  });
  await queue.schedule('teams.deliver', GRAPH_OUTBOX_SWEEP_CRON, {});
  await queue.schedule('connector.push', GRAPH_OUTBOX_SWEEP_CRON, {});
  const wake = (name: 'teams.deliver' | 'connector.push') => (tenant: string) => {
    if (!/^[0-9a-f-]{36}$/i.test(tenant)) return;
    queue.enqueue(name, { tenantId: tenant }, { singletonKey: tenant }).catch(() => undefined);
  };
  await db.listen('ruche_teams_outbox', wake('teams.deliver'));
  await db.listen('ruche_connector_outbox', wake('connector.push'));
  // Whatever was left by a previous run.
  await queue.enqueue('teams.deliver', {});
  await queue.enqueue('connector.push', {});
}

/** SharePoint news every 15 minutes and the linked groups every 10, for the Graph tenant; nothing without Graph. */
async function registerGraphDirectoryJobs(queue: JobQueue, db: Db, deps: RucheJobDeps): Promise<void> {
  const graph = deps.graph;
  if (!graph) return;
  const tenantId = graph.tenantId;
  const client = deps.graphClient ?? directoryGraphClient(graph);
  await queue.work('news.fetch', async (_data, { logger }) => {
    const report = await fetchSharePointNews(db, client, tenantId, graph.newsSites);
    if (report.stored + report.removed > 0 || report.missingSites.length > 0) logger.info({ tenantId, ...report }, 'SharePoint news fetched');
  });
  await queue.work('groups.sync', async (_data, { logger }) => {
    const linked = await db.query('select 1 from community_group_links where tenant_id = $1 limit 1', [tenantId]);
    if (linked.rowCount === 0) return;
    const report = await syncLinkedGroups(db, client, tenantId);
    if (report.groupsChanged + report.pushed + report.pushFailed > 0) logger.info({ tenantId, ...report }, 'linked groups synced');
  });
  if (graph.newsSites.length > 0) {
    await queue.schedule('news.fetch', '*/15 * * * *', {});
    await queue.enqueue('news.fetch', {});
  }
  await queue.schedule('groups.sync', '*/10 * * * *', {});
}
