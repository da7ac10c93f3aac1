import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import sharp from 'sharp';
import { collectBlobs } from '../domain/documents.js';
import type { ContactEvent } from '../domain/events.js';
import { createSafeFetcher } from '../storage/fetch-attachment.js';
import * as f from '../test-fixtures.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const HOUR = 3_600_000;

/** A real picture of a solid colour (with EXIF when asked: a camera's GPS position and an orientation). */
async function picture(format: 'png' | 'jpeg' | 'webp' | 'gif', opts: { width?: number; height?: number; exif?: boolean; color?: string } = {}) {
  let image = sharp({ create: { width: opts.width ?? 320, height: opts.height ?? 200, channels: 3, background: opts.color ?? '#3366cc' } });
  if (opts.exif) image = image.withExif({ IFD0: { Make: 'SecretCam', Orientation: '6' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } });
  return image.toFormat(format).toBuffer();
}

describe('contact profile pictures', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let owner: string;
  let files: http.Server;
  let base: string;
  const served = new Map<string, Buffer | string>();

  const put = (contactId: string, token: string, body: Buffer, type = 'image/png') =>
    h.request(`/api/v1/contacts/${contactId}/avatar`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(body) });
  const upload = async (contactId: string, token: string, body: Buffer) => {
    const res = await put(contactId, token, body);
    return { status: res.status, body: (await res.json()) as any };
  };
  const newContact = async (token = owner, body: Record<string, unknown> = { firstName: 'Pat', lastName: 'Picture' }) => {
    const res = await h.call('POST', '/api/v1/contacts', { token, body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  };
  /** Fetches a picture URL as a browser's <img> would: no token. */
  const fetchPicture = (url: string, headers: Record<string, string> = {}) => {
    const u = new URL(url);
    return h.request(u.pathname + u.search, { headers });
  };
  const keyOf = (contactId: string) => h.opened.db.selectFrom('contacts').select('avatar_key').where('id', '=', contactId).executeTakeFirstOrThrow().then((r) => r.avatar_key);

  before(async () => {
    files = http.createServer((req, res) => {
      const body = served.get(req.url ?? '');
      if (body === undefined) {
        res.statusCode = 404;
        return void res.end();
      }
      res.end(body);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    h = await harness({ avatars: { maxBytes: 300_000, maxPixels: 4_000_000 } }, { fetcher: createSafeFetcher({ allowAddresses: ['127.0.0.1'] }) });
    ws = await h.workspace();
    other = await h.workspace();
  });
  // Tests move the clock past sessions' lifetime (blob collection waits an hour): each starts with a fresh one.
  beforeEach(async () => {
    owner = (await ws.token('owner')).token;
  });
  after(async () => {
    files.closeAllConnections();
    files.close();
    await h.close();
  });

  it('takes PNG, JPEG, WebP and GIF, and stores each as a 256×256 WebP without metadata, served without a token', async () => {
    for (const format of ['png', 'jpeg', 'webp', 'gif'] as const) {
      const id = await newContact();
      const res = await upload(id, owner, await picture(format, { exif: format === 'jpeg' }));
      assert.equal(res.status, 200, `${format}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.avatarUrl, /^http:\/\/localhost\/api\/v1\/signed\/avatars\/[^/]+\/[0-9a-f]{64}\.webp\?sig=[\w-]+$/);
      const img = await fetchPicture(res.body.avatarUrl);
      assert.equal(img.status, 200, format);
      assert.equal(img.headers.get('content-type'), 'image/webp');
      assert.equal(img.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(img.headers.get('x-content-type-options'), 'nosniff');
      const bytes = Buffer.from(await img.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 256, 256], format);
      assert.equal(meta.exif, undefined, `${format}: no EXIF kept`);
      assert.equal(meta.icc, undefined, `${format}: no ICC profile kept`);
      assert.equal(meta.xmp, undefined, `${format}: no XMP kept`);
      assert.ok(!bytes.includes('SecretCam'), 'the camera make is gone');
      // The same content is the same URL (content-addressed); a conditional request costs nothing.
      const again = await fetchPicture(res.body.avatarUrl, { 'if-none-match': img.headers.get('etag')! });
      assert.equal(again.status, 304);
    }
  });

  it('refuses what is not a picture by its content, damaged pictures, and bodies or pixel counts over the limits', async () => {
    const id = await newContact();
    const cases: [Buffer, number, string, Record<string, unknown>?][] = [
      [f.svg(), 415, 'unsupported_image', { reason: 'markup' }],
      [f.html(), 415, 'unsupported_image', { reason: 'markup' }],
      [f.pdf(), 415, 'unsupported_image', { reason: 'not_an_image', detected: 'pdf' }],
      [f.exe(), 415, 'unsupported_image', { reason: 'executable' }],
      [await f.gifar(), 415, 'unsupported_image', { reason: 'polyglot' }],
      [Buffer.alloc(0), 415, 'unsupported_image', { reason: 'empty' }],
      // The signature of a PNG with nothing decodable behind it.
      [f.png(), 422, 'image_unreadable'],
      [await picture('png', { width: 2500, height: 2000 }), 422, 'image_too_large', { width: 2500, height: 2000, maxPixels: 4_000_000 }],
    ];
    for (const [body, status, code, details] of cases) {
      const res = await upload(id, owner, body);
      assert.equal(res.status, status, `${code}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code);
      if (details) for (const [k, v] of Object.entries(details)) assert.deepEqual(res.body.error.details[k], v, `${code}.${k}`);
    }
    // A noisy picture too big in bytes: refused by its Content-Length before it is read.
    const noise = await sharp(randomBytes(400 * 400 * 3), { raw: { width: 400, height: 400, channels: 3 } }).png().toBuffer();
    assert.ok(noise.length > 300_000);
    const big = await upload(id, owner, noise);
    assert.equal(big.status, 413);
    assert.deepEqual([big.body.error.code, big.body.error.details.limitBytes], ['payload_too_large', 300_000]);
    const row = await h.opened.db.selectFrom('contacts').select(['avatar_url', 'avatar_key']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { avatar_url: null, avatar_key: null });
  });

  it('is an edit: only who may see the contact, never another workspace, never a contact in the bin; audited, live, webhooked', async () => {
    const endpoint = await h.call('POST', '/api/v1/webhook-endpoints', { token: ws.secretKey, body: { url: 'https://hooks.example.com/pictures', eventTypes: ['contact.updated'] } });
    assert.equal(endpoint.status, 201);
    const restricted = await ws.token('agent', { externalId: 'restricted-1', restrictToAssigned: true });
    const id = await newContact();
    const png = await picture('png');
    const blobCount = async () => (await h.opened.db.selectFrom('blobs').select('sha256').execute()).length;
    const blobsBefore = await blobCount();
    assert.equal((await upload(id, restricted.token, png)).status, 404, 'a restricted agent does not see it');
    assert.equal((await upload(id, (await other.token('owner')).token, png)).status, 404, 'another workspace');
    assert.equal((await upload('ct_nope', owner, png)).status, 404);
    assert.equal(await blobCount(), blobsBefore, 'nothing is stored for a contact the caller cannot see');
    assert.equal((await h.request(`/api/v1/contacts/${id}/avatar`, { method: 'PUT', body: new Uint8Array(png) })).status, 401);
    const own = await newContact(restricted.token);
    assert.equal((await upload(own, restricted.token, png)).status, 200, 'a restricted agent edits their own contact');

    const seen: ContactEvent[] = [];
    const stop = h.events.subscribe(ws.id, (e) => seen.push(e as ContactEvent));
    h.clock.advance(1000);
    const set = await upload(id, (await ws.token('agent')).token, png);
    assert.equal(set.status, 200);
    h.clock.advance(1000);
    const removed = await h.call('DELETE', `/api/v1/contacts/${id}/avatar`, { token: owner });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.avatarUrl, null);
    assert.equal(removed.body.version, set.body.version + 1);
    assert.equal((await h.call('DELETE', `/api/v1/contacts/${id}/avatar`, { token: owner })).body.version, removed.body.version, 'removing nothing changes nothing');
    stop();
    assert.deepEqual(seen.filter((e) => e.type === 'contact.updated').map((e) => [e.contacts[0]!.id, e.fields]), [[id, ['avatarUrl']], [id, ['avatarUrl']]]);

    const audit = (await h.call('GET', `/api/v1/contacts/${id}/audit`, { token: owner })).body.items as any[];
    const pictureEvents = audit.filter((e) => e.changes.avatarUrl);
    assert.equal(pictureEvents.length, 2);
    assert.deepEqual(pictureEvents.map((e) => e.changes.avatarUrl.after === null), [true, false], 'newest first: removed, then set');
    const deliveries = await h.opened.db.selectFrom('webhook_deliveries').select('payload').where('endpoint_id', '=', endpoint.body.id).execute();
    const payloads = deliveries.map((d) => JSON.parse(d.payload)).filter((p) => p.data.contactId === id);
    assert.deepEqual(payloads.map((p) => p.data.changedFields), [['avatarUrl'], ['avatarUrl']]);
    assert.equal(payloads[0].data.changes.avatarUrl.after, set.body.avatarUrl);

    await h.call('DELETE', `/api/v1/contacts/${id}`, { token: owner });
    const binned = await upload(id, owner, png);
    assert.deepEqual([binned.status, binned.body.error.code], [409, 'conflict']);
  });

  it('serves a picture only with its own signature: another workspace in the path or a changed signature is refused', async () => {
    const id = await newContact();
    const { body } = await upload(id, owner, await picture('jpeg', { color: '#aa2200' }));
    const url = new URL(body.avatarUrl);
    const tampered = new URL(url);
    // A different first character always changes the signature's bytes (the last ones may differ in padding bits only,
    // and were already "AA" about once in a thousand runs).
    const sig = url.searchParams.get('sig')!;
    tampered.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    assert.equal((await fetchPicture(tampered.href)).status, 403);
    const elsewhere = new URL(url.href.replace(`/avatars/${ws.id}/`, `/avatars/${other.id}/`));
    assert.equal((await fetchPicture(elsewhere.href)).status, 403);
    const unsigned = new URL(url);
    unsigned.search = '';
    assert.equal((await fetchPicture(unsigned.href)).status, 400);
    const notWebp = url.href.replace('.webp?', '.png?');
    assert.equal((await fetchPicture(notWebp)).status, 400);
  });

  it('collects replaced and removed pictures, as documents are, and keeps the ones contacts show', async () => {
    const id = await newContact();
    const first = await upload(id, owner, await picture('png', { color: '#111111' }));
    const firstKey = (await keyOf(id))!;
    const second = await upload(id, owner, await picture('png', { color: '#eeeeee' }));
    const secondKey = (await keyOf(id))!;
    assert.notEqual(firstKey, secondKey);
    assert.notEqual(first.body.avatarUrl, second.body.avatarUrl);
    const hostUrlContact = await newContact();
    await upload(hostUrlContact, owner, await picture('png', { color: '#777777' }));
    const thirdKey = (await keyOf(hostUrlContact))!;
    // The host sets a URL of its own: the stored picture is no longer the contact's.
    const patched = await h.call('PATCH', `/api/v1/contacts/${hostUrlContact}`, { token: owner, body: { avatarUrl: 'https://cdn.example.com/pat.png' } });
    assert.equal(patched.status, 200);
    assert.equal(await keyOf(hostUrlContact), null);

    await collectBlobs(h.opened.db, h.blobs, h.clock.now());
    assert.notEqual(await h.blobs.size(firstKey), null, 'not within the grace period');
    h.clock.advance(2 * HOUR);
    await collectBlobs(h.opened.db, h.blobs, h.clock.now());
    assert.equal(await h.blobs.size(firstKey), null, 'the replaced picture is collected');
    assert.equal(await h.blobs.size(thirdKey), null, 'the picture a host URL replaced is collected');
    assert.notEqual(await h.blobs.size(secondKey), null, 'the picture shown is kept');
    assert.equal((await fetchPicture(first.body.avatarUrl)).status, 404);
    assert.equal((await fetchPicture(second.body.avatarUrl)).status, 200);

    owner = (await ws.token('owner')).token;
    assert.equal((await h.call('DELETE', `/api/v1/contacts/${id}/avatar`, { token: owner })).status, 200);
    assert.equal(await keyOf(id), null);
    h.clock.advance(2 * HOUR);
    await collectBlobs(h.opened.db, h.blobs, h.clock.now());
    assert.equal(await h.blobs.size(secondKey), null, 'the removed picture is collected');
  });

  it('keeps a merged-in contact\'s picture when the merge takes it', async () => {
    const survivor = await newContact(owner, { firstName: 'Sam', emails: [{ value: 'sam@example.com' }] });
    const merged = await newContact(owner, { firstName: 'Sam', emails: [{ value: 'sam2@example.com' }] });
    await upload(merged, owner, await picture('webp', { color: '#00aa55' }));
    const key = await keyOf(merged);
    const res = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: survivor, mergedIds: [merged] } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.survivor.avatarUrl.includes(key!), true);
    assert.equal(await keyOf(survivor), key);
  });

  describe('sender pictures from social channels (POST /messages)', () => {
    let phones = 0;
    /** A message from a sender: by handle (Instagram, Facebook) or by a phone of their own (WhatsApp). */
    const message = (channel: string, handle: string, avatarUrl?: string) => {
      const who = channel === 'whatsapp' ? { phone: `+1415555${String(1000 + phones++)}` } : { handle };
      return h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel, contact: { ...who, ...(avatarUrl && { avatarUrl }) }, text: 'Hi!' } });
    };

    it('fetches and keeps the sender\'s picture when the contact has none, and never replaces one', async () => {
      served.set('/ig/me.jpg', await picture('jpeg', { exif: true }));
      served.set('/ig/other.png', await picture('png', { color: '#ff0000' }));
      const first = await message('instagram', 'pic.person', `${base}/ig/me.jpg`);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.deepEqual(first.body.avatar, { stored: true });
      const contact = (await h.call('GET', `/api/v1/contacts/${first.body.contactId}`, { token: owner })).body;
      assert.equal(typeof contact.avatarUrl, 'string', JSON.stringify(contact));
      assert.match(contact.avatarUrl, /\/api\/v1\/signed\/avatars\//);
      const img = await fetchPicture(contact.avatarUrl);
      assert.equal((await sharp(Buffer.from(await img.arrayBuffer())).metadata()).width, 256);
      const second = await message('instagram', 'pic.person', `${base}/ig/other.png`);
      assert.equal(second.body.avatar.code, 'has_picture');
      assert.equal((await h.call('GET', `/api/v1/contacts/${first.body.contactId}`, { token: owner })).body.avatarUrl, contact.avatarUrl);
    });

    it('leaves the initials when the URL fails, is not a picture, is too big, or the channel is not social', async () => {
      served.set('/fb/page.html', f.html().toString());
      served.set('/fb/big.png', await sharp({ create: { width: 2500, height: 2000, channels: 3, background: '#000' } }).png().toBuffer());
      const cases: [string, string, string][] = [
        ['facebook', `${base}/fb/missing.jpg`, 'avatar_fetch_failed'],
        ['facebook', `${base}/fb/page.html`, 'unsupported_image'],
        ['whatsapp', `${base}/fb/big.png`, 'image_too_large'],
        ['whatsapp', 'not a url', 'avatar_fetch_failed'],
        ['instagram', 'file:///etc/passwd', 'avatar_fetch_failed'],
      ];
      for (const [i, [channel, url, code]] of cases.entries()) {
        const res = await message(channel, `initials.${i}`, url);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.avatar.stored, false);
        assert.equal(res.body.avatar.code, code, `${url}: ${res.body.avatar.message}`);
        assert.equal((await h.call('GET', `/api/v1/contacts/${res.body.contactId}`, { token: owner })).body.avatarUrl, null);
      }
      const email = await h.call('POST', '/api/v1/messages', { token: ws.secretKey, body: { channel: 'email', contact: { email: 'mail@example.com', avatarUrl: `${base}/ig/me.jpg` }, text: 'Hi' } });
      assert.equal(email.status, 201);
      assert.equal(email.body.avatar, undefined, 'not a social channel: not fetched');
      assert.equal((await h.call('GET', `/api/v1/contacts/${email.body.contactId}`, { token: owner })).body.avatarUrl, null);
    });

    it('refuses private addresses with the default fetcher (the attachment fetcher\'s rules)', async () => {
      const strict = await harness();
      try {
        const w = await strict.workspace();
        const res = await strict.call('POST', '/api/v1/messages', { token: w.secretKey, body: { channel: 'facebook', contact: { handle: 'private.pic', avatarUrl: `${base}/ig/me.jpg` }, text: 'Hi' } });
        assert.equal(res.status, 201);
        assert.equal(res.body.avatar.code, 'avatar_fetch_failed');
        assert.match(res.body.avatar.message, /private, loopback or link-local/);
      } finally {
        await strict.close();
      }
    });
  });
});
