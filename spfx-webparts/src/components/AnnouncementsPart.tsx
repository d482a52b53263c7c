import { Announcements } from '../ui/index.js';
import type { Layout } from './ScopedFeed.js';
import { WebPartFrame } from './WebPartFrame.js';

/** The announcements web part: the shared component in the web part's frame (the page author's title and a link to the app). */
export function AnnouncementsPart({ title, count, pendingOnly, layout }: { title?: string; count: number; pendingOnly: boolean; layout: Layout }): JSX.Element {
  return (
    <WebPartFrame title={title} place={{ page: 'home' }}>
      <Announcements count={count} pendingOnly={pendingOnly} layout={layout} label={title || undefined} />
    </WebPartFrame>
  );
}
