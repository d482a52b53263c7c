import { en } from '../../ui/src/i18n/en.js';
import { fr } from '../../ui/src/i18n/fr.js';

/** Every key path of a message tree, e.g. "feed.reactionKinds.like". */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function leaves(tree: object): [string, string][] {
  return keys(tree).map((k) => [k, k.split('.').reduce<unknown>((o, part) => (o as Record<string, unknown>)[part], tree) as string]);
}

describe('UI strings', () => {
  test('English and French have exactly the same keys', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
  });

  test('no string is empty, and interpolations match in both languages', () => {
    const frText = new Map(leaves(fr));
    for (const [key, text] of leaves(en)) {
      expect(text.trim()).not.toBe('');
      const other = frText.get(key) ?? '';
      expect(other.trim()).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect({ key, vars: vars(other) }).toEqual({ key, vars: vars(text) });
    }
  });
});
