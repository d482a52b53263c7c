import { arrayLiteral } from './array-literal.js';
import { testDatabases } from '../testing/index.js';

describe('arrayLiteral', () => {
  test('quotes strings, escapes quotes and backslashes, writes NULL, numbers and booleans', () => {
    expect(arrayLiteral([])).toBe('{}');
    expect(arrayLiteral(['a', null, 'b"c', 'd\\e', undefined])).toBe('{"a",NULL,"b\\"c","d\\\\e",NULL}');
    expect(arrayLiteral([1, 2.5, -3])).toBe('{1,2.5,-3}');
    expect(arrayLiteral([true, false, null])).toBe('{t,f,NULL}');
    expect(() => arrayLiteral([Number.NaN])).toThrow(TypeError);
  });
});

for (const database of testDatabases()) {
  describe(`arrayLiteral read back (${database.name})`, () => {
    test('every value comes back as it went in', async () => {
      const db = await database.open();
      try {
        const texts = ['plain', '', 'NULL', 'with space', 'comma,brace}{', 'quote"', 'back\\slash', 'accents éàü', '日本', null];
        const r = await db.query<{ t: string | null; n: number | null; b: boolean | null; u: string | null }>(
          'select x.t, x.n, x.b, x.u from unnest($1::text[], $2::int4[], $3::bool[], $4::uuid[]) with ordinality as x(t, n, b, u, i) order by x.i',
          [
            arrayLiteral(texts),
            arrayLiteral(texts.map((_, i) => (i % 3 === 0 ? null : i))),
            arrayLiteral(texts.map((_, i) => (i % 4 === 0 ? null : i % 2 === 0))),
            arrayLiteral(texts.map((_, i) => (i % 2 === 0 ? `00000000-0000-0000-0000-00000000000${i}` : null))),
          ],
        );
        expect(r.rows.map((row) => row.t)).toEqual(texts);
        expect(r.rows.map((row) => row.n)).toEqual(texts.map((_, i) => (i % 3 === 0 ? null : i)));
        expect(r.rows.map((row) => row.b)).toEqual(texts.map((_, i) => (i % 4 === 0 ? null : i % 2 === 0)));
        expect(r.rows.map((row) => row.u)).toEqual(texts.map((_, i) => (i % 2 === 0 ? `00000000-0000-0000-0000-00000000000${i}` : null)));
      } finally {
        await db.close();
      }
    });
  });
}
