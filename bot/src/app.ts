/**
 * The Teams bot on the Teams SDK (@microsoft/teams.apps): one App whose messaging endpoint
 * is mounted on the host's HTTP server through an IHttpServerAdapter, so one process serves
 * the API and the bot. Every action goes through core.
 */
import { createHash } from 'node:crypto';
import { App, type IHttpServerAdapter } from '@microsoft/teams.apps';
import type { ILogger } from '@microsoft/teams.common';
import {
  type Config,
  type Db,
  type Logger,
  RucheError,
  createCommunity,
  listCommunities,
  removeConversationReference,
  saveConversationReference,
  type NewConversationReference,
} from '@ruche/core';
import { runCardAction } from './actions.js';
import { type ActivityIdentity, type Caller, resolveCaller } from './caller.js';
import { type Card, errorCard, messageCard, unknownPersonCard } from './cards.js';
import { type Place, runCommand } from './commands.js';
import { openAction, runQuery, submitAction, type TaskResponse } from './extensions.js';
import { t } from './i18n.js';
import { fold, type Lang, parseCommand, type MentionEntity } from './parser.js';
import { problemMessage } from './problems.js';
import { claimActivity, finishActivity, linkTeam, purgeActivities, releaseActivity, teamCommunity } from './store.js';

export const MESSAGING_ENDPOINT = '/api/messages';

export interface BotOptions {
  db: Db;
  config: Config;
  logger: Logger;
  /** Mounts the messaging endpoint on the host (registerRoute('POST', '/api/messages', handler)). */
  httpServerAdapter: IHttpServerAdapter;
  /** Local mode: the organisation of activities from an unknown tenant (the demo organisation). */
  localTenantId?: string;
}

export interface RucheBot {
  app: App;
  /** Registers the route on the adapter; call once, before the host listens. */
  start(): Promise<void>;
}

/** The SDK's logger interface on the host's structured logger. */
function sdkLogger(logger: Logger, name = 'teams-sdk'): ILogger {
  const child = logger.child({ component: name });
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  const self: ILogger = {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    trace: (...msg: unknown[]) => child.trace(line(msg)),
    log: (level, ...msg: unknown[]) => child[level === 'error' || level === 'warn' || level === 'info' || level === 'debug' ? level : 'trace'](line(msg)),
    child: (n: string) => sdkLogger(logger, `${name}.${n}`),
  };
  return self;
}

/** A Teams activity as the handlers read it (the SDK types each route's activity more precisely). */
interface AnyActivity extends ActivityIdentity {
  id?: string;
  type: string;
  name?: string;
  text?: string;
  value?: unknown;
  serviceUrl?: string;
  entities?: MentionEntity[];
  recipient?: { id?: string; name?: string };
  conversation?: { id?: string; tenantId?: string; conversationType?: string; isGroup?: boolean };
  channelData?: { tenant?: { id?: string }; team?: { id?: string; name?: string }; channel?: { id?: string }; eventType?: string };
  membersAdded?: { id?: string }[];
  membersRemoved?: { id?: string }[];
  action?: string;
}

interface Ctx {
  activity: AnyActivity;
  send(activity: Card | string): Promise<unknown>;
}

const PURGE_EVERY = 500;

/** A 31-bit advisory lock key for a name. */
function lockKey(name: string): number {
  return Number.parseInt(createHash('sha256').update(name).digest('hex').slice(0, 8), 16) & 0x7fffffff;
}

