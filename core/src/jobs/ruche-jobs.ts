import type { Db } from '../store/db.js';
import { purgeIdempotencyKeys } from '../idempotency.js';
import { sendAcknowledgementReminders, tenantsWithAnnouncements } from '../announcements/requests.js';
import { purgeUnattachedFiles } from '../files/attachments.js';
import type { FileStore } from '../files/store.js';
import type { JobQueue } from './queue.js';

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_RETENTION_HOURS = 24;

/** Every hour, at minute 7 (UTC): off the hour, when other schedules tend to fire. */
export const IDEMPOTENCY_PURGE_CRON = '7 * * * *';

/** Must-read reminders and newcomers to announcement audiences: every hour, at minute 17 (UTC). */
export const ANNOUNCEMENT_REMINDERS_CRON = '17 * * * *';

/** Uploads never attached to a post: every hour, at minute 37 (UTC). */
export const FILES_PURGE_CRON = '37 * * * *';

/**
 * Works every Ruche job in this process and records the periodic schedules (a schedule is
 * stored once in the database; every processing instance watches it, and pg-boss sends one
 * job per tick whatever the number of instances).
 */
export async function registerRucheJobs(queue: JobQueue, db: Db, deps: { files?: FileStore } = {}): Promise<void> {
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
  const files = deps.files;
  if (files) {
    await queue.work('files.purge', async (data, { logger }) => {
      const deleted = await purgeUnattachedFiles(db, files, data.olderThanHours);
      if (deleted > 0) logger.info({ deleted }, 'unattached uploads purged');
    });
    await queue.schedule('files.purge', FILES_PURGE_CRON, { olderThanHours: 24 });
  }
}
