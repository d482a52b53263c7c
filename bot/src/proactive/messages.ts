/** What proactive messages say above their cards, in English and French. Parameters are written {name}. */
import type { ProactiveLanguage } from '@ruche/core';

const en = {
  'mention.community': '{actor} mentioned you in {community}',
  'mention.plain': '{actor} mentioned you',
  'mention.comment': '{actor} mentioned you in a comment',
  'kudos.received': 'You received kudos from {giver}',
  'reminder.title': 'Reminder: please read and acknowledge "{title}"',
  'reminder.again': 'Reminder {count}: please read and acknowledge "{title}"',
  'meetup.new': 'A new meetup: you were matched with {name}',
  'meetup.hint': 'Suggest a coffee or a call this week.',
  'digest.week': 'Week of {date}',
  'digest.community': '{community}: {count} new posts',
  'digest.community.one': '{community}: 1 new post',
  'digest.kudosTotal': 'You received {count} kudos this week',
  'digest.kudosTotal.one': 'You received 1 kudos this week',
  'open': 'Open in Ruche',
} as const;

export type ProactiveMessageKey = keyof typeof en;

const fr: Record<ProactiveMessageKey, string> = {
  'mention.community': '{actor} vous a mentionné dans {community}',
  'mention.plain': '{actor} vous a mentionné',
  'mention.comment': '{actor} vous a mentionné dans un commentaire',
  'kudos.received': 'Vous avez reçu des kudos de {giver}',
  'reminder.title': 'Rappel : merci de lire et de confirmer la lecture de « {title} »',
  'reminder.again': 'Rappel {count} : merci de lire et de confirmer la lecture de « {title} »',
  'meetup.new': 'Nouvelle rencontre : vous avez été mis en relation avec {name}',
  'meetup.hint': 'Proposez un café ou un appel cette semaine.',
  'digest.week': 'Semaine du {date}',
  'digest.community': '{community} : {count} nouveaux messages',
  'digest.community.one': '{community} : 1 nouveau message',
  'digest.kudosTotal': 'Vous avez reçu {count} kudos cette semaine',
  'digest.kudosTotal.one': 'Vous avez reçu 1 kudos cette semaine',
  'open': 'Ouvrir dans Ruche',
};

export const proactiveMessages: Record<ProactiveLanguage, Record<ProactiveMessageKey, string>> = { en, fr };

export function say(lang: ProactiveLanguage, key: ProactiveMessageKey, params: Record<string, string | number> = {}): string {
  return proactiveMessages[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
