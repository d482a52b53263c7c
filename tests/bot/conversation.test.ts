import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import { type BotWorld, cardText, createWorld, say } from './harness.js';

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

  test('help: a card of every command, in English or French by the Teams locale', async () => {
    const en = await say(world, 'ana', 'help');
    expect(en.status).toBe(200);
    expect(en.cards).toHaveLength(1);
    expect(cardText(en.cards[0])).toContain('Here is what I can do');
    expect(cardText(en.cards[0])).toContain('who knows');
    const fr = await say(world, 'ana', 'aide', { locale: 'fr-FR' });
    expect(cardText(fr.cards[0])).toContain('Voici ce que je sais faire');
  });
});
