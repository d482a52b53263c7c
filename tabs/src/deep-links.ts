import { placePath, type Place } from '@ruche/ui';

/** The entity id of the personal app's home tab (manifest staticTabs), which deep links open. */
export const HOME_ENTITY_ID = 'home';

/** The subEntityId / subPageId of a place that a Teams deep link can open, or null. */
export function subEntityIdOf(place: Place): string | null {
  switch (place.page) {
    case 'post':
      return `post:${place.id}`;
    case 'person':
      return `person:${place.id}`;
    case 'community':
      return `community:${place.ref}`;
    default:
      return null;
  }
}

/** The place a Teams subPageId ("post:<id>", "person:<id>", "community:<ref>") opens, or null. */
export function placeOfSubPageId(subPageId: string | null | undefined): Place | null {
  if (!subPageId) return null;
  const colon = subPageId.indexOf(':');
  if (colon <= 0) return null;
  const kind = subPageId.slice(0, colon);
  const value = subPageId.slice(colon + 1).trim();
  if (!value) return null;
  if (kind === 'post') return { page: 'post', id: value };
  if (kind === 'person') return { page: 'person', id: value };
  if (kind === 'community') return { page: 'community', ref: value };
  return null;
}

export interface LinkSite {
  inTeams: boolean;
  /** The Teams app id (client configuration); without it, links are web links even in Teams. */
  teamsAppId: string | null;
  /** The origin serving the tabs, e.g. https://ruche.example.com. */
  origin: string;
}

/**
 * The link to share for a place: in Teams, a deep link that opens the personal app at the item
 * (https://teams.microsoft.com/l/entity/<appId>/home?context={"subEntityId":"post:<id>"});
 * in a browser, the page's own URL under /tabs.
 */
export function shareLinkOf(place: Place, site: LinkSite): string {
  const sub = subEntityIdOf(place);
  if (site.inTeams && site.teamsAppId && sub) {
    const context = encodeURIComponent(JSON.stringify({ subEntityId: sub }));
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(site.teamsAppId)}/${HOME_ENTITY_ID}?context=${context}`;
  }
  return `${site.origin.replace(/\/$/, '')}/tabs${placePath(place)}`;
}

/** The community a channel tab shows: its configured entityId "community:<ref>", else ?community=<ref> in its URL. */
export function channelCommunityRef(entityId: string | null | undefined, search: string): string | null {
  const fromEntity = placeOfSubPageId(entityId);
  if (fromEntity?.page === 'community') return fromEntity.ref;
  const fromQuery = new URLSearchParams(search).get('community')?.trim();
  return fromQuery || null;
}

/** What the configuration page saves for a channel tab bound to a community. */
export interface ChannelTabSettings {
  entityId: string;
  contentUrl: string;
  websiteUrl: string;
  suggestedDisplayName: string;
}

export function channelTabSettings(community: { id: string; slug?: string | null; name: string }, origin: string): ChannelTabSettings {
  const ref = community.slug || community.id;
  const base = origin.replace(/\/$/, '');
  return {
    entityId: `community:${ref}`,
    contentUrl: `${base}/tabs/channel?community=${encodeURIComponent(ref)}`,
    websiteUrl: `${base}/tabs${placePath({ page: 'community', ref })}`,
    // Teams limits a tab's name to 128 characters.
    suggestedDisplayName: community.name.slice(0, 128),
  };
}
