export { liveChannel, publishLive, parseLiveEvent, type LiveEvent } from './events.js';
export { LiveHub, type LiveEnvelope, type LiveHandler, type LiveHubOptions } from './hub.js';
export { liveMessageFor, type LiveMessage, type ReactionChange } from './deliver.js';
