import { useEffect, useRef, useState } from 'react';
import { useRuche } from '../context.js';
import { subscribeLive, type LiveHandler } from './live.js';

/** Calls `handler` for each live event while the component is mounted (the latest handler, without resubscribing). */
export function useLive(handler: LiveHandler, enabled = true): void {
  const { client } = useRuche();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!enabled) return undefined;
    return subscribeLive(client, (m) => latest.current(m));
  }, [client, enabled]);
}

/** Whether the live stream is connected (null until the first answer), for a "reconnecting" notice. */
export function useLiveStatus(enabled = true): boolean | null {
  const { client } = useRuche();
  const [connected, setConnected] = useState<boolean | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    let seen = false;
    return subscribeLive(
      client,
      () => undefined,
      (c) => {
        if (c) seen = true;
        // Before the first connection, "not connected" is just "connecting": say nothing.
        setConnected(seen ? c : null);
      },
    );
  }, [client, enabled]);
  return connected;
}
