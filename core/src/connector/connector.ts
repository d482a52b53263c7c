/**
 * The Graph (Copilot) search connector: posts (every kind: discussions, questions,
 * announcements...) pushed as external items of one connection per tenant, with ACLs
 * derived from the policy (searchAudience). Changes reach `connector_outbox` through
 * triggers (migration 014) or enqueueConnectorUpdate; pushConnectorUpdates drains it.
 *
 * Each push reads the item's current state and PUTs it whole (or DELETEs it), so a row
 * processed twice (after a crash, a lease taken over) pushes the same thing twice: harmless.
 * A change made while a row is being pushed bumps its version, and the row stays pending.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../store/db.js';
import {
  GraphErrorCodes,
  createExternalConnection,
  deleteExternalItem,
  getExternalConnection,
  isRucheGraphError,
  putExternalItem,
  registerExternalSchema,
  type ExternalAcl,
  type ExternalItem,
  type GraphClient,
} from '../graph/index.js';
import { searchAudience, type CommunityVisibility } from '../policy/index.js';
import { RucheError } from '../errors.js';
import { Throttle, realClock, type ThrottleRate, type ThrottleClock } from '../teams/throttle.js';

/** Pushes per second to a tenant's connection (Graph allows more; items are small and many). */
export const defaultConnectorLimit: ThrottleRate = { perSecond: 20, burst: 20 };

export const defaultConnectionId = 'ruche';

export interface ConnectorOptions {
  graph: GraphClient;
  /** Ruche's public URL: items link back to it. */
  publicUrl: string;
  limit?: ThrottleRate;
  batchSize?: number;
  leaseSeconds?: number;
  maxAttempts?: number;
  clock?: ThrottleClock;
}

export interface ConnectorReport {
  pushed: number;
  deleted: number;
  /** Community rows turned into pushes of their posts. */
  expanded: number;
  failed: number;
}

/**
 * Turns the connector on for a tenant and queues every existing post once (the first time).
 * The connection itself is created by the first push (ensureConnection).
 */
export async function enableSearchConnector(db: Db, tenantId: string, options: { connectionId?: string } = {}): Promise<{ queued: number }> {
  const connectionId = options.connectionId ?? defaultConnectionId;
  if (!/^[A-Za-z0-9]{3,32}$/.test(connectionId)) throw new RucheError('CONFIG_INVALID', 'The connection id must be 3-32 letters or digits');
  return db.transaction(async (tx) => {
    const inserted = await tx.query(
      `insert into connector_tenants (tenant_id, connection_id) values ($1, $2) on conflict (tenant_id) do nothing returning tenant_id`,
      [tenantId, connectionId],
    );
    if (inserted.rowCount === 0) return { queued: 0 };
    const r = await tx.query(
      `insert into connector_outbox (tenant_id, item_type, item_id)
       select tenant_id, 'post', id from posts where tenant_id = $1 and deleted_at is null and hidden_at is null order by created_at, id
       on conflict (tenant_id, item_type, item_id) where state = 'pending' do nothing`,
      [tenantId],
    );
    return { queued: r.rowCount };
  });
}

/** Queues an item (or a community's items) to push again, inside the caller's transaction. */
export async function enqueueConnectorUpdate(tx: Queryable, tenantId: string, item: { type: 'post' | 'community'; id: string }): Promise<void> {
  await tx.query('select ruche_connector_enqueue($1, $2, $3)', [tenantId, item.type, item.id]);
}

export async function tenantsWithPendingConnectorUpdates(db: Db): Promise<string[]> {
  const r = await db.query<{ tenant_id: string }>(
    `select t.tenant_id from connector_tenants t
      where exists (select 1 from connector_outbox o where o.tenant_id = t.tenant_id and o.state = 'pending')`,
  );
  return r.rows.map((x) => x.tenant_id);
}

