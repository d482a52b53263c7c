/**
 * End-to-end conversation transcripts, English and French, through Microsoft 365 Agents
 * Playground (offline, telemetry off) against a Ruche server this test starts on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import { testDatabases, createTestTenant } from '@ruche/core/testing';
import { type Db, type Viewer, createCommunity, createPost, joinCommunity, publishAnnouncement, refreshExpertiseEvidence } from '@ruche/core';
import type { RucheApp } from '@ruche/server';
import { localConfig, testApp } from '../../server/src/testing.js';
import { actionsOf, cardText, count } from './harness.js';
import { type BotMessage, Playground, type PlaygroundUser } from './playground.js';

const textOf = (messages: BotMessage[]) => messages.map((m) => [m.text ?? '', ...m.cards.map(cardText)].join('\n')).join('\n---\n');

describe.each(testDatabases())('Agents Playground transcripts on $name', ({ open }) => {
  let db: Db;
  let tenant: string;
  let ruche: RucheApp;
  let en: Playground;
  let fr: Playground;
  const users: Record<string, PlaygroundUser & { personId: string; viewer: Viewer }> = {};
  const communities: Record<string, string> = {};

  beforeAll(async () => {
    db = await open();
    tenant = await createTestTenant(db, 'Contoso');
    const spec = [
      ['alex', 'Alex Wilber', 'en', []],
      ['megan', 'Megan Bowen', 'en', []],
      ['adele', 'Adele Vance', 'fr', []],
      ['isaiah', 'Isaiah Langer', 'en', []],
      ['patti', 'Patti Fernandez', 'en', ['admin', 'communicator']],
      ['lynne', 'Lynne Robbins', 'fr', []],
    ] as const;
    let n = 0;
    for (const [key, name, lang, roles] of spec) {
      const oid = randomUUID();
      const upn = `${key}@contoso.example`;
      const r = await db.query<{ id: string }>(
        `insert into people (tenant_id, entra_oid, upn, display_name, given_name, preferred_language, roles, department)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [tenant, oid, upn, name, name.split(' ')[0], lang, roles, n % 2 === 0 ? 'Engineering' : 'Sales'],
      );
      const personId = r.rows[0]!.id;
      users[key] = { id: `user-id-${n++}`, name, aadObjectId: oid, upn, personId, viewer: { tenantId: tenant, personId, roles } };
    }
    const data = await createCommunity(db, users.megan!.viewer, { name: 'Data engineering', kind: 'profession', visibility: 'public' });
    for (const k of ['alex', 'adele', 'isaiah']) await joinCommunity(db, users[k]!.viewer, data.id);
    const facilities = await createCommunity(db, users.patti!.viewer, { name: 'Facilities', kind: 'interest', visibility: 'public' });
    communities.data = data.id;
    communities.facilities = facilities.id;
    await createPost(db, users.megan!.viewer, { communityId: data.id, kind: 'discussion', title: 'Kafka consumer tuning', body: 'Lag, partitions and batching for #kafka' });
    await createPost(db, users.megan!.viewer, { communityId: data.id, kind: 'discussion', body: 'Retention and compaction notes on #kafka' });
    await refreshExpertiseEvidence(db, tenant);
    await publishAnnouncement(db, users.patti!.viewer, { title: 'New travel policy', body: 'Read the new travel policy.', targets: [{ type: 'organisation' }] });

    ruche = await testApp(db, localConfig(), tenant);
    await ruche.app.listen({ port: 0, host: '127.0.0.1' });
    const address = ruche.app.server.address() as { port: number };
    const botEndpoint = `http://127.0.0.1:${address.port}/api/messages`;
    const everyone = Object.values(users);
    en = new Playground({ botEndpoint, tenantId: tenant, currentUser: users.alex!, users: everyone.filter((u) => u !== users.alex), lang: 'en_US' });
    fr = new Playground({ botEndpoint, tenantId: tenant, currentUser: users.adele!, users: everyone.filter((u) => u !== users.adele), lang: 'fr_FR' });
    await Promise.all([en.start(), fr.start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([en?.stop(), fr?.stop()]);
    await ruche?.app.close();
    await db?.close();
  });

  const sayFr = (text: string, options?: { replies?: number }) => fr.sayWithLocale(text, 'fr-FR', options);
  const kudos = () => count(db, 'select count(*)::int as n from kudos where tenant_id = $1', [tenant]);
  const posts = () => count(db, 'select count(*)::int as n from posts where tenant_id = $1', [tenant]);

  // English

  test('EN 1: help lists every command', async () => {
    const said = textOf(await en.say('help'));
    for (const w of ['Here is what I can do', 'kudos', 'who knows', 'post', 'ask', 'feed', 'communities', 'join', 'announcements', 'meetups', 'digest']) expect(said).toContain(w);
  });

  test('EN 2: something not understood gets the short help card', async () => {
    expect(textOf(await en.say('what is the weather tomorrow'))).toContain("I didn't get that");
  });

  test('EN 3: kudos to a typed @name with a value', async () => {
    const before = await kudos();
    const said = textOf(await en.say('kudos @megan for the Kafka guide #teamwork'));
    expect(said).toContain('Kudos from Alex Wilber');
    expect(said).toContain('To Megan Bowen');
    expect(await kudos()).toBe(before + 1);
  });

  test('EN 4: who knows, with the evidence', async () => {
    const said = textOf(await en.say('who knows kafka?'));
    expect(said).toContain('Who knows kafka');
    expect(said).toContain('Megan Bowen');
  });

  test('EN 5: post in a community, with a typo in its name', async () => {
    const before = await posts();
    const said = textOf(await en.say('post The nightly pipeline is green again in data enginering', { replies: 2 }));
    expect(said).toContain('Posted in Data engineering');
    expect(said).toContain('The nightly pipeline is green again');
    expect(await posts()).toBe(before + 1);
  });

  test('EN 6: ask a question', async () => {
    const said = textOf(await en.say('ask Who owns the staging cluster? in Data engineering', { replies: 2 }));
    expect(said).toContain('Question asked in Data engineering');
    expect(said).toContain('Who owns the staging cluster?');
  });

  test('EN 7: the feed', async () => {
    const said = textOf(await en.say('my feed please'));
    expect(said).toContain('Your feed');
    expect(said).toContain('Kafka consumer tuning');
  });

  test('EN 8: communities, then Join pressed on the card', async () => {
    const [message] = await en.say('comunities');
    expect(cardText(message!.cards[0])).toContain('To discover');
    const join = actionsOf(message!.cards[0]).find((a) => a.data.communityId === communities.facilities);
    const response = await en.press(message!, join);
    expect(JSON.stringify(response)).toContain('You joined Facilities');
    expect(await count(db, "select count(*)::int as n from memberships where tenant_id = $1 and community_id = $2 and person_id = $3 and state = 'active'", [tenant, communities.facilities, users.alex!.personId])).toBe(1);
  });

  test('EN 9: join a community one is already in', async () => {
    expect(textOf(await en.say('join Data engineering'))).toContain('You are already a member of Data engineering');
  });

  test('EN 10: announcements to acknowledge, Acknowledge pressed', async () => {
    const messages = await en.say('annoucements', { replies: 2 });
    expect(textOf(messages)).toContain('New travel policy');
    const card = messages[1]!;
    const [ack] = actionsOf(card.cards[0]);
    expect(ack.title).toBe('Acknowledge');
    const response = await en.press(card, ack);
    expect(JSON.stringify(response)).toContain('Acknowledged on');
    expect(textOf(await en.say('announcements'))).toContain('Nothing left to read');
  });

  test('EN 11: meetups on, snooze, off', async () => {
    expect(textOf(await en.say('meetups on'))).toContain('You are in');
    expect(textOf(await en.say('meetups snooze 2w'))).toContain('Meetups are paused for you until');
    expect(textOf(await en.say('meetups off'))).toContain('Meetups are off for you');
  });

  test('EN 12: the digest', async () => {
    const said = textOf(await en.say('digest'));
    expect(said).toContain('Your digest');
    expect(said).toContain('Kudos this week');
  });

  test('EN 13: post to a community that does not exist', async () => {
    const before = await posts();
    expect(textOf(await en.say('post hello in Narnia'))).toContain('I can\'t find the community "Narnia"');
    expect(await posts()).toBe(before);
  });

  test('EN 14: kudos to oneself is refused by core, nothing saved', async () => {
    const before = await kudos();
    const said = textOf(await en.say('kudos @Alex for being me'));
    expect(said).toContain('You cannot give kudos to yourself');
    expect(said).toContain('Nothing was changed');
    expect(await kudos()).toBe(before);
  });

  test('EN 15: message extension, find an expert', async () => {
    const response = await en.invoke('composeExtension/query', { commandId: 'findExpert', parameters: [{ name: 'query', value: 'kafka' }] });
    expect(JSON.stringify(response)).toContain('Megan Bowen');
  });

  test('EN 16: kudos to two people named by Teams mention entities', async () => {
    const before = await kudos();
    const mention = (u: PlaygroundUser) => ({ type: 'mention', text: `<at>${u.name}</at>`, mentioned: { id: u.id, name: u.name } });
    const said = textOf(
      await en.sayWithLocale(`<at>Ruche</at> kudos <at>${users.megan!.name}</at> <at>${users.isaiah!.name}</at> for the migration #innovation`, 'en-GB', {
        entities: [{ type: 'mention', text: '<at>Ruche</at>', mentioned: { id: en.botId, name: 'Ruche' } }, mention(users.megan!), mention(users.isaiah!)],
      }),
    );
    expect(said).toMatch(/To (Megan Bowen and Isaiah Langer|Isaiah Langer and Megan Bowen)/);
    expect(await kudos()).toBe(before + 1);
  });

  // French: a French Teams client (locale fr-FR); the Playground's own chat box always sends en-US,
  // so these messages go through its custom activities, the way it mocks what a client sends.

  test('FR 1: aide', async () => {
    const said = textOf(await sayFr('aide'));
    expect(said).toContain('Voici ce que je sais faire');
    expect(said).toContain('qui connaît');
  });

  test('FR 2: bravo @quelqu’un pour ..., valeur en français', async () => {
    const before = await kudos();
    const said = textOf(await sayFr('bravo @Megan pour la doc #espritdequipe'));
    expect(said).toContain('Bravo de la part de Adele Vance');
    expect(said).toContain('Pour Megan Bowen');
    expect(await kudos()).toBe(before + 1);
  });

  test('FR 3: qui connaît, sans accent', async () => {
    const said = textOf(await sayFr('qui connait kafka'));
    expect(said).toContain('Qui connaît kafka');
    expect(said).toContain('Megan Bowen');
  });

  test('FR 4: publier dans une communauté', async () => {
    const before = await posts();
    const said = textOf(await sayFr('publier La démo de jeudi est prête dans la communauté Data engineering', { replies: 2 }));
    expect(said).toContain('Publié dans Data engineering');
    expect(await posts()).toBe(before + 1);
  });

  test('FR 5: demander dans une communauté', async () => {
    const said = textOf(await sayFr('demander Qui a la clé de la salle serveur ? dans Data engineering', { replies: 2 }));
    expect(said).toContain('Question posée dans Data engineering');
  });

  test('FR 6: le fil', async () => {
    expect(textOf(await sayFr('fil'))).toContain('Votre fil');
  });

  test('FR 7: communautés, puis rejoindre', async () => {
    expect(textOf(await sayFr('mes communautés'))).toContain('Vos communautés');
    expect(textOf(await sayFr('rejoindre facilites'))).toContain('Vous avez rejoint Facilities');
  });

  test('FR 8: annonces, « J’ai lu » pressé', async () => {
    const messages = await sayFr('annonces', { replies: 2 });
    const card = messages[1]!;
    const [ack] = actionsOf(card.cards[0]);
    expect(ack.title).toBe('J’ai lu');
    // The Playground's invokes always carry locale en-US: the refreshed card follows it.
    const response = await fr.press(card, ack);
    expect(response.value.lang).toBe('en');
    expect(JSON.stringify(response)).toContain('Acknowledged on');
    expect(await count(db, 'select count(*)::int as n from acknowledgements where tenant_id = $1 and person_id = $2', [tenant, users.adele!.personId])).toBe(1);
  });

  test('FR 9: rencontres oui puis pause 2 semaines', async () => {
    expect(textOf(await sayFr('rencontres oui'))).toContain('C’est parti');
    expect(textOf(await sayFr('rencontres pause 2 semaines'))).toContain('Les rencontres sont en pause pour vous jusqu’au');
  });

  test('FR 10: résumé', async () => {
    expect(textOf(await sayFr('résumé'))).toContain('Votre résumé');
  });

  test('FR 11: je n’ai pas compris', async () => {
    expect(textOf(await sayFr('quel temps fera-t-il demain'))).toContain('Je n’ai pas compris');
  });

  test('FR 12: publier sans droit (pas membre) est refusé poliment, rien enregistré', async () => {
    // Adele left nothing: she is not a member of a community created just now by someone else.
    const other = await createCommunity(db, users.patti!.viewer, { name: 'Comité de direction', kind: 'project', visibility: 'public', restrictedPosting: true });
    const before = await posts();
    const said = textOf(await sayFr('publier bonjour dans Comité de direction'));
    expect(said).toContain('Cela n’a pas marché');
    expect(said).toContain('Rien n’a été modifié');
    expect(await posts()).toBe(before);
    expect(other.id).toBeDefined();
  });
});
