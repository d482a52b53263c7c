/** Proactive messages of the bot: the sender on the Teams SDK's API client and the rendering of notifications. */
export { TeamsProactiveSender, retryAfterMs, type TeamsProactiveSenderOptions } from './sender.js';
export { renderProactiveMessage } from './render.js';
export { proactiveMessages, say, type ProactiveMessageKey } from './messages.js';
export { proactiveDelivery, botTokenSource } from './delivery.js';
