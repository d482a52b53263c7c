import { testDatabases } from '@ruche/core/testing';
import { type Db, createCommunity, createPost, publishAnnouncement, refreshExpertiseEvidence, runMeetupRound, updateMeetupSettings } from '@ruche/core';
import { type BotWorld, actionsOf, cardText, count, createWorld, mention, press, say } from './harness.js';

describe.each(testDatabases())('bot conversation on $name', ({ open }) => {
  let db: Db;
  let world: BotWorld;
  beforeAll(async () => {
    db = await open();
    world = await createWorld(db);
  });
  afterAll(async () => {
    await world.close();
    await db.close();
  });

  const kudosCount = () => count(db, 'select count(*)::int as n from kudos where tenant_id = $1', [world.tenant]);
  const postCount = () => count(db, 'select count(*)::int as n from posts where tenant_id = $1', [world.tenant]);

  test('help: a card of every command, in English or French by the Teams locale', async () => {
    const en = await say(world, 'ana', 'help');
    expect(en.status).toBe(200);
    expect(en.cards).toHaveLength(1);
    expect(cardText(en.cards[0])).toContain('Here is what I can do');
    expect(cardText(en.cards[0])).toContain('who knows');
    const fr = await say(world, 'ana', 'aide', { locale: 'fr-FR' });
    expect(cardText(fr.cards[0])).toContain('Voici ce que je sais faire');
  });

  test('without a Teams locale, the person’s preferred language', async () => {
    const r = await say(world, 'chloe', 'help', { locale: '' });
    expect(cardText(r.cards[0])).toContain('Voici ce que je sais faire');
  });

  test('anything not understood gets a short help card, never silence', async () => {
    const r = await say(world, 'ana', 'what is the weather like');
    expect(r.cards).toHaveLength(1);
    expect(cardText(r.cards[0])).toContain("I didn't get that");
    expect(cardText(r.cards[0])).toContain('kudos');
  });

  test('someone Ruche does not know gets a friendly card and nothing else happens', async () => {
    const before = await postCount();
    const r = await say(world, 'ana', 'post hello in Data engineering', { stranger: true });
    expect(r.status).toBe(200);
    expect(cardText(r.cards[0])).toContain("I don't know you yet");
    expect(await postCount()).toBe(before);
  });

  test('an unknown organisation outside the local one is treated as unknown too', async () => {
    const r = await say(world, 'ana', 'help', { conversation: { id: 'a:x', conversationType: 'personal', tenantId: 'not-a-guid' }, channelData: {} });
    // Local mode: the local organisation is assumed, so Ana is known.
    expect(cardText(r.cards[0])).toContain('Here is what I can do');
  });

  test('kudos @a @b for ... #value: given through core with the value, one card back', async () => {
    const a = mention(world, 'ben');
    const b = mention(world, 'chloe');
    const before = await kudosCount();
    const r = await say(world, 'ana', `kudos ${a.text} ${b.text} for shipping the launch #innovation`, { entities: [a.entity, b.entity] });
    expect(await kudosCount()).toBe(before + 1);
    const text = cardText(r.cards[0]);
    expect(text).toContain('Kudos from Ana Martin');
    expect(text).toContain('Ben Durand and Chloé Lefèvre');
    expect(text).toContain('shipping the launch');
    const row = await db.query<{ value_key: string; message: string }>('select value_key, message from kudos where tenant_id = $1 order by created_at desc limit 1', [world.tenant]);
    expect(row.rows[0]).toEqual({ value_key: 'innovation', message: 'shipping the launch' });
  });

  test('bravo @a pour ... in French, typed @first name and a value named in French', async () => {
    const r = await say(world, 'chloe', 'bravo @Eve pour la doc #espritDéquipe', { locale: 'fr-FR' });
    const text = cardText(r.cards[0]);
    expect(text).toContain('Bravo de la part de Chloé Lefèvre');
    expect(text).toContain('Pour Eve Petit');
  });

  test('kudos errors: no one named, unknown person, unknown value, self kudos (core refusal) — nothing saved', async () => {
    const before = await kudosCount();
    expect(cardText((await say(world, 'ana', 'kudos for nothing')).cards[0])).toContain('Whom do you thank?');
    expect(cardText((await say(world, 'ana', 'kudos @Zorro for the mask')).cards[0])).toContain("I can't find Zorro in Ruche");
    expect(cardText((await say(world, 'ana', 'kudos @Ben for it #unicorns')).cards[0])).toContain('No company value "#unicorns"');
    const self = await say(world, 'ana', 'kudos @Ana for me');
    expect(cardText(self.cards[0])).toContain('That did not work');
    expect(cardText(self.cards[0])).toContain('Nothing was changed');
    const selfFr = await say(world, 'ana', 'bravo @Ana pour moi', { locale: 'fr-FR' });
    expect(cardText(selfFr.cards[0])).toContain('Vous ne pouvez pas vous envoyer un bravo');
    expect(await kudosCount()).toBe(before);
  });

  test('post ... in <community> posts through core; ask creates a question; typos and accents in the name', async () => {
    const before = await postCount();
    const r = await say(world, 'ana', 'post Our release is out in data enginering');
    expect(cardText(r.cards[0])).toContain('Posted in Data engineering');
    expect(cardText(r.cards[1])).toContain('Our release is out');
    const q = await say(world, 'ben', 'ask How do we deploy on Fridays? Any rule? in Data engineering');
    expect(cardText(q.cards[0])).toContain('Question asked in Data engineering');
    expect(await postCount()).toBe(before + 2);
    const last = await db.query<{ kind: string; title: string }>('select kind, title from posts where tenant_id = $1 order by created_at desc limit 1', [world.tenant]);
    expect(last.rows[0]).toEqual({ kind: 'question', title: 'How do we deploy on Fridays?' });
  });

  test('post: unknown community, missing community, a community where one may not post (policy)', async () => {
    const before = await postCount();
    const unknown = await say(world, 'ana', 'post hello in Narnia');
    expect(cardText(unknown.cards[0])).toContain('I can\'t find the community "Narnia"');
    const missing = await say(world, 'ana', 'post hello everyone');
    expect(cardText(missing.cards[0])).toContain('In which community?');
    expect(cardText(missing.cards[0])).toContain('Data engineering');
    const notMember = await say(world, 'eve', 'post hello in Data engineering');
    expect(cardText(notMember.cards[0])).toContain('Only members can post in this community');
    const fr = await say(world, 'eve', 'publier bonjour dans Data engineering', { locale: 'fr-FR' });
    expect(cardText(fr.cards[0])).toContain('Vous n’avez pas le droit');
    expect(await postCount()).toBe(before);
  });

  test('who knows ... / qui connaît ...: experts with their evidence, through the expertise finder', async () => {
    await createPost(db, world.people.ana!.viewer, { communityId: world.communities.data!, kind: 'discussion', body: 'Tuning #kafka consumers: lag, partitions and batching' });
    await createPost(db, world.people.ana!.viewer, { communityId: world.communities.data!, kind: 'discussion', body: 'More #kafka notes on retention' });
    await refreshExpertiseEvidence(db, world.tenant);
    const r = await say(world, 'ben', 'who knows kafka?');
    const text = cardText(r.cards[0]);
    expect(text).toContain('Who knows kafka');
    expect(text).toContain('Ana Martin');
    expect(text).toMatch(/Posts/);
    const fr = await say(world, 'ben', 'qui connaît kafka', { locale: 'fr-FR' });
    expect(cardText(fr.cards[0])).toContain('Qui connaît kafka');
    const none = await say(world, 'ben', 'who knows underwater basket weaving');
    expect(cardText(none.cards[0])).toContain('No one with visible evidence');
  });

  test('feed / fil: the latest posts of the person’s communities', async () => {
    const r = await say(world, 'chloe', 'fil', { locale: 'fr-FR' });
    const text = cardText(r.cards[0]);
    expect(text).toContain('Votre fil');
    expect(text).toContain('Data engineering');
    const empty = await say(world, 'eve', 'feed');
    expect(cardText(empty.cards[0])).toContain('Nothing new');
  });

  test('communities, then join from the card button and with "join <community>"', async () => {
    const r = await say(world, 'eve', 'communities');
    const text = cardText(r.cards[0]);
    expect(text).toContain('You are not a member of any community yet');
    const joinButtons = actionsOf(r.cards[0]);
    const dataJoin = joinButtons.find((a) => a.data.communityId === world.communities.data);
    expect(dataJoin).toBeDefined();
    const pressed = await press(world, 'eve', dataJoin);
    expect(pressed.status).toBe(200);
    expect(pressed.body.statusCode).toBe(200);
    expect(pressed.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(pressed.body.value)).toContain('You joined Data engineering');
    const again = await say(world, 'eve', 'join data engineering');
    expect(cardText(again.cards[0])).toContain('already a member');
    const fr = await say(world, 'eve', 'rejoindre facilites', { locale: 'fr-FR' });
    expect(cardText(fr.cards[0])).toContain('Vous avez rejoint Facilities');
    const privateOne = await createCommunity(db, world.people.dan!.viewer, { name: 'Works council', kind: 'interest', visibility: 'private' });
    const asked = await say(world, 'eve', 'join works council');
    expect(cardText(asked.cards[0])).toContain('Your request to join Works council was sent to its owners');
    const state = await db.query<{ state: string }>('select state from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [world.tenant, privateOne.id, world.people.eve!.id]);
    expect(state.rows[0]!.state).toBe('requested');
    const nope = await say(world, 'eve', 'join Atlantis');
    expect(cardText(nope.cards[0])).toContain('I can\'t find the community "Atlantis"');
  });

  test('announcements: what is left to acknowledge; Acknowledge refreshes the card for the presser only', async () => {
    await publishAnnouncement(db, world.people.dan!.viewer, { title: 'New security policy', body: 'Please read the new policy.', targets: [{ type: 'organisation' }] });
    const r = await say(world, 'ben', 'annoucements');
    expect(cardText(r.cards[0])).toContain('To acknowledge');
    const card = r.cards[1];
    expect(cardText(card)).toContain('New security policy');
    const [ack] = actionsOf(card);
    expect(ack.title).toBe('Acknowledge');
    const pressed = await press(world, 'ben', ack);
    const refreshed = pressed.body.value;
    expect(cardText(refreshed)).toContain('Acknowledged on');
    expect(actionsOf(refreshed)).toHaveLength(0);
    const after = await say(world, 'ben', 'announcements');
    expect(cardText(after.cards[0])).toContain('Nothing left to read');
    // Someone else still has it to acknowledge.
    const other = await say(world, 'ana', 'annonces', { locale: 'fr-FR' });
    expect(cardText(other.cards[1])).toContain('J’ai lu');
  });

  test('meetups on / snooze / off through core; the status shows the match with "we met" and "skip"', async () => {
    const on = await say(world, 'ana', 'meetups on');
    expect(cardText(on.cards[0])).toContain('You are in');
    const snoozed = await say(world, 'ana', 'meetups snooze 2w');
    expect(cardText(snoozed.cards[0])).toContain('Meetups are paused for you until');
    const until = await db.query<{ d: string }>("select to_char(snooze_until, 'YYYY-MM-DD') as d from meetup_preferences where tenant_id = $1 and person_id = $2", [world.tenant, world.people.ana!.id]);
    expect(until.rows[0]!.d).toBe(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
    const fr = await say(world, 'chloe', 'rencontres non', { locale: 'fr-FR' });
    expect(cardText(fr.cards[0])).toContain('Les rencontres sont désactivées pour vous');
    // Ana and Ben opt in; a round pairs them.
    await say(world, 'ana', 'meetup on');
    await say(world, 'ben', 'metups on');
    const round = await runMeetupRound(db, world.tenant);
    expect(round).not.toBeNull();
    const status = await say(world, 'ana', 'meetups');
    expect(cardText(status.cards[1])).toContain('You were matched with Ben Durand');
    const [met, skip] = actionsOf(status.cards[1]);
    expect(met.title).toBe('We met');
    expect(skip.title).toBe('Skip');
    const pressed = await press(world, 'ana', met);
    expect(cardText(pressed.body.value)).toContain('You met');
    expect(actionsOf(pressed.body.value)).toHaveLength(0);
    const outcome = await db.query<{ outcome: string }>('select outcome from meetup_outcomes where tenant_id = $1 and person_id = $2', [world.tenant, world.people.ana!.id]);
    expect(outcome.rows.map((r) => r.outcome)).toEqual(['met']);
    // Someone else cannot answer for Ana's match.
    const other = await press(world, 'eve', met);
    expect(cardText(other.body.value)).toContain('That did not work');
  });

  test('meetups switched off for the organisation: a clear card', async () => {
    await updateMeetupSettings(db, world.people.dan!.viewer, { enabled: false });
    try {
      const r = await say(world, 'ana', 'meetups on');
      expect(cardText(r.cards[0])).toContain('Meetups are not enabled');
      const fr = await say(world, 'ana', 'rencontres pause 2 semaines', { locale: 'fr-FR' });
      expect(cardText(fr.cards[0])).toContain('Les rencontres ne sont pas activées');
    } finally {
      await updateMeetupSettings(db, world.people.dan!.viewer, { enabled: true });
    }
  });

  test('digest: top posts, kudos and announcements still to acknowledge', async () => {
    const r = await say(world, 'chloe', 'digest');
    const text = cardText(r.cards[0]);
    expect(text).toContain('Your digest');
    expect(text).toContain('Top posts this week');
    expect(text).toContain('Kudos this week');
    expect(text).toContain('Still to acknowledge: 1');
  });

  test('polls and events: vote and RSVP buttons refresh the card for the presser', async () => {
    const poll = await createPost(db, world.people.ana!.viewer, {
      communityId: world.communities.data!,
      kind: 'poll',
      title: 'Which day for the retro?',
      poll: { options: ['Monday', 'Friday'], closesAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const feed = await say(world, 'ben', 'feed');
    expect(cardText(feed.cards[0])).toContain('Which day for the retro?');
    const refresh = await press(world, 'ben', { verb: 'ruche.post.refresh', data: { postId: poll.id } });
    const buttons = actionsOf(refresh.body.value);
    expect(buttons.map((b) => b.title)).toEqual(['Monday', 'Friday']);
    const voted = await press(world, 'ben', buttons[1]);
    expect(cardText(voted.body.value)).toContain('You voted: Friday');
    expect(actionsOf(voted.body.value)).toHaveLength(0);

    const event = await createPost(db, world.people.ana!.viewer, {
      communityId: world.communities.data!,
      kind: 'event',
      title: 'Data meetup',
      event: { startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), place: 'Lyon, room 4' },
    });
    const ev = await press(world, 'chloe', { verb: 'ruche.post.refresh', data: { postId: event.id } }, { locale: 'fr-FR' });
    const going = actionsOf(ev.body.value).find((b) => b.data.response === 'yes');
    expect(going.title).toBe('J’y vais');
    const answered = await press(world, 'chloe', going, { locale: 'fr-FR' });
    expect(cardText(answered.body.value)).toContain('Votre réponse : J’y vais');
    expect(cardText(answered.body.value)).toContain('1 participants');
  });

  test('a card action on something the presser may not see gets a friendly card', async () => {
    const r = await press(world, 'eve', { verb: 'ruche.announcement.acknowledge', data: { postId: '00000000-0000-4000-8000-000000000000' } });
    expect(r.body.statusCode).toBe(200);
    expect(cardText(r.body.value)).toContain('That did not work');
  });
});
