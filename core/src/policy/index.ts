export * from './policy.js';
export * from './announcements.js';
