import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { clientIpOf, parseTrustProxy, type TrustProxy } from './client-ip.js';

/** The address clientIpOf picks for a request with this X-Forwarded-For (app.request has no socket: "unknown"). */
async function pick(trust: TrustProxy, forwarded?: string) {
  const ip = clientIpOf(trust);
  const app = new Hono().get('/', (c) => c.text(ip(c)));
  return (await app.request('/', { headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } })).text();
}

describe('client address behind proxies (DOSSIER_TRUST_PROXY)', () => {
  it('parses a hop count or a list of addresses and CIDRs, and refuses anything else', () => {
    assert.equal(parseTrustProxy(undefined), false);
    assert.equal(parseTrustProxy(''), false);
    assert.equal(parseTrustProxy('0'), false);
    assert.equal(parseTrustProxy('2'), 2);
    assert.deepEqual(parseTrustProxy('10.0.0.0/8, 192.0.2.1 ,2001:db8::/32'), ['10.0.0.0/8', '192.0.2.1', '2001:db8::/32']);
    for (const bad of ['yes', '10.0.0.0/33', '10.0.0/8', 'fe80::/129', '1.2.3.4/x']) assert.throws(() => parseTrustProxy(bad), /DOSSIER_TRUST_PROXY/, bad);
  });

  it('ignores X-Forwarded-For without trusted proxies', async () => {
    assert.equal(await pick(false, '203.0.113.7'), 'unknown');
  });

  it('with N hops, takes the address N hops left of the socket: what the client wrote further left is ignored', async () => {
    assert.equal(await pick(1, '203.0.113.7'), '203.0.113.7');
    assert.equal(await pick(1, '6.6.6.6, 203.0.113.7'), '203.0.113.7');
    assert.equal(await pick(2, '6.6.6.6, 203.0.113.7, 10.0.0.2'), '203.0.113.7');
    assert.equal(await pick(3, '203.0.113.7'), '203.0.113.7', 'fewer hops than proxies: the left-most there is');
    assert.equal(await pick(1, '::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(await pick(1, 'garbage'), 'unknown', 'not an address: the next hop to the right');
  });

  it('with CIDRs, takes the right-most address that is not one of ours (real sockets)', async () => {
    const server = async (trust: TrustProxy) => {
      const ip = clientIpOf(trust);
      const app = new Hono().get('/', (c) => c.text(ip(c)));
      const s = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
      });
      const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
      return { get: async (forwarded: string) => (await fetch(url, { headers: { 'x-forwarded-for': forwarded } })).text(), close: () => new Promise((r) => s.close(r)) };
    };
    const ours = await server(['127.0.0.1', '10.0.0.0/8', '2001:db8::/32']);
    const none = await server(false);
    const oneHop = await server(1);
    try {
      assert.equal(await ours.get('6.6.6.6, 203.0.113.7, 10.1.2.3'), '203.0.113.7');
      assert.equal(await ours.get('203.0.113.7, 2001:db8::5'), '203.0.113.7');
      assert.equal(await ours.get('10.1.2.3, 10.0.0.9'), '10.1.2.3', 'all ours: the left-most');
      assert.equal(await none.get('6.6.6.6'), '127.0.0.1', 'no proxy: the socket');
      assert.equal(await oneHop.get('6.6.6.6, 203.0.113.7'), '203.0.113.7');
    } finally {
      await Promise.all([ours.close(), none.close(), oneHop.close()]);
    }
  });
});
