import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MANIFEST_VERSION, bundledSchemaDir, escapeLoneBrackets, pointerToField, validateLocalization } from './schema.js';

describe('bundled schemas', () => {
  it(`${MANIFEST_VERSION} is the newest released (non-preview) Teams schema that @microsoft/app-manifest bundles`, () => {
    const versions = readdirSync(dirname(bundledSchemaDir()))
      .filter((name) => /^v\d+\.\d+$/.test(name))
      .map((name) => name.slice(1).split('.').map(Number) as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(versions.at(-1)?.join('.')).toBe(MANIFEST_VERSION);
  });

  it('escapes lone closing brackets only', () => {
    expect(escapeLoneBrackets('^a\\[\\b([0-9]|1[01][0-9])\\b]\\.b$')).toBe('^a\\[\\b([0-9]|1[01][0-9])\\b\\]\\.b$');
    expect(escapeLoneBrackets('[\\]a]]')).toBe('[\\]a]\\]');
    const original = '^activities.activityTypes\\[\\b([0-9]|[1-8][0-9]|9[0-9]|1[01][0-9]|12[0-7])\\b]\\.description$';
    for (const key of ['activities.activityTypes[0].description', 'activities.activityTypes[127].description', 'activities.activityTypes[128].description']) {
      expect(new RegExp(escapeLoneBrackets(original), 'u').test(key)).toBe(new RegExp(original).test(key));
    }
  });

  it('compiles the localisation schema, which Ajv rejects as bundled', async () => {
    expect(
      await validateLocalization({
        'name.short': 'Ruche',
        'description.short': 'Court',
        'description.full': 'Long',
        'activities.activityTypes[0].templateText': '{actor}',
      }),
    ).toEqual([]);
    const problems = await validateLocalization({ 'name.short': 'Ruche', 'description.short': 'x', 'description.full': 'y', 'staticTabs[0].nom': 'z' });
    expect(problems).toEqual([{ field: '(root)', message: 'must NOT have additional properties: "staticTabs[0].nom"' }]);
  });

  it('names fields the way Teams does', () => {
    expect(pointerToField('/bots/0/commandLists/0/commands/10/title')).toBe('bots[0].commandLists[0].commands[10].title');
    expect(pointerToField('/staticTabs[0].name')).toBe('staticTabs[0].name');
    expect(pointerToField('')).toBe('(root)');
  });
});
