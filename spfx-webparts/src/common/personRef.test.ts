/**
 * @jest-environment node
 */
import { isPersonRef, personIdOf } from './personRef.js';

describe('people card person', () => {
  test('empty, a user name or e-mail, or a Ruche id; anything else is refused', () => {
    expect(isPersonRef('')).toBe(true);
    expect(isPersonRef('  ')).toBe(true);
    expect(isPersonRef(undefined)).toBe(true);
    expect(isPersonRef('jane.doe@contoso.com')).toBe(true);
    expect(isPersonRef(' 0b9cf460-e7a7-46c1-aec6-2cea5a2717a6 ')).toBe(true);
    expect(isPersonRef('Jane Doe')).toBe(false);
    expect(isPersonRef('jane@')).toBe(false);
    expect(isPersonRef('jane@contoso')).toBe(false);
  });

  test('an id is used as is; a user name is matched exactly, in any case, among the suggestions', async () => {
    const asked: string[] = [];
    const suggestions = async (q: string): Promise<{ id: string; upn: string }[]> => {
      asked.push(q);
      return [
        { id: 'a', upn: 'jane.doe.senior@contoso.com' },
        { id: 'b', upn: 'Jane.Doe@contoso.com' },
      ];
    };
    expect(await personIdOf('0B9CF460-E7A7-46C1-AEC6-2CEA5A2717A6', suggestions)).toBe('0B9CF460-E7A7-46C1-AEC6-2CEA5A2717A6');
    expect(asked).toEqual([]);
    expect(await personIdOf(' jane.doe@CONTOSO.com ', suggestions)).toBe('b');
    expect(asked).toEqual(['jane.doe@CONTOSO.com']);
    expect(await personIdOf('john@contoso.com', suggestions)).toBeNull();
  });
});
