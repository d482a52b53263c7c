import { Link } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useLinkHandler, useRuche, type Place } from '../context.js';

/** A Fluent link to a place of the app: a real href, navigation without reload. */
export function AppLink({ to, children, className }: { to: Place; children: ReactNode; className?: string }) {
  const { hrefOf } = useRuche();
  const onClick = useLinkHandler(to);
  return (
    <Link href={hrefOf(to)} onClick={onClick} className={className}>
      {children}
    </Link>
  );
}
