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
 * Where a notification is delivered: in Ruche (every kind), the Teams activity feed
 * (core/src/teams) and a chat message from the bot (core/src/bot). Each channel has its own
 * per-kind setting; Teams and the bot carry only the kinds listed in `channelKinds`.
 */
export const notificationChannels = ['in_app', 'teams', 'bot'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/**
 * The kinds each channel carries. The outbox triggers of migrations 013 (teams) and 015 (bot)
 * queue the same kinds; core/src/notifications/notifications.test.ts keeps them in step with
 * `teamsActivityTypes` and `proactiveNotificationKinds`.
 */
export const channelKinds: Record<NotificationChannel, readonly NotificationKind[]> = {
  in_app: notificationKinds,
  teams: ['mention', 'kudos_received', 'acknowledgement_requested', 'acknowledgement_reminder', 'meetup_matched'],
  bot: ['mention', 'kudos_received', 'acknowledgement_reminder', 'meetup_matched'],
};

/** The channels that carry notifications of `kind`. */
export function channelsOf(kind: NotificationKind): NotificationChannel[] {
  return notificationChannels.filter((c) => channelKinds[c].includes(kind));
}

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

/** Per kind, the channels that carry it (see `channelKinds`), on or off. */
export type NotificationSettings = Record<NotificationKind, { in_app: boolean } & Partial<Record<Exclude<NotificationChannel, 'in_app'>, boolean>>>;
