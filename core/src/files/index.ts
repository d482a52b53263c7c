export * from './store.js';
export * from './attachments.js';
