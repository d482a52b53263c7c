/**
 * Adaptive Cards of the bot: each is a template function from core's views to a card (the
 * card schema types of @microsoft/teams.cards). Buttons are universal actions (Action.Execute):
 * Teams sends an adaptiveCard/action invoke and shows the card the bot returns to the person
 * who pressed.
 */
import type { IAdaptiveCard, IExecuteAction, ITextBlock, IFactSet, IContainer } from '@microsoft/teams.cards';
import type { AnnouncementView, Community, ExpertHit, ExpertSearchResult, KudosValue, KudosView, MeetupMatch, PostView } from '@ruche/core';
import { formatDate, listNames, t, type MessageKey } from './i18n.js';
import type { Lang } from './parser.js';

export type Card = IAdaptiveCard;
type Element = IAdaptiveCard['body'][number];

/** The verbs of the card actions (Action.Execute) the bot handles. */
export const verbs = {
  acknowledge: 'ruche.announcement.acknowledge',
  vote: 'ruche.poll.vote',
  rsvp: 'ruche.event.rsvp',
  join: 'ruche.community.join',
  meetupMet: 'ruche.meetup.met',
  meetupSkip: 'ruche.meetup.skip',
  refreshPost: 'ruche.post.refresh',
} as const;

function card(body: Element[], actions: IExecuteAction[] = [], lang: Lang = 'en'): Card {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    lang,
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

function text(value: string, options: Partial<Omit<ITextBlock, 'type' | 'text'>> = {}): ITextBlock {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

function heading(value: string): ITextBlock {
  return text(value, { size: 'Medium', weight: 'Bolder' });
}

function facts(list: [string, string][]): IFactSet {
  return { type: 'FactSet', facts: list.map(([title, value]) => ({ title, value })) };
}

function execute(title: string, verb: string, data: Record<string, unknown>, style?: 'positive' | 'destructive'): IExecuteAction {
  return { type: 'Action.Execute', title, verb, data: { verb, ...data }, ...(style ? { style } : {}) };
}

function escapeMarkdown(s: string): string {
  return s.replace(/([*_`[\]])/g, '\\$1');
}

function excerpt(s: string, max = 400): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function messageCard(lang: Lang, titleKey: MessageKey, lines: string[], params: Record<string, string | number> = {}): Card {
  return card([heading(t(lang, titleKey, params)), ...lines.map((l) => text(l))], [], lang);
}

export function helpCard(lang: Lang, title: MessageKey = 'help.title', intro: MessageKey = 'help.intro'): Card {
  const lines: MessageKey[] = [
    'help.kudos', 'help.whoKnows', 'help.post', 'help.ask', 'help.feed', 'help.communities', 'help.join', 'help.announcements', 'help.meetups', 'help.digest',
  ];
  return card([heading(t(lang, title)), text(t(lang, intro), { isSubtle: true }), ...lines.map((k) => text(`• ${t(lang, k)}`, { spacing: 'Small' }))], [], lang);
}

export function unknownCommandCard(lang: Lang): Card {
  return helpCard(lang, 'unknown.title', 'unknown.text');
}

export function unknownPersonCard(lang: Lang): Card {
  return messageCard(lang, 'person.unknown.title', [t(lang, 'person.unknown.text')]);
}

/** A friendly card for a refused or failed action: what happened, and that nothing changed. */
export function errorCard(lang: Lang, message: string, options: { internal?: boolean } = {}): Card {
  return card(
    [heading(t(lang, 'error.title')), text(options.internal ? t(lang, 'error.internal') : message), ...(options.internal ? [] : [text(t(lang, 'error.retry'), { isSubtle: true })])],
    [],
    lang,
  );
}

function postHeader(lang: Lang, post: PostView): Element[] {
  const out: Element[] = [];
  if (post.title) out.push(heading(post.title));
  const by = post.community ? t(lang, 'post.by', { author: post.author.displayName, community: post.community.name }) : post.author.displayName;
  out.push(text(by, { isSubtle: true, spacing: 'None', size: 'Small' }));
  if (post.body.trim() !== '') out.push(text(escapeMarkdown(excerpt(post.body))));
  return out;
}

function rsvpLabel(lang: Lang, response: string): string {
  return response === 'yes' ? t(lang, 'event.going') : response === 'maybe' ? t(lang, 'event.maybe') : t(lang, 'event.declined');
}

/** A post; polls get vote buttons and events RSVP buttons, as the viewer sees them. */
export function postCard(lang: Lang, post: PostView): Card {
  const body = postHeader(lang, post);
  const actions: IExecuteAction[] = [];
  if (post.poll) {
    const p = post.poll;
    if (p.resultsVisible) {
      body.push(facts(p.options.map((o) => [o.label, t(lang, 'poll.votes', { count: o.votes ?? 0 })])));
    }
    if (p.viewerChoices.length > 0) {
      const chosen = p.options.filter((o) => p.viewerChoices.includes(o.id)).map((o) => o.label);
      body.push(text(t(lang, 'poll.voted', { choices: chosen.join(', ') }), { weight: 'Bolder' }));
    }
    if (p.closed) body.push(text(t(lang, 'poll.closed'), { isSubtle: true }));
    else if (p.viewerChoices.length === 0) for (const o of p.options) actions.push(execute(o.label, verbs.vote, { postId: post.id, optionId: o.id }));
  }
  if (post.event) {
    const e = post.event;
    const rows: [string, string][] = [[t(lang, 'event.when'), formatDate(lang, e.startsAt)]];
    if (e.place ?? e.onlineUrl) rows.push([t(lang, 'event.where'), (e.place ?? e.onlineUrl)!]);
    body.push(facts(rows));
    body.push(text(t(lang, 'event.counts', { going: e.going, maybe: e.maybe }), { isSubtle: true }));
    if (e.viewerRsvp) body.push(text(t(lang, 'event.yourRsvp', { response: rsvpLabel(lang, e.viewerRsvp.response) }), { weight: 'Bolder' }));
    for (const response of ['yes', 'maybe', 'no'] as const) {
      if (e.viewerRsvp?.response !== response) actions.push(execute(rsvpLabel(lang, response), verbs.rsvp, { postId: post.id, response }, response === 'yes' ? 'positive' : undefined));
    }
  }
  const c = card(body, actions, lang);
  // Universal actions: Teams asks for the viewer's own version when the card is shown.
  return { ...c, refresh: { action: execute('', verbs.refreshPost, { postId: post.id }) } };
}

export function postsCard(lang: Lang, title: string, posts: PostView[], empty: string): Card {
  if (posts.length === 0) return card([heading(title), text(empty)], [], lang);
  const items: Element[] = posts.map(
    (p): IContainer => ({
      type: 'Container',
      separator: true,
      items: [
        text(p.title || excerpt(p.body, 120), { weight: 'Bolder' }),
        text(t(lang, 'post.by', { author: p.author.displayName, community: p.community?.name ?? '—' }), { isSubtle: true, spacing: 'None', size: 'Small' }),
        ...(p.title && p.body.trim() !== '' ? [text(escapeMarkdown(excerpt(p.body, 200)), { spacing: 'Small' })] : []),
      ],
    }),
  );
  return card([heading(title), ...items], [], lang);
}

function valueName(lang: Lang, v: KudosValue | null): string | undefined {
  return v ? v.name[lang] : undefined;
}

export function kudosCard(lang: Lang, k: KudosView): Card {
  const names = listNames(lang, k.recipients.map((r) => r.displayName));
  const value = valueName(lang, k.value);
  return card(
    [
      heading(t(lang, 'kudos.title', { giver: k.giver.displayName })),
      text(t(lang, 'kudos.to', { names }), { weight: 'Bolder', spacing: 'Small' }),
      ...(value ? [text(`#${value}`, { color: 'Accent', spacing: 'None' })] : []),
      text(escapeMarkdown(k.message)),
    ],
    [],
    lang,
  );
}

function expertEvidence(lang: Lang, hit: ExpertHit): IFactSet {
  const e = hit.evidence;
  const rows: [string, string][] = [];
  const fr = lang === 'fr';
  if (e.declaredSkills.length > 0) rows.push([fr ? 'Compétences' : 'Skills', e.declaredSkills.join(', ')]);
  if (e.endorsements > 0) rows.push([fr ? 'Recommandations' : 'Endorsements', String(e.endorsements)]);
  if (e.acceptedAnswers > 0) rows.push([fr ? 'Réponses acceptées' : 'Accepted answers', String(e.acceptedAnswers)]);
  if (e.posts > 0) rows.push([fr ? 'Messages' : 'Posts', String(e.posts)]);
  if (e.kudos > 0) rows.push(['Kudos', String(e.kudos)]);
  if (e.expertIn.length > 0) rows.push([fr ? 'Experte ou expert dans' : 'Expert in', e.expertIn.map((c) => c.name).join(', ')]);
  return facts(rows);
}

export function expertCard(lang: Lang, hit: ExpertHit): Card {
  return card([...expertBlock(lang, hit)], [], lang);
}

function expertBlock(lang: Lang, hit: ExpertHit): Element[] {
  const p = hit.person;
  const role = [p.jobTitle, p.department, p.office].filter((x): x is string => !!x).join(' · ');
  return [
    text(p.displayName, { weight: 'Bolder', size: 'Medium' }),
    ...(role ? [text(role, { isSubtle: true, spacing: 'None' })] : []),
    text(hit.why, { spacing: 'Small' }),
    expertEvidence(lang, hit),
  ];
}

export function expertsCard(lang: Lang, topic: string, result: ExpertSearchResult): Card {
  if (result.items.length === 0) return card([heading(t(lang, 'experts.title', { topic })), text(t(lang, 'experts.none', { topic }))], [], lang);
  const blocks: Element[] = result.items.slice(0, 5).map((hit): IContainer => ({ type: 'Container', separator: true, items: expertBlock(lang, hit) }));
  return card([heading(t(lang, 'experts.title', { topic })), ...blocks], [], lang);
}

/** An announcement; a must-read one not yet acknowledged by the viewer carries the Acknowledge button. */
export function announcementCard(lang: Lang, a: AnnouncementView): Card {
  const body: Element[] = [];
  if (a.mustRead) body.push(text(t(lang, 'announcement.mustRead').toUpperCase(), { color: 'Attention', size: 'Small', weight: 'Bolder' }));
  body.push(...postHeader(lang, a.post));
  const ack = a.acknowledgement;
  const actions: IExecuteAction[] = [];
  if (ack?.acknowledged && ack.acknowledgedAt) {
    body.push(text(`✓ ${t(lang, 'announcement.acked', { date: formatDate(lang, ack.acknowledgedAt) })}`, { color: 'Good', weight: 'Bolder' }));
  } else if (ack?.required) {
    actions.push(execute(t(lang, 'announcement.ack'), verbs.acknowledge, { postId: a.post.id, version: a.version }, 'positive'));
  }
  return card(body, actions, lang);
}

export function communitiesCard(lang: Lang, mine: Community[], discover: Community[]): Card {
  const line = (c: Community) => `**${escapeMarkdown(c.name)}** · ${t(lang, 'communities.members', { count: c.memberCount })}`;
  const body: Element[] = [heading(t(lang, 'communities.title'))];
  if (mine.length === 0) body.push(text(t(lang, 'communities.none')));
  for (const c of mine) body.push(text(line(c), { spacing: 'Small' }));
  if (discover.length > 0) {
    body.push(text(t(lang, 'communities.discover'), { weight: 'Bolder', separator: true }));
    for (const c of discover) {
      body.push({
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [text(line(c))] },
          { type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [execute(t(lang, 'communities.join'), verbs.join, { communityId: c.id })] }] },
        ],
      });
    }
  }
  return card(body, [], lang);
}

