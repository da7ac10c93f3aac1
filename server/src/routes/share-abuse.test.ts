// The share gate's abuse limits, scoped so they hold without locking out the innocent: per workspace, per link, per
// client address (behind proxies: the right-most untrusted hop), plus revocation of viewer tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppConfig } from '../deps.js';
import type { OtpMessage, Transport } from '../transports/transport.js';
import { CapturingTransport, capturing, createLink, gate, hundredWrongTries, pdfDocument, wrongCode } from '../test-share.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';

const MIN = 60_000;

async function setup(config: AppConfig = {}, transport: Transport = new CapturingTransport()) {
  const h = await harness({ trustProxy: 1, ...config }, { transports: { email: transport, whatsapp: transport } });
  const ws = await h.workspace();
  const owner = (await ws.token('owner')).token;
  const docId = await pdfDocument(h, owner);
  return { h, ws, owner, docId, link: (body: Record<string, unknown> = {}) => createLink(h, owner, { documentId: docId, require: 'email', ...body }) };
}

describe('share gate: counters per workspace and per link', () => {
  let h: Harness;
  let capture: CapturingTransport;
  let a: { ws: TestWorkspace; owner: string; docId: string };
  let b: { ws: TestWorkspace; owner: string; docId: string };
  before(async () => {
    const c = capturing();
    capture = c.capture;
    h = await harness({ trustProxy: 1 }, { transports: c.transports });
    for (const which of ['a', 'b'] as const) {
      const ws = await h.workspace();
      const owner = (await ws.token('owner')).token;
      const docId = await pdfDocument(h, owner);
      if (which === 'a') a = { ws, owner, docId };
      else b = { ws, owner, docId };
    }
  });
  after(() => h.close());
  const staff = async (w: typeof a) => (await w.ws.token('owner')).token;
  const linkOf = async (w: typeof a, body: Record<string, unknown> = {}) => createLink(h, await staff(w), { documentId: w.docId, require: 'email', ...body });

  it("another workspace's links — even one that deny-lists the address — never lock it out here", async () => {
    const g = gate(h);
    const who = 'alice@example.com';
    const denying = await linkOf(b, { denyList: [who] });
    for (let i = 0; i < 5; i++) {
      assert.equal((await g.send(denying.slug, who)).status, 202);
      h.clock.advance(31_000);
    }
    // A refused address hits the same cap an allowed one would (so the answers look alike)…
    assert.equal((await g.send(denying.slug, who)).body.error.code, 'too_many_codes');
    // …but nothing was sent, so nothing counts anywhere else: not on another link of B, not in A.
    const otherInB = await linkOf(b);
    assert.equal((await g.send(otherInB.slug, who)).status, 202);
    const inA = await linkOf(a);
    const before = capture.sent.length;
    assert.equal((await g.send(inA.slug, who)).status, 202);
    assert.deepEqual(capture.sent.slice(before).map((m) => m.to), [who]);
  });

  it('real sends cap at 5 per address per hour within a workspace, not across workspaces', async () => {
    const g = gate(h);
    const who = 'bob@example.com';
    const inB = [await linkOf(b), await linkOf(b)];
    for (let i = 0; i < 5; i++) {
      assert.equal((await g.send(inB[i % 2]!.slug, who)).status, 202);
      h.clock.advance(31_000);
    }
    assert.equal((await g.send(inB[0]!.slug, who)).body.error.code, 'too_many_codes');
    assert.equal((await g.send((await linkOf(a)).slug, who)).status, 202, 'workspace A is not affected');
  });

  it('sends that arrive at once pass the resend cooldown and the hourly cap once (PostgreSQL runs them in parallel)', async () => {
    const who = 'dave@example.com';
    const one = await linkOf(b);
    const same = await Promise.all(Array.from({ length: 8 }, () => gate(h).send(one.slug, who)));
    assert.deepEqual(same.map((r) => r.status).sort(), [202, 429, 429, 429, 429, 429, 429, 429]);
    const links = await Promise.all(Array.from({ length: 8 }, () => linkOf(b)));
    h.clock.advance(31_000);
    const spread = await Promise.all(links.map((l) => gate(h).send(l.slug, who)));
    assert.equal(spread.filter((r) => r.status === 202).length, 4, 'one code was sent already; the cap is 5 an hour');
    assert.ok(spread.every((r) => r.status === 202 || r.body.error.code === 'too_many_codes'));
  });

  it("100 failed tries lock an address in that workspace only", async () => {
    const g = gate(h);
    const who = 'carol@example.com';
    const links = await Promise.all(Array.from({ length: 5 }, () => linkOf(b)));
    await hundredWrongTries(h, g, capture, links, who);
    assert.equal((await g.send(links[0]!.slug, who)).body.error.code, 'identifier_locked');
    const inA = await linkOf(a);
    assert.equal((await g.send(inA.slug, who)).status, 202, 'workspace A still sends codes');
    assert.equal((await g.verify(inA.slug, who, capture.last(who)!.code)).status, 201);
  });
});

