import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { AppConfig } from '../deps.js';
import { harness, type Harness, type TestWorkspace } from '../testing.js';
import { addEndpoint, startReceiver, type Receiver } from '../test-webhooks.js';
import { signedHeaders } from './webhook-send.js';
import { retryDelay, WebhookWorker } from './webhook-worker.js';

const config: AppConfig = { webhooks: { allowPrivate: true, timeoutMs: 2_000 } };
const MIN = 60_000;

describe('webhook delivery', () => {
  let h: Harness;
  let ws: TestWorkspace;
  let rx: Receiver;
  let worker: WebhookWorker;
  const contact = async (body: Record<string, unknown>) => (await h.call('POST', '/api/v1/contacts', { token: ws.secretKey, body })).body;
  const deliveries = async (endpointId: string, query = '') => (await h.call('GET', `/api/v1/webhook-endpoints/${endpointId}/deliveries${query}`, { token: ws.secretKey })).body;

  beforeEach(async () => {
    h = await harness(config);
    // Standard Webhooks receivers check the timestamp against their own clock.
    h.clock.t = Date.now();
    ws = await h.workspace();
    rx = await startReceiver();
    worker = new WebhookWorker({ db: h.opened.db, clock: h.clock, config });
  });
  afterEach(async () => {
    await worker.stop();
    await rx.close();
    await h.close();
  });

  it('signs each delivery per Standard Webhooks: valid verifies, tampered or old ones do not', async () => {
    const ep = await addEndpoint(h, ws.secretKey, { url: rx.url, eventTypes: ['contact.created'] });
    const c = await contact({ firstName: 'Ada', lastName: 'Lovelace', emails: [{ value: 'ada@example.com' }] });
    assert.equal(await worker.drain(), 1);
    const [got] = rx.received;
    assert.ok(got);
    const headers = { 'webhook-id': String(got.headers['webhook-id']), 'webhook-timestamp': String(got.headers['webhook-timestamp']), 'webhook-signature': String(got.headers['webhook-signature']) };
    const verified = new Webhook(ep.secret).verify(got.body, headers) as any;
    assert.equal(verified.type, 'contact.created');
    assert.equal(verified.id, headers['webhook-id']);
    assert.equal(verified.workspaceId, ws.id);
    assert.equal(verified.data.contactId, c.id);
    assert.equal(verified.data.contact.firstName, 'Ada');
    assert.equal(verified.data.actor.type, 'api');
    assert.equal(got.headers['content-type'], 'application/json');
    // Tampered body, or another endpoint's secret: refused.
    assert.throws(() => new Webhook(ep.secret).verify(got.body.replace('Ada', 'Eve'), headers), /signature/i);
    const other = await addEndpoint(h, ws.secretKey, { url: rx.url });
    assert.throws(() => new Webhook(other.secret).verify(got.body, headers), /signature/i);
    // A correctly signed message from 10 minutes ago is refused as a replay.
    const old = signedHeaders(ep.secret, headers['webhook-id'], Date.now() - 10 * MIN, got.body);
    assert.throws(() => new Webhook(ep.secret).verify(got.body, old), /timestamp too old/i);
  });

  it('retries a failing receiver with exponential backoff until it recovers, and logs each outcome', async () => {
    const ep = await addEndpoint(h, ws.secretKey, { url: rx.url });
    rx.answer = (_req, n) => (n < 2 ? 503 : 200);
    await contact({ firstName: 'Retry' });
    await worker.drain();
    let [d] = (await deliveries(ep.id)).items;
    assert.deepEqual([d.status, d.attempts, d.responseStatus, d.lastError], ['pending', 1, 503, 'HTTP 503']);
    assert.equal(d.nextAttemptAt, h.clock.now() + 30_000);
    assert.equal(typeof d.latencyMs, 'number');
    // Not due yet: nothing is sent.
    assert.equal(await worker.drain(), 0);
    h.clock.advance(30_000);
    await worker.drain();
    [d] = (await deliveries(ep.id)).items;
    assert.deepEqual([d.status, d.attempts], ['pending', 2]);
    assert.equal(d.nextAttemptAt, h.clock.now() + 60_000);
    h.clock.advance(60_000);
    await worker.drain();
    [d] = (await deliveries(ep.id)).items;
    assert.deepEqual([d.status, d.attempts, d.responseStatus, d.lastError, d.nextAttemptAt], ['delivered', 3, 200, null, null]);
    assert.equal(rx.received.length, 1);
  });

  it('marks a delivery failed when the receiver still fails three days later', async () => {
    const ep = await addEndpoint(h, ws.secretKey, { url: rx.url });
    rx.answer = () => 500;
    await contact({ firstName: 'Never' });
    let attempts = 0;
    for (let i = 0; i < 100; i++) {
      attempts += await worker.drain();
      const [d] = (await deliveries(ep.id)).items;
      if (d.status !== 'pending') break;
      h.clock.t = d.nextAttemptAt;
    }
    const [d] = (await deliveries(ep.id)).items;
    assert.equal(d.status, 'failed');
    assert.equal(d.nextAttemptAt, null);
    assert.ok(attempts > 10 && attempts < 30, `${attempts} attempts`);
    assert.ok(h.clock.now() - d.createdAt <= 3 * 24 * 60 * MIN && h.clock.now() - d.createdAt > 2 * 24 * 60 * MIN);
    assert.deepEqual([1, 2, 3, 12].map((n) => retryDelay({ firstRetryMs: 30_000, maxRetryDelayMs: 6 * 60 * MIN }, n)), [30_000, 60_000, 120_000, 6 * 60 * MIN]);
  });

  it("keeps a contact's deliveries in order per endpoint: a later event waits for the earlier one", async () => {
    const ep = await addEndpoint(h, ws.secretKey, { url: rx.url, eventTypes: ['contact.created', 'contact.updated'] });
    const a = await contact({ firstName: 'A' });
    rx.answer = (req) => (req.json.data.contactId === a.id && req.json.type === 'contact.created' && !rx.received.some((r) => r.json.data.contactId === a.id) && failedOnce++ === 0 ? 500 : 204);
    let failedOnce = 0;
    await h.call('PATCH', `/api/v1/contacts/${a.id}`, { token: ws.secretKey, body: { lastName: 'Second' } });
    const b = await contact({ firstName: 'B' });
    await worker.drain();
    // A's creation failed; A's update waits behind it; B is not held up.
    assert.deepEqual(rx.received.map((r) => [r.json.type, r.json.data.contactId]), [['contact.created', b.id]]);
    const log = (await deliveries(ep.id)).items.map((d: any) => [d.eventType, d.contactId, d.status, d.attempts]);
    assert.deepEqual(log, [['contact.created', b.id, 'delivered', 1], ['contact.updated', a.id, 'pending', 0], ['contact.created', a.id, 'pending', 1]]);
    h.clock.advance(30_000);
    await worker.drain();
    assert.deepEqual(rx.received.map((r) => [r.json.type, r.json.data.contactId]), [['contact.created', b.id], ['contact.created', a.id], ['contact.updated', a.id]]);
    const update = rx.received[2]!.json.data;
    assert.deepEqual(update.changedFields, ['lastName', 'name']);
    assert.deepEqual(update.changes.lastName, { before: null, after: 'Second' });
  });

  it('redelivers an event on request, with the same webhook-id', async () => {
    const ep = await addEndpoint(h, ws.secretKey, { url: rx.url });
    await contact({ firstName: 'Again' });
    await worker.drain();
    const [first] = (await deliveries(ep.id)).items;
    const res = await h.call('POST', `/api/v1/webhook-endpoints/${ep.id}/deliveries/${first.id}/redeliver`, { token: ws.secretKey });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.deepEqual([res.body.status, res.body.eventId, res.body.attempts], ['pending', first.eventId, 0]);
    await worker.drain();
    assert.equal(rx.received.length, 2);
    assert.equal(rx.received[0]!.headers['webhook-id'], rx.received[1]!.headers['webhook-id']);
    assert.equal(rx.received[0]!.body, rx.received[1]!.body);
    const log = await deliveries(ep.id, '?limit=1');
    assert.equal(log.items[0].id, res.body.id);
    assert.equal(log.items[0].status, 'delivered');
    const rest = await deliveries(ep.id, `?cursor=${log.nextCursor}`);
    assert.deepEqual(rest.items.map((d: any) => d.id), [first.id]);
    assert.equal((await h.call('POST', `/api/v1/webhook-endpoints/${ep.id}/deliveries/whd_missing/redeliver`, { token: ws.secretKey })).status, 404);
    assert.equal((await deliveries(ep.id, '?limit=0')).error.code, 'validation_failed');
  });

  it('writes deliveries only for enabled endpoints that want the type', async () => {
    const docs = await addEndpoint(h, ws.secretKey, { url: rx.url, eventTypes: ['document.created'] });
    const off = await addEndpoint(h, ws.secretKey, { url: rx.url, enabled: false });
    await contact({ firstName: 'Nobody' });
    assert.deepEqual((await deliveries(docs.id)).items, []);
    assert.deepEqual((await deliveries(off.id)).items, []);
    const rows = await h.opened.db.selectFrom('webhook_deliveries').select('id').execute();
    assert.equal(rows.length, 0);
  });

  it('sends each delivery once when several workers share the database', async () => {
    await addEndpoint(h, ws.secretKey, { url: rx.url });
    for (let i = 0; i < 30; i++) await contact({ firstName: `Many ${i}` });
    const others = [1, 2].map(() => new WebhookWorker({ db: h.opened.db, clock: h.clock, config }));
    await Promise.all([worker.drain(), ...others.map((w) => w.drain())]);
    assert.equal(rx.received.length, 30);
    assert.equal(new Set(rx.received.map((r) => r.headers['webhook-id'])).size, 30);
  });

  it('refuses at send time an address the server does not allow (checked at each attempt)', async () => {
    const ep = await addEndpoint(h, ws.secretKey, { url: rx.url });
    await contact({ firstName: 'Blocked' });
    const strict = new WebhookWorker({ db: h.opened.db, clock: h.clock, config: { webhooks: { allowPrivate: false } } });
    await strict.drain();
    const [d] = (await deliveries(ep.id)).items;
    assert.equal(d.status, 'pending');
    assert.match(d.lastError, /https|private, loopback/);
    assert.equal(rx.received.length, 0);
  });

  it('times out a receiver that does not answer', async () => {
    const ep = await addEndpoint(h, ws.secretKey, { url: rx.url });
    const slow = new WebhookWorker({ db: h.opened.db, clock: h.clock, config: { webhooks: { allowPrivate: true, timeoutMs: 100 } } });
    rx.answer = () => {
      const until = Date.now() + 300;
      while (Date.now() < until);
      return 204;
    };
    await contact({ firstName: 'Slow' });
    await slow.drain();
    const [d] = (await deliveries(ep.id)).items;
    assert.equal(d.status, 'pending');
    assert.match(d.lastError, /timed out after 100 ms/);
  });
});

describe('webhook durability', () => {
  let dir: string;
  before(() => void (dir = mkdtempSync(join(tmpdir(), 'dossier-webhooks-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers after a restart what was committed but not sent before the process died', async () => {
    const rx = await startReceiver();
    const first = await harness(config, {}, { dir });
    const ws = await first.workspace();
    await addEndpoint(first, ws.secretKey, { url: rx.url });
    const created = (await first.call('POST', '/api/v1/contacts', { token: ws.secretKey, body: { firstName: 'Survivor' } })).body;
    // The process ends with the change committed and nothing sent (no worker ran).
    await first.close();
    assert.equal(rx.received.length, 0);
    const second = await harness(config, {}, { dir });
    try {
      const worker = new WebhookWorker({ db: second.opened.db, clock: second.clock, config });
      assert.equal(await worker.drain(), 1);
      assert.deepEqual(rx.received.map((r) => [r.json.type, r.json.data.contactId]), [['contact.created', created.id]]);
    } finally {
      await second.close();
      await rx.close();
    }
  });
});
