export * from './fold.js';
export * from './keywords.js';
export * from './rate-limit.js';
export * from './moderation.js';
export * from './audit-log.js';
export * from './personal-data.js';
