/**
 * Directory sync from Microsoft Graph: /users/delta becomes people, profile skills (beta)
 * become person_skills with source 'directory', managers are resolved once every person
 * exists, and org-unit communities follow.
 *
 * Streaming: pages are written as they arrive (one transaction of unnest() statements per
 * page) while the next page is read. Profile skills are read in $batch requests of 20 users,
 * and photos likewise, those of several pages in flight together (`requestsInFlight`), so a
 * request waiting on Retry-After holds up nothing but its own page; a page's skills are
 * written once all of them are in. Only the page being written is held whole: pages whose
 * skills are still on their way (at most `pagesInFlight`) keep their users' object ids alone.
 *
 * Resuming: the position (@odata.nextLink) is saved after a page and every page before it
 * are stored, so a run killed mid-round resumes at the first page not fully stored; writes
 * are idempotent upserts, so a page stored twice is harmless. The delta link is stored only
 * when the round and its finishing steps (managers, org units) are done.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { RucheError } from '../errors.js';
import { arrayLiteral } from '../store/array-literal.js';
import type { Db } from '../store/db.js';
import type { GraphClient, GraphClientStats } from '../graph/index.js';
import { GraphErrorCodes, getUserManagers, inBatchChunks, isRetryableStatus, isRucheGraphError, toUserChange, userSelect, usersDeltaQuery, type GraphPage } from '../graph/index.js';
import { PersonField, resolveManagers, writeGraphPeople, type DirectoryPersonRow } from './people-writer.js';
import { claimSync, type SyncStateRow } from './sync-state.js';
import { syncOrgUnitMemberships } from './org-units.js';
import { type RequestLimiter, syncPhotos } from './photos.js';
import type { FileStore } from '../files/store.js';

export interface SyncProgress {
  tenantId: string;
  phase: 'people' | 'finishing' | 'completed';
  roundKind: 'full' | 'incremental';
  /** Pages of the round stored so far (a resumed round counts the earlier run's pages). */
  pages: number;
  /** Users of the round stored so far. */
  done: number;
  /** Users expected in the round, when known (a full round after an earlier full one). */
  total: number | null;
  former: number;
  /** People stored per second in this run. */
  perSecond: number;
  /** Seconds left at this pace, when the total is known. */
  secondsLeft: number | null;
  elapsedSeconds: number;
  /** Milliseconds this run waited because Graph said Retry-After. */
  retryAfterWaitMs: number;
}

export interface SyncDirectoryOptions {
  /** Called after each stored page and at the end. Throwing stops the sync (it resumes next time). */
  onProgress?: (progress: SyncProgress) => void | Promise<void>;
  /** $top of the first delta request (Graph allows up to 999). */
  pageSize?: number;
  /**
   * How managers are read: 'expand' asks the delta for them ($expand=manager); 'batch' reads
   * them with batched /users/{id}/manager lookups (20 per $batch). Either way they are
   * resolved to people after every user exists.
   */
  managers?: 'expand' | 'batch';
  /** Read profile skills (beta) of the changed users. Default true. */
  skills?: boolean;
  /**
   * Pages stored whose skills (and photos) may still be on their way: the round goes on while
   * they are, and the position is saved once a page and every page before it are complete.
   * Each holds only its users' object ids and the skills read. Default 8.
   */
  pagesInFlight?: number;
  /**
   * Graph requests for pages' skills and photos ($batch of 20 users, or one photo) outstanding
   * at once, across pages, counting those waiting on Retry-After (the Graph client's own limit
   * bounds those on the wire); the next delta page never queues behind more than these.
   * Default 32.
   */
  requestsInFlight?: number;
  /** Seconds a run holds the tenant's sync without renewing (renewed at every page). Default 120. */
  leaseSeconds?: number;
  /** Users expected in a full round (for done / total and time left), when the caller knows. */
  expectedTotal?: number;
  /**
   * The org-unit step run once people are up to date: by default the communities module's
   * syncOrgUnitCommunities(db, tenantId); false skips it; a function replaces it.
   */
  orgUnitCommunities?: ((db: Db, tenantId: string) => Promise<unknown>) | false;
  /**
   * Where people's photos go: when given, each page's photo metadata is read and the photos
   * whose ETag changed are fetched and stored (see photos.ts). Absent: photos are not synced.
   */
  photos?: FileStore;
  /** Called once the run holds the tenant's sync (state 'running'). */
  onClaimed?: () => void;
}

