/** Microsoft 365 groups and teams linked to communities, membership kept in sync. */
export * from './links.js';
