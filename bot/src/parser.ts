/**
 * The command grammar of the bot, English and French. Pure: text and Teams mention entities
 * in, a command out. Forgiving: any letter case, accents optional, the command word may come
 * after a mention or a polite word, and small typos are accepted (a small edit distance).
 */

export type Lang = 'en' | 'fr';

/** A person named in the message: a Teams mention entity, or a typed "@name". */
export interface MentionRef {
  /** The Teams user id (29:...) of a mention entity. */
  id?: string;
  /** The Entra object id, when Teams gives it. */
  aadObjectId?: string;
  /** The name as shown in the message. */
  name: string;
}

export type MeetupAction = { kind: 'on' } | { kind: 'off' } | { kind: 'snooze'; days: number } | { kind: 'status' };

export type Command =
  | { kind: 'help' }
  | { kind: 'kudos'; recipients: MentionRef[]; message: string; values: string[] }
  | { kind: 'whoKnows'; topic: string }
  | { kind: 'post'; text: string; community?: string }
  | { kind: 'ask'; text: string; community?: string }
  | { kind: 'feed' }
  | { kind: 'communities' }
  | { kind: 'join'; community: string }
  | { kind: 'announcements' }
  | { kind: 'meetups'; action: MeetupAction }
  | { kind: 'digest' }
  | { kind: 'unknown'; text: string };

export interface ParsedCommand {
  command: Command;
  /** The language of the command word, when it tells (e.g. "bravo", "fil" are French). */
  lang?: Lang;
}

/** A Teams mention entity (activity.entities[] with type 'mention'). */
export interface MentionEntity {
  type: string;
  text?: string;
  mentioned?: { id?: string; name?: string; aadObjectId?: string; role?: string };
}

type Kind = Exclude<Command['kind'], 'unknown'>;

interface Keyword {
  words: string[];
  kind: Kind;
  lang?: Lang;
}

/** Command words, accent-free and lower-case. Multi-word keywords match consecutive words. */
const keywords: Keyword[] = [
  { words: ['help'], kind: 'help', lang: 'en' },
  { words: ['aide'], kind: 'help', lang: 'fr' },
  { words: ['aidez', 'moi'], kind: 'help', lang: 'fr' },
  { words: ['commands'], kind: 'help', lang: 'en' },
  { words: ['commandes'], kind: 'help', lang: 'fr' },
  { words: ['kudos'], kind: 'kudos' },
  { words: ['bravo'], kind: 'kudos', lang: 'fr' },
  { words: ['merci'], kind: 'kudos', lang: 'fr' },
  { words: ['thanks'], kind: 'kudos', lang: 'en' },
  { words: ['thank'], kind: 'kudos', lang: 'en' },
  { words: ['who', 'knows'], kind: 'whoKnows', lang: 'en' },
  { words: ['who', 'knows', 'about'], kind: 'whoKnows', lang: 'en' },
  { words: ['qui', 'connait'], kind: 'whoKnows', lang: 'fr' },
  { words: ['qui', 'sait'], kind: 'whoKnows', lang: 'fr' },
  { words: ['qui', 's', 'y', 'connait', 'en'], kind: 'whoKnows', lang: 'fr' },
  { words: ['qui', 's', 'y', 'connait'], kind: 'whoKnows', lang: 'fr' },
  { words: ['experts'], kind: 'whoKnows' },
  { words: ['expert'], kind: 'whoKnows' },
  { words: ['post'], kind: 'post', lang: 'en' },
  { words: ['publish'], kind: 'post', lang: 'en' },
  { words: ['publier'], kind: 'post', lang: 'fr' },
  { words: ['publie'], kind: 'post', lang: 'fr' },
  { words: ['poster'], kind: 'post', lang: 'fr' },
  { words: ['ask'], kind: 'ask', lang: 'en' },
  { words: ['question'], kind: 'ask' },
  { words: ['demander'], kind: 'ask', lang: 'fr' },
  { words: ['demande'], kind: 'ask', lang: 'fr' },
  { words: ['feed'], kind: 'feed', lang: 'en' },
  { words: ['fil'], kind: 'feed', lang: 'fr' },
  { words: ['news'], kind: 'feed', lang: 'en' },
  { words: ['actus'], kind: 'feed', lang: 'fr' },
  { words: ['communities'], kind: 'communities', lang: 'en' },
  { words: ['community'], kind: 'communities', lang: 'en' },
  { words: ['communautes'], kind: 'communities', lang: 'fr' },
  { words: ['communaute'], kind: 'communities', lang: 'fr' },
  { words: ['join'], kind: 'join', lang: 'en' },
  { words: ['rejoindre'], kind: 'join', lang: 'fr' },
  { words: ['rejoins'], kind: 'join', lang: 'fr' },
  { words: ['announcements'], kind: 'announcements', lang: 'en' },
  { words: ['announcement'], kind: 'announcements', lang: 'en' },
  { words: ['annonces'], kind: 'announcements', lang: 'fr' },
  { words: ['annonce'], kind: 'announcements', lang: 'fr' },
  { words: ['meetups'], kind: 'meetups' },
  { words: ['meetup'], kind: 'meetups' },
  { words: ['rencontres'], kind: 'meetups', lang: 'fr' },
  { words: ['rencontre'], kind: 'meetups', lang: 'fr' },
  { words: ['digest'], kind: 'digest', lang: 'en' },
  { words: ['summary'], kind: 'digest', lang: 'en' },
  { words: ['resume'], kind: 'digest', lang: 'fr' },
  { words: ['recap'], kind: 'digest' },
];

