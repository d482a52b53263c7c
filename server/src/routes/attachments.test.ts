import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Db, localFolderFileStore, purgeUnattachedFiles } from '@ruche/core';
import { createTestTenant, testDatabases } from '@ruche/core/testing';
import type { RucheApp } from '../app.js';
import { localConfig, testApp } from '../testing.js';

// A 1x1 transparent PNG.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe.each(testDatabases())('attachments on $name', ({ open }) => {
  let db: Db;
  let dir: string;
  let ruche: RucheApp;
  let tenant: string;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  let privateCommunity: string;

  beforeAll(async () => {
    db = await open();
    dir = await mkdtemp(path.join(tmpdir(), 'ruche-files-'));
    tenant = await createTestTenant(db);
    for (const who of ['author', 'member', 'outsider']) {
      const r = await db.query<{ id: string }>(
        'insert into people (tenant_id, upn, display_name) values ($1, $2, $3) returning id',
        [tenant, `${who}@x.example`, who],
      );
      ids[who] = r.rows[0]!.id;
    }
    const c = await db.query<{ id: string }>(
      "insert into communities (tenant_id, slug, name, kind, visibility) values ($1, 'secret-lab', 'Secret lab', 'project', 'private') returning id",
      [tenant],
    );
    privateCommunity = c.rows[0]!.id;
    for (const who of ['author', 'member']) {
      await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'member', 'active')", [
        tenant,
        privateCommunity,
        ids[who],
      ]);
    }
    ruche = await testApp(db, localConfig({ RUCHE_FILES_DIR: dir, ATTACHMENT_MAX_BYTES: '4096', ATTACHMENTS_PER_POST: '2' }), tenant);
    for (const who of ['author', 'member', 'outsider']) {
      const t = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: `${who}@x.example` } });
      tokens[who] = t.json().access_token;
    }
  });
  afterAll(async () => {
    await ruche.app.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = (who: string, name: string, contentType: string, payload: Buffer | string) =>
    ruche.app.inject({
      method: 'POST',
      url: `/api/v1/attachments?name=${encodeURIComponent(name)}`,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': contentType },
      payload,
    });
  const call = (who: string, method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, payload?: object) =>
    ruche.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload ? { payload } : {}) });

  async function post(who: string): Promise<string> {
    const r = await call(who, 'POST', '/posts', { communityId: privateCommunity, kind: 'discussion', title: 'Plans', body: 'See the files' });
    expect(r.statusCode).toBe(201);
    return r.json().id;
  }

  test('an upload stays private to its uploader until attached; then the post readers may download it', async () => {
    const up = await upload('author', 'plan été 2027.png', 'image/png', png);
    expect(up.statusCode).toBe(201);
    const file = up.json();
    expect(file).toMatchObject({ name: 'plan été 2027.png', contentType: 'image/png', size: png.length, postId: null });

    expect((await call('author', 'GET', `/attachments/${file.id}/content`)).statusCode).toBe(200);
    expect((await call('member', 'GET', `/attachments/${file.id}/content`)).statusCode).toBe(404);

    const postId = await post('author');
    const attached = await call('author', 'PUT', `/posts/${postId}/attachments`, { attachmentIds: [file.id] });
    expect(attached.statusCode).toBe(200);
    expect(attached.json().items.map((a: { id: string }) => a.id)).toEqual([file.id]);

    const download = await call('member', 'GET', `/attachments/${file.id}/content`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(png)).toBe(true);
    expect(download.headers['content-type']).toBe('image/png');
    expect(String(download.headers['content-disposition'])).toContain("filename*=UTF-8''plan%20%C3%A9t%C3%A9%202027.png");
    expect(String(download.headers['content-security-policy'])).toContain('sandbox');

    expect((await call('outsider', 'GET', `/attachments/${file.id}/content`)).statusCode).toBe(404);
    expect((await call('outsider', 'GET', `/posts/${postId}/attachments`)).statusCode).toBe(404);
    expect((await call('member', 'GET', `/posts/${postId}/attachments`)).json().items).toHaveLength(1);
  });

  test('the content must match the declared type, and only accepted types pass', async () => {
    const lie = await upload('author', 'photo.png', 'image/png', Buffer.from('just some text'));
    expect(lie.statusCode).toBe(415);
    expect(lie.json().code).toBe('ATTACHMENT_TYPE_REFUSED');
    const exe = await upload('author', 'setup.exe', 'application/x-msdownload', Buffer.from('MZ\x90\x00'));
    expect(exe.statusCode).toBe(415);
    const pngAsText = await upload('author', 'notes.txt', 'text/plain', png);
    expect(pngAsText.statusCode).toBe(415);
    const text = await upload('author', '../../etc/passwd', 'text/plain; charset=utf-8', 'Compte rendu : réunion');
    expect(text.statusCode).toBe(201);
    expect(text.json().name).toBe('passwd');
  });

  test('size limits, empty files and the per-post limit give clear errors, and what was saved stays', async () => {
    const big = await upload('author', 'big.txt', 'text/plain', 'x'.repeat(5000));
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/problem\+json/);
    const empty = await upload('author', 'empty.txt', 'text/plain', '');
    expect(empty.statusCode).toBe(400);

    const postId = await post('author');
    const files = [];
    for (const n of [1, 2, 3]) files.push((await upload('author', `f${n}.txt`, 'text/plain', `file ${n}`)).json().id);
    expect((await call('author', 'PUT', `/posts/${postId}/attachments`, { attachmentIds: files.slice(0, 2) })).statusCode).toBe(200);
    const third = await call('author', 'PUT', `/posts/${postId}/attachments`, { attachmentIds: [files[2]] });
    expect(third.statusCode).toBe(400);
    expect(third.json().code).toBe('ATTACHMENT_LIMIT');
    expect((await call('author', 'GET', `/posts/${postId}/attachments`)).json().items).toHaveLength(2);
  });

  test("nobody attaches someone else's upload, nor to someone else's post", async () => {
    const mine = (await upload('member', 'm.txt', 'text/plain', 'member file')).json().id;
    const authorsPost = await post('author');
    expect((await call('author', 'PUT', `/posts/${authorsPost}/attachments`, { attachmentIds: [mine] })).statusCode).toBe(404);
    expect((await call('member', 'PUT', `/posts/${authorsPost}/attachments`, { attachmentIds: [mine] })).statusCode).toBe(403);
  });

  test("the post view lists its files for its readers only; a file name's markup comes back inert", async () => {
    const picture = (await upload('author', 'site plan.png', 'image/png', png)).json();
    const hostile = (await upload('author', '"><img src=x onerror=alert(1)>.txt', 'text/plain', 'notes')).json();
    const postId = await post('author');
    expect((await call('author', 'PUT', `/posts/${postId}/attachments`, { attachmentIds: [picture.id, hostile.id] })).statusCode).toBe(200);

    const seen = await call('member', 'GET', `/posts/${postId}`);
    expect(seen.statusCode).toBe(200);
    const files = seen.json().attachments;
    expect(files).toEqual([
      { id: picture.id, name: 'site plan.png', contentType: 'image/png', size: png.length, image: true, downloadUrl: `/api/v1/attachments/${picture.id}/content` },
      { id: hostile.id, name: expect.any(String), contentType: 'text/plain', size: 5, image: false, downloadUrl: `/api/v1/attachments/${hostile.id}/content` },
    ]);
    expect(files[1].name).not.toMatch(/[<>"]/);
    expect(files[1].name).toContain('onerror=alert(1)');
    // The download URL works for the reader as given.
    const got = await ruche.app.inject({ method: 'GET', url: files[0].downloadUrl, headers: { authorization: `Bearer ${tokens.member}` } });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(png)).toBe(true);
    const text = await ruche.app.inject({ method: 'GET', url: files[1].downloadUrl, headers: { authorization: `Bearer ${tokens.member}` } });
    expect(String(text.headers['content-disposition'])).toMatch(/^attachment;/);

    // The community feed carries them too; someone who may not read the post sees neither it nor its files.
    const feed = await call('member', 'GET', `/feeds/communities/${privateCommunity}`);
    expect(feed.json().items.find((p: { id: string }) => p.id === postId).attachments).toHaveLength(2);
    expect((await call('outsider', 'GET', `/posts/${postId}`)).statusCode).toBe(404);
    const outsiderFeed = await call('outsider', 'GET', `/feeds/communities/${privateCommunity}`);
    expect(outsiderFeed.body).not.toContain(picture.id);
    expect((await call('outsider', 'GET', files[0].downloadUrl.replace('/api/v1', ''))).statusCode).toBe(404);
    // A post without files has an empty list.
    expect((await call('member', 'GET', `/posts/${await post('member')}`)).json().attachments).toEqual([]);
  });

  test('unattached uploads are purged after a day; attached ones stay', async () => {
    const store = localFolderFileStore(dir);
    const old = (await upload('author', 'old.txt', 'text/plain', 'old')).json().id;
    await db.query("update attachments set created_at = now() - interval '2 days' where tenant_id = $1 and id = $2", [tenant, old]);
    const purged = await purgeUnattachedFiles(db, store);
    expect(purged).toBeGreaterThanOrEqual(1);
    const left = await db.query('select 1 from attachments where tenant_id = $1 and id = $2', [tenant, old]);
    expect(left.rowCount).toBe(0);
    expect((await call('author', 'GET', `/attachments/${old}/content`)).statusCode).toBe(404);
  });
});
