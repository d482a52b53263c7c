export * from './model.js';
export * from './audit.js';
export * from './communities.js';
export * from './membership.js';
export * from './org-units.js';