export interface MeetupMatchView {
  matchId: string;
  colleague: { displayName: string; jobTitle: string | null; department: string | null; office?: string | null };
  /** The viewer's answer to "did you meet?", when given. */
  myOutcome?: 'met' | 'skipped' | null;
}

/** A core meetup match as the card shows it. */
export function meetupMatchView(m: MeetupMatch): MeetupMatchView {
  return { matchId: m.id, colleague: m.colleague, myOutcome: m.myOutcome };
}

/** A meetup match with "we met" and "skip"; once answered, the answer instead of the buttons. */
export function meetupMatchCard(lang: Lang, m: MeetupMatchView): Card {
  const c = m.colleague;
  const role = [c.jobTitle, c.department, c.office].filter((x): x is string => !!x).join(' · ');
  const body: Element[] = [heading(t(lang, 'meetup.title', { name: c.displayName })), ...(role ? [text(role, { isSubtle: true })] : [])];
  if (m.myOutcome) {
    body.push(text(t(lang, m.myOutcome === 'met' ? 'meetup.answered.met' : 'meetup.answered.skipped'), { weight: 'Bolder', color: 'Good' }));
    return card(body, [], lang);
  }
  return card(
    body,
    [execute(t(lang, 'meetup.met'), verbs.meetupMet, { matchId: m.matchId }, 'positive'), execute(t(lang, 'meetup.skip'), verbs.meetupSkip, { matchId: m.matchId })],
    lang,
  );
}

