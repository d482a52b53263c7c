import { CommunityDirectory } from '../ui/index.js';
import { WebPartFrame } from './WebPartFrame.js';

/** The communities directory web part: the shared directory in the web part's frame. */
export function CommunitiesPart({ title }: { title?: string }): JSX.Element {
  return (
    <WebPartFrame title={title} place={{ page: 'communities' }}>
      <CommunityDirectory />
    </WebPartFrame>
  );
}
