import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { configureLog, defaultLogWrite } from '../log.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';
import { capturing, createLink, eventually, gate, hundredWrongTries, pdfDocument, wrongCode, type CapturingTransport } from '../test-share.js';
import { TransportError } from '../transports/transport.js';

/** All the database holds: SQLite's file and its WAL as bytes, or the text of every row of every PostgreSQL table. */
async function everythingStored(h: Harness): Promise<Buffer> {
  const { engine, db } = h.opened;
  if (engine.kind === 'sqlite') return Buffer.concat([readFileSync(engine.file), ...(existsSync(`${engine.file}-wal`) ? [readFileSync(`${engine.file}-wal`)] : [])]);
  const tables = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`.execute(db);
  const rows = await Promise.all(tables.rows.map(({ name }) => sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(db)));
  return Buffer.from(rows.flatMap((r) => r.rows.map((x) => x.row)).join('\n'));
}

const MIN = 60_000;

describe('share links: staff API', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let agent: string;
  let docId: string;
  before(async () => {
    h = await harness({ trustProxy: 1 }, capturing());
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    agent = (await ws.token('agent')).token;
    docId = await pdfDocument(h, owner);
  });
  after(() => h.close());

  it('creates a link with an unguessable slug, lists it per document with view counts, edits, disables and deletes it (audited)', async () => {
    const res = await h.call('POST', '/api/v1/share-links', { token: agent, body: { documentId: docId, name: 'For Acme', require: 'either', allowList: ['@Acme.com', '+1 415 555 2671'], denyList: ['boss@acme.com'] } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const link = res.body;
    assert.match(link.slug, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(link.slug, 'base64url').length, 16);
    assert.equal(link.path, `/s/${link.slug}`);
    assert.deepEqual([link.require, link.verifyOtp, link.allowDownload, link.expiresAt, link.status], ['either', true, false, null, 'active']);
    assert.deepEqual(link.allowList, ['@acme.com', '+14155552671']);
    const list = await h.call('GET', `/api/v1/share-links?documentId=${docId}`, { token: owner });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((l: any) => [l.id, l.views, l.viewers]), [[link.id, 0, 0]]);

    const patched = await h.call('PATCH', `/api/v1/share-links/${link.id}`, { token: owner, body: { name: 'Renamed', allowDownload: true, disabled: true } });
    assert.equal(patched.status, 200);
    assert.deepEqual([patched.body.name, patched.body.allowDownload, patched.body.status], ['Renamed', true, 'disabled']);
    const enabled = await h.call('PATCH', `/api/v1/share-links/${link.id}`, { token: owner, body: { disabled: false } });
    assert.equal(enabled.body.status, 'active');

    const bad = await h.call('POST', '/api/v1/share-links', { token: owner, body: { documentId: docId, denyList: ['not an entry'] } });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.details.field, 'denyList[0]');
    const past = await h.call('POST', '/api/v1/share-links', { token: owner, body: { documentId: docId, expiresAt: h.clock.now() - 1 } });
    assert.equal(past.status, 422);

    const del = await h.call('DELETE', `/api/v1/share-links/${link.id}`, { token: owner });
    assert.equal(del.status, 200);
    assert.equal((await h.call('GET', `/api/v1/share-links?documentId=${docId}`, { token: owner })).body.items.length, 0);
    assert.equal((await h.call('GET', `/api/v1/share-links/${link.id}`, { token: owner })).status, 404);

    const doc = await h.call('GET', `/api/v1/documents/${docId}`, { token: owner });
    const audit = await h.call('GET', `/api/v1/contacts/${doc.body.contactId}/audit`, { token: owner });
    const actions = audit.body.items.map((e: any) => e.action);
    for (const a of ['share_link.created', 'share_link.disabled', 'share_link.enabled', 'share_link.deleted']) assert.ok(actions.includes(a), a);
  });

  it('refuses other workspaces, unknown documents and missing credentials', async () => {
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    assert.equal((await h.call('POST', '/api/v1/share-links', { token: stranger, body: { documentId: docId } })).status, 404);
    assert.equal((await h.call('GET', `/api/v1/share-links?documentId=${docId}`, { token: stranger })).status, 404);
    assert.equal((await h.call('GET', `/api/v1/share-links?documentId=${docId}`)).status, 401);
  });

  it('lists every link the caller can see without a documentId (for table filters), scoped by workspace and assignment', async () => {
    const made = await h.call('POST', '/api/v1/share-links', { token: owner, body: { documentId: docId, name: 'Workspace-wide' } });
    const all = await h.call('GET', '/api/v1/share-links', { token: owner });
    assert.equal(all.status, 200);
    assert.ok(all.body.items.some((l: any) => l.id === made.body.id && l.documentId === docId));
    const other = await h.workspace();
    const stranger = (await other.token('owner')).token;
    assert.deepEqual((await h.call('GET', '/api/v1/share-links', { token: stranger })).body.items, []);
    const restricted = (await ws.token('agent', { externalId: 'share-restricted', restrictToAssigned: true })).token;
    assert.ok(!(await h.call('GET', '/api/v1/share-links', { token: restricted })).body.items.some((l: any) => l.id === made.body.id));
  });
});

describe('share links: the public gate', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let owner: string;
  let capture: CapturingTransport;
  let docId: string;
  let g: ReturnType<typeof gate>;
  before(async () => {
    const c = capturing();
    capture = c.capture;
    h = await harness({ trustProxy: 1 }, { transports: c.transports });
    ws = await h.workspace();
    owner = (await ws.token('owner')).token;
    docId = await pdfDocument(h, owner, 3);
    g = gate(h);
  });
  after(() => h.close());

  // The clock jumps hours ahead in these tests: mint a fresh staff token for each staff call.
  const staff = async () => (await ws.token('owner')).token;
  const newLink = async (body: Record<string, unknown> = {}) => createLink(h, await staff(), { documentId: docId, require: 'email', ...body });
  let n = 0;
  const email = (domain = 'example.com') => `viewer${++n}@${domain}`;

  it('tells a gated link only what the gate needs; unknown, disabled, expired and deleted links answer the same', async () => {
    const link = await newLink({ name: 'Secret plan', expiresAt: h.clock.now() + 60 * MIN });
    const info = await g.info(link.slug);
    assert.equal(info.status, 200);
    assert.deepEqual(info.body, { require: 'email', verifyOtp: true, codeLength: 6 });
    assert.equal(JSON.stringify(info.body).includes('Secret'), false);
    const open = await newLink({ require: 'none', name: 'Public brochure' });
    assert.equal((await g.info(open.slug)).body.name, 'Public brochure');

    const unknown = await g.info('AAAAAAAAAAAAAAAAAAAAAA');
    const disabled = await newLink();
    await h.call('PATCH', `/api/v1/share-links/${disabled.id}`, { token: await staff(), body: { disabled: true } });
    const deleted = await newLink();
    await h.call('DELETE', `/api/v1/share-links/${deleted.id}`, { token: await staff() });
    const answers = [unknown, await g.info(disabled.slug), await g.info(deleted.slug)];
    h.clock.advance(61 * MIN);
    answers.push(await g.info(link.slug));
    for (const a of answers) assert.deepEqual([a.status, a.body], [unknown.status, unknown.body]);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'link_unavailable');
  });

  it('sends a 6-digit code, verifies it once, and the viewer token opens the bytes with ranges', async () => {
    const link = await newLink();
    const who = email();
    const sent = await g.send(link.slug, who);
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    assert.deepEqual(sent.body, { sent: true, channel: 'email', cooldownSeconds: 30, expiresInSeconds: 600 });
    const code = capture.last(who)!.code;
    assert.match(code, /^\d{6}$/);
    const ok = await g.verify(link.slug, who, code);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.document.name, 'Proposal.pdf');
    assert.equal(ok.body.link.allowDownload, false);
    assert.ok(ok.body.expiresAt <= h.clock.now() + 24 * 60 * MIN);

    const full = await g.content(link.slug, ok.body.token);
    assert.equal(full.status, 200);
    assert.equal(full.headers.get('access-control-allow-origin'), '*');
    assert.equal(full.headers.get('access-control-allow-credentials'), null);
    assert.match(full.headers.get('content-disposition')!, /^inline/);
    assert.equal((await full.arrayBuffer()).byteLength > 500, true);
    const part = await g.content(link.slug, ok.body.token, { range: 'bytes=0-7' });
    assert.equal(part.status, 206);
    assert.equal(Buffer.from(await part.arrayBuffer()).toString('latin1'), '%PDF-1.4');

    const replay = await g.verify(link.slug, who, code);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error.code, 'code_used');
  });

  it('stores only an HMAC of the code: the plain code is nowhere in the database file', async () => {
    const link = await newLink();
    const who = email();
    await g.send(link.slug, who);
    const code = capture.last(who)!.code;
    const row = await h.opened.db.selectFrom('otp_challenges').selectAll().where('identifier', '=', who).executeTakeFirstOrThrow();
    assert.notEqual(row.code_hmac, code);
    assert.equal(row.code_hmac.length, 43);
    const bytes = await everythingStored(h);
    assert.ok(bytes.includes(Buffer.from(row.code_hmac)), 'the HMAC is stored');
    assert.equal(bytes.includes(Buffer.from(code)), false, 'the plain code is not');
    const outbox = await h.opened.db.selectFrom('outbox').selectAll().execute();
    assert.equal(outbox.length, 0, 'the capturing transport, not the outbox, was used');
  });

  it('expires a code after 10 minutes (injected clock)', async () => {
    const link = await newLink();
    const who = email();
    await g.send(link.slug, who);
    const code = capture.last(who)!.code;
    h.clock.advance(10 * MIN);
    const res = await g.verify(link.slug, who, code);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'code_expired');
    assert.match(res.body.error.message, /expired/);
  });

  it('counts wrong tries: "N tries left", then the code is dead even for the right digits', async () => {
    const link = await newLink();
    const who = email();
    await g.send(link.slug, who);
    const code = capture.last(who)!.code;
    for (let left = 4; left >= 1; left--) {
      const res = await g.verify(link.slug, who, wrongCode(code));
      assert.equal(res.body.error.code, 'code_wrong');
      assert.equal(res.body.error.details.triesLeft, left);
      assert.match(res.body.error.message, new RegExp(`${left} tr(y|ies) left`));
    }
    const fifth = await g.verify(link.slug, who, wrongCode(code));
    assert.equal(fifth.body.error.code, 'code_dead');
    const right = await g.verify(link.slug, who, code);
    assert.equal(right.body.error.code, 'code_dead');
  });

  it('checks at most 5 guesses of one code even when they arrive at once', async () => {
    const link = await newLink();
    const who = email();
    await g.send(link.slug, who);
    const code = capture.last(who)!.code;
    const answers = await Promise.all(Array.from({ length: 20 }, () => g.verify(link.slug, who, wrongCode(code))));
    assert.equal(answers.filter((a) => a.body.error.code === 'code_wrong').length, 4);
    assert.equal(answers.filter((a) => a.body.error.code === 'code_dead').length, 16);
    const row = await h.opened.db.selectFrom('otp_challenges').select('attempts').where('identifier', '=', who).executeTakeFirstOrThrow();
    assert.equal(row.attempts, 5);
    assert.equal((await g.verify(link.slug, who, code)).body.error.code, 'code_dead');
  });

  it('refuses a resend within 30 s with the cooldown; a resend replaces the previous code', async () => {
    const link = await newLink();
    const who = email();
    await g.send(link.slug, who);
    const first = capture.last(who)!.code;
    h.clock.advance(10_000);
    const soon = await g.send(link.slug, who);
    assert.equal(soon.status, 429);
    assert.equal(soon.body.error.code, 'resend_too_soon');
    assert.equal(soon.body.error.details.retryAfterSeconds, 20);
    assert.equal(soon.headers.get('retry-after'), '20');
    h.clock.advance(20_000);
    assert.equal((await g.send(link.slug, who)).status, 202);
    const second = capture.last(who)!.code;
    if (first !== second) {
      const old = await g.verify(link.slug, who, first);
      assert.equal(old.body.error.code, 'code_wrong');
    }
    assert.equal((await g.verify(link.slug, who, second)).status, 201);
  });

  it('caps sends at 5 per identifier per hour (across links)', async () => {
    const a = await newLink();
    const b = await newLink();
    const who = email();
    for (let i = 0; i < 5; i++) {
      assert.equal((await g.send(i % 2 ? a.slug : b.slug, who)).status, 202, `send ${i + 1}`);
      h.clock.advance(31_000);
    }
    const sixth = await g.send(a.slug, who);
    assert.equal(sixth.status, 429);
    assert.equal(sixth.body.error.code, 'too_many_codes');
    assert.ok(sixth.body.error.details.retryAfterSeconds > 3000);
    h.clock.advance(60 * MIN);
    assert.equal((await g.send(a.slug, who)).status, 202);
  });

  it("locks an identifier after 100 failed tries in a day, across the workspace's links", async () => {
    const links = [await newLink(), await newLink(), await newLink(), await newLink(), await newLink()];
    const link = links[0]!;
    const who = email();
    await hundredWrongTries(h, g, capture, links, who);
    const send = await g.send(link.slug, who);
    assert.equal(send.status, 429);
    assert.equal(send.body.error.code, 'identifier_locked');
    h.clock.advance(24 * 60 * MIN);
    assert.equal((await g.send(link.slug, who)).status, 202);
  });

  it('rate-limits sends and checks per IP', async () => {
    const h2 = await harness({ trustProxy: 1, share: { sendsPerIpPerHour: 3, checksPerIpPer10Min: 4 } }, capturing());
    try {
      const w = await h2.workspace();
      const t = (await w.token('owner')).token;
      const d = await pdfDocument(h2, t);
      const link = await createLink(h2, t, { documentId: d, require: 'email' });
      const g2 = gate(h2, '192.0.2.7');
      for (let i = 0; i < 3; i++) assert.equal((await g2.send(link.slug, `ip${i}@example.com`)).status, 202);
      const fourth = await g2.send(link.slug, 'ip9@example.com');
      assert.equal(fourth.status, 429);
      assert.equal(fourth.body.error.code, 'rate_limited');
      assert.equal((await gate(h2, '192.0.2.8').send(link.slug, 'ip9@example.com')).status, 202, 'another IP is not affected');
      for (let i = 0; i < 4; i++) await g2.verify(link.slug, 'ip0@example.com', '000000');
      assert.equal((await g2.verify(link.slug, 'ip0@example.com', '000000')).body.error.code, 'rate_limited');
    } finally {
      await h2.close();
    }
  });

  it('a code for link A never opens link B', async () => {
    const a = await newLink();
    const b = await newLink();
    const who = email();
    await g.send(a.slug, who);
    const code = capture.last(who)!.code;
    const onB = await g.verify(b.slug, who, code);
    assert.equal(onB.status, 400);
    assert.equal(onB.body.error.code, 'no_code');
    h.clock.advance(31_000);
    await g.send(b.slug, who);
    const codeB = capture.last(who)!.code;
    if (codeB !== code) assert.equal((await g.verify(b.slug, who, code)).body.error.code, 'code_wrong');
    assert.equal((await g.verify(a.slug, who, code)).status, 201);
  });

  it('allow and deny lists with @domain: refused addresses get the same answer and nothing is sent', async () => {
    const link = await newLink({ allowList: ['@acme.com', 'friend@gmail.com'], denyList: ['@ex.acme.com', 'boss@acme.com'] });
    const before = capture.sent.length;
    const t0 = performance.now();
    const allowed = await g.send(link.slug, 'ann@sales.acme.com');
    const t1 = performance.now();
    const refused = [await g.send(link.slug, 'boss@acme.com'), await g.send(link.slug, 'x@ex.acme.com'), await g.send(link.slug, 'stranger@gmail.com')];
    const t2 = performance.now();
    assert.equal(allowed.status, 202);
    for (const r of refused) assert.deepEqual([r.status, r.body], [allowed.status, allowed.body]);
    assert.deepEqual(capture.sent.slice(before).map((m) => m.to), ['ann@sales.acme.com']);
    assert.ok((t2 - t1) / 3 < (t1 - t0) + 100, 'refused sends take about as long');
    // A refused address cannot pass with any code.
    assert.equal((await g.verify(link.slug, 'boss@acme.com', '123456')).body.error.code, 'code_wrong');

    const open = await newLink({ verifyOtp: false, denyList: ['@evil.com'] });
    const denied = await g.open(open.slug, { channel: 'email', identifier: 'mallory@evil.com' });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'access_denied');
    assert.equal((await g.open(open.slug, { channel: 'email', identifier: 'alice@good.com' })).status, 201);
  });

  it('reports a transport failure as retryable when the code is verified, logs it, and sends nothing pretend', async () => {
    const link = await newLink();
    const who = email();
    capture.failNext = new TransportError('SMTP down');
    const errors: string[] = [];
    configureLog({ write: (line, level) => level === 'error' && errors.push(line) });
    // The answer does not wait for the delivery (its timing would tell allowed from refused addresses).
    const res = await g.send(link.slug, who);
    assert.equal(res.status, 202);
    await eventually(async () => (await h.opened.db.selectFrom('otp_challenges').select('delivery_failed').where('identifier', '=', who).executeTakeFirst())?.delivery_failed === 'retryable', 'the failure recorded').finally(() => configureLog({ write: defaultLogWrite }));
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /code delivery failed.*SMTP down/);
    const verify = await g.verify(link.slug, who, '123456');
    assert.equal(verify.status, 503);
    assert.equal(verify.body.error.code, 'delivery_failed');
    assert.equal(verify.body.error.details.retryable, true);
    assert.equal((await g.send(link.slug, who)).status, 202, 'a retry is not held by the cooldown');
    const code = capture.last(who)!.code;
    assert.equal((await g.verify(link.slug, who, code)).status, 201);
  });

  it('enforces the download flag on the server and records the download', async () => {
    const no = await newLink({ require: 'none' });
    const t1 = (await g.open(no.slug)).body.token;
    const refused = await g.content(no.slug, t1, { download: true });
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as any).error.code, 'download_not_allowed');
    const yes = await newLink({ require: 'none', allowDownload: true });
    const opened = (await g.open(yes.slug)).body;
    const dl = await g.content(yes.slug, opened.token, { download: true });
    assert.equal(dl.status, 200);
    assert.match(dl.headers.get('content-disposition')!, /^attachment/);
    await dl.arrayBuffer();
    const view = await h.opened.db.selectFrom('link_views').selectAll().where('id', '=', opened.viewId).executeTakeFirstOrThrow();
    assert.equal(view.downloaded, 1);
    assert.equal(view.contact_id, null);
  });

  it('scopes viewer tokens to one link; staff tokens and no token read nothing; tokens end with the link', async () => {
    const a = await newLink({ require: 'none', expiresAt: h.clock.now() + 2 * 60 * MIN });
    const b = await newLink({ require: 'none' });
    const tokenA = (await g.open(a.slug)).body.token;
    const cross = await g.content(b.slug, tokenA);
    assert.equal(cross.status, 403);
    assert.equal(((await cross.json()) as any).error.code, 'viewer_token_scope');
    assert.equal((await g.content(b.slug, await staff())).status, 401);
    assert.equal((await h.app.request(`/api/v1/public/share/${b.slug}/content`)).status, 401);
    assert.equal((await g.content(a.slug, tokenA)).status, 200);
    h.clock.advance(2 * 60 * MIN);
    assert.equal((await g.content(a.slug, tokenA)).status, 401, 'expired with the link');
    const c = await newLink({ require: 'none' });
    const tokenC = (await g.open(c.slug)).body.token;
    await h.call('PATCH', `/api/v1/share-links/${c.id}`, { token: await staff(), body: { disabled: true } });
    assert.equal((await g.content(c.slug, tokenC)).status, 404, 'disabled links stop serving at once');
    await h.call('PATCH', `/api/v1/share-links/${c.id}`, { token: await staff(), body: { disabled: false } });
    h.clock.advance(24 * 60 * MIN);
    assert.equal((await g.content(c.slug, tokenC)).status, 401, 'a token lives 24 h at most');
  });

  it('records view reports (duration, pages, downloaded), also with the token in a beacon body', async () => {
    const link = await newLink({ require: 'none' });
    const opened = (await g.open(link.slug)).body;
    h.clock.advance(90_000);
    const r1 = await h.call('POST', `/api/v1/public/share/${link.slug}/report`, { token: opened.token, body: { durationMs: 30_000, pages: [1, 2] } });
    assert.equal(r1.status, 200);
    await h.call('POST', `/api/v1/public/share/${link.slug}/report`, { body: { token: opened.token, durationMs: 60_000, pages: [2, 3] } });
    const view = await h.opened.db.selectFrom('link_views').selectAll().where('id', '=', opened.viewId).executeTakeFirstOrThrow();
    assert.deepEqual([view.duration_ms, JSON.parse(view.pages_seen)], [60_000, [1, 2, 3]]);
    assert.equal((await h.call('POST', `/api/v1/public/share/${link.slug}/report`, { body: { durationMs: 1 } })).status, 401);
  });

  it('answers CORS preflights from any origin without credentials, and serves the share page', async () => {
    const link = await newLink();
    const pre = await h.app.request(`/api/v1/public/share/${link.slug}/send-code`, { method: 'OPTIONS', headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'POST' } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.equal(pre.headers.get('access-control-allow-credentials'), null);
    const page = await h.app.request(`/s/${link.slug}`);
    assert.equal(page.status, 200);
    const text = await page.text();
    assert.match(text, /<link rel="icon" href="data:,">/);
    assert.match(text, new RegExp(`<share-viewer slug="${link.slug}" base-url="http://localhost"`));
    assert.match(text, /\/dist\/elements\/share-viewer\.js/);
  });

  it('serves the share page in the viewer’s language (Accept-Language), Arabic right-to-left, else English', async () => {
    const link = await newLink();
    const head = async (acceptLanguage?: string) => /<html[^>]*>/.exec(await (await h.app.request(`/s/${link.slug}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} })).text())![0];
    assert.equal(await head('de-DE,de;q=0.9,en;q=0.8'), '<html lang="de-DE">');
    assert.equal(await head('ja-JP,ja;q=0.9,fr;q=0.5'), '<html lang="fr">');
    assert.equal(await head('ar-AE'), '<html lang="ar-AE" dir="rtl">');
    assert.equal(await head('ja'), '<html lang="en">');
    assert.equal(await head(), '<html lang="en">');
    assert.equal(await head('"><script>'), '<html lang="en">');
  });
});