/** Creates the connection and registers its schema once; waits for Graph to say it is ready. */
export async function ensureConnection(db: Db, graph: GraphClient, tenantId: string): Promise<string> {
  const row = (await db.query<{ connection_id: string; state: string }>('select connection_id, state from connector_tenants where tenant_id = $1', [tenantId])).rows[0];
  if (!row) throw new RucheError('GRAPH_NOT_CONFIGURED', 'The search connector is not enabled for this tenant');
  if (row.state === 'ready') return row.connection_id;
  let connection = await getExternalConnection(graph, row.connection_id);
  if (!connection) {
    connection = await createExternalConnection(graph, { id: row.connection_id, name: 'Ruche', description: 'Posts, questions and announcements from Ruche communities' });
  }
  if (connection.state !== 'ready') {
    await registerExternalSchema(graph, row.connection_id);
    // Graph provisions the schema asynchronously (202): items are pushed once it is ready.
    connection = await getExternalConnection(graph, row.connection_id);
    if (connection?.state !== 'ready') throw new Error(`The connection ${row.connection_id} is not ready yet (state ${connection?.state ?? 'unknown'})`);
  }
  await db.query(`update connector_tenants set state = 'ready', ready_at = now() where tenant_id = $1`, [tenantId]);
  return row.connection_id;
}

interface PostFacts {
  id: string;
  title: string;
  body: string;
  kind: string;
  created_at: Date;
  updated_at: Date;
  hidden_at: Date | null;
  deleted_at: Date | null;
  community_id: string | null;
  community_name: string | null;
  visibility: CommunityVisibility | null;
  linked_group_id: string | null;
  author: string;
}

async function bannedOids(db: Queryable, tenantId: string, communityId: string): Promise<string[]> {
  const r = await db.query<{ entra_oid: string }>(
    `select p.entra_oid from memberships m join people p on p.tenant_id = m.tenant_id and p.id = m.person_id
      where m.tenant_id = $1 and m.community_id = $2 and m.state = 'banned' and p.entra_oid is not null order by p.entra_oid`,
    [tenantId, communityId],
  );
  return r.rows.map((x) => x.entra_oid);
}

async function memberOids(db: Queryable, tenantId: string, communityId: string): Promise<string[]> {
  const r = await db.query<{ entra_oid: string }>(
    `select p.entra_oid from memberships m join people p on p.tenant_id = m.tenant_id and p.id = m.person_id
      where m.tenant_id = $1 and m.community_id = $2 and m.state = 'active' and p.entra_oid is not null and not p.is_former_employee
      order by p.entra_oid`,
    [tenantId, communityId],
  );
  return r.rows.map((x) => x.entra_oid);
}

/**
 * The external item of a post as it should be now, or null when it must not be in the
 * index (deleted, hidden, or nobody it could be granted to).
 */
export async function externalItemOf(db: Queryable, tenantId: string, postId: string, publicUrl: string): Promise<ExternalItem | null> {
  const post = (
    await db.query<PostFacts>(
      `select p.id, p.title, p.body, p.kind, p.created_at, p.updated_at, p.hidden_at, p.deleted_at, p.community_id,
              c.name as community_name, c.visibility, c.linked_group_id, a.display_name as author
         from posts p
         join people a on a.tenant_id = p.tenant_id and a.id = p.author_id
         left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
        where p.tenant_id = $1 and p.id = $2`,
      [tenantId, postId],
    )
  ).rows[0];
  if (!post) return null;
  if (post.community_id && !post.visibility) return null;
  const audience = searchAudience({
    hidden: post.hidden_at !== null,
    deleted: post.deleted_at !== null,
    community: post.community_id ? { visibility: post.visibility!, linkedGroupId: post.linked_group_id } : null,
  });
  let acl: ExternalAcl[];
  switch (audience.kind) {
    case 'none':
      return null;
    case 'everyone':
      acl = [{ type: 'everyone', value: tenantId, accessType: 'grant' }];
      break;
    case 'members':
      acl =
        audience.via === 'group'
          ? [{ type: 'group', value: audience.groupId, accessType: 'grant' }]
          : (await memberOids(db, tenantId, post.community_id!)).map((oid) => ({ type: 'user' as const, value: oid, accessType: 'grant' as const }));
      break;
  }
  if (acl.length === 0) return null;
  if (post.community_id) {
    // Deny wins over grant in Graph: people banned from the community never find its items.
    for (const oid of await bannedOids(db, tenantId, post.community_id)) acl.push({ type: 'user', value: oid, accessType: 'deny' });
  }
  const title = post.title || post.body.replace(/\s+/g, ' ').trim().slice(0, 120);
  return {
    id: post.id,
    acl,
    properties: {
      title,
      url: `${publicUrl.replace(/\/+$/, '')}/tabs/home?post=${encodeURIComponent(post.id)}`,
      authors: [post.author],
      'authors@odata.type': 'Collection(String)',
      createdDateTime: post.created_at.toISOString(),
      lastModifiedDateTime: post.updated_at.toISOString(),
      community: post.community_name ?? 'Organisation',
    },
    content: { type: 'text', value: post.body },
  };
}