describe('share gate: guessing with rotating addresses and IPs', () => {
  it('checks at most 100 wrong codes per link per hour, then refuses even the right one while it cools down', async () => {
    const capture = new CapturingTransport();
    const { h, link } = await setup({}, capture);
    try {
      const target = await link({ allowList: ['@acme.com'] });
      const victims = Array.from({ length: 120 }, (_, i) => `user${i}@acme.com`);
      const g = gate(h);
      for (const who of victims) assert.equal((await g.send(target.slug, who)).status, 202);
      const codes = new Map(victims.map((who) => [who, capture.last(who)!.code]));
      // 600 wrong guesses (5 per address) from 8 addresses, all at once.
      const ips = Array.from({ length: 8 }, (_, i) => gate(h, `198.51.100.${i + 1}`));
      const answers = await Promise.all(victims.flatMap((who, i) => Array.from({ length: 5 }, (_, k) => ips[(i * 5 + k) % 8]!.verify(target.slug, who, wrongCode(codes.get(who)!)))));
      const compared = await h.opened.db.selectFrom('otp_challenges').select((eb) => eb.fn.sum<number>('attempts').as('n')).where('link_id', '=', target.id).executeTakeFirstOrThrow();
      assert.ok(Number(compared.n) <= 100, `${compared.n} codes were compared`);
      const refused = answers.filter((r) => r.status === 429);
      assert.ok(refused.length >= 500, `${refused.length} refused`);
      assert.ok(refused.some((r) => r.body.error.code === 'link_cooling_down'));
      const lucky = victims[119]!;
      const during = await gate(h).verify(target.slug, lucky, codes.get(lucky)!);
      assert.equal(during.status, 429);
      assert.equal(during.body.error.code, 'link_cooling_down');
      assert.ok(during.body.error.details.retryAfterSeconds > 60, 'a cool-down of 15 minutes');
      assert.equal((await gate(h).send(target.slug, lucky)).body.error.code, 'link_cooling_down');
    } finally {
      await h.close();
    }
  });

  it('after the cool-down the old codes are void: a fresh code opens the link', async () => {
    const capture = new CapturingTransport();
    const { h, link } = await setup({ share: { failuresPerLinkPerHour: 3, linkCooldownMs: 2000 } }, capture);
    try {
      const target = await link();
      const g = gate(h);
      const [who, other] = ['first@example.com', 'second@example.com'];
      await g.send(target.slug, who);
      await g.send(target.slug, other);
      const code = capture.last(who)!.code;
      for (let i = 0; i < 3; i++) assert.equal((await g.verify(target.slug, other, '000000')).status, 400);
      assert.equal((await g.verify(target.slug, who, code)).body.error.code, 'link_cooling_down', 'the budget is spent');
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal((await g.verify(target.slug, who, code)).body.error.code, 'no_code', 'the code sent before is void');
      h.clock.advance(31_000);
      assert.equal((await g.send(target.slug, who)).status, 202);
      assert.equal((await g.verify(target.slug, who, capture.last(who)!.code)).status, 201);
    } finally {
      await h.close();
    }
  });

  it('counts every check of one address against it, whichever address and link it guesses for', async () => {
    const capture = new CapturingTransport();
    const { h, link } = await setup({ share: { checksPerIpPer10Min: 10 } }, capture);
    try {
      const links = [await link(), await link()];
      const one = gate(h, '203.0.113.9');
      for (let i = 0; i < 6; i++) await gate(h).send(links[i % 2]!.slug, `p${i}@example.com`);
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => one.verify(links[i % 2]!.slug, `p${i % 6}@example.com`, '000000')));
      assert.equal(answers.filter((r) => r.status !== 429).length, 10);
      assert.ok(answers.filter((r) => r.status === 429).every((r) => r.body.error.code === 'rate_limited'));
    } finally {
      await h.close();
    }
  });
});

