export { jobCatalogue, type JobTypes, type JobCatalogue, type QueueDefinition } from './catalogue.js';
export {
  createJobQueue,
  pgBossDb,
  type JobQueue,
  type JobQueueOptions,
  type JobData,
  type JobContext,
  type JobHandler,
  type EnqueueOptions,
  type WorkOptions,
  type StopOptions,
} from './queue.js';
export { registerRucheJobs, IDEMPOTENCY_PURGE_CRON, IDEMPOTENCY_RETENTION_HOURS, GRAPH_OUTBOX_SWEEP_CRON, type RucheJobDeps } from './ruche-jobs.js';
