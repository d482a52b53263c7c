import { ExpertFinder as SharedExpertFinder } from '../ui/index.js';
import type { Layout } from './ScopedFeed.js';
import { WebPartFrame } from './WebPartFrame.js';

/** The Expert finder web part: the shared ui component in the web part's frame. */
export function ExpertFinder({ title, initialQuery, count, layout }: { title?: string; initialQuery?: string; count: number; layout: Layout }): JSX.Element {
  return (
    <WebPartFrame title={title} place={{ page: 'experts' }}>
      <SharedExpertFinder initialQuery={initialQuery} limit={Math.max(1, Math.min(20, Math.round(count) || 5))} layout={layout} />
    </WebPartFrame>
  );
}
