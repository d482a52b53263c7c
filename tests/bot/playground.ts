/**
 * Microsoft 365 Agents Playground as a test client: the Playground CLI (offline, telemetry
 * off, no browser) talks to the bot of a Ruche server on 127.0.0.1 like Teams does; the test
 * drives it through its HTTP conversation API and reads the bot's answers from its
 * conversation stream (WebSocket).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import WebSocket from 'ws';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- messages are checked by the assertions themselves
export type Json = any;

export interface PlaygroundUser {
  id: string;
  name: string;
  aadObjectId: string;
  upn: string;
}

export interface PlaygroundOptions {
  botEndpoint: string;
  tenantId: string;
  currentUser: PlaygroundUser;
  users: PlaygroundUser[];
  /** The Playground's locale (its activities' `locale`), from the process's LANG. */
  lang: 'en_US' | 'fr_FR';
}

export interface BotMessage {
  messageId: string;
  text?: string;
  cards: Json[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function yamlUser(u: PlaygroundUser, indent: string): string {
  return [
    `id: ${u.id}`,
    `name: ${u.name}`,
    `userPrincipleName: ${u.upn}`,
    `aadObjectId: ${u.aadObjectId}`,
    `givenName: ${u.name.split(' ')[0]}`,
    `surname: ${u.name.split(' ').slice(1).join(' ') || u.name}`,
    `email: ${u.upn}`,
  ]
    .map((l, i) => (i === 0 ? l : `${indent}${l}`))
    .join('\n');
}

export class Playground {
  private child: ChildProcess | undefined;
  private ws: WebSocket | undefined;
  private readonly received: BotMessage[] = [];
  private waiters: (() => void)[] = [];
  base = '';
  conversationId = '';
  botId = '';
  output = '';

  constructor(readonly options: PlaygroundOptions) {}

  async start(): Promise<void> {
    const dir = mkdtempSync(path.join(tmpdir(), 'ruche-playground-'));
    const configPath = path.join(dir, '.m365agentsplayground.yml');
    const o = this.options;
    writeFileSync(
      configPath,
      `version: "0.1.1"
tenantId: ${o.tenantId}
bot:
  id: 00000000-0000-0000-0000-00000000b07a
  name: Ruche
currentUser:
  ${yamlUser(o.currentUser, '  ')}
users:
${o.users.map((u) => `  - ${yamlUser(u, '    ')}`).join('\n')}
personalChat:
  id: personal-${o.currentUser.id}
groupChat:
  id: group-chat
  name: Group Chat
team:
  id: team-id
  name: Ruche Team
  aadGroupId: 00000000-0000-0000-0000-000000000031
  channels:
    - id: channel-general
      name: Announcements
`,
    );
    const port = await freePort();
    const cli = createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
    this.child = spawn(process.execPath, [cli, '-e', o.botEndpoint, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        LANG: `${o.lang}.UTF-8`,
        LC_ALL: `${o.lang}.UTF-8`,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(dir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    const deadline = Date.now() + 60_000;
    while (!/Listening on (\d+)/.test(this.output)) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`Agents Playground did not start: ${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    this.base = `http://127.0.0.1:${/Listening on (\d+)/.exec(this.output)![1]}`;
    const config = (await (await fetch(`${this.base}/_internal/v1/config`)).json()) as Json;
    this.conversationId = config.config.personalChat.id;
    this.botId = config.config.bot.id;
    this.ws = new WebSocket(`${this.base.replace('http', 'ws')}/_ws_conversation/v1/conversations/stream`);
    this.ws.on('message', (data) => {
      const event = JSON.parse(String(data)) as Json;
      if (event.action !== 'createMessage' || event.message?.from?.id !== this.botId) return;
      const m = event.message;
      this.received.push({
        messageId: m.messageId,
        ...(m.text ? { text: m.text } : {}),
        cards: (m.attachments ?? []).filter((a: Json) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a: Json) => a.content),
      });
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
    });
    await new Promise<void>((resolve, reject) => {
      this.ws!.once('open', () => resolve());
      this.ws!.once('error', reject);
    });
  }

  async stop(): Promise<void> {
    this.ws?.close();
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise((r) => this.child!.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
  }

  private async waitFor(count: number, from: number, timeoutMs: number): Promise<BotMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length - from < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} bot message(s), got ${this.received.length - from}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.slice(from);
  }

  /**
   * Sends a chat message as the current user; resolves with the bot's answers once `replies`
   * of them arrived (Teams would show them the same way).
   */
  async say(text: string, options: { replies?: number; mentions?: PlaygroundUser[] } = {}): Promise<BotMessage[]> {
    const from = this.received.length;
    const mentions = (options.mentions ?? []).map((u) => ({ mentioned: { id: u.id }, text: `<at>${u.name}</at>` }));
    const r = await fetch(`${this.base}/_conversation/v1/conversations/${encodeURIComponent(this.conversationId)}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: { id: this.options.currentUser.id }, text, textFormat: 'plain', ...(mentions.length > 0 ? { mentions } : {}) }),
    });
    if (r.status !== 200) throw new Error(`Playground refused the message (${r.status}): ${await r.text()}`);
    await this.waitFor(options.replies ?? 1, from, 20_000);
    // Anything more would be an error: give a late extra reply a moment to show.
    await new Promise((res) => setTimeout(res, 150));
    return this.received.slice(from);
  }

  /**
   * Sends a message activity of our own making through the Playground's custom activities
   * (its way to mock what a Teams client sends), e.g. with the locale of a French client:
   * the Playground's own chat always says en-US.
   */
  async sayWithLocale(text: string, locale: string, options: { replies?: number; entities?: Json[] } = {}): Promise<BotMessage[]> {
    const from = this.received.length;
    const u = this.options.currentUser;
    const activity = {
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: `${this.base}/_connector`,
      from: { id: u.id, name: u.name, aadObjectId: u.aadObjectId },
      recipient: { id: this.botId, name: 'Ruche' },
      conversation: { id: this.conversationId, conversationType: 'personal', tenantId: this.options.tenantId },
      channelData: { tenant: { id: this.options.tenantId } },
      locale,
      text,
      textFormat: 'plain',
      ...(options.entities ? { entities: options.entities } : {}),
    };
    const r = await fetch(`${this.base}/_internal/v1/customActivities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (r.status !== 200) throw new Error(`Playground refused the activity (${r.status}): ${await r.text()}`);
    await this.waitFor(options.replies ?? 1, from, 20_000);
    await new Promise((res) => setTimeout(res, 150));
    return this.received.slice(from);
  }

  /** Presses an Action.Execute button of a card the bot sent (an adaptiveCard/action invoke). */
  async press(message: BotMessage, action: Json): Promise<Json> {
    return this.invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb: action.verb, data: action.data } }, message.messageId);
  }

  async invoke(name: string, value: Json, replyToId?: string): Promise<Json> {
    const r = await fetch(`${this.base}/_conversation/v1/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        value,
        from: { id: this.options.currentUser.id },
        conversation: { id: this.conversationId },
        ...(replyToId ? { replyToId } : {}),
      }),
    });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`Playground invoke failed (${r.status}): ${body}`);
    return body ? JSON.parse(body) : null;
  }
}
