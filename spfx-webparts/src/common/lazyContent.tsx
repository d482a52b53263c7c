import { lazy, Suspense, type ComponentType } from 'react';
import { CardSkeletons } from '../ui/index.js';

/**
 * A web part's own content as a chunk of its own: the bundle that every Ruche web part shares
 * (React host, Fluent UI, the shared ui) is loaded once per page, and each web part on the page
 * then loads only its own code. Skeletons stand in while it arrives.
 */
export function lazyContent<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component }))) as unknown as ComponentType<P>;
  return function LazyContent(props: P) {
    return (
      <Suspense fallback={<CardSkeletons count={2} />}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
