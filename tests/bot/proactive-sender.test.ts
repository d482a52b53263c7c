/**
 * The proactive sender on the Teams SDK's API client against the local Bot Connector:
 * the bot's token when there is one (none in local mode), the connector's answers as
 * results (activity id, status, Retry-After), never as exceptions.
 */
import { TeamsProactiveSender, botTokenSource, retryAfterMs } from '../../bot/src/proactive/index.js';
import { createLogger } from '../../core/src/log.js';
import type { ConversationReference } from '../../core/src/bot/index.js';
import { startProactiveConnector, type ProactiveConnector } from './proactive-connector.js';

let connector: ProactiveConnector;
beforeAll(async () => {
  connector = await startProactiveConnector({ ratePerSecond: 2, burst: 2, requireToken: 'bot-token' });
});
afterAll(async () => {
  await connector.close();
});
beforeEach(() => connector.reset());

function ref(conversationId: string): ConversationReference {
  return {
    tenantId: '00000000-0000-4000-8000-000000000001',
    conversationId,
    conversationType: 'personal',
    personId: null,
    entraOid: null,
    serviceUrl: connector.url,
    botId: '28:bot',
    teamId: null,
    channelId: null,
    tenantEntraId: 'b7f1e1a4-0000-4000-8000-000000000001',
    updatedAt: new Date().toISOString(),
  };
}

test('sends with the bot token; the activity carries the conversation tenant next to its own channel data', async () => {
  const sender = new TeamsProactiveSender({ token: async () => 'bot-token' });
  const result = await sender.send(ref('a:1'), { type: 'message', text: 'Hello', channelData: { ruche: { outboxId: 'ruche-t-1' } } });
  expect(result).toEqual({ ok: true, activityId: connector.delivered[0]!.id });
  expect(connector.delivered[0]).toMatchObject({
    conversationId: 'a:1',
    authorization: 'Bearer bot-token',
    tenant: 'b7f1e1a4-0000-4000-8000-000000000001',
    key: 'ruche-t-1',
    activity: { type: 'message', text: 'Hello', conversation: { id: 'a:1' }, channelData: { ruche: { outboxId: 'ruche-t-1' }, tenant: { id: 'b7f1e1a4-0000-4000-8000-000000000001' } } },
  });
});

test('answers become results: 401 without a token, 429 with Retry-After, 404 for a conversation gone, 0 when unreachable', async () => {
  const anonymous = new TeamsProactiveSender();
  expect(await anonymous.send(ref('a:2'), { type: 'message', text: 'x' })).toMatchObject({ ok: false, status: 401 });
  const sender = new TeamsProactiveSender({ token: 'bot-token' });
  expect((await sender.send(ref('a:3'), { type: 'message', text: '1' })).ok).toBe(true);
  expect((await sender.send(ref('a:3'), { type: 'message', text: '2' })).ok).toBe(true);
  expect(await sender.send(ref('a:3'), { type: 'message', text: '3' })).toMatchObject({ ok: false, status: 429, retryAfterMs: 1000 });
  connector.remove('a:4', 404);
  expect(await sender.send(ref('a:4'), { type: 'message', text: 'x' })).toMatchObject({ ok: false, status: 404, error: expect.stringContaining('ConversationNotFound') });
  const unreachable = await sender.send({ ...ref('a:5'), serviceUrl: 'http://127.0.0.1:9/' }, { type: 'message', text: 'x' });
  expect(unreachable).toMatchObject({ ok: false, status: 0 });
});

test('Retry-After in seconds or as an HTTP date', () => {
  expect(retryAfterMs('3')).toBe(3000);
  expect(retryAfterMs(['0.5'])).toBe(500);
  expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
  expect(retryAfterMs('soon')).toBeUndefined();
  expect(retryAfterMs(undefined)).toBeUndefined();
});

test('no token source without a bot registration (local mode); one with a secret', () => {
  const logger = createLogger({ level: 'silent' });
  expect(botTokenSource({ credential: { kind: 'none' }, allowUnauthenticated: true }, logger)).toBeUndefined();
  const source = botTokenSource({ appId: '6f1b9c3e-0000-4000-8000-000000000002', tenantId: 'b7f1e1a4-0000-4000-8000-000000000001', credential: { kind: 'secret', secret: 's' }, allowUnauthenticated: false }, logger);
  expect(typeof source).toBe('function');
});
