/**
 * Keyword rules of a tenant and the screening of posts and comments. A rule is a term
 * (whole words, accent- and case-insensitive) or a regular expression, matched with RE2JS
 * (a port of RE2: linear time, no backtracking, so no pattern can stall the server). A
 * "flag" rule lets the text through and files it in the moderation queue; a "block" rule
 * refuses it with CONTENT_BLOCKED.
 */
import { RE2JS } from 're2js';
import type { Db, Queryable } from '../store/db.js';
import { type Viewer, canOnTenant } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { isUuid } from '../people/people.js';
import { recordAudit } from '../communities/audit.js';
import { containsTerm, fold, stripAccents } from './fold.js';

export type KeywordRuleKind = 'term' | 'regex';
export type KeywordAction = 'flag' | 'block';
export const keywordRuleKinds: readonly KeywordRuleKind[] = ['term', 'regex'];
export const keywordActions: readonly KeywordAction[] = ['flag', 'block'];

export const KEYWORD_PATTERN_MAX = 200;
export const KEYWORD_RULES_MAX = 2000;

export interface KeywordRule {
  id: string;
  kind: KeywordRuleKind;
  pattern: string;
  action: KeywordAction;
  language: 'fr' | 'en' | null;
  createdAt: string;
}

export interface NewKeywordRule {
  kind: KeywordRuleKind;
  pattern: string;
  action: KeywordAction;
  language?: 'fr' | 'en' | null;
}

function ruleInvalid(message: string, path = 'pattern'): RucheError {
  return new RucheError('KEYWORD_RULE_INVALID', message, { details: { issues: [{ path, message }] } });
}

const compiled = new Map<string, RE2JS>();

/** Compiles a rule's expression on accent-stripped source, case-insensitive; throws KEYWORD_RULE_INVALID. */
export function compileKeywordRegex(pattern: string): RE2JS {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(stripAccents(pattern), RE2JS.CASE_INSENSITIVE);
  } catch (err) {
    throw ruleInvalid(`Not a supported regular expression (RE2 syntax: no backreferences or lookaround): ${(err as Error).message}`);
  }
  if (re.matcher('').find()) throw ruleInvalid('The expression matches empty text');
  if (compiled.size >= 5000) compiled.clear();
  compiled.set(pattern, re);
  return re;
}

function validate(input: NewKeywordRule): { kind: KeywordRuleKind; pattern: string; action: KeywordAction; language: 'fr' | 'en' | null } {
  if (!keywordRuleKinds.includes(input.kind)) throw ruleInvalid('kind is term or regex', 'kind');
  if (!keywordActions.includes(input.action)) throw ruleInvalid('action is flag or block', 'action');
  const language = input.language ?? null;
  if (language !== null && language !== 'fr' && language !== 'en') throw ruleInvalid('language is fr, en or null', 'language');
  const pattern = input.kind === 'term' ? input.pattern.replace(/\s+/g, ' ').trim() : input.pattern;
  if (pattern.length === 0) throw ruleInvalid('The pattern is empty');
  if (pattern.length > KEYWORD_PATTERN_MAX) throw ruleInvalid(`The pattern is ${pattern.length} characters long; the limit is ${KEYWORD_PATTERN_MAX}`);
  if (pattern.includes('\u0000')) throw ruleInvalid('The pattern contains a NUL character');
  if (input.kind === 'term' && fold(pattern) === '') throw ruleInvalid('The term has no letters');
  if (input.kind === 'regex') compileKeywordRegex(pattern);
  return { kind: input.kind, pattern, action: input.action, language };
}

function assertAdmin(viewer: Viewer): void {
  if (!canOnTenant(viewer, 'manage_keyword_rules', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators manage keyword rules');
}

interface RuleRow {
  id: string;
  kind: KeywordRuleKind;
  pattern: string;
  action: KeywordAction;
  language: 'fr' | 'en' | null;
  created_at: Date;
}

const toRule = (r: RuleRow): KeywordRule => ({
  id: r.id,
  kind: r.kind,
  pattern: r.pattern,
  action: r.action,
  language: r.language,
  createdAt: r.created_at.toISOString(),
});

export async function listKeywordRules(db: Queryable, viewer: Viewer): Promise<KeywordRule[]> {
  assertAdmin(viewer);
  const r = await db.query<RuleRow>(
    'select id, kind, pattern, action, language, created_at from keyword_rules where tenant_id = $1 order by created_at, id',
    [viewer.tenantId],
  );
  return r.rows.map(toRule);
}

export async function createKeywordRule(db: Db, viewer: Viewer, input: NewKeywordRule): Promise<KeywordRule> {
  assertAdmin(viewer);
  const rule = validate(input);
  return db.transaction(async (tx) => {
    const count = await tx.query<{ n: number }>('select count(*)::int as n from keyword_rules where tenant_id = $1', [viewer.tenantId]);
    if (count.rows[0]!.n >= KEYWORD_RULES_MAX) throw ruleInvalid(`A tenant has at most ${KEYWORD_RULES_MAX} keyword rules`);
    const r = await tx.query<RuleRow>(
      `insert into keyword_rules (tenant_id, kind, pattern, action, language, created_by) values ($1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, kind, pattern) do update set action = excluded.action, language = excluded.language
       returning id, kind, pattern, action, language, created_at`,
      [viewer.tenantId, rule.kind, rule.pattern, rule.action, rule.language, viewer.personId],
    );
    const saved = toRule(r.rows[0]!);
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: 'keyword_rule.save',
      targetType: 'keyword_rule',
      targetId: saved.id,
      data: { kind: saved.kind, pattern: saved.pattern, action: saved.action, language: saved.language },
    });
    return saved;
  });
}

