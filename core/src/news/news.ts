/**
 * SharePoint intranet news: the site pages promoted as news (promotionKind 'newsPost') of the
 * configured sites (SHAREPOINT_NEWS_SITES), fetched by a job and shown read-only in Ruche,
 * each linking back to its page in SharePoint. Everyone of the organisation may read them, as
 * on the intranet home page; only published pages are kept.
 */
import { RucheError } from '../errors.js';
import type { GraphClient } from '../graph/index.js';
import { GraphErrorCodes, getSite, isRucheGraphError, listSiteNews } from '../graph/index.js';
import { decodeCursor, encodeCursor, type Page } from '../pagination.js';
import type { Viewer } from '../policy/index.js';
import type { Db } from '../store/db.js';

export interface NewsItem {
  kind: 'sharepoint_news';
  siteId: string;
  pageId: string;
  /**
   * The site's display name in SharePoint; until it is known (or when the site has none), its
   * name as its address gives it (/sites/NAME), or its host for the root site.
   */
  siteName: string;
  title: string;
  description: string | null;
  /** The page in SharePoint: news are read there. */
  webUrl: string;
  authorName: string | null;
  publishedAt: string;
  modifiedAt: string | null;
}

export interface NewsFetchResult {
  sites: number;
  /** Sites Graph does not know (404): left as they were. */
  missingSites: string[];
  stored: number;
  removed: number;
}

const maxText = 2000;
const clip = (text: string | null | undefined, max = maxText) => (text ? text.slice(0, max) : null);

/**
 * Fetches the news of each configured site and stores them: new and edited news are
 * upserted, news no longer promoted (or no longer published) are removed. At most `perSite`
 * newest news are kept per site. Each site's display name is read once per fetch
 * (GET /sites/{id}) and stored with its news.
 */
export async function fetchSharePointNews(
  db: Db,
  graph: GraphClient,
  tenantId: string,
  siteIds: readonly string[],
  options: { perSite?: number } = {},
): Promise<NewsFetchResult> {
  const perSite = options.perSite ?? 50;
  const result: NewsFetchResult = { sites: 0, missingSites: [], stored: 0, removed: 0 };
  for (const siteId of siteIds) {
    let pages;
    let siteName: string | null;
    try {
      siteName = clip((await getSite(graph, siteId)).displayName, 300);
      pages = await listSiteNews(graph, siteId, perSite);
    } catch (error) {
      if (isRucheGraphError(error, GraphErrorCodes.NotFound)) {
        result.missingSites.push(siteId);
        continue;
      }
      throw error;
    }
    result.sites++;
    const kept = pages.filter(
      (p) => p.promotionKind === 'newsPost' && (p.publishedLevel === null || p.publishedLevel === undefined || p.publishedLevel === 'published') && p.webUrl && /^https:\/\//.test(p.webUrl),
    );
    await db.transaction(async (tx) => {
      if (kept.length > 0) {
        const r = await tx.query(
          `insert into sharepoint_news (tenant_id, site_id, site_name, page_id, title, description, web_url, author_name, published_at, modified_at)
           select $1, $2, $10::text, x.page_id, x.title, x.description, x.web_url, x.author_name, x.published_at, x.modified_at
           from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[])
             as x(page_id, title, description, web_url, author_name, published_at, modified_at)
           on conflict (tenant_id, site_id, page_id) do update set site_name = excluded.site_name, title = excluded.title,
             description = excluded.description, web_url = excluded.web_url, author_name = excluded.author_name,
             published_at = excluded.published_at, modified_at = excluded.modified_at, fetched_at = now()
           where (sharepoint_news.site_name, sharepoint_news.title, sharepoint_news.description, sharepoint_news.web_url, sharepoint_news.author_name, sharepoint_news.modified_at)
             is distinct from (excluded.site_name, excluded.title, excluded.description, excluded.web_url, excluded.author_name, excluded.modified_at)`,
          [
            tenantId,
            siteId,
            kept.map((p) => p.id),
            kept.map((p) => clip(p.title, 500) ?? clip(p.name, 500) ?? p.id),
            kept.map((p) => clip(p.description)),
            kept.map((p) => p.webUrl!),
            kept.map((p) => clip(p.authorName, 300)),
            kept.map((p) => p.createdDateTime ?? p.lastModifiedDateTime ?? new Date(0).toISOString()),
            kept.map((p) => p.lastModifiedDateTime ?? null),
            siteName,
          ],
        );
        result.stored += r.rowCount;
      }
      const gone = await tx.query('delete from sharepoint_news where tenant_id = $1 and site_id = $2 and not (page_id = any($3::text[]))', [
        tenantId,
        siteId,
        kept.map((p) => p.id),
      ]);
      result.removed += gone.rowCount;
    });
  }
  // Sites no longer configured: their news go.
  const unlisted = await db.query('delete from sharepoint_news where tenant_id = $1 and not (site_id = any($2::text[]))', [tenantId, [...siteIds]]);
  result.removed += unlisted.rowCount;
  return result;
}

export interface NewsRow {
  site_id: string;
  site_name: string | null;
  page_id: string;
  title: string;
  description: string | null;
  web_url: string;
  author_name: string | null;
  published_at: Date | string;
  modified_at: Date | string | null;
}

/** The columns of sharepoint_news a NewsItem is made of, for a table alias. */
export const newsColumns = (n: string) =>
  `${n}.site_id, ${n}.site_name, ${n}.page_id, ${n}.title, ${n}.description, ${n}.web_url, ${n}.author_name, ${n}.published_at, ${n}.modified_at`;

/**
 * A news item's key among feed items: a uuid derived from its site and page (md5), so that
 * news take their place in a feed's (created_at, id) keyset beside posts.
 */
export const sqlNewsKey = (n: string) => `md5(${n}.site_id || '/' || ${n}.page_id)::uuid`;

/**
 * The site's name as its address says it (/sites/NAME or /teams/NAME), or the host for the
 * root site: used when the site's display name is not stored.
 */
export function siteNameOf(webUrl: string): string {
  try {
    const url = new URL(webUrl);
    const m = /^\/(?:sites|teams)\/([^/]+)/i.exec(url.pathname);
    return m ? decodeURIComponent(m[1]!) : url.hostname;
  } catch {
    return webUrl;
  }
}

export function newsItemOf(row: NewsRow): NewsItem {
  return {
    kind: 'sharepoint_news',
    siteId: row.site_id,
    pageId: row.page_id,
    siteName: row.site_name ?? siteNameOf(row.web_url),
    title: row.title,
    description: row.description,
    webUrl: row.web_url,
    authorName: row.author_name,
    publishedAt: new Date(row.published_at).toISOString(),
    modifiedAt: row.modified_at === null ? null : new Date(row.modified_at).toISOString(),
  };
}

/** The organisation's intranet news, newest first, keyset-paginated. */
export async function listNews(db: Db, viewer: Viewer, input: { cursor?: string; limit?: number } = {}): Promise<Page<NewsItem>> {
  const limit = input.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new RucheError('VALIDATION_FAILED', 'limit must be between 1 and 100');
  const after = decodeCursor(input.cursor, ['date', 'string', 'string']);
  const r = await db.query<NewsRow>(
    `select ${newsColumns('sharepoint_news')}
     from sharepoint_news
     where tenant_id = $1 and ($2::timestamptz is null or (published_at, site_id, page_id) < ($2::timestamptz, $3::text, $4::text))
     order by published_at desc, site_id desc, page_id desc
     limit $5`,
    [viewer.tenantId, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit + 1],
  );
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  const items = rows.map(newsItemOf);
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.publishedAt, last.siteId, last.pageId]) : null };
}
