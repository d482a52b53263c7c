/** What the posts module returns: views of posts and comments as a given viewer sees them. */
import type { PostKind } from '../policy/policy.js';

export type { PostKind };
export const postKinds: readonly PostKind[] = ['discussion', 'question', 'announcement', 'idea', 'poll', 'event'];

export const reactionKinds = ['like', 'celebrate', 'love', 'insightful', 'funny', 'support'] as const;
export type ReactionKind = (typeof reactionKinds)[number];
export type ReactionCounts = Record<ReactionKind, number>;

export const ideaStatuses = ['new', 'under_review', 'accepted', 'done', 'declined'] as const;
export type IdeaStatus = (typeof ideaStatuses)[number];

export const rsvpResponses = ['yes', 'no', 'maybe'] as const;
export type RsvpResponse = (typeof rsvpResponses)[number];

/** Length limits, checked in core with CONTENT_TOO_LONG. */
export const limits = {
  title: 200,
  postBody: 20_000,
  commentBody: 5_000,
  pollOption: 200,
  pollOptionsMin: 2,
  pollOptionsMax: 10,
  place: 300,
  ideaStatusComment: 2_000,
  topicsPerPost: 10,
  eventCapacityMax: 100_000,
} as const;

export interface PersonRef {
  id: string;
  displayName: string;
}

export interface CommunityRef {
  id: string;
  name: string;
}

export interface TopicRef {
  slug: string;
  name: string;
}

export interface IdeaView {
  status: IdeaStatus;
  statusComment: string | null;
  statusSetBy: string | null;
  statusSetAt: string | null;
  votes: number;
  viewerVoted: boolean;
}

export interface PollOptionView {
  id: string;
  label: string;
  /** Null while results are hidden (the viewer has not voted and the poll is open). */
  votes: number | null;
}

export interface PollView {
  multiple: boolean;
  closesAt: string;
  closed: boolean;
  resultsVisible: boolean;
  options: PollOptionView[];
  voters: number | null;
  viewerChoices: string[];
}

export interface EventView {
  startsAt: string;
  endsAt: string | null;
  place: string | null;
  onlineUrl: string | null;
  capacity: number | null;
  going: number;
  waiting: number;
  maybe: number;
  declined: number;
  viewerRsvp: { response: RsvpResponse; status: 'going' | 'waiting' | null; waitingPosition: number | null } | null;
}

/** A file attached to a post, as its readers see it (the bytes through `downloadUrl`). */
export interface PostAttachmentView {
  id: string;
  /** The cleaned file name (no path or control characters); text, never markup. */
  name: string;
  contentType: string;
  size: number;
  /** Whether the file is an image the download route serves inline (shown as a thumbnail). */
  image: boolean;
  /** Path on the API origin; the download checks the reader again and needs their token. */
  downloadUrl: string;
}

/** Where the API serves an attachment's bytes. */
export function attachmentDownloadPath(attachmentId: string): string {
  return `/api/v1/attachments/${attachmentId}/content`;
}

export interface PostView {
  id: string;
  kind: PostKind;
  community: CommunityRef | null;
  author: PersonRef;
  title: string;
  body: string;
  bodyHtml: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  pinned: boolean;
  pinnedUntil: string | null;
  hidden: boolean;
  /** Set by feeds: newer than the viewer's previous visit of that feed. */
  isNew: boolean;
  topics: TopicRef[];
  /** Files attached to the post, in the order they were uploaded. */
  attachments: PostAttachmentView[];
  counts: { comments: number; reactions: ReactionCounts; reactionsTotal: number };
  viewerReaction: ReactionKind | null;
  question: { acceptedCommentId: string | null } | null;
  idea: IdeaView | null;
  poll: PollView | null;
  event: EventView | null;
}

export interface CommentView {
  id: string;
  postId: string;
  parentId: string | null;
  author: PersonRef | null;
  body: string;
  bodyHtml: string;
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  hidden: boolean;
  /** A deleted top comment kept as a placeholder because replies hang from it. */
  deleted: boolean;
  accepted: boolean;
  counts: { reactions: ReactionCounts; reactionsTotal: number };
  viewerReaction: ReactionKind | null;
  replies: CommentView[];
}

export interface RevisionView {
  version: number;
  title: string;
  body: string;
  bodyHtml: string;
  editedBy: PersonRef;
  createdAt: string;
}

export function emptyReactionCounts(): ReactionCounts {
  return { like: 0, celebrate: 0, love: 0, insightful: 0, funny: 0, support: 0 };
}