describe('share links: viewers become contacts', () => {
  let h: Harness;
  let owner: string;
  let capture: CapturingTransport;
  let docA: string;
  let docB: string;
  let g: ReturnType<typeof gate>;
  before(async () => {
    const c = capturing();
    capture = c.capture;
    h = await harness({ trustProxy: 1 }, { transports: c.transports });
    const ws = await h.workspace();
    owner = (await ws.token('owner', { ttlSeconds: 86_400 })).token;
    docA = await pdfDocument(h, owner, 2, 'A.pdf');
    docB = await pdfDocument(h, owner, 2, 'B.pdf');
    g = gate(h);
  });
  after(() => h.close());

  const pass = async (slug: string, who: string) => {
    const s = await g.send(slug, who);
    assert.equal(s.status, 202, JSON.stringify(s.body));
    const v = await g.verify(slug, who, capture.last(who)!.code);
    assert.equal(v.status, 201, JSON.stringify(v.body));
    h.clock.advance(31_000);
    return v.body;
  };

  it('makes one contact of a new viewer who opens a link in several tabs at once', async () => {
    // On PostgreSQL the opens run in parallel; each must find the contact another is creating.
    const link = await createLink(h, owner, { documentId: docA, require: 'email', verifyOtp: false, name: 'Burst' });
    const opened = await Promise.all(Array.from({ length: 5 }, () => gate(h).open(link.slug, { channel: 'email', identifier: 'burst@example.com' })));
    assert.deepEqual(opened.map((r) => r.status), [201, 201, 201, 201, 201]);
    assert.equal(new Set(opened.map((r) => r.body.contactId)).size, 1, 'one contact');
  });

  it('consolidates one viewer across sessions and links; finds existing contacts and marks them verified', async () => {
    const l1 = await createLink(h, owner, { documentId: docA, require: 'email', name: 'Link one' });
    const l2 = await createLink(h, owner, { documentId: docB, require: 'either', name: 'Link two' });
    const first = await pass(l1.slug, 'Zoe@Example.com'.toLowerCase());
    const second = await pass(l1.slug, 'zoe@example.com');
    const third = await pass(l2.slug, 'zoe@example.com');
    assert.equal(first.contactId, second.contactId);
    assert.equal(first.contactId, third.contactId);
    const contact = (await h.call('GET', `/api/v1/contacts/${first.contactId}`, { token: owner })).body;
    assert.equal(contact.source, 'share-link');
    assert.deepEqual(contact.emails.map((e: any) => [e.value, e.verified]), [['zoe@example.com', true]]);
    assert.equal(contact.accessCount, 3);
    assert.equal(contact.lastAccessedAt, h.clock.now() - 31_000);
    const links = await h.opened.db.selectFrom('share_link_contacts').selectAll().where('contact_id', '=', first.contactId).orderBy('first_at').execute();
    assert.deepEqual(links.map((l) => [l.link_id, l.view_count, l.channel]), [[l1.id, 2, 'email'], [l2.id, 1, 'email']]);
    const audit = (await h.call('GET', `/api/v1/contacts/${first.contactId}/audit`, { token: owner })).body.items;
    assert.equal(audit.filter((e: any) => e.action === 'share_link.viewed').length, 3);
    assert.equal(audit.find((e: any) => e.action === 'share_link.viewed').actor.type, 'viewer');
    const activities = await h.opened.db.selectFrom('activities').selectAll().where('contact_id', '=', first.contactId).execute();
    assert.equal(activities.length, 3);
    assert.equal(activities[0]!.summary, 'Viewed "A.pdf" via "Link one"');
    const list = (await h.call('GET', `/api/v1/share-links?documentId=${docA}`, { token: owner })).body.items;
    assert.deepEqual([list[0].views, list[0].viewers], [2, 1]);

    // A contact staff created earlier is found by its email and gets it verified.
    const staff = (await h.call('POST', '/api/v1/contacts', { token: owner, body: { firstName: 'Known', emails: [{ value: 'known@example.com' }] } })).body;
    assert.equal((await pass(l1.slug, 'known@example.com')).contactId, staff.id);
    assert.equal((await h.call('GET', `/api/v1/contacts/${staff.id}`, { token: owner })).body.emails[0].verified, true);

    // WhatsApp viewers by E.164, whatever spacing they typed; no code → not verified.
    const wa = await createLink(h, owner, { documentId: docB, require: 'whatsapp', verifyOtp: false, name: 'WA' });
    const o1 = await g.open(wa.slug, { channel: 'whatsapp', identifier: '+44 7911 123456' });
    const o2 = await g.open(wa.slug, { channel: 'whatsapp', identifier: '+447911123456' });
    assert.equal(o1.status, 201, JSON.stringify(o1.body));
    assert.equal(o1.body.contactId, o2.body.contactId);
    const waContact = (await h.call('GET', `/api/v1/contacts/${o1.body.contactId}`, { token: owner })).body;
    assert.deepEqual(waContact.phones.map((p: any) => [p.value, p.verified]), [['+447911123456', false]]);
    assert.equal(waContact.accessCount, 2);
  });

  it('filters and sorts viewers in the contact table, ships a "Viewers" view, exports the counters', async () => {
    const l = await createLink(h, owner, { documentId: docA, require: 'email', name: 'Filter link' });
    await pass(l.slug, 'amy@example.com');
    await pass(l.slug, 'amy@example.com');
    await pass(l.slug, 'bob@example.com');
    const query = async (body: Record<string, unknown>) => {
      const res = await h.call('POST', '/api/v1/contacts/query', { token: owner, body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items.map((c: any) => c.name) as string[];
    };
    assert.deepEqual(await query({ filter: { field: 'shareLink', op: 'is_any', value: [l.id] }, sort: { field: 'lastAccessedAt', dir: 'desc' } }), ['bob@example.com', 'amy@example.com']);
    assert.deepEqual(await query({ filter: { field: 'shareLink', op: 'is_any', value: [l.id] }, sort: { field: 'accessCount', dir: 'desc' } }), ['amy@example.com', 'bob@example.com']);
    const emailViewers = await query({ filter: { field: 'viewerType', op: 'is', value: 'email' } });
    const waViewers = await query({ filter: { field: 'viewerType', op: 'is', value: 'whatsapp' } });
    // A WhatsApp viewer is named by their number as people read it (international: not the workspace's region).
    assert.ok(emailViewers.includes('amy@example.com') && !emailViewers.includes('+44 7911 123456'));
    assert.deepEqual(waViewers, ['+44 7911 123456']);
    const byDoc = await query({ filter: { field: 'document', op: 'is_any', value: [docB] } });
    assert.deepEqual(byDoc.sort(), ['+44 7911 123456', 'zoe@example.com']);
    assert.deepEqual(await query({ filter: { and: [{ field: 'accessCount', op: 'gt', value: 1 }, { field: 'shareLink', op: 'is_any', value: [l.id] }] } }), ['amy@example.com']);
    const recent = await query({ filter: { field: 'lastAccessedAt', op: 'newer_than', value: { amount: 40, unit: 'minutes' } } });
    assert.ok(recent.includes('bob@example.com'));
    assert.ok(!(await query({ filter: { field: 'shareLink', op: 'is_empty' } })).includes('amy@example.com'));

    const views = (await h.call('GET', '/api/v1/views', { token: owner })).body.items;
    const viewers = views.find((v: any) => v.name === 'Viewers');
    assert.ok(viewers, 'the Viewers view ships with the workspace');
    assert.deepEqual(viewers.definition.sort, { field: 'lastAccessedAt', dir: 'desc' });
    const viaView = await query({ filter: viewers.definition.filter, sort: viewers.definition.sort });
    assert.equal(viaView[0], 'bob@example.com');
    assert.ok(!viaView.includes('Owner of A.pdf'));

    const exp = await h.call('POST', '/api/v1/contacts/export', { token: owner, body: { filter: { field: 'shareLink', op: 'is_any', value: [l.id] }, sort: { field: 'accessCount', dir: 'desc' }, columns: ['email', 'accessCount', 'lastAccessedAt'] } });
    assert.equal(exp.status, 201, JSON.stringify(exp.body));
    const csv = await (await h.app.request(exp.body.url)).text();
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'Email,Access count,Last accessed');
    assert.match(lines[1]!, /^amy@example\.com,2,\d{4}-/);
  });

  it('a contact merge carries the views and adds up the counters; unmerge gives them back', async () => {
    const l1 = await createLink(h, owner, { documentId: docA, require: 'email', name: 'Merge one' });
    const l2 = await createLink(h, owner, { documentId: docB, require: 'email', name: 'Merge two' });
    const a = await pass(l1.slug, 'merge.a@example.com');
    const b1 = await pass(l2.slug, 'merge.b@example.com');
    await pass(l2.slug, 'merge.b@example.com');
    const byLink = async (id: string) =>
      ((await h.call('POST', '/api/v1/contacts/query', { token: owner, body: { filter: { field: 'shareLink', op: 'is_any', value: [id] } } })).body.items as { id: string }[]).map((c) => c.id);
    const merged = await h.call('POST', '/api/v1/contacts/merge', { token: owner, body: { survivorId: a.contactId, mergedIds: [b1.contactId] } });
    assert.equal(merged.status, 201, JSON.stringify(merged.body));
    assert.deepEqual(await byLink(l2.id), [a.contactId]);
    const survivor = (await h.call('GET', `/api/v1/contacts/${a.contactId}`, { token: owner })).body;
    assert.equal(survivor.accessCount, 3);
    const undone = await h.call('POST', `/api/v1/merges/${merged.body.mergeId}/unmerge`, { token: owner });
    assert.equal(undone.status, 200, JSON.stringify(undone.body));
    assert.deepEqual(await byLink(l2.id), [b1.contactId]);
    assert.equal((await h.call('GET', `/api/v1/contacts/${a.contactId}`, { token: owner })).body.accessCount, 1);
    assert.equal((await h.call('GET', `/api/v1/contacts/${b1.contactId}`, { token: owner })).body.accessCount, 2);
  });
});

describe('transports', () => {
  it('delivers codes by SMTP to a real in-process SMTP server, and a refusing server is a retryable 503', async () => {
    const { SMTPServer } = await import('smtp-server');
    const { SmtpTransport } = await import('../transports/smtp.js');
    const received: { to: string[]; raw: string }[] = [];
    let refuse = false;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, cb) {
        if (refuse) return cb(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
        cb();
      },
      onData(stream, session, cb) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString()));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          cb();
        });
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.server.address() as { port: number }).port;
    const smtp = new SmtpTransport({ url: `smtp://127.0.0.1:${port}`, from: 'Dossier <codes@dossier.test>' });
    const h = await harness({ trustProxy: 1 }, { transports: { email: smtp, whatsapp: smtp } });
    try {
      const ws = await h.workspace();
      const owner = (await ws.token('owner')).token;
      const doc = await pdfDocument(h, owner);
      const link = await createLink(h, owner, { documentId: doc, require: 'email', name: 'Quarterly report' });
      const g = gate(h);
      assert.equal((await g.send(link.slug, 'mail@example.com')).status, 202);
      await eventually(() => received.length === 1, 'the email');
      assert.deepEqual(received[0]!.to, ['mail@example.com']);
      const code = /is your code/.test(received[0]!.raw) ? /(\d{6}) is your code/.exec(received[0]!.raw)![1]! : '';
      assert.match(code, /^\d{6}$/);
      assert.match(received[0]!.raw, /From: Dossier <codes@dossier\.test>/);
      assert.equal((await g.verify(link.slug, 'mail@example.com', code)).status, 201);

      refuse = true;
      configureLog({ write: () => undefined });
      assert.equal((await g.send(link.slug, 'other@example.com')).status, 202);
      const challenge = () => h.opened.db.selectFrom('otp_challenges').select('delivery_failed').where('identifier', '=', 'other@example.com').executeTakeFirst();
      await eventually(async () => (await challenge())?.delivery_failed === 'retryable', 'the refused delivery').finally(() => configureLog({ write: defaultLogWrite }));
      const failed = await g.verify(link.slug, 'other@example.com', '123456');
      assert.equal(failed.status, 503);
      assert.equal(failed.body.error.details.retryable, true);
    } finally {
      smtp.close();
      await h.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('delivers codes by the WhatsApp Cloud API (template body and bearer token checked by a fake Graph API)', async () => {
    const { createServer } = await import('node:http');
    const { WhatsAppTransport } = await import('../transports/whatsapp.js');
    const requests: { url: string; auth: string | undefined; body: any }[] = [];
    let status = 200;
    const graph = createServer((req, res) => {
      let raw = '';
      req.on('data', (d: Buffer) => (raw += d));
      req.on('end', () => {
        requests.push({ url: req.url!, auth: req.headers.authorization, body: JSON.parse(raw) });
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? JSON.stringify({ messaging_product: 'whatsapp', messages: [{ id: 'wamid.1' }] }) : JSON.stringify({ error: { message: 'boom' } }));
      });
    });
    await new Promise<void>((r) => graph.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(graph.address() as { port: number }).port}/v21.0`;
    const wa = new WhatsAppTransport({ token: 'EAAG-test-token', phoneNumberId: '1098765', template: 'dossier_code', apiBase: base });
    const h = await harness({ trustProxy: 1 }, { transports: { email: wa, whatsapp: wa } });
    try {
      const ws = await h.workspace();
      const owner = (await ws.token('owner')).token;
      const doc = await pdfDocument(h, owner);
      const link = await createLink(h, owner, { documentId: doc, require: 'whatsapp' });
      const g = gate(h);
      const sent = await g.send(link.slug, '+1 (415) 555-2671');
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      await eventually(() => requests.length === 1, 'the Graph API call');
      const r = requests[0]!;
      assert.equal(r.url, '/v21.0/1098765/messages');
      assert.equal(r.auth, 'Bearer EAAG-test-token');
      assert.equal(r.body.messaging_product, 'whatsapp');
      assert.equal(r.body.to, '14155552671');
      assert.equal(r.body.type, 'template');
      assert.equal(r.body.template.name, 'dossier_code');
      const code = r.body.template.components[0].parameters[0].text as string;
      assert.match(code, /^\d{6}$/);
      assert.equal(r.body.template.components[1].parameters[0].text, code);
      const ok = await g.verify(link.slug, '+14155552671', code);
      assert.equal(ok.status, 201, JSON.stringify(ok.body));

      status = 500;
      configureLog({ write: () => undefined });
      assert.equal((await g.send(link.slug, '+14155552672')).status, 202);
      const challenge = () => h.opened.db.selectFrom('otp_challenges').select('delivery_failed').where('identifier', '=', '+14155552672').executeTakeFirst();
      await eventually(async () => ((await challenge())?.delivery_failed ?? null) !== null, 'the failed delivery').finally(() => configureLog({ write: defaultLogWrite }));
      const failed = await g.verify(link.slug, '+14155552672', '123456');
      assert.equal(failed.status, 503);
      assert.equal(failed.body.error.code, 'delivery_failed');
    } finally {
      await h.close();
      await new Promise<void>((r) => graph.close(() => r()));
    }
  });

  it('the dev outbox stores the message and logs it', async () => {
    const h = await harness({ trustProxy: 1 });
    try {
      const ws = await h.workspace();
      const owner = (await ws.token('owner')).token;
      const doc = await pdfDocument(h, owner);
      const link = await createLink(h, owner, { documentId: doc, require: 'email' });
      const lines: string[] = [];
      configureLog({ write: (line) => lines.push(line) });
      const res = await gate(h).send(link.slug, 'dev@example.com');
      assert.equal(res.status, 202);
      await eventually(async () => (await h.opened.db.selectFrom('outbox').select('id').execute()).length > 0, 'the outbox row').finally(() => configureLog({ write: defaultLogWrite }));
      const rows = await h.opened.db.selectFrom('outbox').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.to_address, 'dev@example.com');
      const code = /(\d{6}) is your code/.exec(rows[0]!.subject)![1]!;
      assert.ok(lines.some((l) => l.includes('dev@example.com') && l.includes(code)));
      assert.equal((await gate(h).verify(link.slug, 'dev@example.com', code)).status, 201);
    } finally {
      await h.close();
    }
  });
});