export async function deleteKeywordRule(db: Db, viewer: Viewer, ruleId: string): Promise<void> {
  assertAdmin(viewer);
  if (!isUuid(ruleId)) throw new RucheError('NOT_FOUND', 'No such keyword rule');
  await db.transaction(async (tx) => {
    const r = await tx.query<RuleRow>(
      'delete from keyword_rules where tenant_id = $1 and id = $2 returning id, kind, pattern, action, language, created_at',
      [viewer.tenantId, ruleId],
    );
    if (!r.rows[0]) throw new RucheError('NOT_FOUND', 'No such keyword rule');
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: 'keyword_rule.delete',
      targetType: 'keyword_rule',
      targetId: ruleId,
      data: { kind: r.rows[0].kind, pattern: r.rows[0].pattern, action: r.rows[0].action },
    });
  });
}

export interface ScreenTarget {
  type: 'post' | 'comment';
  id: string;
}

/** What screening decided for a text the viewer is saving. */
export interface Screening {
  action: 'allow' | 'flag';
  /** The flag rules that matched. */
  ruleIds: string[];
  /** Files the saved item in the moderation queue when a flag rule matched (no-op otherwise). */
  flag(q: Queryable, target: ScreenTarget): Promise<void>;
}

/** The rules that match a text, block rules first. */
export function matchRules(rules: readonly Pick<KeywordRule, 'id' | 'kind' | 'pattern' | 'action'>[], text: string): { id: string; action: KeywordAction }[] {
  const folded = fold(text);
  const matched: { id: string; action: KeywordAction }[] = [];
  for (const rule of rules) {
    let hit = false;
    if (rule.kind === 'term') hit = containsTerm(folded, fold(rule.pattern));
    else {
      try {
        hit = compileKeywordRegex(rule.pattern).matcher(folded).find();
      } catch {
        hit = false; // a rule saved before validation tightened: ignored rather than blocking every post
      }
    }
    if (hit) matched.push({ id: rule.id, action: rule.action });
  }
  return matched.sort((a, b) => (a.action === b.action ? 0 : a.action === 'block' ? -1 : 1));
}

/**
 * Screens a text about to be saved (a post's title and body, a comment): throws
 * CONTENT_BLOCKED when a block rule matches; otherwise returns whether to flag it. Call
 * `flag` with the saved item inside the same transaction.
 */
export async function screenContent(q: Queryable, tenantId: string, text: string): Promise<Screening> {
  const r = await q.query<RuleRow>('select id, kind, pattern, action from keyword_rules where tenant_id = $1', [tenantId]);
  const matched = r.rows.length === 0 ? [] : matchRules(r.rows, text);
  if (matched.some((m) => m.action === 'block')) {
    throw new RucheError('CONTENT_BLOCKED', 'This text contains words that are not allowed in this organisation; rephrase it', {
      details: { issues: [{ path: 'body', message: 'contains words that are not allowed' }] },
    });
  }
  const ruleIds = matched.map((m) => m.id);
  return {
    action: ruleIds.length > 0 ? 'flag' : 'allow',
    ruleIds,
    async flag(tx, target) {
      if (ruleIds.length === 0) return;
      await fileSystemReport(tx, tenantId, target, `keyword rules: ${ruleIds.join(', ')}`);
    },
  };
}

/** Files a report by the system (keyword screening) unless one is already open for the item. */
export async function fileSystemReport(q: Queryable, tenantId: string, target: ScreenTarget, details: string): Promise<void> {
  const sql =
    target.type === 'post'
      ? `insert into reports (tenant_id, target_type, target_id, post_id, community_id, reporter_id, reason, details)
         select p.tenant_id, 'post', p.id, p.id, p.community_id, null, 'keyword', $3 from posts p where p.tenant_id = $1 and p.id = $2
         on conflict do nothing`
      : `insert into reports (tenant_id, target_type, target_id, post_id, community_id, reporter_id, reason, details)
         select k.tenant_id, 'comment', k.id, k.post_id, p.community_id, null, 'keyword', $3
         from comments k join posts p on p.tenant_id = k.tenant_id and p.id = k.post_id where k.tenant_id = $1 and k.id = $2
         on conflict do nothing`;
  await q.query(sql, [tenantId, target.id, details]);
}
