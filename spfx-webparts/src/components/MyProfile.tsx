import { CardSkeletons, ErrorMessage, ProfileCard, unwrap, useRuche, type Person } from '../ui/index.js';
import { useCallback, useEffect, useState } from 'react';
import { WebPartFrame } from './WebPartFrame.js';

/** The visitor's own Ruche profile card (who's-who of others needs a people API). */
export function MyProfile({ title }: { title?: string }): JSX.Element {
  const { client } = useRuche();
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    setError(null);
    unwrap(client.GET('/api/v1/me')).then(setPerson, setError);
  }, [client]);
  useEffect(load, [load]);
  return (
    <WebPartFrame title={title} place={{ page: 'me' }}>
      {error ? <ErrorMessage error={error} onRetry={load} /> : person ? <ProfileCard person={person} /> : <CardSkeletons count={1} />}
    </WebPartFrame>
  );
}
