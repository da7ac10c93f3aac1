// The client address that per-IP limits count by. Behind reverse proxies the socket address is the proxy's, and
// X-Forwarded-For lists the hops, each appended by the next hop: everything left of what our own proxies appended is
// whatever the client chose to send. So the client is the right-most address that is not one of our proxies.
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** How many proxies stand in front of the server (hop count), or which addresses are ours (CIDRs); false: none. */
export type TrustProxy = false | number | string[];

/**
 * DOSSIER_TRUST_PROXY: unset, "" or "0" → no proxy; a number → that many proxy hops; otherwise a comma-separated list
 * of proxy addresses or CIDRs ("10.0.0.0/8, 2001:db8::/32"). Throws on anything else so a typo fails at start.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (!v || v === '0' || v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) toBlockList([entry]); // validates
  return list;
}

function toBlockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const entry of cidrs) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address);
    const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32) || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new Error(`DOSSIER_TRUST_PROXY: "${entry}" is not a hop count, an IP address or a CIDR range.`);
    }
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** "::ffff:192.0.2.1" (IPv4 on a dual-stack socket) → "192.0.2.1". */
const plain = (address: string) => (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address);

function socketAddress(c: Context): string {
  try {
    return plain(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

/** Picks the client address of a request for `trust`; builds the CIDR matcher once. */
export function clientIpOf(trust: TrustProxy): (c: Context) => string {
  if (trust === false || trust === 0) return socketAddress;
  const ours = Array.isArray(trust) ? toBlockList(trust) : null;
  const isOurs = (address: string) => {
    const family = isIP(address);
    return family !== 0 && ours!.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (c) => {
    const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => plain(s.trim())).filter(Boolean);
    const chain = [...forwarded, socketAddress(c)];
    let i = chain.length - 1;
    if (ours) while (i > 0 && isOurs(chain[i]!)) i--;
    else i = Math.max(0, chain.length - 1 - (trust as number));
    // A hop that is not an address (garbage a client sent) is no client: take the nearest address right of it.
    while (i < chain.length - 1 && !isIP(chain[i]!)) i++;
    return chain[i]!;
  };
}
