export * from './people.js';
export * from './profile.js';
