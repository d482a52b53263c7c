/**
 * Bodies of posts and comments: a restricted Markdown subset (paragraphs, bold, italic,
 * links http/https/mailto, lists, inline code, code blocks, quotes), with @mentions and
 * #topics. Rendered by markdown-it with raw HTML disabled and a strict link validator,
 * then passed through sanitize-html with an allow-list, so that what is stored in
 * body_html is inert whatever the author typed.
 */
import MarkdownIt from 'markdown-it';
import type { StateInline } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** A mention as typed: by UPN (@camille.martin@example.com) or token (@[Name](person:<uuid>)). */
export type MentionCandidate =
  | { kind: 'upn'; upn: string; raw: string }
  | { kind: 'person'; id: string; label: string; raw: string }
  | { kind: 'community'; id: string; label: string; raw: string };

/** What a candidate resolved to; keys are mentionKey(candidate). Unresolved candidates render as plain text. */
export interface ResolvedMention {
  type: 'person' | 'community';
  id: string;
  label: string;
}

export interface TopicCandidate {
  name: string;
  slug: string;
}

export interface ParsedBody {
  mentions: MentionCandidate[];
  topics: TopicCandidate[];
}

interface Env {
  [key: string | symbol]: unknown;
  mentions: MentionCandidate[];
  topics: TopicCandidate[];
  resolved?: Map<string, ResolvedMention>;
}

export function mentionKey(m: MentionCandidate): string {
  return m.kind === 'upn' ? `upn:${m.upn.toLowerCase()}` : `${m.kind}:${m.id.toLowerCase()}`;
}

/** Accent- and case-folded form of a topic name: "Économie" -> "economie". */
export function topicSlug(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const allowedSchemes = ['http', 'https', 'mailto'];
const tokenPattern = /^@\[([^\]\n]{1,200})\]\((person|community):([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\)/;
const upnPattern = /^@([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63})/;
const topicPattern = /^#([\p{L}\p{N}_][\p{L}\p{N}\p{M}_-]{0,63})/u;

function boundaryBefore(state: StateInline): boolean {
  if (state.pos === 0) return true;
  const prev = state.src.charAt(state.pos - 1);
  return !/[\p{L}\p{N}_@#&/.-]/u.test(prev);
}

function mentionRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */ || !boundaryBefore(state)) return false;
  const rest = state.src.slice(state.pos, state.posMax);
  let candidate: MentionCandidate;
  const token = tokenPattern.exec(rest);
  if (token) {
    const [raw, label, type, id] = token as unknown as [string, string, 'person' | 'community', string];
    candidate = { kind: type, id: id.toLowerCase(), label: label.trim(), raw };
  } else {
    const upn = upnPattern.exec(rest);
    if (!upn) return false;
    const raw = upn[0].replace(/\.+$/, '');
    candidate = { kind: 'upn', upn: raw.slice(1), raw };
  }
  if (!silent) {
    const t = state.push('ruche_mention', '', 0);
    t.meta = candidate as unknown as Record<string, unknown>;
    (state.env as unknown as Env).mentions.push(candidate);
  }
  state.pos += candidate.raw.length;
  return true;
}

function topicRule(state: StateInline, silent: boolean): boolean {
  if (state.src.charCodeAt(state.pos) !== 0x23 /* # */ || !boundaryBefore(state)) return false;
  const m = topicPattern.exec(state.src.slice(state.pos, state.posMax));
  if (!m || !/\p{L}/u.test(m[1]!)) return false;
  const name = m[1]!.replace(/[-_]+$/, '');
  const topic = { name, slug: topicSlug(name) };
  if (!silent) {
    const t = state.push('ruche_topic', '', 0);
    t.meta = topic as unknown as Record<string, unknown>;
    (state.env as unknown as Env).topics.push(topic);
  }
  state.pos += name.length + 1;
  return true;
}

function createRenderer(): ReturnType<typeof MarkdownIt> {
  const md = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false, breaks: true });
  // The subset: no headings, rules, images or raw HTML (tables and strikethrough are not in commonmark).
  md.disable(['heading', 'lheading', 'hr', 'image', 'html_block', 'html_inline']);
  md.validateLink = (url: string): boolean => {
    const trimmed = url.trim();
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
    return scheme !== undefined && allowedSchemes.includes(scheme);
  };
  md.inline.ruler.before('emphasis', 'ruche_mention', mentionRule);
  md.inline.ruler.before('emphasis', 'ruche_topic', topicRule);
  const escape = md.utils.escapeHtml;
  md.renderer.rules.ruche_mention = (tokens, idx, _options, env) => {
    const c = tokens[idx]!.meta as unknown as MentionCandidate;
    const r = (env as unknown as Env | undefined)?.resolved?.get(mentionKey(c));
    if (!r) return escape(c.kind === 'upn' ? c.raw : `@${c.label}`);
    return `<span class="mention" data-mention-type="${r.type}" data-mention-id="${escape(r.id)}">@${escape(r.label)}</span>`;
  };
  md.renderer.rules.ruche_topic = (tokens, idx) => {
    const t = tokens[idx]!.meta as unknown as TopicCandidate;
    return `<span class="topic" data-topic="${escape(t.slug)}">#${escape(t.name)}</span>`;
  };
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    token.attrSet('rel', 'nofollow noopener noreferrer');
    token.attrSet('target', '_blank');
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

const md = createRenderer();

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote', 'span'],
  allowedAttributes: {
    a: ['href', 'rel', 'target'],
    ol: ['start'],
    span: ['class', 'data-mention-type', 'data-mention-id', 'data-topic'],
  },
  allowedClasses: { span: ['mention', 'topic'] },
  allowedSchemes,
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  enforceHtmlBoundary: false,
};

/** Finds the mentions and topics of a body, before they are resolved. */
export function parseBody(source: string): ParsedBody {
  const env: Env = { mentions: [], topics: [] };
  md.parse(source, env);
  return { mentions: dedupe(env.mentions, mentionKey), topics: dedupe(env.topics, (t) => t.slug) };
}

/** Renders a body to safe HTML; mentions not in `resolved` stay plain text. */
export function renderBody(source: string, resolved: Map<string, ResolvedMention> = new Map()): string {
  const env: Env = { mentions: [], topics: [], resolved };
  const html = md.render(source, env);
  return sanitizeBodyHtml(html);
}

/** The allow-list sanitiser, applied to everything that is stored as HTML. */
export function sanitizeBodyHtml(html: string): string {
  return sanitizeHtml(html, sanitizeOptions).trim();
}

function dedupe<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const k = key(t);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