describe('share gate: opening without a code', () => {
  it('limits opens per address and per link, and keeps one contact per identifier', async () => {
    const { h, link } = await setup();
    try {
      const open = await link({ verifyOtp: false });
      const contacts = async () => Number((await h.opened.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'share-link').executeTakeFirstOrThrow()).n);
      const one = gate(h, '192.0.2.44');
      const fromOne = await Promise.all(Array.from({ length: 100 }, (_, i) => one.open(open.slug, { channel: 'email', identifier: `lead${i}@example.com` })));
      assert.equal(fromOne.filter((r) => r.status === 201).length, 30, 'per address: 30 per 10 minutes');
      assert.ok(fromOne.filter((r) => r.status === 429).every((r) => r.body.error.code === 'rate_limited' && r.headers.get('retry-after')), JSON.stringify(fromOne.find((r) => r.status === 429)?.body));
      const fromMany = await Promise.all(Array.from({ length: 400 }, (_, i) => gate(h).open(open.slug, { channel: 'email', identifier: `many${i}@example.com` })));
      assert.equal(fromMany.filter((r) => r.status === 201).length, 300 - 30, 'per link: 300 an hour');
      assert.equal(await contacts(), 300);

      const other = await link({ verifyOtp: false });
      const same = await Promise.all(Array.from({ length: 20 }, () => gate(h).open(other.slug, { channel: 'email', identifier: 'Same.Person@example.com' })));
      assert.ok(same.every((r) => r.status === 201));
      assert.equal(new Set(same.map((r) => r.body.contactId)).size, 1, 'one contact per identifier');
      assert.equal(await contacts(), 301);
    } finally {
      await h.close();
    }
  });
});

describe('share gate: timing', () => {
  it('answers send-code without waiting for the delivery, for allowed and refused addresses alike', async () => {
    class SlowTransport extends CapturingTransport {
      override async send(m: OtpMessage) {
        await new Promise((r) => setTimeout(r, 1000));
        await super.send(m);
      }
    }
    const slow = new SlowTransport();
    const { h, link } = await setup({}, slow);
    try {
      const target = await link({ allowList: ['@allowed.com'] });
      const g = gate(h);
      await g.send(target.slug, 'warmup@allowed.com'); // first call pays for prepared statements
      const time = async (who: string) => {
        const t0 = performance.now();
        // Not g.send: it waits for the delivery.
        const res = await h.call('POST', `/api/v1/public/share/${target.slug}/send-code`, { body: { channel: 'email', identifier: who } });
        assert.equal(res.status, 202);
        return performance.now() - t0;
      };
      const allowed = [await time('a1@allowed.com'), await time('a2@allowed.com'), await time('a3@allowed.com')];
      const refused = [await time('r1@other.com'), await time('r2@other.com'), await time('r3@other.com')];
      for (const ms of [...allowed, ...refused]) assert.ok(ms < 600, `answered in ${Math.round(ms)} ms (the delivery takes 1,000 ms)`);
      await new Promise((r) => setTimeout(r, 1200));
      assert.deepEqual(slow.sent.map((m) => m.to).sort(), ['a1@allowed.com', 'a2@allowed.com', 'a3@allowed.com', 'warmup@allowed.com']);
    } finally {
      await h.close();
    }
  });
});

