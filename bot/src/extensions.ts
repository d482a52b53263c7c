/**
 * Message extensions (the command ids of manifest/appPackage/manifest.json): search "findExpert"
 * and "findPost" (the chosen result goes into the message as a card); actions "giveKudos" and
 * "shareToCommunity" from a message, each with a task module form.
 */
import { type Db, createPost, findExperts, getPost, giveKudos, listCommunities, listKudosValues, searchPosts } from '@ruche/core';
import type { Caller } from './caller.js';
import { resolvePeople } from './caller.js';
import { type Card, errorCard, expertCard, kudosCard, kudosFormCard, messageCard, postCard, shareFormCard } from './cards.js';
import { t } from './i18n.js';

const cardType = 'application/vnd.microsoft.card.adaptive';

export interface Attachment {
  contentType: string;
  content: unknown;
  preview?: { contentType: string; content: unknown };
}

function attachment(card: Card, title: string, subtitle: string): Attachment {
  return { contentType: cardType, content: card, preview: { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title, text: subtitle } } };
}

export interface ExtensionResult {
  composeExtension: { type: 'result' | 'message'; attachmentLayout?: 'list'; attachments?: Attachment[]; text?: string };
}

export interface TaskResponse {
  task: { type: 'continue'; value: { title: string; card: { contentType: string; content: Card } } } | { type: 'message'; value: string };
}

const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The text of a Teams message body (HTML): tags removed, entities decoded. */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function queryText(value: unknown): string {
  const params = record(value).parameters;
  if (!Array.isArray(params)) return '';
  const p = params.map(record).find((x) => x.name === 'query') ?? params.map(record)[0];
  return str(p?.value).trim();
}

export async function runQuery(db: Db, caller: Caller, commandId: string, value: unknown): Promise<ExtensionResult> {
  const q = queryText(value).slice(0, 100);
  const { lang } = caller;
  const empty: ExtensionResult = { composeExtension: { type: 'message', text: t(lang, 'ext.noResults') } };
  if (q === '') return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [] } };
  if (commandId === 'findExpert') {
    const r = await findExperts(db, caller.viewer, { q, limit: 10 });
    if (r.items.length === 0) return empty;
    return {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: r.items.map((hit) => attachment(expertCard(lang, hit), hit.person.displayName, hit.why)),
      },
    };
  }
  if (commandId === 'findPost') {
    const hits = await searchPosts(db, caller.viewer, { q, limit: 10 });
    if (hits.items.length === 0) return empty;
    const posts = await Promise.all(hits.items.map((h) => getPost(db, caller.viewer, h.id)));
    return {
      composeExtension: {
        type: 'result',
        attachmentLayout: 'list',
        attachments: posts.map((p) => attachment(postCard(lang, p), p.title || p.body.slice(0, 80), `${p.author.displayName} · ${p.community?.name ?? ''}`)),
      },
    };
  }
  return empty;
}

function task(title: string, card: Card): TaskResponse {
  return { task: { type: 'continue', value: { title, card: { contentType: cardType, content: card } } } };
}

/** The message an action command was started from. */
export interface MessagePayload {
  text: string;
  author?: { aadObjectId?: string; name: string };
}

export function messagePayloadOf(value: unknown): MessagePayload {
  const payload = record(record(value).messagePayload);
  const body = record(payload.body);
  const user = record(record(payload.from).user);
  const text = body.contentType === 'html' || /<[a-z]/i.test(str(body.content)) ? plainText(str(body.content)) : str(body.content).trim();
  const name = str(user.displayName);
  const aadObjectId = str(user.aadObjectId) || (/^[0-9a-f-]{36}$/i.test(str(user.id)) ? str(user.id) : '');
  return { text, ...(name || aadObjectId ? { author: { name, ...(aadObjectId ? { aadObjectId } : {}) } } : {}) };
}

/** composeExtension/fetchTask: the form of an action command. */
export async function openAction(db: Db, caller: Caller, commandId: string, value: unknown): Promise<TaskResponse> {
  const { lang } = caller;
  const message = messagePayloadOf(value);
  if (commandId === 'giveKudos') {
    const title = t(lang, 'ext.kudos.title');
    if (!message.author) return task(title, errorCard(lang, t(lang, 'ext.unknownAuthor')));
    const people = await resolvePeople(db, caller.tenantId, [message.author]);
    const recipient = people.found[0];
    if (!recipient) return task(title, errorCard(lang, t(lang, 'ext.unknownAuthor')));
    const values = await listKudosValues(db, caller.viewer);
    return task(title, kudosFormCard(lang, recipient, values, ''));
  }
  if (commandId === 'shareToCommunity') {
    const title = t(lang, 'ext.share.title');
    const mine = await listCommunities(db, caller.viewer, { mine: true, limit: 100 });
    const postable = mine.items.filter((c) => c.permissions.post);
    if (postable.length === 0) return task(title, messageCard(lang, 'ext.share.title', [t(lang, 'ext.share.none')]));
    return task(title, shareFormCard(lang, postable, message.text));
  }
  return task('Ruche', errorCard(lang, t(lang, 'unknown.text')));
}

/** composeExtension/submitAction: does what the form asks; the result goes into the compose box as a card. */
export async function submitAction(db: Db, caller: Caller, commandId: string, value: unknown): Promise<ExtensionResult> {
  const { lang } = caller;
  const data = record(record(value).data);
  if (commandId === 'giveKudos') {
    const given = await giveKudos(db, caller.viewer, {
      recipients: [str(data.recipientId)],
      valueKey: str(data.valueKey),
      message: str(data.message),
      visibility: 'public',
    });
    const card = kudosCard(lang, given.kudos);
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [attachment(card, t(lang, 'ext.kudos.title'), given.kudos.message)] } };
  }
  if (commandId === 'shareToCommunity') {
    const post = await createPost(db, caller.viewer, { communityId: str(data.communityId), kind: 'discussion', body: str(data.text) });
    const card = postCard(lang, post);
    return { composeExtension: { type: 'result', attachmentLayout: 'list', attachments: [attachment(card, post.community?.name ?? '', post.body.slice(0, 80))] } };
  }
  return { composeExtension: { type: 'message', text: t(lang, 'unknown.text') } };
}
