/** Same work elsewhere: similar posts and communities in other departments, and the managers' digest. */
export * from './similar.js';
export * from './digest.js';
export * from './profiles.js';