export interface DigestView {
  posts: PostView[];
  kudos: KudosView[];
  pendingAnnouncements: number;
}

export function digestCard(lang: Lang, d: DigestView): Card {
  const body: Element[] = [heading(t(lang, 'digest.title'))];
  if (d.pendingAnnouncements > 0) body.push(text(t(lang, 'digest.announcements', { count: d.pendingAnnouncements }), { color: 'Attention', weight: 'Bolder' }));
  if (d.posts.length > 0) {
    body.push(text(t(lang, 'digest.posts'), { weight: 'Bolder', separator: true }));
    for (const p of d.posts) body.push(text(`• ${escapeMarkdown(p.title || excerpt(p.body, 100))} — ${p.community?.name ?? ''}`, { spacing: 'Small' }));
  }
  if (d.kudos.length > 0) {
    body.push(text(t(lang, 'digest.kudos'), { weight: 'Bolder', separator: true }));
    for (const k of d.kudos) {
      body.push(text(`• ${k.giver.displayName} → ${listNames(lang, k.recipients.map((r) => r.displayName))}: ${escapeMarkdown(excerpt(k.message, 100))}`, { spacing: 'Small' }));
    }
  }
  if (d.posts.length === 0 && d.kudos.length === 0 && d.pendingAnnouncements === 0) body.push(text(t(lang, 'digest.empty')));
  return card(body, [], lang);
}

