/** What each chat command does, through core (and so through the one policy). Each returns the cards to send. */
import {
  type Community,
  type Db,
  createPost,
  findExperts,
  giveKudos,
  joinCommunity,
  requestToJoin,
  listAnnouncements,
  listCommunities,
  listKudosValues,
  readFeed,
  recentKudosForViewer,
  type KudosValue,
  type PostKind,
  getMeetupPreference,
  getMeetupSettings,
  getMyMeetupMatch,
  setMeetupPreference,
} from '@ruche/core';
import type { Caller } from './caller.js';
import { resolveCommunity, resolvePeople } from './caller.js';
import {
  type Card,
  announcementCard,
  communitiesCard,
  digestCard,
  errorCard,
  expertsCard,
  helpCard,
  kudosCard,
  meetupMatchCard,
  meetupMatchView,
  messageCard,
  postCard,
  postsCard,
  unknownCommandCard,
} from './cards.js';
import { formatDay, listNames, t } from './i18n.js';
import { type Command, editDistance, fold, type MeetupAction, type MentionRef } from './parser.js';
import { teamCommunity } from './store.js';

/** Where the message was written. */
export interface Place {
  conversationType: 'personal' | 'channel' | 'groupChat';
  teamId?: string;
}

export interface CommandDeps {
  db: Db;
}

/** Picks the company value a hashtag names: its key or its name in either language, give or take a typo. */
export function matchValue(values: KudosValue[], tag: string): KudosValue | undefined {
  const f = fold(tag).replace(/[^a-z0-9]/g, '');
  const forms = (v: KudosValue) => [v.key, v.name.en, v.name.fr].map((x) => fold(x).replace(/[^a-z0-9]/g, ''));
  return values.find((v) => forms(v).includes(f)) ?? values.find((v) => forms(v).some((x) => x.length > 3 && editDistance(x, f) <= 2));
}

async function kudos(deps: CommandDeps, caller: Caller, recipients: MentionRef[], message: string, tags: string[]): Promise<Card[]> {
  const { lang } = caller;
  if (recipients.length === 0) return [messageCard(lang, 'error.title', [t(lang, 'kudos.noRecipient')])];
  if (message.trim() === '') return [messageCard(lang, 'error.title', [t(lang, 'kudos.noMessage')])];
  const people = await resolvePeople(deps.db, caller.tenantId, recipients);
  if (people.ambiguous.length > 0) return [messageCard(lang, 'error.title', [t(lang, 'kudos.ambiguous', { name: people.ambiguous[0]! })])];
  if (people.unknown.length > 0) return [messageCard(lang, 'error.title', [t(lang, 'kudos.unknownPeople', { names: listNames(lang, people.unknown) })])];
  const values = await listKudosValues(deps.db, caller.viewer);
  let value = values[0];
  if (tags.length > 0) {
    value = matchValue(values, tags[0]!);
    if (!value) {
      return [messageCard(lang, 'error.title', [t(lang, 'kudos.unknownValue', { value: tags[0]!, values: values.map((v) => `#${v.key}`).join(', ') })])];
    }
  }
  if (!value) return [errorCard(lang, t(lang, 'kudos.unknownValue', { value: '', values: '' }))];
  const given = await giveKudos(deps.db, caller.viewer, {
    recipients: people.found.map((p) => p.id),
    valueKey: value.key,
    message,
    visibility: 'public',
  });
  return [kudosCard(lang, given.kudos)];
}