export interface SyncDirectoryResult {
  roundKind: 'full' | 'incremental';
  /** True when this run continued a round an earlier run left unfinished. */
  resumed: boolean;
  /** Pages fetched by this run. */
  pages: number;
  /** Users reported by Graph in this run (created, changed, disabled or removed). */
  changes: number;
  created: number;
  /** Users that became former employees in this run (disabled or removed). */
  former: number;
  skillsReplaced: number;
  managersChanged: number;
  /** Photos stored (new or changed ETag) and removed, when photos are synced. */
  photosStored: number;
  photosRemoved: number;
  seconds: number;
  graph: GraphClientStats;
}

type RawUser = Record<string, unknown> & { id?: unknown };

const userFields: Array<[string, number, keyof DirectoryPersonRow]> = [
  ['userPrincipalName', PersonField.upn, 'upn'],
  ['mail', PersonField.mail, 'mail'],
  ['displayName', PersonField.displayName, 'displayName'],
  ['givenName', PersonField.givenName, 'givenName'],
  ['surname', PersonField.surname, 'surname'],
  ['jobTitle', PersonField.jobTitle, 'jobTitle'],
  ['department', PersonField.department, 'department'],
  ['officeLocation', PersonField.office, 'office'],
  ['country', PersonField.country, 'country'],
  ['preferredLanguage', PersonField.preferredLanguage, 'preferredLanguage'],
];

