import { type CommunityFacts, type KudosFacts, type Viewer, canOnKudos, canOnRecognition, kudosRefusal, visibleKudosRecipients } from './index.js';

const t = 'tenant-1';
const v = (personId: string, roles: string[] = []): Viewer => ({ tenantId: t, personId, roles });
const community = (membership: CommunityFacts['membership'], visibility: CommunityFacts['visibility'] = 'private'): CommunityFacts => ({
  tenantId: t,
  visibility,
  archived: false,
  restrictedPosting: false,
  membership,
});
const kudos = (over: Partial<KudosFacts> = {}): KudosFacts => ({
  tenantId: t,
  giverId: 'giver',
  visibility: 'public',
  community: null,
  recipients: [{ personId: 'rec', managerId: 'mgr', excluded: false }],
  deleted: false,
  ...over,
});

describe('recognition policy', () => {
  test('public kudos: everyone of the tenant reads it; the giver or an admin deletes it', () => {
    expect(canOnKudos(v('anyone'), 'read', kudos())).toBe(true);
    expect(canOnKudos({ ...v('anyone'), tenantId: 'other' }, 'read', kudos())).toBe(false);
    expect(canOnKudos(v('anyone'), 'delete', kudos())).toBe(false);
    expect(canOnKudos(v('giver'), 'delete', kudos())).toBe(true);
    expect(canOnKudos(v('root', ['admin']), 'delete', kudos())).toBe(true);
    expect(canOnKudos(v('giver'), 'read', kudos({ deleted: true }))).toBe(false);
  });

  test('private kudos: giver, recipients and their managers only (not even admins)', () => {
    const k = kudos({ visibility: 'private' });
    for (const who of ['giver', 'rec', 'mgr']) expect(canOnKudos(v(who), 'read', k)).toBe(true);
    expect(canOnKudos(v('anyone'), 'read', k)).toBe(false);
    expect(canOnKudos(v('root', ['admin', 'hr']), 'read', k)).toBe(false);
  });

  test("community kudos: the community's readers, the giver and the recipients", () => {
    const member = kudos({ visibility: 'community', community: community({ role: 'member', state: 'active' }) });
    const outsider = kudos({ visibility: 'community', community: community(null) });
    expect(canOnKudos(v('anyone'), 'read', member)).toBe(true);
    expect(canOnKudos(v('anyone'), 'read', outsider)).toBe(false);
    expect(canOnKudos(v('rec'), 'read', outsider)).toBe(true);
    expect(canOnKudos(v('mgr'), 'read', outsider)).toBe(false);
  });

  test('people excluded from recognition are shown only to themselves; a kudos naming nobody else is hidden', () => {
    const k = kudos({ recipients: [{ personId: 'rec', managerId: 'mgr', excluded: true }, { personId: 'other', managerId: null, excluded: false }] });
    expect(visibleKudosRecipients(v('anyone'), k).map((r) => r.personId)).toEqual(['other']);
    expect(visibleKudosRecipients(v('rec'), k).map((r) => r.personId)).toEqual(['rec', 'other']);
    const only = kudos({ recipients: [{ personId: 'rec', managerId: 'mgr', excluded: true }] });
    expect(canOnKudos(v('anyone'), 'read', only)).toBe(false);
    expect(canOnKudos(v('giver'), 'read', only)).toBe(false);
    expect(canOnKudos(v('rec'), 'read', only)).toBe(true);
  });

  test('giving: not to oneself, a former employee or someone excluded; not from a switched-off place', () => {
    const gift = (over: Partial<{ personId: string; formerEmployee: boolean; excluded: boolean }> = {}, giverSwitchedOff = false) =>
      kudosRefusal(v('giver'), { tenantId: t, giverSwitchedOff, recipient: { personId: 'rec', formerEmployee: false, excluded: false, ...over } });
    expect(gift()).toBeNull();
    expect(gift({ personId: 'giver' })).toBe('self');
    expect(gift({ formerEmployee: true })).toBe('former_employee');
    expect(gift({ excluded: true })).toBe('recognition_off');
    expect(gift({}, true)).toBe('giver_recognition_off');
  });

  test('values and settings: tenant admins and HR', () => {
    expect(canOnRecognition(v('a', ['admin']), 'manage_values', t)).toBe(true);
    expect(canOnRecognition(v('h', ['hr']), 'manage_settings', t)).toBe(true);
    expect(canOnRecognition(v('c', ['communicator']), 'manage_values', t)).toBe(false);
    expect(canOnRecognition(v('a', ['admin']), 'manage_settings', 'other')).toBe(false);
  });
});
