/** Card buttons (Action.Execute): each does its action through core and returns the card as the presser now sees it. */
import { type Db, acknowledgeAnnouncement, getAnnouncement, getCommunity, getPost, listMyMeetupMatches, recordMeetupOutcome, rsvp, votePoll, type RsvpResponse } from '@ruche/core';
import type { Caller } from './caller.js';
import { type Card, announcementCard, errorCard, meetupMatchCard, meetupMatchView, messageCard, postCard, verbs } from './cards.js';
import { joinMessage } from './commands.js';
import { t } from './i18n.js';

export interface CardAction {
  verb: string;
  data: Record<string, unknown>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Runs a card action. `repeat` is true for a Teams retry of an action already done: the
 * card is only rendered again.
 */
export async function runCardAction(db: Db, caller: Caller, action: CardAction, repeat = false): Promise<Card> {
  const { lang, viewer } = caller;
  const postId = str(action.data.postId);
  switch (action.verb) {
    case verbs.acknowledge: {
      if (!repeat) await acknowledgeAnnouncement(db, viewer, postId);
      return announcementCard(lang, await getAnnouncement(db, viewer, postId));
    }
    case verbs.vote: {
      const optionId = str(action.data.optionId);
      const post = repeat ? await getPost(db, viewer, postId) : await votePoll(db, viewer, postId, [optionId]);
      return postCard(lang, post);
    }
    case verbs.rsvp: {
      const response = str(action.data.response) as RsvpResponse;
      const post = repeat ? await getPost(db, viewer, postId) : await rsvp(db, viewer, postId, response);
      return postCard(lang, post);
    }
    case verbs.refreshPost:
      return postCard(lang, await getPost(db, viewer, postId));
    case verbs.join: {
      const community = await getCommunity(db, viewer, str(action.data.communityId));
      return joinMessage({ db }, caller, community);
    }
    case verbs.meetupMet:
    case verbs.meetupSkip: {
      const matchId = str(action.data.matchId);
      const outcome = action.verb === verbs.meetupMet ? 'met' : 'skipped';
      const match = repeat
        ? (await listMyMeetupMatches(db, viewer, 50)).find((m) => m.id === matchId)
        : await recordMeetupOutcome(db, viewer, matchId, outcome);
      return match ? meetupMatchCard(lang, meetupMatchView(match)) : messageCard(lang, 'meetups.title', [t(lang, 'meetups.noMatch')]);
    }
    default:
      return errorCard(lang, t(lang, 'unknown.text'));
  }
}