/** Polite or filler words skipped before the command word. */
const fillers = new Set([
  'please', 'pls', 'hey', 'hi', 'hello', 'ruche', 'bot', 'show', 'me', 'my', 'the', 'give', 'send', 'list', 'can', 'you', 'i', 'want', 'to', 'a',
  'stp', 'svp', 'merci', 'salut', 'bonjour', 'coucou', 'montre', 'moi', 'mes', 'mon', 'ma', 'le', 'la', 'les', 'donne', 'envoie', 'affiche',
  'voir', 'liste', 'je', 'veux', 'un', 'une', 'des', 'du', 'peux', 'tu', 'what', 'are',
]);

/** Lower-case, accents removed, apostrophes and punctuation as spaces (for matching only). */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function foldWord(w: string): string {
  return fold(w).replace(/[^a-z0-9]+/g, '');
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** How many typos a word of this length may carry: none up to 3 letters, one up to 6, two beyond. */
export function typoAllowance(word: string): number {
  if (word.length <= 3) return 0;
  if (word.length <= 6) return 1;
  return 2;
}

/** True when the typed word is the keyword word, give or take a small typo. */
export function wordMatches(typed: string, keyword: string): boolean {
  if (typed === keyword) return true;
  const allowed = typoAllowance(keyword);
  if (allowed === 0 || Math.abs(typed.length - keyword.length) > allowed) return false;
  return editDistance(typed, keyword) <= allowed;
}

/** A token of the message: a word, a mention placeholder or a hashtag. */
interface Token {
  raw: string;
  folded: string;
  mention?: MentionRef;
}

const MENTION_MARK = '\u0001';

/**
 * Replaces Teams mention markup (<at>Name</at>) with placeholders, drops the mentions of
 * the bot itself, and returns the people mentioned in order.
 */
function extractMentions(text: string, entities: readonly MentionEntity[], botId: string | undefined): { text: string; mentions: MentionRef[] } {
  const mentions: MentionRef[] = [];
  const list = entities.filter((e) => e.type === 'mention' && e.mentioned);
  let out = text;
  for (const e of list) {
    const m = e.mentioned!;
    const markup = e.text ?? (m.name ? `<at>${m.name}</at>` : undefined);
    if (!markup) continue;
    const at = out.indexOf(markup);
    if (at < 0) continue;
    const isBot = botId !== undefined && m.id !== undefined && (m.id === botId || m.id === `28:${botId}` || `28:${m.id}` === botId);
    let replacement = ' ';
    if (!isBot) {
      mentions.push({ name: (m.name ?? markup.replace(/<\/?at>/g, '')).trim(), ...(m.id ? { id: m.id } : {}), ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}) });
      replacement = ` ${MENTION_MARK}${mentions.length - 1}${MENTION_MARK} `;
    }
    out = out.slice(0, at) + replacement + out.slice(at + markup.length);
  }
  // Markup without an entity (a mention of someone Teams did not resolve): keep the name.
  out = out.replace(/<at>([^<]*)<\/at>/g, (_m, name: string) => {
    mentions.push({ name: name.trim() });
    return ` ${MENTION_MARK}${mentions.length - 1}${MENTION_MARK} `;
  });
  return { text: out, mentions };
}