/** The delta query of the initial round: Graph's user $select plus given name and surname. */
export function directoryUsersQuery(options: { pageSize?: number; expandManager?: boolean } = {}): string {
  const query = usersDeltaQuery({ pageSize: options.pageSize ?? 999, expandManager: options.expandManager ?? true });
  return query.replace(`$select=${userSelect.join(',')}`, `$select=${[...userSelect, 'givenName', 'surname'].join(',')}`);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A delta user as a row to write; null when the id is not an object id. */
export function toPersonRow(raw: RawUser, managerExpanded: boolean): DirectoryPersonRow | null {
  const change = toUserChange(raw, managerExpanded);
  if (!uuidPattern.test(change.id)) return null;
  const row: DirectoryPersonRow = {
    entraOid: change.id.toLowerCase(),
    mask: 0,
    removed: change.removed !== undefined,
    former: null,
    upn: null,
    mail: null,
    displayName: null,
    givenName: null,
    surname: null,
    jobTitle: null,
    department: null,
    office: null,
    country: null,
    preferredLanguage: null,
    managerRef: null,
  };
  if (row.removed) {
    row.former = true;
    return row;
  }
  for (const [property, bit, key] of userFields) {
    if (property in raw) {
      const value = raw[property];
      (row as unknown as Record<string, unknown>)[key] = typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
      row.mask |= bit;
    }
  }
  if (typeof raw.accountEnabled === 'boolean') row.former = !raw.accountEnabled;
  if (change.managerId !== undefined) {
    row.managerRef = change.managerId !== null && uuidPattern.test(change.managerId) ? change.managerId.toLowerCase() : null;
    row.mask |= PersonField.manager;
  }
  return row;
}

/** The rows of a delta page, one per user (the last report of a user in the page wins). */
function pageRows(users: readonly RawUser[], managersExpanded: boolean): DirectoryPersonRow[] {
  const byOid = new Map<string, DirectoryPersonRow>();
  for (const raw of users) {
    const row = toPersonRow(raw, managersExpanded && raw['@removed'] === undefined);
    if (row) byOid.set(row.entraOid!, row);
  }
  return [...byOid.values()];
}

/** A delta page as the sync keeps it: its rows and links, without the page's JSON. */
interface StoredPage {
  rows: DirectoryPersonRow[];
  nextLink: string | undefined;
  deltaLink: string | undefined;
}

function pageOf(page: GraphPage<RawUser>, managersExpanded: boolean): StoredPage {
  return { rows: pageRows(page.value, managersExpanded), nextLink: page.nextLink, deltaLink: page.deltaLink };
}

/**
 * The items of `source` as `convert` makes them, the next one asked for as soon as one is
 * handed over, so that the next delta page is on its way while this one is stored; each page
 * is converted on arrival and its JSON let go. Leaving early waits for the page already asked
 * for (so no request outlives the run), then stops the source.
 */
async function* readAhead<T, U>(source: AsyncGenerator<T, void, undefined>, convert: (item: T) => U): AsyncGenerator<U, void, undefined> {
  const ask = () => source.next().then((item) => (item.done ? undefined : { value: convert(item.value) }));
  let next = ask();
  let finished = false;
  try {
    for (;;) {
      const item = await next;
      if (item === undefined) {
        finished = true;
        return;
      }
      next = ask();
      yield item.value;
    }
  } finally {
    if (!finished) {
      await next.catch(() => undefined);
      await source.return(undefined).catch(() => undefined);
    }
  }
}

/** Profile skills read for some users, as the columns written: users read, then one entry per skill. */
interface SkillColumns {
  /** Users whose skills were read (their 'directory' skills are replaced). */
  fetched: string[];
  oids: string[];
  skills: string[];
  proficiencies: Array<string | null>;
}

/** Profile skills of up to 20 users: one $batch request (beta). Users Graph does not answer for are left out. */
async function fetchSkillsChunk(client: GraphClient, oids: readonly string[], into: SkillColumns): Promise<void> {
  const answers = await client.batch<{ value?: Array<Record<string, unknown>>; '@odata.nextLink'?: string }>(
    oids.map((oid, index) => ({ id: String(index + 1), method: 'GET' as const, url: `/users/${oid}/profile/skills?$select=displayName,proficiency` })),
    { version: 'beta' },
  );
  for (let index = 0; index < answers.length; index++) {
    const answer = answers[index]!;
    const oid = oids[index]!;
    if (isRetryableStatus(answer.status)) {
      throw new RucheError('DIRECTORY_SYNC_FAILED', `Graph kept answering ${answer.status} to profile skill requests`);
    }
    if (answer.status !== 200 || !Array.isArray(answer.body?.value)) continue; // gone, or skills not available for this user
    const seen = new Set<string>();
    const add = (raw: Record<string, unknown>) => {
      const name = typeof raw.displayName === 'string' ? raw.displayName.trim() : '';
      if (!name || seen.has(name)) return;
      seen.add(name);
      into.oids.push(oid);
      into.skills.push(name);
      into.proficiencies.push(typeof raw.proficiency === 'string' ? raw.proficiency : null);
    };
    answer.body.value.forEach(add);
    const next = answer.body['@odata.nextLink'];
    if (typeof next === 'string') {
      for await (const page of client.getAll<Record<string, unknown>>(next, { version: 'beta' })) page.value.forEach(add);
    }
    into.fetched.push(oid);
  }
}

/**
 * Profile skills of a page's users: one $batch of 20 per chunk, each chunk started through
 * `limit` (shared by every page of the run, first come first served), so that chunks of
 * several pages are in flight together and a chunk waiting on Retry-After holds up only its
 * own page. Resolves once every chunk is answered.
 */
async function fetchSkills(client: GraphClient, oids: readonly string[], limit: RequestLimiter): Promise<SkillColumns> {
  const into: SkillColumns = { fetched: [], oids: [], skills: [], proficiencies: [] };
  await inBatchChunks(oids, (chunk) => limit(() => fetchSkillsChunk(client, chunk, into)));
  return into;
}

/**
 * Brings the 'directory' skills of the users whose skills were read in line, in one statement:
 * skills they no longer have go, new ones come, a changed proficiency is updated, and skills
 * that did not change are not written again. Other sources (declared, inferred) are untouched.
 * People and their skills are found by `= any(array)` index scans (see writeGraphPeople).
 * Committed without waiting for the WAL flush: the round's position is saved later, by a
 * commit that waits, and WAL order keeps this one before it (a crash before that loses only
 * pages the next run stores again).
 */
async function writeSkills(db: Db, tenantId: string, read: SkillColumns): Promise<number> {
  if (read.fetched.length === 0) return 0;
  await db.transaction(async (tx) => {
    await tx.query("select set_config('synchronous_commit', 'off', true)");
    await tx.query(
      `with readers as materialized (
         select id, entra_oid from people where tenant_id = $1 and entra_oid = any($2::uuid[])),
       wanted as materialized (
         select r.id as person_id, x.skill, x.proficiency
         from unnest($3::uuid[], $4::text[], $5::text[]) as x(oid, skill, proficiency)
         join readers r on r.entra_oid = x.oid),
       gone as (
         delete from person_skills s
         where s.tenant_id = $1 and s.person_id = any(array(select id from readers)) and s.source = 'directory'
           and not exists (select 1 from wanted w where w.person_id = s.person_id and w.skill = s.skill))
       insert into person_skills (tenant_id, person_id, skill, source, proficiency)
       select $1, w.person_id, w.skill, 'directory', w.proficiency from wanted w
       on conflict (tenant_id, person_id, skill, source) do update set proficiency = excluded.proficiency
         where person_skills.proficiency is distinct from excluded.proficiency`,
      [tenantId, arrayLiteral(read.fetched), arrayLiteral(read.oids), arrayLiteral(read.skills), arrayLiteral(read.proficiencies)],
    );
  });
  return read.fetched.length;
}

interface PageInFlight {
  /** Resolves when the page's skills are stored. */
  work: Promise<number>;
  nextLink: string | undefined;
  deltaLink: string | undefined;
  count: number;
  former: number;
}

/**
 * Runs one users delta round for a tenant: a full round the first time, only the changes
 * afterwards, the rest of an interrupted round when one was left. See the module comment.
 */
export async function syncDirectory(db: Db, graph: GraphClient, tenantId: string, options: SyncDirectoryOptions = {}): Promise<SyncDirectoryResult> {
  const started = Date.now();
  const managersMode = options.managers ?? 'expand';
  const withSkills = options.skills ?? true;
  const pagesInFlight = Math.max(1, options.pagesInFlight ?? 8);
  const graphRequests = pLimit(Math.max(1, options.requestsInFlight ?? 32));
  // Pages' skills are written two at a time at most, beside the page being written: the run
  // never holds more than a few of the pool's connections (the API may share the pool).
  const skillWrites = pLimit(2);
  const leaseSeconds = options.leaseSeconds ?? 120;
  const runId = randomUUID();
  const statsBefore = graph.stats();

  await db.query(`insert into tenants (id, name) values ($1, 'Organisation') on conflict (id) do nothing`, [tenantId]);
  let state: SyncStateRow = await claimSync(db, tenantId, 'users', runId, leaseSeconds, options.expectedTotal);
  options.onClaimed?.();
  const resumed = state.next_link !== null || state.pending_delta_link !== null;
  let roundKind = state.round_kind ?? 'full';
  const result: SyncDirectoryResult = {
    roundKind,
    resumed,
    pages: 0,
    changes: 0,
    created: 0,
    former: 0,
    skillsReplaced: 0,
    managersChanged: 0,
    photosStored: 0,
    photosRemoved: 0,
    seconds: 0,
    graph: statsBefore,
  };
  let runDone = 0;

  const progress = (phase: SyncProgress['phase']): SyncProgress => {
    const elapsedSeconds = (Date.now() - started) / 1000;
    const perSecond = elapsedSeconds > 0 ? runDone / elapsedSeconds : 0;
    const total = state.total;
    return {
      tenantId,
      phase,
      roundKind,
      pages: state.pages,
      done: state.done,
      total,
      former: state.former,
      perSecond,
      secondsLeft: total !== null && perSecond > 0 ? Math.max(0, (total - state.done) / perSecond) : null,
      elapsedSeconds,
      retryAfterWaitMs: graph.stats().retryAfterWaitMs - statsBefore.retryAfterWaitMs,
    };
  };

  /** Saves the position after a page (and all before it) is stored, renews the lease, reports. */
  const commitPage = async (page: PageInFlight) => {
    result.skillsReplaced += await page.work;
    runDone += page.count;
    const elapsed = (Date.now() - started) / 1000;
    const r = await db.query<SyncStateRow>(
      `update directory_sync_state set next_link = $3, pending_delta_link = $4, pages = pages + 1, done = done + $5,
         former = former + $6, per_second = $7, updated_at = now(), lease_until = now() + make_interval(secs => $8)
       where tenant_id = $1 and resource = 'users' and run_id = $2
       returning *`,
      [tenantId, runId, page.nextLink ?? null, page.deltaLink ?? null, page.count, page.former, elapsed > 0 ? runDone / elapsed : null, leaseSeconds],
    );
    if (!r.rows[0]) throw new RucheError('DIRECTORY_SYNC_RUNNING', 'Another run took over this directory sync');
    state = r.rows[0];
    await options.onProgress?.(progress('people'));
  };

  try {
    if (state.pending_delta_link === null) {
      let link = state.next_link ?? state.delta_link ?? directoryUsersQuery({ pageSize: options.pageSize, expandManager: managersMode === 'expand' });
      const inFlight: PageInFlight[] = [];
      let statistics = Promise.resolve();
      try {
        for (;;) {
          try {
            await fetchRound(link);
            break;
          } catch (error) {
            // The stored link is too old: Graph asks for a full round again.
            if (!(isRucheGraphError(error, GraphErrorCodes.DeltaTokenExpired) && result.pages === 0)) throw error;
            roundKind = 'full';
            result.roundKind = 'full';
            const r = await db.query<SyncStateRow>(
              `update directory_sync_state set delta_link = null, next_link = null, round_kind = 'full', pages = 0, done = 0, former = 0,
                 total = coalesce($3::int, last_full_count), updated_at = now()
               where tenant_id = $1 and resource = 'users' and run_id = $2 returning *`,
              [tenantId, runId, options.expectedTotal ?? null],
            );
            state = r.rows[0]!;
            link = directoryUsersQuery({ pageSize: options.pageSize, expandManager: managersMode === 'expand' });
          }
        }
      } finally {
        // Let pages already started settle before leaving (their writes are idempotent).
        await Promise.allSettled(inFlight.map((page) => page.work));
        await statistics;
      }

      async function fetchRound(first: string): Promise<void> {
        // The next page is requested while this one is written (one page read ahead).
        for await (const { rows, nextLink, deltaLink } of readAhead(graph.getAll<RawUser>(first), (page) => pageOf(page, managersMode === 'expand'))) {
          result.pages++;
          const live = rows.filter((row) => !row.removed).map((row) => row.entraOid!);
          if (managersMode === 'batch' && live.length > 0) {
            const managers = await getUserManagers(graph, live);
            for (const row of rows) {
              if (row.removed || !managers.has(row.entraOid!)) continue;
              const managerId = managers.get(row.entraOid!) ?? null;
              row.managerRef = managerId !== null && uuidPattern.test(managerId) ? managerId.toLowerCase() : null;
              row.mask |= PersonField.manager;
            }
          }
          // Committed without waiting for the WAL flush, as the skills are (see writeSkills).
          const written = await db.transaction(async (tx) => {
            await tx.query("select set_config('synchronous_commit', 'off', true)");
            return writeGraphPeople(tx, tenantId, rows);
          });
          // In the background, one at a time: the next pages are written meanwhile.
          if ((result.pages & (result.pages - 1)) === 0) statistics = statistics.then(() => refreshStatistics(db));
          result.created += written.inserted;
          result.changes += rows.length;
          const former = rows.filter((row) => row.former === true).length;
          result.former += former;
          const skillsWork = withSkills
            ? fetchSkills(graph, live, graphRequests).then((read) => skillWrites(() => writeSkills(db, tenantId, read)))
            : Promise.resolve(0);
          const photoFiles = options.photos;
          const photosWork = photoFiles
            ? syncPhotos(db, graph, photoFiles, tenantId, live, graphRequests).then((photos) => {
                result.photosStored += photos.stored;
                result.photosRemoved += photos.removed;
              })
            : Promise.resolve();
          const work = Promise.all([skillsWork, photosWork]).then(([replaced]) => replaced);
          work.catch(() => undefined); // handled when the page is committed
          inFlight.push({ work, nextLink, deltaLink, count: rows.length, former });
          while (inFlight.length >= pagesInFlight || (inFlight.length > 0 && deltaLink !== undefined)) {
            await commitPage(inFlight[0]!);
            inFlight.shift();
          }
          if (deltaLink !== undefined) return;
        }
        throw new RucheError('DIRECTORY_SYNC_FAILED', 'Graph ended the users delta round without a delta link');
      }
    }

    // Finishing steps: every person exists now.
    await options.onProgress?.(progress('finishing'));
    result.managersChanged = await resolveManagers(db, tenantId, 'graph');
    const orgUnits = options.orgUnitCommunities ?? syncOrgUnitMemberships;
    if (orgUnits) await orgUnits(db, tenantId);
    const done = await db.query<SyncStateRow>(
      `update directory_sync_state set delta_link = pending_delta_link, pending_delta_link = null, next_link = null,
         status = 'completed', finished_at = now(), last_completed_at = now(), updated_at = now(), lease_until = null,
         last_full_count = case when round_kind = 'full' then done else last_full_count end
       where tenant_id = $1 and resource = 'users' and run_id = $2 returning *`,
      [tenantId, runId],
    );
    if (!done.rows[0]) throw new RucheError('DIRECTORY_SYNC_RUNNING', 'Another run took over this directory sync');
    state = done.rows[0];
    result.seconds = (Date.now() - started) / 1000;
    result.graph = diffStats(graph.stats(), statsBefore);
    await options.onProgress?.(progress('completed'));
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .query(
        `update directory_sync_state set status = 'failed', last_error = $3, finished_at = now(), updated_at = now(), lease_until = null
         where tenant_id = $1 and resource = 'users' and run_id = $2`,
        [tenantId, runId, message.slice(0, 1000)],
      )
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Planner statistics of the tables a round grows, refreshed after pages 1, 2, 4, 8... (and
 * fresh for the finishing steps): with the counts of an empty tenant the planner scans every
 * person for each page's statements, and a round becomes quadratic (the embedded database
 * has no autovacuum to do it). Never throws.
 */
async function refreshStatistics(db: Db): Promise<void> {
  await db.exec('analyze people, person_skills').catch(() => undefined); // not the tables' owner: autovacuum's job then
}

function diffStats(after: GraphClientStats, before: GraphClientStats): GraphClientStats {
  const out = { ...after };
  for (const key of Object.keys(out) as Array<keyof GraphClientStats>) out[key] = after[key] - before[key];
  return out;
}
