/**
 * What the worker needs to send proactive messages: the sender with the bot's Bot Framework
 * token (from the bot registration of the configuration, through the Teams SDK's token
 * manager, as the bot's App gets it) and the renderer. In local mode without a registration
 * there is no token: the local Bot Connector stand-in takes none.
 */
import type { BotConfig, Logger, ProactiveRenderer, ProactiveSender } from '@ruche/core';
import type { ILogger } from '@microsoft/teams.common';
import { TokenManager } from '@microsoft/teams.apps/dist/token-manager.js';
import { TeamsProactiveSender } from './sender.js';
import { renderProactiveMessage } from './render.js';

function tokenLogger(logger: Logger, name = 'bot-token'): ILogger {
  const child = logger.child({ component: name });
  // Only messages of the SDK are logged, never a token (the SDK logs none).
  const line = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  const self: ILogger = {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    trace: (...msg: unknown[]) => child.trace(line(msg)),
    log: (level, ...msg: unknown[]) => child[level === 'error' || level === 'warn' || level === 'info' || level === 'debug' ? level : 'trace'](line(msg)),
    child: (n: string) => tokenLogger(logger, `${name}.${n}`),
  };
  return self;
}

/** A function returning the bot's Bot Framework token, or undefined without a registration (local mode). */
export function botTokenSource(bot: BotConfig, logger: Logger): (() => Promise<string | undefined>) | undefined {
  if (!bot.appId || bot.credential.kind === 'none') return undefined;
  const manager = new TokenManager(
    {
      // Explicit values keep the SDK from reading CLIENT_ID / CLIENT_SECRET / TENANT_ID from the environment.
      clientId: bot.appId,
      clientSecret: bot.credential.kind === 'secret' ? bot.credential.secret : '',
      tenantId: bot.tenantId ?? '',
      ...(bot.credential.kind === 'managed-identity' ? { managedIdentityClientId: bot.credential.managedIdentityClientId ?? bot.appId } : {}),
    },
    tokenLogger(logger),
  );
  return async () => {
    const token = await manager.getBotToken();
    return token ? token.toString() : undefined;
  };
}

/** The proactive sender and renderer for the job queue (RucheJobDeps.proactive). */
export function proactiveDelivery(bot: BotConfig, logger: Logger): { sender: ProactiveSender; render: ProactiveRenderer } {
  const token = botTokenSource(bot, logger);
  return { sender: new TeamsProactiveSender(token ? { token } : {}), render: renderProactiveMessage };
}
