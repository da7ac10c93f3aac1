import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSafeFetcher, FetchRefused, isPublicAddress } from './fetch-attachment.js';

describe('attachment fetcher', () => {
  let server: http.Server;
  let base: string;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/file.pdf') return void res.end('%PDF-1.4 test');
      if (req.url === '/named') {
        res.setHeader('content-disposition', `attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`);
        return void res.end('%PDF-1.4 named');
      }
      if (req.url === '/big') {
        res.setHeader('content-length', '999999');
        return void res.end();
      }
      if (req.url === '/to-metadata') {
        res.statusCode = 302;
        res.setHeader('location', 'http://169.254.169.254/latest/meta-data/');
        return void res.end();
      }
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000).unref();
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const read = async (body: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString();
  };
  const refusedWith = async (p: Promise<unknown>, pattern: RegExp) => {
    await assert.rejects(p, (err: unknown) => err instanceof FetchRefused && pattern.test(err.message));
  };

  it('classifies addresses: only public unicast ones are reachable', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip']) {
      assert.equal(isPublicAddress(a), false, a);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPublicAddress(a), true, a);
  });

  it('refuses loopback, private and link-local targets by default, including names that resolve to them', async () => {
    const fetcher = createSafeFetcher();
    const opts = { maxBytes: 1000, timeoutMs: 1000 };
    for (const url of [`${base}/file.pdf`, 'http://localhost/x', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x', 'http://10.0.0.1/x', 'http://[::ffff:127.0.0.1]/x', 'http://2130706433/x']) {
      await refusedWith(fetcher.fetch(url, opts), /private, loopback or link-local/);
    }
    await refusedWith(fetcher.fetch('file:///etc/passwd', opts), /http or https/);
    await refusedWith(fetcher.fetch('http://user:pw@example.com/x', opts), /credentials/);
    await refusedWith(fetcher.fetch('not a url', opts), /Not a URL/);
  });

  it('fetches from an explicitly allowed address, names the file, and still checks redirects, size and time', async () => {
    const fetcher = createSafeFetcher({ allowAddresses: ['127.0.0.1'] });
    const ok = await fetcher.fetch(`${base}/file.pdf`, { maxBytes: 1000, timeoutMs: 1000 });
    assert.equal(ok.name, 'file.pdf');
    assert.equal(await read(ok.body), '%PDF-1.4 test');
    const named = await fetcher.fetch(`${base}/named`, { maxBytes: 1000, timeoutMs: 1000 });
    assert.equal(named.name, 'Résumé.pdf');
    await read(named.body);
    await refusedWith(fetcher.fetch(`${base}/to-metadata`, { maxBytes: 1000, timeoutMs: 1000 }), /private, loopback or link-local/);
    await refusedWith(fetcher.fetch(`${base}/big`, { maxBytes: 1000, timeoutMs: 1000 }), /larger than 1000 bytes/);
    await refusedWith(fetcher.fetch(`${base}/missing`, { maxBytes: 1000, timeoutMs: 1000 }), /HTTP 404/);
    await refusedWith(fetcher.fetch(`${base}/slow`, { maxBytes: 1000, timeoutMs: 100 }), /timed out/);
  });
});