async function communityFor(deps: CommandDeps, caller: Caller, name: string | undefined, place: Place, kind: PostKind): Promise<{ community?: { id: string; name: string }; nameUnused?: boolean; cards?: Card[] }> {
  const { lang } = caller;
  const linked = place.teamId ? await teamCommunity(deps.db, caller.tenantId, place.teamId) : undefined;
  if (name) {
    const found = await resolveCommunity(deps.db, caller.viewer, name);
    if (found.community) return { community: found.community };
    if (!linked) {
      const mine = await listCommunities(deps.db, caller.viewer, { mine: true, limit: 10 });
      const lines = [t(lang, 'post.communityUnknown', { name })];
      const names = (found.suggestions.length > 0 ? found.suggestions : mine.items).map((c) => c.name);
      if (names.length > 0) lines.push(t(lang, 'post.yourCommunities', { names: names.join(', ') }));
      return { cards: [messageCard(lang, 'error.title', lines)] };
    }
  }
  if (linked) {
    const r = await deps.db.query<{ name: string }>('select name from communities where tenant_id = $1 and id = $2', [caller.tenantId, linked]);
    if (r.rows[0]) return { community: { id: linked, name: r.rows[0].name }, nameUnused: name !== undefined };
  }
  const mine = await listCommunities(deps.db, caller.viewer, { mine: true, limit: 10 });
  const example = kind === 'question' ? t(lang, 'help.ask') : t(lang, 'help.post');
  const lines = [t(lang, 'post.communityMissing', { example: example.split(':')[0]!.split(' : ')[0]! })];
  if (mine.items.length > 0) lines.push(t(lang, 'post.yourCommunities', { names: mine.items.map((c) => c.name).join(', ') }));
  return { cards: [messageCard(lang, 'error.title', lines)] };
}

/** A title for a question: its first sentence, at most 200 characters. */
export function questionTitle(text: string): { title: string; body: string } {
  const flat = text.replace(/\s+/g, ' ').trim();
  const sentence = /^(.{1,200}?[?.!])(\s|$)/.exec(flat)?.[1] ?? flat;
  if (sentence.length <= 200) return { title: sentence, body: flat === sentence ? '' : flat };
  return { title: `${flat.slice(0, 199)}…`, body: flat };
}

async function post(deps: CommandDeps, caller: Caller, kind: 'discussion' | 'question', text: string, communityName: string | undefined, place: Place): Promise<Card[]> {
  const { lang } = caller;
  const target = await communityFor(deps, caller, communityName, place, kind);
  if (!target.community) return target.cards!;
  // In a linked channel, "post ... in <something that is not a community>" posts the whole text.
  const fullText = target.nameUnused ? `${text} in ${communityName}` : text;
  const input = kind === 'question' ? { ...questionTitle(fullText) } : { body: fullText };
  const created = await createPost(deps.db, caller.viewer, { communityId: target.community.id, kind, ...input });
  return [
    messageCard(lang, kind === 'question' ? 'post.asked' : 'post.posted', [], { community: target.community.name }),
    postCard(lang, created),
  ];
}

async function communities(deps: CommandDeps, caller: Caller): Promise<Card[]> {
  const mine = await listCommunities(deps.db, caller.viewer, { mine: true, limit: 20 });
  const all = await listCommunities(deps.db, caller.viewer, { sort: 'newest', limit: 30 });
  const discover = all.items.filter((c: Community) => !c.membership && c.permissions.join).slice(0, 5);
  return [communitiesCard(caller.lang, mine.items, discover)];
}

async function join(deps: CommandDeps, caller: Caller, name: string): Promise<Card[]> {
  const { lang } = caller;
  const found = await resolveCommunity(deps.db, caller.viewer, name);
  if (!found.community) {
    const lines = [t(lang, 'post.communityUnknown', { name })];
    if (found.suggestions.length > 0) lines.push(found.suggestions.map((c) => c.name).join(', '));
    return [messageCard(lang, 'error.title', lines)];
  }
  return [await joinMessage(deps, caller, found.community)];
}

/** Joins (or asks to join) a community and says what happened. */
export async function joinMessage(deps: CommandDeps, caller: Caller, community: Community): Promise<Card> {
  const { lang } = caller;
  if (community.membership?.state === 'active') return messageCard(lang, 'join.already', [], { community: community.name });
  const r =
    !community.permissions.join && community.permissions.request
      ? await requestToJoin(deps.db, caller.viewer, community.id)
      : await joinCommunity(deps.db, caller.viewer, community.id);
  const state = r.membership?.state;
  return messageCard(lang, state === 'active' ? 'join.done' : 'join.requested', [], { community: community.name });
}

