/** Must-read announcements as the announcements module returns them. */
import type { PostView } from '../posts/model.js';

/** A target as given when publishing. */
export type AnnouncementTargetInput =
  | { type: 'organisation' }
  | { type: 'department'; department: string }
  | { type: 'manager'; managerId: string; subtree?: boolean }
  | { type: 'community'; communityId: string };

/** A target as shown, with names resolved. */
export type AnnouncementTargetView =
  | { type: 'organisation' }
  | { type: 'department'; department: string }
  | { type: 'manager'; manager: { id: string; displayName: string }; subtree: boolean }
  | { type: 'community'; community: { id: string; name: string } };

export interface ViewerAcknowledgement {
  /** The viewer is in the audience and is asked to acknowledge (the "acknowledge" button). */
  required: boolean;
  /** The viewer acknowledged the current version. */
  acknowledged: boolean;
  acknowledgedAt: string | null;
  /** The last version the viewer acknowledged (an earlier one after a material edit), or null. */
  acknowledgedVersion: number | null;
}

export interface AnnouncementView {
  post: PostView;
  mustRead: boolean;
  /** The acknowledgement version: 1 at publication, +1 at each material edit. */
  version: number;
  versionAt: string;
  reminderDays: number;
  maxReminders: number;
  targets: AnnouncementTargetView[];
  /** Null when the viewer is not asked (not in the audience, or not must-read). */
  acknowledgement: ViewerAcknowledgement | null;
  /** The viewer may see reach and acknowledgement (author, communicators, admins, community moderators). */
  canSeeReport: boolean;
}

export interface AnnouncementPage {
  items: AnnouncementView[];
  nextCursor: string | null;
}

export interface ReachCounts {
  /** People in the current audience. */
  audience: number;
  /** Of them, who opened it. */
  viewed: number;
  /** Of them, who acknowledged the current version. */
  acknowledged: number;
  /** Of them, who acknowledged an earlier version only (asked again after a material edit). */
  acknowledgedEarlierVersion: number;
}

export interface AnnouncementReport {
  postId: string;
  title: string;
  mustRead: boolean;
  version: number;
  totals: ReachCounts;
  /** Per department (people.department; null for people without one), largest audience first. */
  byDepartment: (ReachCounts & { department: string | null })[];
}

export interface AnnouncementReportRow {
  personId: string;
  displayName: string;
  upn: string;
  department: string | null;
  viewedAt: string | null;
  acknowledgedVersion: number | null;
  acknowledgedAt: string | null;
}

export const announcementLimits = {
  targets: 20,
  department: 200,
  reminderDaysMax: 365,
  maxRemindersMax: 20,
} as const;
