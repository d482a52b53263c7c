/** SharePoint sites (GET /sites/{site-id}) and their pages, news first (GET /sites/{site-id}/pages). */
import type { GraphClient } from './client.js';

export interface SiteSummary {
  id: string;
  /** The site's full title, as SharePoint shows it. */
  displayName: string | null;
  webUrl: string | null;
}

/** A site's display name and address. A site Graph does not know fails with GraphErrorCodes.NotFound. */
export async function getSite(client: GraphClient, siteId: string): Promise<SiteSummary> {
  const raw = await client.get<Record<string, unknown>>(`/sites/${encodeURIComponent(siteId)}?$select=displayName,webUrl`);
  const displayName = typeof raw.displayName === 'string' && raw.displayName.trim() !== '' ? raw.displayName.trim() : null;
  return { id: siteId, displayName, webUrl: typeof raw.webUrl === 'string' ? raw.webUrl : null };
}

export const sitePageSelect = [
  'id',
  'name',
  'title',
  'description',
  'webUrl',
  'pageLayout',
  'promotionKind',
  'publishingState',
  'createdDateTime',
  'lastModifiedDateTime',
  'createdBy',
] as const;

export interface SitePageSummary {
  id: string;
  name?: string | null;
  title?: string | null;
  description?: string | null;
  webUrl?: string | null;
  pageLayout?: string | null;
  promotionKind?: string | null;
  publishedLevel?: string | null;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  authorName?: string | null;
}

export interface ListSitePagesOptions {
  /** Only news posts (promotionKind eq 'newsPost'). */
  newsOnly?: boolean;
  pageSize?: number;
}

function toSummary(raw: Record<string, unknown>): SitePageSummary {
  const createdBy = raw.createdBy as { user?: { displayName?: string | null } } | undefined;
  const publishingState = raw.publishingState as { level?: string | null } | undefined;
  return {
    id: String(raw.id),
    name: (raw.name as string | null | undefined) ?? null,
    title: (raw.title as string | null | undefined) ?? null,
    description: (raw.description as string | null | undefined) ?? null,
    webUrl: (raw.webUrl as string | null | undefined) ?? null,
    pageLayout: (raw.pageLayout as string | null | undefined) ?? null,
    promotionKind: (raw.promotionKind as string | null | undefined) ?? null,
    publishedLevel: publishingState?.level ?? null,
    ...(typeof raw.createdDateTime === 'string' ? { createdDateTime: raw.createdDateTime } : {}),
    ...(typeof raw.lastModifiedDateTime === 'string' ? { lastModifiedDateTime: raw.lastModifiedDateTime } : {}),
    authorName: createdBy?.user?.displayName ?? null,
  };
}

/** Pages of a site, page by page of results. */
export async function* listSitePages(client: GraphClient, siteId: string, options: ListSitePagesOptions = {}): AsyncGenerator<SitePageSummary[]> {
  const parts = [`$select=${sitePageSelect.join(',')}`];
  if (options.newsOnly) parts.push(`$filter=${encodeURIComponent("promotionKind eq 'newsPost'")}`);
  if (options.pageSize !== undefined) parts.push(`$top=${options.pageSize}`);
  for await (const page of client.getAll<Record<string, unknown>>(`/sites/${encodeURIComponent(siteId)}/pages?${parts.join('&')}`)) {
    yield page.value.map(toSummary);
  }
}

/** News posts of a site, newest first, at most `limit`. */
export async function listSiteNews(client: GraphClient, siteId: string, limit = 50): Promise<SitePageSummary[]> {
  const news: SitePageSummary[] = [];
  for await (const page of listSitePages(client, siteId, { newsOnly: true })) news.push(...page);
  news.sort((a, b) => (b.createdDateTime ?? '').localeCompare(a.createdDateTime ?? ''));
  return news.slice(0, limit);
}