async function announcements(deps: CommandDeps, caller: Caller): Promise<Card[]> {
  const page = await listAnnouncements(deps.db, caller.viewer, { pending: true, limit: 10 });
  if (page.items.length === 0) return [messageCard(caller.lang, 'announcements.title', [t(caller.lang, 'announcements.none')])];
  return [messageCard(caller.lang, 'announcements.title', []), ...page.items.map((a) => announcementCard(caller.lang, a))];
}

async function digest(deps: CommandDeps, caller: Caller, now = new Date()): Promise<Card[]> {
  const top = await readFeed(deps.db, caller.viewer, { kind: 'home' }, { order: 'top', limit: 5 });
  const weekAgo = now.getTime() - 7 * 86_400_000;
  const posts = top.items.filter((p) => new Date(p.createdAt).getTime() >= weekAgo);
  const kudosList = await recentKudosForViewer(deps.db, caller.viewer, { limit: 5, days: 7 });
  const pending = await listAnnouncements(deps.db, caller.viewer, { pending: true, limit: 100 });
  return [digestCard(caller.lang, { posts, kudos: kudosList, pendingAnnouncements: pending.items.length })];
}

/** Meetups: opt in, out or snooze through core; the status shows the current match with its buttons. */
async function meetups(deps: CommandDeps, caller: Caller, action: MeetupAction, now = new Date()): Promise<Card[]> {
  const { lang, viewer } = caller;
  const settings = await getMeetupSettings(deps.db, caller.tenantId);
  if (!settings.enabled) return [messageCard(lang, 'meetups.disabled.title', [t(lang, 'meetups.disabled.text')])];
  let pref;
  if (action.kind === 'on') pref = await setMeetupPreference(deps.db, viewer, { enabled: true, snoozeUntil: null }, now);
  else if (action.kind === 'off') pref = await setMeetupPreference(deps.db, viewer, { enabled: false }, now);
  else if (action.kind === 'snooze') {
    const until = new Date(now.getTime() + action.days * 86_400_000).toISOString().slice(0, 10);
    pref = await setMeetupPreference(deps.db, viewer, { snoozeUntil: until }, now);
  } else pref = await getMeetupPreference(deps.db, viewer, now);
  const line = !pref.enabled
    ? t(lang, 'meetups.off')
    : pref.snoozeUntil && !pref.active
      ? t(lang, 'meetups.snoozed', { date: formatDay(lang, pref.snoozeUntil) })
      : t(lang, 'meetups.on');
  const cards = [messageCard(lang, 'meetups.title', [line])];
  if (action.kind === 'status') {
    const match = await getMyMeetupMatch(deps.db, viewer);
    cards.push(match ? meetupMatchCard(lang, meetupMatchView(match)) : messageCard(lang, 'meetups.title', [t(lang, 'meetups.noMatch')]));
  }
  return cards;
}

export async function runCommand(deps: CommandDeps, caller: Caller, command: Command, place: Place): Promise<Card[]> {
  const { lang } = caller;
  switch (command.kind) {
    case 'help':
      return [helpCard(lang)];
    case 'unknown':
      return [unknownCommandCard(lang)];
    case 'kudos':
      return kudos(deps, caller, command.recipients, command.message, command.values);
    case 'whoKnows':
      return [expertsCard(lang, command.topic, await findExperts(deps.db, caller.viewer, { q: command.topic.slice(0, 100), limit: 5 }))];
    case 'post':
      return post(deps, caller, 'discussion', command.text, command.community, place);
    case 'ask':
      return post(deps, caller, 'question', command.text, command.community, place);
    case 'feed': {
      const page = await readFeed(deps.db, caller.viewer, { kind: 'home' }, { limit: 5 });
      return [postsCard(lang, t(lang, 'feed.title'), page.items, t(lang, 'feed.empty'))];
    }
    case 'communities':
      return communities(deps, caller);
    case 'join':
      return join(deps, caller, command.community);
    case 'announcements':
      return announcements(deps, caller);
    case 'meetups':
      return meetups(deps, caller, command.action);
    case 'digest':
      return digest(deps, caller);
  }
}

export { postCard };
