/** Notifications: kinds, channels and what a notification looks like to its recipient. */

export const notificationKinds = [
  'mention',
  'reply',
  'reaction',
  'join_request',
  'invitation',
  'acknowledgement_requested',
  'acknowledgement_reminder',
  'moderation_outcome',
  'answer_accepted',
  'kudos_received',
  'kudos_to_report',
  'biography_verification',
  'meetup_matched',
  'meetup_followup',
  'similar_work_digest',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/**
 * Where a notification is delivered. Only in-app exists now; Teams (activity feed, bot)
 * comes later as another channel with its own per-kind setting.
 */
export const notificationChannels = ['in_app'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/**
 * What a notification refers to, in `data`. The ids decide whether the recipient may still
 * see it when listing (postId, commentId, communityId are checked through the policy).
 */
export interface NotificationData extends Record<string, unknown> {
  postId?: string;
  commentId?: string;
  communityId?: string;
}

export interface NewNotification {
  tenantId: string;
  personId: string;
  kind: NotificationKind;
  /**
   * Notifications with the same group key are one per person and day: a later fact updates
   * it (count, last actors, unread again) instead of adding a row. E.g. `post:<id>` for reactions.
   */
  groupKey?: string;
  data: NotificationData;
  /** Who caused it; nobody is notified of their own action. */
  actorId?: string | null;
}

export interface NotificationActor {
  id: string;
  displayName: string;
}

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  data: NotificationData;
  /** How many distinct people (grouped notifications) or facts it stands for. */
  count: number;
  /** The most recent actors, newest first (at most 3). */
  actors: NotificationActor[];
  read: boolean;
  createdAt: string;
  updatedAt: string;
}

export type NotificationOrder = 'newest' | 'unread_first';

export type NotificationSettings = Record<NotificationKind, Record<NotificationChannel, boolean>>;
