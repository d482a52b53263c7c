export * from './policy.js';
export * from './announcements.js';
export * from './recognition.js';
export * from './search-connector.js';
export * from './insights.js';
export * from './group-links.js';
export * from './directory.js';
