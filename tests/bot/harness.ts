/**
 * Drives the bot as Teams does: activity JSON posted to the server's /api/messages (app.inject),
 * with the replies captured by a local stand-in for the Bot Connector (the activity's serviceUrl).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Db, createCommunity, joinCommunity, type Viewer } from '@ruche/core';
import { createTestTenant } from '@ruche/core/testing';
import type { RucheApp } from '@ruche/server';
import { localConfig, testApp } from '../../server/src/testing.js';

export const BOT_ID = '28:ruche-bot';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- cards are checked by the assertions themselves
export type Json = any;

export interface SentActivity {
  conversationId: string;
  method: string;
  path: string;
  body: Json;
}

/** A Bot Connector stand-in: records what the bot sends and answers like the real one. */
export class FakeConnector {
  readonly sent: SentActivity[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        this.sent.push({ conversationId: decodeURIComponent(m?.[1] ?? ''), method: req.method ?? '', path: req.url ?? '', body: data ? JSON.parse(data) : null });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: randomUUID() }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

export interface Someone {
  key: string;
  id: string;
  oid: string;
  name: string;
  viewer: Viewer;
}

export interface BotWorld {
  db: Db;
  tenant: string;
  ruche: RucheApp;
  connector: FakeConnector;
  people: Record<string, Someone>;
  communities: Record<string, string>;
  close(): Promise<void>;
}

/** A small organisation: people with Entra object ids, two communities (Ana and Ben are members of the first). */
export async function createWorld(db: Db): Promise<BotWorld> {
  const tenant = await createTestTenant(db, 'Hexagone');
  const spec = [
    { key: 'ana', name: 'Ana Martin', given: 'Ana', lang: 'en', roles: [] as string[] },
    { key: 'ben', name: 'Ben Durand', given: 'Ben', lang: 'en', roles: [] },
    { key: 'chloe', name: 'Chloé Lefèvre', given: 'Chloé', lang: 'fr', roles: [] },
    { key: 'dan', name: 'Dan Moreau', given: 'Dan', lang: 'fr', roles: ['admin', 'communicator'] },
    { key: 'eve', name: 'Eve Petit', given: 'Eve', lang: 'en', roles: [] },
  ];
  const people: Record<string, Someone> = {};
  for (const s of spec) {
    const oid = randomUUID();
    const r = await db.query<{ id: string }>(
      `insert into people (tenant_id, entra_oid, upn, display_name, given_name, preferred_language, roles, department)
       values ($1, $2, $3, $4, $5, $6, $7, 'Engineering') returning id`,
      [tenant, oid, `${s.key}@hexagone.example`, s.name, s.given, s.lang, s.roles],
    );
    const id = r.rows[0]!.id;
    people[s.key] = { key: s.key, id, oid, name: s.name, viewer: { tenantId: tenant, personId: id, roles: s.roles } };
  }
  const data = await createCommunity(db, people.ana!.viewer, { name: 'Data engineering', kind: 'profession', visibility: 'public' });
  await joinCommunity(db, people.ben!.viewer, data.id);
  await joinCommunity(db, people.chloe!.viewer, data.id);
  const facilities = await createCommunity(db, people.dan!.viewer, { name: 'Facilities', kind: 'interest', visibility: 'public' });
  const connector = new FakeConnector();
  await connector.start();
  const ruche = await testApp(db, localConfig(), tenant);
  return {
    db,
    tenant,
    ruche,
    connector,
    people,
    communities: { data: data.id, facilities: facilities.id },
    async close() {
      await ruche.app.close();
      await connector.stop();
    },
  };
}

export interface ActivityOptions {
  locale?: string;
  id?: string;
  entities?: Json[];
  conversation?: Json;
  channelData?: Json;
  /** Someone Ruche does not know. */
  stranger?: boolean;
}

export function activity(world: BotWorld, who: string, fields: Json, options: ActivityOptions = {}): Json {
  const p = world.people[who];
  const oid = options.stranger || !p ? randomUUID() : p.oid;
  const name = options.stranger || !p ? 'Zed Unknown' : p.name;
  return {
    id: options.id ?? randomUUID(),
    timestamp: new Date().toISOString(),
    serviceUrl: world.connector.url,
    channelId: 'msteams',
    from: { id: `29:${oid}`, name, aadObjectId: oid },
    recipient: { id: BOT_ID, name: 'Ruche' },
    conversation: options.conversation ?? { id: `a:personal-${who}`, conversationType: 'personal', tenantId: world.tenant },
    channelData: options.channelData ?? { tenant: { id: world.tenant } },
    locale: options.locale ?? 'en-US',
    ...(options.entities ? { entities: options.entities } : {}),
    ...fields,
  };
}

export function mention(world: BotWorld, who: string): { text: string; entity: Json } {
  const p = world.people[who]!;
  return { text: `<at>${p.name}</at>`, entity: { type: 'mention', text: `<at>${p.name}</at>`, mentioned: { id: `29:${p.oid}`, name: p.name } } };
}

export function botMention(): { text: string; entity: Json } {
  return { text: '<at>Ruche</at>', entity: { type: 'mention', text: '<at>Ruche</at>', mentioned: { id: BOT_ID, name: 'Ruche' } } };
}

export interface Exchange {
  status: number;
  body: Json;
  /** The activities the bot sent while handling this one. */
  replies: Json[];
  /** The Adaptive Cards among them. */
  cards: Json[];
}

export async function post(world: BotWorld, body: Json): Promise<Exchange> {
  const before = world.connector.sent.length;
  const r = await world.ruche.app.inject({ method: 'POST', url: '/api/messages', payload: body });
  const replies = world.connector.sent.slice(before).map((s) => s.body);
  const cards = replies.flatMap((a: Json) => (a.attachments ?? []).filter((x: Json) => x.contentType === 'application/vnd.microsoft.card.adaptive').map((x: Json) => x.content));
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null, replies, cards };
}

/** Sends a chat message from someone and returns what the bot answered. */
export async function say(world: BotWorld, who: string, text: string, options: ActivityOptions = {}): Promise<Exchange> {
  return post(world, activity(world, who, { type: 'message', text }, options));
}

/** All the text of a card, for assertions. */
export function cardText(card: Json): string {
  const out: string[] = [];
  const walk = (x: Json) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        if ((k === 'text' || k === 'title' || k === 'value' || k === 'label') && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return out.join('\n');
}

export function actionsOf(card: Json): Json[] {
  const out: Json[] = [];
  const walk = (x: Json) => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (x && typeof x === 'object') {
      if (x.type === 'Action.Execute' && x.title) out.push(x);
      for (const v of Object.values(x)) walk(v);
    }
  };
  walk(card);
  return out;
}

/** Presses an Action.Execute button as `who` (an adaptiveCard/action invoke). */
export async function press(world: BotWorld, who: string, action: Json, options: ActivityOptions = {}): Promise<Exchange> {
  return post(
    world,
    activity(world, who, { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data } } }, options),
  );
}

export async function count(db: Db, sql: string, params: unknown[]): Promise<number> {
  const r = await db.query<{ n: number }>(sql, params);
  return r.rows[0]!.n;
}
