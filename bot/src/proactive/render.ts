/**
 * Words a proactive notification as a message with an Adaptive Card, in the person's
 * language: a line that says why Ruche writes (it is also the notification preview), the
 * bot's card of the thing itself (post, kudos, announcement with its Acknowledge button,
 * meetup match with "we met" / "skip", digest) and a link into Ruche.
 */
import type { ProactiveActivity, ProactiveNotification } from '@ruche/core';
import type { IAdaptiveCard, IOpenUrlAction, ITextBlock } from '@microsoft/teams.cards';
import { announcementCard, digestCard, kudosCard, meetupMatchCard, messageCard, postCard, type Card } from '../cards.js';
import { say } from './messages.js';

type Element = IAdaptiveCard['body'][number];

function line(text: string, options: Partial<Omit<ITextBlock, 'type' | 'text'>> = {}): ITextBlock {
  return { type: 'TextBlock', text, wrap: true, ...options };
}

function escapeMarkdown(s: string): string {
  return s.replace(/([*_`[\]])/g, '\\$1');
}

function clip(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The card with a header line above it and "Open in Ruche" after its own actions. */
function framed(card: Card, header: string, link: string, lang: 'en' | 'fr', extra: Element[] = []): Card {
  const open: IOpenUrlAction = { type: 'Action.OpenUrl', title: say(lang, 'open'), url: link };
  return {
    ...card,
    body: [line(header, { weight: 'Bolder', color: 'Accent' }), ...extra, ...card.body],
    actions: [...(card.actions ?? []), open],
  };
}

function headerOf(n: ProactiveNotification): string {
  const lang = n.language;
  switch (n.kind) {
    case 'mention':
      if (n.commentId) return say(lang, 'mention.comment', { actor: n.actorName });
      return n.post.community ? say(lang, 'mention.community', { actor: n.actorName, community: n.post.community.name }) : say(lang, 'mention.plain', { actor: n.actorName });
    case 'kudos_received':
      return say(lang, 'kudos.received', { giver: n.kudos.giver.displayName });
    case 'acknowledgement_reminder': {
      const title = clip(n.announcement.post.title || n.announcement.post.body, 80);
      return n.reminder > 1 ? say(lang, 'reminder.again', { count: n.reminder, title }) : say(lang, 'reminder.title', { title });
    }
    case 'meetup_matched':
      return say(lang, 'meetup.new', { name: n.colleague.displayName });
    case 'digest':
      return say(lang, 'digest.week', { date: new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${n.weekStart}T00:00:00Z`)) });
  }
}

function cardOf(n: ProactiveNotification): Card {
  const lang = n.language;
  const header = headerOf(n);
  switch (n.kind) {
    case 'mention':
      return framed(postCard(lang, n.post), header, n.link, lang, n.commentExcerpt ? [line(`> ${escapeMarkdown(n.commentExcerpt)}`, { isSubtle: true })] : []);
    case 'kudos_received':
      return framed(kudosCard(lang, n.kudos), header, n.link, lang);
    case 'acknowledgement_reminder':
      return framed(announcementCard(lang, n.announcement), header, n.link, lang);
    case 'meetup_matched':
      return n.matchId
        ? framed(meetupMatchCard(lang, { matchId: n.matchId, colleague: n.colleague }), header, n.link, lang)
        : framed(messageCard(lang, 'meetup.title', [say(lang, 'meetup.hint')], { name: n.colleague.displayName }), header, n.link, lang);
    case 'digest': {
      const summary: Element[] = n.communities.map((c) =>
        line(say(lang, c.newPosts === 1 ? 'digest.community.one' : 'digest.community', { community: escapeMarkdown(c.name), count: c.newPosts }), { spacing: 'Small' }),
      );
      if (n.kudosTotal > 0) summary.push(line(say(lang, n.kudosTotal === 1 ? 'digest.kudosTotal.one' : 'digest.kudosTotal', { count: n.kudosTotal }), { spacing: 'Small' }));
      return framed(digestCard(lang, { posts: n.posts, kudos: n.kudos, pendingAnnouncements: n.pendingAnnouncements }), header, n.link, lang, summary);
    }
  }
}

/** The ProactiveRenderer of core: a message activity with one Adaptive Card. */
export function renderProactiveMessage(n: ProactiveNotification): ProactiveActivity {
  const summary = headerOf(n);
  return {
    type: 'message',
    summary,
    locale: n.language === 'fr' ? 'fr-FR' : 'en-US',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: cardOf(n) }],
  };
}
