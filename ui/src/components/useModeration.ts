import { useEffect, useState } from 'react';
import { unwrap, type RucheClient } from '../api/client.js';
import { useRuche } from '../context.js';

/**
 * Whether the signed-in person may moderate a community (owner, moderator or tenant admin),
 * to offer moderators' actions on cards (accept an answer, set an idea's status). Asked of
 * the community itself once per community and kept a few minutes; the server decides again
 * on every request.
 */
const cache = new WeakMap<RucheClient, Map<string, { at: number; moderate: Promise<boolean> }>>();
const keepMs = 5 * 60_000;

function moderates(client: RucheClient, communityId: string): Promise<boolean> {
  let perClient = cache.get(client);
  if (!perClient) {
    perClient = new Map();
    cache.set(client, perClient);
  }
  const known = perClient.get(communityId);
  if (known && Date.now() - known.at < keepMs) return known.moderate;
  const moderate = unwrap(client.GET('/api/v1/communities/{ref}', { params: { path: { ref: communityId } } })).then(
    (c) => c.permissions.moderate,
    () => false,
  );
  perClient.set(communityId, { at: Date.now(), moderate });
  return moderate;
}

/** Whether the viewer may act as a moderator where a post lives. */
export function useModerates(communityId: string | null | undefined, enabled = true): boolean {
  const { client, me } = useRuche();
  const admin = !!me && (me.roles ?? []).includes('admin');
  const [value, setValue] = useState(false);
  useEffect(() => {
    if (!enabled || admin || !communityId) return undefined;
    let alive = true;
    void moderates(client, communityId).then((v) => alive && setValue(v));
    return () => {
      alive = false;
    };
  }, [client, communityId, enabled, admin]);
  return admin || value;
}