describe('share gate: proxies', () => {
  it('counts the right-most address a trusted proxy saw, not what the client put in X-Forwarded-For', async () => {
    const { h, link } = await setup({ trustProxy: 1, share: { sendsPerIpPerHour: 3 } });
    try {
      const target = await link();
      const send = (i: number, forwarded: string) =>
        h.call('POST', `/api/v1/public/share/${target.slug}/send-code`, { body: { channel: 'email', identifier: `x${i}@example.com` }, headers: { 'x-forwarded-for': forwarded } });
      // The client forges a different first hop each time; the proxy appends the real address.
      for (let i = 0; i < 3; i++) assert.equal((await send(i, `10.9.9.${i}, 192.0.2.50`)).status, 202);
      const fourth = await send(3, '10.9.9.3, 192.0.2.50');
      assert.equal(fourth.status, 429);
      assert.equal(fourth.body.error.code, 'rate_limited');
      assert.equal((await send(4, '10.9.9.3, 192.0.2.51')).status, 202, 'another client address');
    } finally {
      await h.close();
    }
  });
});

describe('share gate: revocation and deleted contacts', () => {
  it('revokes viewer tokens when the gate, the lists, the expiry or the enabled state change', async () => {
    const { h, owner, link } = await setup();
    try {
      const target = await link({ verifyOtp: false });
      const g = gate(h);
      const pass = async () => (await g.open(target.slug, { channel: 'email', identifier: 'reader@example.com' })).body.token as string;
      const reads = async (token: string) => {
        const res = await g.content(target.slug, token);
        await res.arrayBuffer();
        return res.status;
      };
      const patch = (body: Record<string, unknown>) => h.call('PATCH', `/api/v1/share-links/${target.id}`, { token: owner, body });
      const revokedBy = async (body: Record<string, unknown>, undo?: Record<string, unknown>) => {
        const token = await pass();
        assert.equal(await reads(token), 200);
        assert.equal((await patch(body)).status, 200);
        if (undo) assert.equal((await patch(undo)).status, 200);
        const res = await g.content(target.slug, token);
        assert.equal(res.status, 401, JSON.stringify(body));
        assert.equal(((await res.json()) as any).error.code, 'viewer_token_revoked');
      };
      await revokedBy({ denyList: ['reader@example.com'] }, { denyList: [] });
      await revokedBy({ allowList: ['@example.com'] });
      await revokedBy({ expiresAt: h.clock.now() + 60 * MIN });
      await revokedBy({ disabled: true }, { disabled: false });
      await revokedBy({ verifyOtp: true }, { verifyOtp: false });
      const token = await pass();
      assert.equal((await patch({ name: 'Renamed', allowDownload: true })).status, 200);
      assert.equal(await reads(token), 200, 'a rename or the download flag keeps sessions');
    } finally {
      await h.close();
    }
  });

  it("a contact in the restore bin shares nothing until it is restored", async () => {
    const { h, owner, docId, link } = await setup();
    try {
      const target = await link({ require: 'none' });
      const g = gate(h);
      const token = (await g.open(target.slug)).body.token as string;
      const contactId = (await h.call('GET', `/api/v1/documents/${docId}`, { token: owner })).body.contactId as string;
      assert.equal((await h.call('DELETE', `/api/v1/contacts/${contactId}`, { token: owner })).status, 200);
      const info = await g.info(target.slug);
      assert.equal(info.status, 404);
      assert.equal(info.body.error.code, 'link_unavailable');
      assert.equal((await g.content(target.slug, token)).status, 404);
      assert.equal((await g.open(target.slug)).status, 404);
      assert.equal((await h.call('POST', `/api/v1/contacts/${contactId}/restore`, { token: owner })).status, 200);
      assert.equal((await g.info(target.slug)).status, 200);
      assert.equal((await g.content(target.slug, token)).status, 200);
    } finally {
      await h.close();
    }
  });
});
