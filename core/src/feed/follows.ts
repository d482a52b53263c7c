/** Following people and topics (communities are followed through the communities module or joined). */
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { isUuid } from '../people/people.js';
import { topicSlug } from '../markdown/markdown.js';

export interface Follows {
  people: { id: string; displayName: string }[];
  topics: { slug: string; name: string }[];
}

export async function followPerson(db: Queryable, viewer: Viewer, personId: string, follow: boolean): Promise<void> {
  if (!isUuid(personId)) throw new RucheError('PERSON_NOT_FOUND');
  const r = await db.query('select 1 from people where tenant_id = $1 and id = $2', [viewer.tenantId, personId]);
  if (r.rowCount === 0) throw new RucheError('PERSON_NOT_FOUND');
  if (personId === viewer.personId && follow) throw new RucheError('CONTENT_INVALID', 'You cannot follow yourself');
  await setFollow(db, viewer, 'person', personId, follow);
}

/** Follows a topic by name or slug; following a topic nobody has used yet creates it. */
export async function followTopic(db: Queryable, viewer: Viewer, name: string, follow: boolean): Promise<{ slug: string; name: string }> {
  const clean = name.trim().replace(/^#/, '');
  if (!/^[\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]{0,63}$/u.test(clean) || !/\p{L}/u.test(clean)) {
    throw new RucheError('CONTENT_INVALID', 'A topic is one word of letters, digits, - or _ (at most 64)');
  }
  const slug = topicSlug(clean);
  let topic: { id: string; slug: string; name: string } | undefined;
  if (follow) {
    const r = await db.query<{ id: string; slug: string; name: string }>(
      `insert into topics (tenant_id, slug, name) values ($1, $2, $3)
       on conflict (tenant_id, slug) do update set slug = excluded.slug returning id, slug, name`,
      [viewer.tenantId, slug, clean],
    );
    topic = r.rows[0];
  } else {
    const r = await db.query<{ id: string; slug: string; name: string }>('select id, slug, name from topics where tenant_id = $1 and slug = $2', [
      viewer.tenantId,
      slug,
    ]);
    topic = r.rows[0];
    if (!topic) throw new RucheError('NOT_FOUND', 'No such topic');
  }
  await setFollow(db, viewer, 'topic', topic!.id, follow);
  return { slug: topic!.slug, name: topic!.name };
}

async function setFollow(db: Queryable, viewer: Viewer, type: 'person' | 'topic', id: string, follow: boolean): Promise<void> {
  if (follow) {
    await db.query(
      'insert into follows (tenant_id, follower_id, target_type, target_id) values ($1, $2, $3, $4) on conflict do nothing',
      [viewer.tenantId, viewer.personId, type, id],
    );
  } else {
    await db.query('delete from follows where tenant_id = $1 and follower_id = $2 and target_type = $3 and target_id = $4', [
      viewer.tenantId,
      viewer.personId,
      type,
      id,
    ]);
  }
}

export async function listFollows(db: Queryable, viewer: Viewer): Promise<Follows> {
  const people = await db.query<{ id: string; display_name: string }>(
    `select a.id, a.display_name from follows f join people a on a.tenant_id = f.tenant_id and a.id = f.target_id
     where f.tenant_id = $1 and f.follower_id = $2 and f.target_type = 'person' order by a.display_name`,
    [viewer.tenantId, viewer.personId],
  );
  const topics = await db.query<{ slug: string; name: string }>(
    `select t.slug, t.name from follows f join topics t on t.tenant_id = f.tenant_id and t.id = f.target_id
     where f.tenant_id = $1 and f.follower_id = $2 and f.target_type = 'topic' order by t.name`,
    [viewer.tenantId, viewer.personId],
  );
  return { people: people.rows.map((p) => ({ id: p.id, displayName: p.display_name })), topics: topics.rows };
}
