// Fetches message attachments by URL for the ingestion API without letting a URL reach the server's own
// network: every address a host name resolves to is checked, and the connection goes to the checked address
// (no second DNS lookup a rebinding attacker could answer differently). Redirects are re-checked the same way.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';
import type { Readable } from 'node:stream';

export interface FetchedAttachment {
  body: Readable;
  /** File name from Content-Disposition or the URL path, unsanitized (the caller cleans it). */
  name: string;
  /** Declared length, when the server sent one. */
  length: number | null;
}

export interface AttachmentFetcher {
  fetch(url: string, opts: { maxBytes: number; timeoutMs: number }): Promise<FetchedAttachment>;
}

export class FetchRefused extends Error {
  constructor(message: string, readonly status = 422) {
    super(message);
  }
}

/** Private, loopback, link-local, CGNAT, multicast and reserved ranges (IPv4 and IPv6). */
function blockedRanges(): BlockList {
  const list = new BlockList();
  const v4: [string, number][] = [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
    ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  const v6: [string, number][] = [
    ['::', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23],
    ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
  ];
  // (IPv4-mapped ::ffff:0:0/96 is not listed: BlockList would then match every IPv4 address; isPublicAddress unmaps.)
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list;
}

const BLOCKED = blockedRanges();

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !BLOCKED.check(mapped[1]!, 'ipv4');
  return !BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface SafeFetcherOptions {
  /** Addresses tests may reach although they are not public (e.g. ['127.0.0.1'] for a local test server). */
  allowAddresses?: string[];
  maxRedirects?: number;
}

/**
 * Resolves a host name and checks every address it resolves to; answers the address to connect to. `allowed`
 * addresses pass although not public; `allowAny` lets every address through (development and tests).
 */
export async function resolvePublic(hostname: string, opts: { allowed?: Set<string>; allowAny?: boolean; what?: string } = {}): Promise<{ address: string; family: number }> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new FetchRefused(`${hostname} does not resolve.`);
  if (!opts.allowAny) {
    for (const a of addresses) {
      if (!opts.allowed?.has(a.address) && !isPublicAddress(a.address)) {
        throw new FetchRefused(`${opts.what ?? 'Attachment URLs'} may not point at private, loopback or link-local addresses (${hostname}).`);
      }
    }
  }
  return addresses[0]!;
}

/** A `lookup` for http(s).request that connects to the address already checked, whatever a second lookup would say. */
export function pinnedLookup(target: { address: string; family: number }): NonNullable<http.RequestOptions['lookup']> {
  return (_host, opts, cb) => {
    const all = (opts as { all?: boolean }).all;
    if (all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else cb(null, target.address, target.family);
  };
}

export function createSafeFetcher(options: SafeFetcherOptions = {}): AttachmentFetcher {
  const allowed = new Set(options.allowAddresses ?? []);
  const maxRedirects = options.maxRedirects ?? 3;
  const resolveChecked = (hostname: string) => resolvePublic(hostname, { allowed });

  async function get(url: URL, deadline: AbortSignal, redirectsLeft: number): Promise<FetchedAttachment> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused('Attachment URLs must use http or https.');
    if (url.username || url.password) throw new FetchRefused('Attachment URLs may not carry credentials.');
    const target = await resolveChecked(url.hostname);
    const client = url.protocol === 'https:' ? https : http;
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = client.get(url, {
        signal: deadline,
        headers: { 'user-agent': 'dossier-attachment-fetcher', accept: '*/*' },
        // Connect to the address we checked, whatever a second lookup would say.
        lookup: pinnedLookup(target),
      });
      req.on('response', resolve);
      req.on('error', reject);
    });
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (redirectsLeft <= 0) throw new FetchRefused('Too many redirects fetching an attachment.');
      return get(new URL(res.headers.location, url), deadline, redirectsLeft - 1);
    }
    if (status !== 200) {
      res.resume();
      throw new FetchRefused(`Fetching an attachment answered HTTP ${status}.`, 422);
    }
    const lengthHeader = res.headers['content-length'];
    const length = lengthHeader ? Number(lengthHeader) : null;
    const fromHeader = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers['content-disposition'] ?? '')?.[1];
    let name = fromHeader ? safeDecode(fromHeader) : safeDecode(url.pathname.split('/').pop() ?? '');
    if (!name) name = 'attachment';
    return { body: res, name, length };
  }

  return {
    async fetch(raw, { maxBytes, timeoutMs }) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new FetchRefused(`Not a URL: ${raw.slice(0, 200)}`);
      }
      const deadline = AbortSignal.timeout(timeoutMs);
      const fetched = await get(url, deadline, maxRedirects).catch((err: unknown) => {
        if (err instanceof FetchRefused) throw err;
        throw new FetchRefused(`Could not fetch ${url.host}: ${(err as Error).name === 'AbortError' ? 'timed out' : (err as Error).message}`, 502);
      });
      if (fetched.length !== null && fetched.length > maxBytes) {
        fetched.body.destroy();
        throw new FetchRefused(`The attachment at ${url.host} is larger than ${maxBytes} bytes.`, 413);
      }
      return fetched;
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
