/**
 * Conversation references of the Teams bot: where it may write proactively. Saved when the
 * app is installed (for a person, in a team, in a group chat) and refreshed by every
 * message; removed when the app is uninstalled or the Bot Connector says the conversation
 * is gone.
 */
import type { Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';

export const conversationTypes = ['personal', 'channel', 'groupChat'] as const;
export type ConversationType = (typeof conversationTypes)[number];

/** What the bot knows of a conversation to send into it later. */
export interface ConversationReference {
  tenantId: string;
  conversationId: string;
  conversationType: ConversationType;
  /** The person of a personal conversation (or who installed the app), when known. */
  personId: string | null;
  entraOid: string | null;
  /** The Bot Connector endpoint of the conversation's region (activity.serviceUrl). */
  serviceUrl: string;
  /** The bot's id in the conversation (activity.recipient.id). */
  botId: string;
  teamId: string | null;
  channelId: string | null;
  /** The Entra tenant of the conversation (channelData.tenant.id). */
  tenantEntraId: string | null;
  updatedAt: string;
}

export interface NewConversationReference {
  entraOid?: string;
  personId?: string;
  conversationId: string;
  conversationType: ConversationType;
  serviceUrl: string;
  botId: string;
  teamId?: string;
  channelId?: string;
  tenantEntraId?: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ConversationRow {
  tenant_id: string;
  conversation_id: string;
  conversation_type: ConversationType;
  person_id: string | null;
  entra_oid: string | null;
  service_url: string;
  bot_id: string;
  team_id: string | null;
  channel_id: string | null;
  tenant_entra_id: string | null;
  updated_at: Date | string;
}

export const conversationColumns = `c.tenant_id, c.conversation_id, c.conversation_type, c.person_id, c.entra_oid, c.service_url, c.bot_id,
  c.team_id, c.channel_id, c.tenant_entra_id, c.updated_at`;

export function toConversationReference(row: ConversationRow): ConversationReference {
  return {
    tenantId: row.tenant_id,
    conversationId: row.conversation_id,
    conversationType: row.conversation_type,
    personId: row.person_id,
    entraOid: row.entra_oid,
    serviceUrl: row.service_url,
    botId: row.bot_id,
    teamId: row.team_id,
    channelId: row.channel_id,
    tenantEntraId: row.tenant_entra_id,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function invalid(field: string, message: string): RucheError {
  return new RucheError('VALIDATION_FAILED', message, { details: { field } });
}

function requiredText(value: unknown, field: string, max = 1000): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, `${field} is required`);
  if (value.length > max) throw invalid(field, `${field} is too long`);
  return value;
}

function optionalText(value: unknown, field: string, max = 1000): string | null {
  if (value === undefined || value === null || value === '') return null;
  return requiredText(value, field, max);
}

function validate(ref: NewConversationReference): NewConversationReference {
  requiredText(ref.conversationId, 'conversationId');
  if (!(conversationTypes as readonly string[]).includes(ref.conversationType)) {
    throw invalid('conversationType', `conversationType must be one of ${conversationTypes.join(', ')}`);
  }
  let url: URL;
  try {
    url = new URL(requiredText(ref.serviceUrl, 'serviceUrl', 2000));
  } catch (err) {
    if (err instanceof RucheError) throw err;
    throw invalid('serviceUrl', 'serviceUrl is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('serviceUrl', 'serviceUrl must be an http(s) URL');
  requiredText(ref.botId, 'botId');
  if (ref.entraOid !== undefined && ref.entraOid !== null && !uuidPattern.test(ref.entraOid)) throw invalid('entraOid', 'entraOid is not an Entra object id');
  if (ref.personId !== undefined && ref.personId !== null && !uuidPattern.test(ref.personId)) throw invalid('personId', 'personId is not a person id');
  optionalText(ref.teamId, 'teamId');
  optionalText(ref.channelId, 'channelId');
  optionalText(ref.tenantEntraId, 'tenantEntraId');
  return ref;
}

/**
 * Saves (or refreshes) a conversation reference. The person is found from the Entra object
 * id when no person id is given (null when nobody of the tenant has it yet: the reference is
 * linked when the directory knows them). A new personal conversation of a person replaces
 * their previous one.
 */
export async function saveConversationReference(db: Queryable, tenantId: string, ref: NewConversationReference): Promise<void> {
  validate(ref);
  let personId = ref.personId ?? null;
  const entraOid = ref.entraOid ? ref.entraOid.toLowerCase() : null;
  if (personId) {
    const p = await db.query<{ id: string }>('select id from people where tenant_id = $1 and id = $2', [tenantId, personId]);
    if (!p.rows[0]) throw new RucheError('PERSON_NOT_FOUND', 'No such person', { details: { field: 'personId' } });
  } else if (entraOid) {
    const p = await db.query<{ id: string }>('select id from people where tenant_id = $1 and entra_oid = $2', [tenantId, entraOid]);
    personId = p.rows[0]?.id ?? null;
  }
  if (ref.conversationType === 'personal' && personId) {
    await db.query(
      `delete from bot_conversations where tenant_id = $1 and person_id = $2 and conversation_type = 'personal' and conversation_id <> $3`,
      [tenantId, personId, ref.conversationId],
    );
  }
  await db.query(
    `insert into bot_conversations (tenant_id, conversation_id, conversation_type, person_id, entra_oid, service_url, bot_id, team_id, channel_id, tenant_entra_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (tenant_id, conversation_id) do update set
       conversation_type = excluded.conversation_type,
       person_id = coalesce(excluded.person_id, bot_conversations.person_id),
       entra_oid = coalesce(excluded.entra_oid, bot_conversations.entra_oid),
       service_url = excluded.service_url,
       bot_id = excluded.bot_id,
       team_id = coalesce(excluded.team_id, bot_conversations.team_id),
       channel_id = coalesce(excluded.channel_id, bot_conversations.channel_id),
       tenant_entra_id = coalesce(excluded.tenant_entra_id, bot_conversations.tenant_entra_id),
       updated_at = now()`,
    [
      tenantId,
      ref.conversationId,
      ref.conversationType,
      personId,
      entraOid,
      ref.serviceUrl,
      ref.botId,
      ref.teamId || null,
      ref.channelId || null,
      ref.tenantEntraId || null,
    ],
  );
}

/** Forgets a conversation (app uninstalled, conversation gone). Removing an unknown one does nothing. */
export async function removeConversationReference(db: Queryable, tenantId: string, conversationId: string): Promise<void> {
  await db.query('delete from bot_conversations where tenant_id = $1 and conversation_id = $2', [tenantId, conversationId]);
}

/**
 * The personal conversation of a person with the bot, or null when the app is not installed
 * for them. A reference saved before the directory knew the person (matched by Entra object
 * id) is linked to them here.
 */
export async function personalConversationFor(db: Queryable, tenantId: string, personId: string): Promise<ConversationReference | null> {
  if (!uuidPattern.test(personId)) return null;
  const r = await db.query<ConversationRow>(
    `select ${conversationColumns}
       from people p
       join bot_conversations c on c.tenant_id = p.tenant_id and c.conversation_type = 'personal'
        and (c.person_id = p.id or (c.person_id is null and c.entra_oid = p.entra_oid))
      where p.tenant_id = $1 and p.id = $2
      order by c.person_id nulls last, c.updated_at desc
      limit 1`,
    [tenantId, personId],
  );
  const row = r.rows[0];
  if (!row) return null;
  if (row.person_id === null) {
    await db.query(
      `delete from bot_conversations where tenant_id = $1 and person_id = $2 and conversation_type = 'personal' and conversation_id <> $3`,
      [tenantId, personId, row.conversation_id],
    );
    await db.query('update bot_conversations set person_id = $3 where tenant_id = $1 and conversation_id = $2', [tenantId, row.conversation_id, personId]);
    row.person_id = personId;
  }
  return toConversationReference(row);
}
