import { lazy, Suspense, type ComponentType } from 'react';
import { CardSkeletons } from '../States.js';

/**
 * Every page but Home, each in its own chunk: the JavaScript loaded before the first feed
 * item stays small, and a page's code (and the Fluent components only it uses) arrives when
 * the person opens it. Skeletons stand in while it loads.
 */
function page<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component }))) as unknown as ComponentType<P>;
  return function LazyPage(props: P) {
    return (
      <Suspense fallback={<CardSkeletons count={3} />}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}

export const LazyKudosPage = page(() => import('./KudosPage.js').then((m) => m.KudosPage));
export const LazyExpertsPage = page(() => import('./ExpertsPage.js').then((m) => m.ExpertsPage));
export const LazyProfilePage = page(() => import('./ProfilePage.js').then((m) => m.ProfilePage));
export const LazyNotificationsPage = page(() => import('./NotificationsPage.js').then((m) => m.NotificationsPage));
export const LazyModerationPage = page(() => import('./ModerationPage.js').then((m) => m.ModerationPage));
export const LazySettingsPage = page(() => import('./SettingsPage.js').then((m) => m.SettingsPage));
export const LazyPostPage = page(() => import('./PostPage.js').then((m) => m.PostPage));
export const LazyCommunityDirectory = page(() => import('../CommunityDirectory.js').then((m) => m.CommunityDirectory));
export const LazyCommunityPage = page(() => import('../CommunityPage.js').then((m) => m.CommunityPage));

export const LazyInsightsPage = page(() => import('./InsightsPage.js').then((m) => m.InsightsPage));