/** The task module form of "Give kudos" from a message: the author pre-filled. */
export function kudosFormCard(lang: Lang, recipient: { id: string; displayName: string }, values: KudosValue[], message: string): Card {
  return {
    ...card(
      [
        heading(t(lang, 'ext.kudos.title')),
        facts([[t(lang, 'ext.kudos.recipient'), recipient.displayName]]),
        {
          type: 'Input.ChoiceSet',
          id: 'valueKey',
          label: t(lang, 'ext.kudos.value'),
          isRequired: true,
          value: values[0]?.key ?? '',
          choices: values.map((v) => ({ title: v.name[lang], value: v.key })),
        },
        { type: 'Input.Text', id: 'message', label: t(lang, 'ext.kudos.message'), isMultiline: true, isRequired: true, maxLength: 1000, value: message },
      ],
      [],
      lang,
    ),
    actions: [{ type: 'Action.Submit', title: t(lang, 'ext.kudos.submit'), data: { action: 'giveKudos', recipientId: recipient.id } }],
  };
}

/** The task module form of "Share to a community". */
export function shareFormCard(lang: Lang, communities: Community[], message: string): Card {
  return {
    ...card(
      [
        heading(t(lang, 'ext.share.title')),
        {
          type: 'Input.ChoiceSet',
          id: 'communityId',
          label: t(lang, 'ext.share.community'),
          isRequired: true,
          value: communities[0]?.id ?? '',
          choices: communities.map((c) => ({ title: c.name, value: c.id })),
        },
        { type: 'Input.Text', id: 'text', label: t(lang, 'ext.share.text'), isMultiline: true, isRequired: true, maxLength: 20000, value: message },
      ],
      [],
      lang,
    ),
    actions: [{ type: 'Action.Submit', title: t(lang, 'ext.share.submit'), data: { action: 'shareToCommunity' } }],
  };
}
