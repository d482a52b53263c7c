import { localizableFields, templateParameters, translationProblems } from './localization.js';

const manifest = {
  name: { short: 'Ruche', full: 'Ruche, the social layer' },
  description: { short: 'Short', full: 'Full' },
  developer: { name: 'Ruche', websiteUrl: 'https://x.example' },
  staticTabs: [{ entityId: 'home', name: 'Home' }, { entityId: 'conversations' }],
  activities: { activityTypes: [{ type: 'kudosReceived', description: 'Kudos', templateText: '{giver} gave you kudos: {reason}' }] },
};

describe('localisation', () => {
  it('finds the fields the localisation schema lets a file translate, and only those', () => {
    expect([...localizableFields(manifest).keys()]).toEqual([
      'name.short',
      'name.full',
      'description.short',
      'description.full',
      'staticTabs[0].name',
      'activities.activityTypes[0].description',
      'activities.activityTypes[0].templateText',
    ]);
  });

  it('reads the parameters of an activity template', () => {
    expect(templateParameters('{giver} gave you kudos: {reason}')).toEqual(['giver', 'reason']);
  });

  it('reports missing and stale keys, and renamed template parameters', () => {
    const problems = translationProblems(
      manifest,
      {
        $schema: 'ignored',
        'name.short': 'Ruche',
        'name.full': 'Ruche, la couche sociale',
        'description.short': 'Court',
        'description.full': 'Long',
        'staticTabs[1].name': 'Conversations',
        'activities.activityTypes[0].description': 'Kudos',
        'activities.activityTypes[0].templateText': '{donneur} vous a donné des kudos : {reason}',
      },
      'fr-fr.json',
    );
    expect(problems).toEqual([
      'fr-fr.json does not translate "staticTabs[0].name"',
      'fr-fr.json translates "staticTabs[1].name", which the manifest does not have',
      'fr-fr.json "activities.activityTypes[0].templateText" uses parameters {donneur, reason}, the manifest {giver, reason}',
    ]);
  });
});