interface OutboxRow {
  id: string;
  item_type: 'post' | 'community';
  item_id: string;
  version: number;
  attempts: number;
}

function isPermanent(error: unknown): boolean {
  return isRucheGraphError(error, GraphErrorCodes.HttpError) && typeof error.status === 'number' && error.status >= 400 && error.status < 500 && error.status !== 408;
}

/** Drains the tenant's connector outbox (oldest first). Throws when Graph keeps failing; the job retries. */
export async function pushConnectorUpdates(db: Db, tenantId: string, options: ConnectorOptions): Promise<ConnectorReport> {
  const clock = options.clock ?? realClock;
  const leaseSeconds = options.leaseSeconds ?? 120;
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 8;
  const throttle = new Throttle(options.limit ?? defaultConnectorLimit, undefined, clock);
  const report: ConnectorReport = { pushed: 0, deleted: 0, expanded: 0, failed: 0 };
  const enabled = (await db.query('select 1 from connector_tenants where tenant_id = $1', [tenantId])).rowCount > 0;
  if (!enabled) return report;
  const connectionId = await ensureConnection(db, options.graph, tenantId);
  const owner = randomUUID();
  for (;;) {
    const rows = (
      await db.query<OutboxRow>(
        `update connector_outbox o set lease_owner = $2, lease_until = $3::timestamptz + make_interval(secs => $4), attempts = o.attempts + 1
          where o.tenant_id = $1 and o.id in (
            select id from connector_outbox
             where tenant_id = $1 and state = 'pending' and (lease_until is null or lease_until < $3::timestamptz)
             order by id limit $5
             for update skip locked)
          returning o.id::text as id, o.item_type, o.item_id, o.version, o.attempts`,
        [tenantId, owner, new Date(clock.now()), leaseSeconds, batchSize],
      )
    ).rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    if (rows.length === 0) break;
    for (const row of rows) {
      let outcome: 'done' | 'failed' = 'done';
      let lastError: string | null = null;
      if (row.item_type === 'community') {
        await db.query(
          `insert into connector_outbox (tenant_id, item_type, item_id)
           select tenant_id, 'post', id from posts where tenant_id = $1 and community_id = $2 and deleted_at is null order by created_at, id
           on conflict (tenant_id, item_type, item_id) where state = 'pending' do update set version = connector_outbox.version + 1`,
          [tenantId, row.item_id],
        );
        report.expanded++;
      } else {
        const item = await externalItemOf(db, tenantId, row.item_id, options.publicUrl);
        await throttle.acquire();
        try {
          if (item) {
            await putExternalItem(options.graph, connectionId, item);
            report.pushed++;
          } else {
            await deleteExternalItem(options.graph, connectionId, row.item_id);
            report.deleted++;
          }
        } catch (error) {
          if (!isPermanent(error) && row.attempts < maxAttempts) throw error;
          outcome = 'failed';
          lastError = error instanceof Error ? error.message.slice(0, 500) : String(error);
          report.failed++;
        }
      }
      const done = await db.query(
        `update connector_outbox set state = $5, done_at = now(), last_error = $6, lease_owner = null, lease_until = null
          where tenant_id = $1 and id = $2::bigint and lease_owner = $3 and version = $4`,
        [tenantId, row.id, owner, row.version, outcome, lastError],
      );
      if (done.rowCount === 0) {
        // Changed meanwhile (version bumped): leave it pending for the next round.
        await db.query('update connector_outbox set lease_owner = null, lease_until = null where tenant_id = $1 and id = $2::bigint and lease_owner = $3', [tenantId, row.id, owner]);
      }
    }
  }
  return report;
}
