/** Meetups: opt-in pairing rounds across departments, "did you meet?" follow-up, statistics. */
export * from './meetups.js';
