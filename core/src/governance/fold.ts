/**
 * Folding for keyword screening: accents and case removed, ligatures spelt out, spaces
 * collapsed, so that "Connérie", "CONNERIE" and "connerie" are one word, in French and
 * English alike.
 */
const ligatures: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ﬁ: 'fi', ﬂ: 'fl', ø: 'o', đ: 'd', ł: 'l' };

/** Removes combining marks only (keeps case): safe on regular expression sources. */
export function stripAccents(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

export function fold(text: string): string {
  return stripAccents(text)
    .toLowerCase()
    .replace(/[œæßﬁﬂøđł]/g, (c) => ligatures[c] ?? c)
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

const wordChar = /[\p{L}\p{N}]/u;

/** Whether a folded term (one or several words) occurs in folded text as whole words. */
export function containsTerm(foldedText: string, foldedTerm: string): boolean {
  if (foldedTerm === '') return false;
  let from = 0;
  for (;;) {
    const at = foldedText.indexOf(foldedTerm, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : foldedText[at - 1]!;
    const after = foldedText[at + foldedTerm.length] ?? '';
    const startOk = !wordChar.test(foldedTerm[0]!) || before === '' || !wordChar.test(before);
    const endOk = !wordChar.test(foldedTerm[foldedTerm.length - 1]!) || after === '' || !wordChar.test(after);
    if (startOk && endOk) return true;
    from = at + 1;
  }
}
