/** The Teams bot of Ruche: commands in English and French, Adaptive Cards, message extensions. */
export { createBot, MESSAGING_ENDPOINT, type BotOptions, type RucheBot } from './app.js';
export { parseCommand, editDistance, fold, wordMatches, type Command, type Lang, type MentionRef, type MentionEntity, type ParsedCommand } from './parser.js';
export { verbs, type Card } from './cards.js';
export type { IHttpServerAdapter, HttpMethod, HttpRouteHandler } from '@microsoft/teams.apps';
export { proactiveDelivery, renderProactiveMessage, TeamsProactiveSender, type TeamsProactiveSenderOptions } from './proactive/index.js';
