export * from './api/client.js';
export * from './context.js';
export * from './i18n/index.js';
export * from './theme/index.js';
export { AppLink } from './components/AppLink.js';
export { AppShell, sections, type Section } from './components/AppShell.js';
export { CommunityDirectory } from './components/CommunityDirectory.js';
export { CommunityPage } from './components/CommunityPage.js';
export { Feed, type FeedProps, type FeedSource } from './components/Feed.js';
export { JoinButton } from './components/JoinButton.js';
export { PostCard, reactionKinds, reactionIcon } from './components/PostCard.js';
export { Announcements, type Announcement, type AnnouncementsProps } from './components/Announcements.js';
export { ComposerLauncher } from './components/ComposerLauncher.js';
export { subscribeLive, type LiveMessage } from './live/live.js';
export { useLive, useLiveStatus } from './live/useLive.js';
export { ProfileCard } from './components/ProfileCard.js';
export { ComingSoonPage, HomePage, MePage } from './components/Pages.js';
export { CardSkeletons, EmptyState, ErrorMessage, PageHeader, useErrorText } from './components/States.js';
export { ExpertFinder, type ExpertHit } from './components/ExpertFinder.js';
export {
  LazyCommunityDirectory,
  LazyCommunityPage,
  LazyExpertsPage,
  LazyKudosPage,
  LazyModerationPage,
  LazyNotificationsPage,
  LazyPostPage,
  LazyProfilePage,
  LazySettingsPage,
} from './components/pages/lazy.js';