function tokenize(text: string, mentions: MentionRef[]): Token[] {
  const tokens: Token[] = [];
  for (const raw of text.split(/\s+/)) {
    if (raw === '') continue;
    const mark = new RegExp(`^${MENTION_MARK}(\\d+)${MENTION_MARK}$`).exec(raw);
    if (mark) {
      tokens.push({ raw, folded: '', mention: mentions[Number(mark[1])]! });
      continue;
    }
    // A typed "@name" (no Teams entity): a person named by a single word, an alias or an e-mail.
    const typed = /^@([\p{L}\p{N}._'-]+(?:@[\p{L}\p{N}.-]+)?)[,.;:!?]*$/u.exec(raw);
    if (typed) {
      const ref: MentionRef = { name: typed[1]! };
      mentions.push(ref);
      tokens.push({ raw, folded: '', mention: ref });
      continue;
    }
    tokens.push({ raw, folded: foldWord(raw) });
  }
  return tokens;
}

/** Words of a keyword matched at tokens[i...], counting the apostrophe split of "s'y". */
function matchKeywordAt(tokens: Token[], i: number, kw: Keyword): number {
  // "qui s'y connaît" folds to the words qui, sy, connait: split folded words on the apostrophe first.
  let t = i;
  for (const word of kw.words) {
    const token = tokens[t];
    if (!token || token.mention || !wordMatches(token.folded, word)) return 0;
    t++;
  }
  return t - i;
}

function findCommand(tokens: Token[]): { kw: Keyword; start: number; length: number } | undefined {
  for (let i = 0; i < tokens.length && i < 6; i++) {
    const token = tokens[i]!;
    let best: { kw: Keyword; length: number } | undefined;
    if (!token.mention && token.folded !== '') {
      for (const kw of keywords) {
        const length = matchKeywordAt(tokens, i, kw);
        if (length === 0) continue;
        const exact = kw.words.every((w, k) => tokens[i + k]!.folded === w);
        const bestExact = best ? best.kw.words.every((w, k) => tokens[i + k]!.folded === w) : false;
        if (!best || (exact && !bestExact) || (exact === bestExact && length > best.length)) best = { kw, length };
      }
    }
    if (best) return { kw: best.kw, start: i, length: best.length };
    // Only mentions, fillers and a leading "/" may come before the command word.
    if (!token.mention && !fillers.has(token.folded) && token.folded !== '') return undefined;
  }
  return undefined;
}

function render(tokens: Token[]): string {
  return tokens
    .map((t) => (t.mention ? `@${t.mention.name}` : t.raw))
    .join(' ')
    .replace(/\s+([,.])/g, '$1')
    .trim();
}

function stripLeading(tokens: Token[], words: ReadonlySet<string>): Token[] {
  let i = 0;
  while (i < tokens.length && !tokens[i]!.mention && words.has(tokens[i]!.folded)) i++;
  return tokens.slice(i);
}

const communitySeparators = new Set(['in', 'dans', 'into', 'chez']);

/** "text in <community>": the last separator word followed by a short name. */
function splitCommunity(tokens: Token[]): { text: Token[]; community?: string } {
  for (let i = tokens.length - 2; i >= 1; i--) {
    const t = tokens[i]!;
    if (t.mention || !communitySeparators.has(t.folded)) continue;
    const name = render(tokens.slice(i + 1)).replace(/^["'«“]+|["'»”.!?]+$/g, '').trim();
    if (name !== '' && name.length <= 80 && tokens.length - i - 1 <= 6) {
      // "dans la communauté X" / "in the X community"
      const cleaned = name
        .replace(/^(la |le |l'|the )/i, '')
        .replace(/^(communaut[eé] |community )/i, '')
        .replace(/ (community|communaut[eé])$/i, '')
        .trim();
      return { text: tokens.slice(0, i), community: cleaned };
    }
  }
  return { text: tokens };
}

function parseDuration(tokens: Token[]): number | undefined {
  const s = tokens.map((t) => t.folded).join(' ');
  const m = /(\d+)\s*(w|wk|wks|week|weeks|sem|semaine|semaines|d|day|days|j|jour|jours|m|mo|month|months|mois)?\b/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 'w';
  if (/^(d|day|days|j|jour|jours)$/.test(unit)) return n;
  if (/^(m|mo|month|months|mois)$/.test(unit)) return n * 30;
  return n * 7;
}

function meetupAction(rest: Token[]): MeetupAction {
  const words = rest.filter((t) => !t.mention).map((t) => t.folded);
  const has = (...options: string[]) => words.some((w) => options.some((o) => wordMatches(w, o)));
  if (has('snooze', 'pause', 'later', 'plus', 'tard')) return { kind: 'snooze', days: parseDuration(rest) ?? 14 };
  if (has('off', 'stop', 'non', 'no', 'disable', 'desactiver', 'desactive', 'arreter', 'arrete', 'quit')) return { kind: 'off' };
  if (has('on', 'yes', 'oui', 'enable', 'activer', 'active', 'start', 'inscris', 'inscription')) return { kind: 'on' };
  return { kind: 'status' };
}

const kudosLeaders = new Set(['to', 'a', 'for', 'pour', 'because', 'car', 'parce', 'que', 'qu', 'thanks', 'merci']);

/** Parses a message to the bot. `botId` is the bot's own Teams id (its mentions are dropped). */
export function parseCommand(text: string, entities: readonly MentionEntity[] = [], botId?: string): ParsedCommand {
  const source = (text ?? '').replace(/&nbsp;/g, ' ').replace(/\r?\n/g, ' \n ');
  const { text: withMarks, mentions } = extractMentions(source, entities, botId);
  const cleaned = withMarks
    .replace(/<[^>]+>/g, ' ')
    .replace(/^\s*\//, '')
    .replace(/([\p{L}])['’]([\p{L}])/gu, '$1 $2');
  const tokens = tokenize(cleaned, mentions).filter((t) => t.raw !== '\n');
  if (tokens.filter((t) => !t.mention).length === 0) return { command: { kind: 'help' } };

  const found = findCommand(tokens);
  if (!found) {
    if (tokens.length === 1 && /^[?]+$/.test(tokens[0]!.raw)) return { command: { kind: 'help' } };
    return { command: { kind: 'unknown', text: render(tokens) } };
  }
  const { kw } = found;
  const before = tokens.slice(0, found.start);
  const after = tokens.slice(found.start + found.length);
  const rest = [...before.filter((t) => t.mention), ...after];
  const langOf = (l: Lang | undefined) => (l ? { lang: l } : {});

  switch (kw.kind) {
    case 'help':
    case 'feed':
    case 'communities':
    case 'announcements':
    case 'digest': {
      // "community" followed by a name reads as a join request only with "join"; a listing otherwise.
      return { command: { kind: kw.kind }, ...langOf(kw.lang) };
    }
    case 'kudos': {
      const recipients = [...new Set([...before, ...after].filter((t) => t.mention).map((t) => t.mention!))];
      const words = after.filter((t) => !t.mention);
      const values: string[] = [];
      const message: Token[] = [];
      for (const t of words) {
        const tag = /^#([\p{L}\p{N}_-]+)[,.;:!?]*$/u.exec(t.raw);
        if (tag) values.push(foldWord(tag[1]!));
        else message.push(t);
      }
      const text = render(stripLeading(message, kudosLeaders)).replace(/^[,:;-]\s*/, '');
      return { command: { kind: 'kudos', recipients, message: text, values }, ...langOf(kw.lang) };
    }
    case 'whoKnows': {
      const topic = render(stripLeading(rest.filter((t) => !t.mention), new Set(['about', 'sur', 'de', 'en', 'du', 'des', 'la', 'le', 'les', 'l', 'in', 'on'])))
        .replace(/[?!.]+$/, '')
        .trim();
      return { command: topic === '' ? { kind: 'help' } : { kind: 'whoKnows', topic }, ...langOf(kw.lang) };
    }
    case 'post':
    case 'ask': {
      const body = stripLeading(after, new Set([':', '-']));
      const { text: t, community } = splitCommunity(body);
      const textOut = render(t).replace(/^[:\-–]\s*/, '').trim();
      if (textOut === '') return { command: { kind: 'help' }, ...langOf(kw.lang) };
      return { command: { kind: kw.kind, text: textOut, ...(community ? { community } : {}) }, ...langOf(kw.lang) };
    }
    case 'join': {
      const name = render(stripLeading(after, new Set(['the', 'la', 'le', 'l', 'community', 'communaute'])))
        .replace(/^["'«“]+|["'»”.!?]+$/g, '')
        .trim();
      return { command: name === '' ? { kind: 'communities' } : { kind: 'join', community: name }, ...langOf(kw.lang) };
    }
    case 'meetups':
      return { command: { kind: 'meetups', action: meetupAction(rest) }, ...langOf(kw.lang) };
  }
}