export function createBot(options: BotOptions): RucheBot | undefined {
  const { db, config, logger } = options;
  const bot = config.bot;
  if (!bot) return undefined;
  const log = logger.child({ component: 'bot' });
  const identity = config.local && options.localTenantId ? { localTenantId: options.localTenantId } : {};

  const app = new App({
    // Explicit values keep the SDK from reading CLIENT_ID / CLIENT_SECRET / TENANT_ID from the environment.
    clientId: bot.appId ?? '',
    clientSecret: bot.credential.kind === 'secret' ? bot.credential.secret : '',
    tenantId: bot.tenantId ?? '',
    ...(bot.appId && bot.credential.kind === 'managed-identity' ? { managedIdentityClientId: bot.credential.managedIdentityClientId ?? bot.appId } : {}),
    httpServerAdapter: options.httpServerAdapter,
    messagingEndpoint: MESSAGING_ENDPOINT,
    serviceUrl: 'https://smba.trafficmanager.net/teams',
    dangerouslyAllowUnauthenticatedRequests: bot.allowUnauthenticated && config.local,
    logger: sdkLogger(logger),
    activity: { mentions: { stripText: false } },
  });

  let claims = 0;

  function placeOf(a: AnyActivity): Place {
    const type = a.conversation?.conversationType;
    const teamId = a.channelData?.team?.id;
    return { conversationType: type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal', ...(teamId ? { teamId } : {}) };
  }

  async function saveReference(tenantId: string, a: AnyActivity, caller: Caller | undefined): Promise<void> {
    if (!a.conversation?.id || !a.serviceUrl || !a.recipient?.id) return;
    const place = placeOf(a);
    const ref: NewConversationReference = {
      conversationId: a.conversation.id,
      conversationType: place.conversationType,
      serviceUrl: a.serviceUrl,
      botId: a.recipient.id,
      ...(a.from?.aadObjectId ? { entraOid: a.from.aadObjectId.toLowerCase() } : {}),
      ...(caller ? { personId: caller.person.id } : {}),
      ...(place.teamId ? { teamId: place.teamId } : {}),
      ...(a.channelData?.channel?.id ? { channelId: a.channelData.channel.id } : {}),
      ...(a.conversation.tenantId ?? a.channelData?.tenant?.id ? { tenantEntraId: (a.conversation.tenantId ?? a.channelData?.tenant?.id)! } : {}),
    };
    try {
      await saveConversationReference(db, tenantId, ref);
    } catch (err) {
      // The reply matters more than the reference; the next message saves it again.
      log.warn({ err: (err as Error).message, conversationId: a.conversation.id }, 'conversation reference not saved');
    }
  }

  /**
   * Runs `work` once per activity id: a retry finds the claim and gets `onRepeat`. A core
   * error is an answer (nothing was saved); an unexpected failure releases the claim, so
   * that a retry runs the work again.
   */
  async function once<T>(tenantId: string, a: AnyActivity, kind: string, work: () => Promise<T>, onRepeat: () => Promise<T>): Promise<T> {
    const id = a.id;
    if (!id) return work();
    if (!(await claimActivity(db, tenantId, id, kind))) return onRepeat();
    if (++claims % PURGE_EVERY === 0) purgeActivities(db).catch((err: Error) => log.warn({ err: err.message }, 'purge of handled activities failed'));
    try {
      const result = await work();
      await finishActivity(db, tenantId, id);
      return result;
    } catch (err) {
      if (err instanceof RucheError) await finishActivity(db, tenantId, id);
      else await releaseActivity(db, tenantId, id).catch(() => undefined);
      throw err;
    }
  }

  function failureCard(lang: Lang, err: unknown, a: AnyActivity): Card {
    if (err instanceof RucheError && err.kind !== 'internal' && err.kind !== 'unavailable') {
      const details = err.details?.issues;
      const extra =
        lang === 'en' && Array.isArray(details)
          ? `: ${details.map((i: { path?: string; message?: string }) => [i.path, i.message].filter(Boolean).join(' ')).join('; ')}`
          : '';
      return errorCard(lang, problemMessage(lang, err) + extra);
    }
    log.error({ err, activityId: a.id, type: a.type, name: a.name }, 'bot activity failed');
    return errorCard(lang, '', { internal: true });
  }

  async function sendAll(ctx: Ctx, cards: Card[]): Promise<void> {
    for (const card of cards) await ctx.send(card);
  }

  // Messages: one command each.
  app.on('message', async (raw) => {
    const ctx = raw as unknown as Ctx;
    const a = ctx.activity;
    const who = await resolveCaller(db, a, identity);
    if (who.tenantId) await saveReference(who.tenantId, a, who.caller);
    if (!who.tenantId || !who.caller) {
      await ctx.send(unknownPersonCard(who.lang));
      return;
    }
    const caller = who.caller;
    const parsed = parseCommand(a.text ?? '', a.entities ?? [], a.recipient?.id);
    let cards: Card[] | undefined;
    try {
      cards = await once(caller.tenantId, a, `message.${parsed.command.kind}`, () => runCommand({ db }, caller, parsed.command, placeOf(a)), async () => undefined);
    } catch (err) {
      cards = [failureCard(caller.lang, err, a)];
    }
    if (cards) await sendAll(ctx, cards);
  });

  // Installation in a personal scope, a team or a group chat; removal.
  async function onInstalled(ctx: Ctx): Promise<void> {
    const a = ctx.activity;
    const who = await resolveCaller(db, a, identity);
    if (!who.tenantId) return;
    await saveReference(who.tenantId, a, who.caller);
    const teamId = a.channelData?.team?.id;
    if (teamId && who.caller) {
      const card = await linkTeamToCommunity(who.caller, teamId, a.channelData?.team?.name);
      if (card) await ctx.send(card);
    }
  }

  async function onRemoved(a: AnyActivity): Promise<void> {
    const who = await resolveCaller(db, a, identity);
    if (who.tenantId && a.conversation?.id) await removeConversationReference(db, who.tenantId, a.conversation.id);
  }

  /**
   * A team gets a community: an existing one of the team's name, else a new public project
   * community (created through core, so the policy decides whether this person may).
   */
  async function linkTeamToCommunity(caller: Caller, teamId: string, teamName: string | undefined): Promise<Card | undefined> {
    const { lang } = caller;
    const name = (teamName ?? '').trim();
    if (name === '') return (await teamCommunity(db, caller.tenantId, teamId)) ? undefined : messageCard(lang, 'team.notLinked', []);
    // Teams sends both installationUpdate and conversationUpdate when the app joins a team:
    // one at a time, so the team gets one community.
    return db.withLock(lockKey(`bot-team:${caller.tenantId}:${teamId}`), () => linkTeamLocked(caller, teamId, name));
  }

  async function linkTeamLocked(caller: Caller, teamId: string, name: string): Promise<Card | undefined> {
    const { lang } = caller;
    if (await teamCommunity(db, caller.tenantId, teamId)) return undefined;
    try {
      const page = await listCommunities(db, caller.viewer, { q: name.slice(0, 100), limit: 5 });
      const existing = page.items.find((c) => fold(c.name) === fold(name));
      if (existing) {
        await linkTeam(db, caller.tenantId, { teamId, communityId: existing.id, teamName: name, linkedBy: caller.person.id });
        return messageCard(lang, 'team.linked', [], { community: existing.name });
      }
      const created = await createCommunity(db, caller.viewer, { name: name.slice(0, 80), kind: 'project', visibility: 'public' });
      await linkTeam(db, caller.tenantId, { teamId, communityId: created.id, teamName: name, linkedBy: caller.person.id });
      return messageCard(lang, 'team.created', [], { community: created.name });
    } catch (err) {
      return failureCard(lang, err, { type: 'conversationUpdate' });
    }
  }

  app.on('install.add', async (raw) => onInstalled(raw as unknown as Ctx));
  app.on('install.remove', async (raw) => onRemoved((raw as unknown as Ctx).activity));
  app.on('conversationUpdate', async (raw) => {
    const ctx = raw as unknown as Ctx;
    const a = ctx.activity;
    const botId = a.recipient?.id;
    if (botId && a.membersAdded?.some((m) => m.id === botId)) await onInstalled(ctx);
    else if (botId && a.membersRemoved?.some((m) => m.id === botId)) await onRemoved(a);
  });

  // Universal actions: the refreshed card for the person who pressed.
  app.on('card.action', async (raw) => {
    const ctx = raw as unknown as Ctx;
    const a = ctx.activity;
    const who = await resolveCaller(db, a, identity);
    const respond = (card: Card) => ({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
    if (!who.caller) return respond(unknownPersonCard(who.lang)) as never;
    const caller = who.caller;
    const value = (a.value ?? {}) as { action?: { verb?: string; data?: Record<string, unknown> } };
    const action = { verb: value.action?.verb ?? '', data: value.action?.data ?? {} };
    try {
      const card = await once(
        caller.tenantId,
        a,
        `card.${action.verb}`,
        () => runCardAction(db, caller, action),
        () => runCardAction(db, caller, action, true),
      );
      return respond(card) as never;
    } catch (err) {
      return respond(failureCard(caller.lang, err, a)) as never;
    }
  });

  // Message extensions.
  async function extensionCaller(a: AnyActivity): Promise<Caller | { lang: Lang; card: Card }> {
    const who = await resolveCaller(db, a, identity);
    return who.caller ?? { lang: who.lang, card: unknownPersonCard(who.lang) };
  }
  const commandOf = (a: AnyActivity) => String((a.value as { commandId?: string } | undefined)?.commandId ?? '');
  const taskOf = (title: string, card: Card): TaskResponse => ({
    task: { type: 'continue', value: { title, card: { contentType: 'application/vnd.microsoft.card.adaptive', content: card } } },
  });

  app.on('message.ext.query', async (raw) => {
    const a = (raw as unknown as Ctx).activity;
    const c = await extensionCaller(a);
    if ('card' in c) return { composeExtension: { type: 'message', text: t(c.lang, 'person.unknown.text') } } as never;
    try {
      return (await runQuery(db, c, commandOf(a), a.value)) as never;
    } catch (err) {
      if (!(err instanceof RucheError)) log.error({ err, activityId: a.id }, 'message extension query failed');
      const text = err instanceof RucheError ? problemMessage(c.lang, err) : t(c.lang, 'error.internal');
      return { composeExtension: { type: 'message', text } } as never;
    }
  });

  app.on('message.ext.open', async (raw) => {
    const a = (raw as unknown as Ctx).activity;
    const c = await extensionCaller(a);
    if ('card' in c) return taskOf('Ruche', c.card) as never;
    try {
      return (await openAction(db, c, commandOf(a), a.value)) as never;
    } catch (err) {
      return taskOf('Ruche', failureCard(c.lang, err, a)) as never;
    }
  });

  app.on('message.ext.submit', async (raw) => {
    const a = (raw as unknown as Ctx).activity;
    const c = await extensionCaller(a);
    if ('card' in c) return taskOf('Ruche', c.card) as never;
    try {
      const result = await once(c.tenantId, a, `ext.${commandOf(a)}`, () => submitAction(db, c, commandOf(a), a.value), async () => ({}));
      return result as never;
    } catch (err) {
      // The form stays open with what went wrong; nothing was saved.
      return taskOf('Ruche', failureCard(c.lang, err, a)) as never;
    }
  });

  app.event('error', ({ error }) => {
    log.error({ err: error }, 'Teams SDK error');
  });

  return {
    app,
    async start() {
      await app.initialize();
    },
  };
}
