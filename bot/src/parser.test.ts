import { editDistance, fold, parseCommand, wordMatches, type MentionEntity } from './parser.js';

const BOT = '28:ruche-bot';
const mention = (name: string, id = `29:${name.toLowerCase().replace(/\s+/g, '-')}`, aadObjectId?: string): MentionEntity => ({
  type: 'mention',
  text: `<at>${name}</at>`,
  mentioned: { id, name, ...(aadObjectId ? { aadObjectId } : {}) },
});
const botMention: MentionEntity = { type: 'mention', text: '<at>Ruche</at>', mentioned: { id: BOT, name: 'Ruche' } };

describe('edit distance and word matching', () => {
  test('optimal string alignment: substitutions, insertions, deletions, transpositions', () => {
    expect(editDistance('kudos', 'kudos')).toBe(0);
    expect(editDistance('kudso', 'kudos')).toBe(1);
    expect(editDistance('kuds', 'kudos')).toBe(1);
    expect(editDistance('kuudos', 'kudos')).toBe(1);
    expect(editDistance('annoucements', 'announcements')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });
  test('short words must be exact; longer words allow one, then two typos', () => {
    expect(wordMatches('fil', 'fil')).toBe(true);
    expect(wordMatches('fel', 'fil')).toBe(false);
    expect(wordMatches('fxyd', 'feed')).toBe(false);
    expect(wordMatches('fedd', 'feed')).toBe(true);
    expect(wordMatches('comunities', 'communities')).toBe(true);
    expect(wordMatches('comuniites', 'communities')).toBe(true);
    expect(wordMatches('cmmnts', 'communities')).toBe(false);
  });
  test('fold removes accents and case', () => {
    expect(fold('Qui Connaît')).toBe('qui connait');
    expect(fold('COMMUNAUTÉS')).toBe('communautes');
  });
});

describe('help and unknown', () => {
  test.each(['help', 'Help!', '/help', 'aide', 'AIDE', 'hepl', 'please help', 'commandes', '?', ''])('"%s" is help', (text) => {
    expect(parseCommand(text).command.kind).toBe('help');
  });
  test('a bot mention alone is help', () => {
    expect(parseCommand('<at>Ruche</at>', [botMention], BOT).command).toEqual({ kind: 'help' });
  });
  test.each(['what is the weather', 'blah', 'lorem ipsum dolor', 'xyz feed'])('"%s" is not understood', (text) => {
    expect(parseCommand(text).command.kind).toBe('unknown');
  });
  test('language hints by command word', () => {
    expect(parseCommand('aide').lang).toBe('fr');
    expect(parseCommand('help').lang).toBe('en');
    expect(parseCommand('kudos @ana for x').lang).toBeUndefined();
  });
});

describe('kudos', () => {
  test('English with Teams mentions, a reason and a value hashtag', () => {
    const entities = [mention('Ana Martin', '29:a', 'aaaaaaaa-0000-0000-0000-000000000001'), mention('Ben Durand', '29:b')];
    const p = parseCommand('kudos <at>Ana Martin</at> <at>Ben Durand</at> for shipping the launch #teamwork', entities);
    expect(p.command).toEqual({
      kind: 'kudos',
      recipients: [
        { name: 'Ana Martin', id: '29:a', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001' },
        { name: 'Ben Durand', id: '29:b' },
      ],
      message: 'shipping the launch',
      values: ['teamwork'],
    });
  });
  test('French: bravo @a pour ..., with accents and the bot mentioned first', () => {
    const entities = [botMention, mention('Chloé Lefèvre')];
    const p = parseCommand('<at>Ruche</at> bravo <at>Chloé Lefèvre</at> pour la démo réussie #innovation', entities, BOT);
    expect(p.lang).toBe('fr');
    expect(p.command).toMatchObject({ kind: 'kudos', message: 'la démo réussie', values: ['innovation'] });
    expect(p.command.kind === 'kudos' && p.command.recipients.map((r) => r.name)).toEqual(['Chloé Lefèvre']);
  });
  test('word order: mention before the command word', () => {
    const p = parseCommand('<at>Ana Martin</at> kudos for the help', [mention('Ana Martin')]);
    expect(p.command).toMatchObject({ kind: 'kudos', message: 'the help' });
    expect(p.command.kind === 'kudos' && p.command.recipients).toHaveLength(1);
  });
  test('typos in the command word', () => {
    expect(parseCommand('kduos @ana for x').command.kind).toBe('kudos');
    expect(parseCommand('kudo @ana for x').command.kind).toBe('kudos');
    expect(parseCommand('bravoo @ana pour x').command.kind).toBe('kudos');
  });
  test('typed @names without Teams entities, and "merci"', () => {
    const p = parseCommand('merci @ana.martin @ben, pour tout');
    expect(p.command).toMatchObject({ kind: 'kudos', message: 'tout' });
    expect(p.command.kind === 'kudos' && p.command.recipients.map((r) => r.name)).toEqual(['ana.martin', 'ben']);
  });
  test('mention markup without an entity keeps the name', () => {
    const p = parseCommand('kudos <at>Eve Petit</at> for the docs');
    expect(p.command.kind === 'kudos' && p.command.recipients).toEqual([{ name: 'Eve Petit' }]);
  });
  test('no recipient and no message are kept empty for the handler to explain', () => {
    expect(parseCommand('kudos').command).toEqual({ kind: 'kudos', recipients: [], message: '', values: [] });
  });
  test('the same person mentioned twice is one recipient', () => {
    const e = mention('Ana Martin');
    const p = parseCommand('kudos <at>Ana Martin</at> and <at>Ana Martin</at> for x', [e, e]);
    expect(p.command.kind === 'kudos' && p.command.recipients.length).toBeGreaterThanOrEqual(1);
  });
});

describe('who knows', () => {
  test.each([
    ['who knows Kubernetes', 'Kubernetes'],
    ['who knows about kubernetes?', 'kubernetes'],
    ['Who knwos Kafka', 'Kafka'],
    ['qui connaît la paie ?', 'paie'],
    ['qui connait SAP', 'SAP'],
    ['qui s’y connaît en Terraform', 'Terraform'],
    ["qui s'y connait en droit social", 'droit social'],
    ['experts Power BI', 'Power BI'],
    ['hey ruche, who knows react', 'react'],
  ])('"%s" looks for "%s"', (text, topic) => {
    expect(parseCommand(text).command).toEqual({ kind: 'whoKnows', topic });
  });
  test('without a topic, help', () => {
    expect(parseCommand('who knows').command.kind).toBe('help');
  });
  test('French hint', () => {
    expect(parseCommand('qui connaît SAP').lang).toBe('fr');
  });
});

describe('post and ask', () => {
  test('post ... in <community>', () => {
    expect(parseCommand('post Our release is out in Data engineering').command).toEqual({ kind: 'post', text: 'Our release is out', community: 'Data engineering' });
  });
  test('French: publier ... dans la communauté <name>', () => {
    const p = parseCommand('publier La version 2 est sortie dans la communauté Data engineering');
    expect(p.command).toEqual({ kind: 'post', text: 'La version 2 est sortie', community: 'Data engineering' });
    expect(p.lang).toBe('fr');
  });
  test('post without a community (a linked channel, or the handler asks)', () => {
    expect(parseCommand('<at>Ruche</at> post Standup moved to 10am', [botMention], BOT).command).toEqual({ kind: 'post', text: 'Standup moved to 10am' });
  });
  test('post with a colon and a typo', () => {
    expect(parseCommand('pots: hello team in Facilities').command).toEqual({ kind: 'post', text: 'hello team', community: 'Facilities' });
  });
  test('a long tail after "in" stays in the text', () => {
    expect(parseCommand('post We met in Lyon with the whole sales team and it was a great day').command).toEqual({
      kind: 'post',
      text: 'We met in Lyon with the whole sales team and it was a great day',
    });
  });
  test('ask ... in <community>', () => {
    expect(parseCommand('ask How do I book a room? in Facilities').command).toEqual({ kind: 'ask', text: 'How do I book a room?', community: 'Facilities' });
  });
  test('demander ... dans <community>', () => {
    expect(parseCommand('demander Où sont les badges ? dans Services généraux').command).toEqual({ kind: 'ask', text: 'Où sont les badges ?', community: 'Services généraux' });
  });
  test('post with nothing to post is help', () => {
    expect(parseCommand('post').command.kind).toBe('help');
  });
  test('mentions inside a post are kept as @names', () => {
    const p = parseCommand('post thanks <at>Ana Martin</at> for the doc in Data engineering', [mention('Ana Martin')]);
    expect(p.command).toEqual({ kind: 'post', text: 'thanks @Ana Martin for the doc', community: 'Data engineering' });
  });
});

describe('listings', () => {
  test.each([
    ['feed', 'feed'],
    ['my feed please', 'feed'],
    ['fil', 'feed'],
    ["fil d'actu", 'feed'],
    ['show me my feeed', 'feed'],
    ['communities', 'communities'],
    ['comunities', 'communities'],
    ['communautés', 'communities'],
    ['mes communautes', 'communities'],
    ['announcements', 'announcements'],
    ['annoucements', 'announcements'],
    ['annonces', 'announcements'],
    ['digest', 'digest'],
    ['résumé', 'digest'],
    ['resume', 'digest'],
    ['summary', 'digest'],
  ])('"%s" is %s', (text, kind) => {
    expect(parseCommand(text).command.kind).toBe(kind);
  });
});

describe('join', () => {
  test.each([
    ['join Data engineering', 'Data engineering'],
    ['join the "Data engineering" community', 'Data engineering" community'.replace('" community', ' community').replace(' community', '')],
    ['rejoindre Services généraux', 'Services généraux'],
    ['rejoindre la communauté Facilités', 'Facilités'],
    ['jion Facilities', 'Facilities'],
  ])('"%s" joins %s', (text, community) => {
    const c = parseCommand(text).command;
    expect(c.kind).toBe('join');
    expect(c.kind === 'join' && c.community.replace(/"/g, '').replace(/ community$/, '')).toBe(community);
  });
  test('join alone lists communities', () => {
    expect(parseCommand('join').command.kind).toBe('communities');
  });
});

describe('meetups', () => {
  test.each([
    ['meetups on', { kind: 'on' }],
    ['meetups off', { kind: 'off' }],
    ['meetup stop', { kind: 'off' }],
    ['meetups snooze 2w', { kind: 'snooze', days: 14 }],
    ['meetups snooze 3 weeks', { kind: 'snooze', days: 21 }],
    ['meetups snooze 10d', { kind: 'snooze', days: 10 }],
    ['meetups snooze', { kind: 'snooze', days: 14 }],
    ['rencontres oui', { kind: 'on' }],
    ['rencontres non', { kind: 'off' }],
    ['rencontres pause 2 semaines', { kind: 'snooze', days: 14 }],
    ['rencontres pause 1 mois', { kind: 'snooze', days: 30 }],
    ['rencontres activer', { kind: 'on' }],
    ['rencontres désactiver', { kind: 'off' }],
    ['meetups', { kind: 'status' }],
    ['metups on', { kind: 'on' }],
  ])('"%s"', (text, action) => {
    expect(parseCommand(text).command).toEqual({ kind: 'meetups', action });
  });
});
