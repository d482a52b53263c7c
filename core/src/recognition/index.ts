/** Recognition: kudos, company values, badges, walls, contribution scores and leaderboards. */
export * from './settings.js';
export * from './values.js';
export * from './kudos.js';
export * from './score.js';
