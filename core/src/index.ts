export * from './errors.js';
export * from './config.js';
export * from './log.js';
export * from './store/index.js';
export * from './people/index.js';
export * from './policy/index.js';
export * from './pagination.js';
export * from './idempotency.js';
