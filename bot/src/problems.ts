/** Core errors (problem codes) as sentences for a chat, in the person's language. */
import { type ErrorCode, RucheError } from '@ruche/core';
import type { Lang } from './parser.js';

const fr: Partial<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: 'Ce que vous avez écrit n’est pas valide.',
  FORBIDDEN: 'Vous n’avez pas le droit de faire cela ici.',
  NOT_FOUND: 'Je ne trouve pas cet élément, ou vous ne pouvez pas le voir.',
  PERSON_NOT_FOUND: 'Je ne trouve pas cette personne.',
  RATE_LIMITED: 'Vous êtes allé un peu vite : réessayez dans un moment.',
  CONTENT_TOO_LONG: 'Le texte est trop long.',
  CONTENT_INVALID: 'Le contenu n’est pas valide.',
  CONTENT_BLOCKED: 'Ce texte contient des mots qui ne sont pas autorisés ici.',
  COMMUNITY_ALREADY_MEMBER: 'Vous êtes déjà membre de cette communauté.',
  COMMUNITY_BANNED: 'Vous ne pouvez plus participer à cette communauté.',
  COMMUNITY_ORG_UNIT_MANAGED: 'L’appartenance à cette communauté suit l’annuaire.',
  POLL_CLOSED: 'Ce sondage est clos.',
  POST_KIND_MISMATCH: 'Cette action ne s’applique pas à ce type de message.',
  ANNOUNCEMENT_NOT_IN_AUDIENCE: 'Cette annonce ne vous est pas adressée.',
  ANNOUNCEMENT_NOT_MUST_READ: 'Cette annonce ne demande pas de confirmation.',
  KUDOS_SELF: 'Vous ne pouvez pas vous envoyer un bravo.',
  KUDOS_RECOGNITION_OFF: 'La reconnaissance est désactivée pour cette personne.',
  KUDOS_DAILY_CAP: 'Vous avez atteint le nombre de bravos possibles aujourd’hui.',
  KUDOS_VALUE_UNKNOWN: 'Cette valeur de l’entreprise n’existe pas.',
  FORMER_EMPLOYEE: 'Ce compte appartient à une personne qui a quitté l’entreprise.',
};

/** A RucheError's message for the person (core's messages are English; French by code). */
export function problemMessage(lang: Lang, error: RucheError): string {
  if (lang === 'fr') return fr[error.code] ?? 'Cette action n’est pas possible.';
  return error.message;
}

export function isRucheError(error: unknown): error is RucheError {
  return error instanceof RucheError;
}
