export { liveChannel, publishLive, parseLiveEvent, type LiveEvent } from './events.js';
