import { compileKeywordRegex, matchRules } from './keywords.js';
import { containsTerm, fold } from './fold.js';

describe('keyword screening', () => {
  test('folding removes accents, case and ligatures in French and English', () => {
    expect(fold('Connérie')).toBe('connerie');
    expect(fold('  ŒUVRE   Ça  ')).toBe('oeuvre ca');
    expect(containsTerm(fold('Quelle CONNÉRIE !'), fold('connerie'))).toBe(true);
    expect(containsTerm(fold('les conneries'), fold('connerie'))).toBe(false);
    expect(containsTerm(fold('a scam, really'), fold('Scam'))).toBe(true);
    expect(containsTerm(fold('scampi'), fold('scam'))).toBe(false);
  });

  test('block rules come first; regular expressions match the folded text', () => {
    const rules = [
      { id: 'f', kind: 'regex' as const, pattern: 'arnaqu(e|eur)s?', action: 'flag' as const },
      { id: 'b', kind: 'term' as const, pattern: 'Connerie', action: 'block' as const },
    ];
    expect(matchRules(rules, 'ARNAQUÉURS et connérie').map((m) => m.id)).toEqual(['b', 'f']);
    expect(matchRules(rules, 'rien à signaler')).toEqual([]);
  });

  test('expressions run in linear time and unsafe syntax is refused', () => {
    const re = compileKeywordRegex('(a+)+$');
    expect(re.matcher(`${'a'.repeat(50_000)}!`).find()).toBe(false); // catastrophic for a backtracking engine
    expect(() => compileKeywordRegex('(a)\\1')).toThrow(expect.objectContaining({ code: 'KEYWORD_RULE_INVALID' }));
    expect(() => compileKeywordRegex('(?=x)y')).toThrow(expect.objectContaining({ code: 'KEYWORD_RULE_INVALID' }));
    expect(() => compileKeywordRegex('x*')).toThrow(expect.objectContaining({ code: 'KEYWORD_RULE_INVALID' }));
  });
});
