// Helpers for share-link tests: a transport that captures codes, a document with a link, gate calls.
import { deliveriesSettled } from './domain/share-gate.js';
import type { OtpMessage, Transport, Transports } from './transports/transport.js';
import { TransportError } from './transports/transport.js';
import { upload } from './test-documents.js';
import { samplePdf } from './seed/sample-pdf.js';
import type { Harness } from './testing.js';

export class CapturingTransport implements Transport {
  readonly name = 'capture';
  sent: OtpMessage[] = [];
  failNext: TransportError | null = null;
  async send(m: OtpMessage) {
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = null;
      throw err;
    }
    this.sent.push(m);
  }
  last(to?: string) {
    const list = to ? this.sent.filter((m) => m.to === to) : this.sent;
    return list[list.length - 1];
  }
}

export function capturing(): { transports: Transports; capture: CapturingTransport } {
  const capture = new CapturingTransport();
  return { transports: { email: capture, whatsapp: capture }, capture };
}

/** A contact with a multi-page PDF; returns the document id. */
export async function pdfDocument(h: Harness, token: string, pages = 3, name = 'Proposal.pdf') {
  const contact = await h.call('POST', '/api/v1/contacts', { token, body: { firstName: 'Owner of', lastName: name } });
  const res = await upload(h, token, contact.body.id, [{ name, content: samplePdf(pages) }]);
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items[0].id as string;
}

export async function createLink(h: Harness, token: string, body: Record<string, unknown>) {
  const res = await h.call('POST', '/api/v1/share-links', { token, body });
  if (res.status !== 201) throw new Error(`link: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string; url: string; path: string };
}

let nextIp = 0;
/** A fresh address per call unless `ip` is given, so per-IP budgets (wall-clock windows) only bite where a test means them to. */
const addressOf = (ip?: string) => ip ?? `10.${(++nextIp >> 16) & 255}.${(nextIp >> 8) & 255}.${nextIp & 255}`;

export const gate = (h: Harness, ip?: string) => ({
  info: (slug: string) => h.call('GET', `/api/v1/public/share/${slug}`),
  /** Sends a code and lets the background delivery hand it to the transport before returning. */
  send: async (slug: string, identifier: string, channel = identifier.includes('@') ? 'email' : 'whatsapp') => {
    const res = await h.call('POST', `/api/v1/public/share/${slug}/send-code`, { body: { channel, identifier }, headers: { 'x-forwarded-for': addressOf(ip) } });
    await deliveriesSettled(); // the database answers asynchronously on PostgreSQL: one tick is not enough there
    return res;
  },
  verify: (slug: string, identifier: string, code: string, channel = identifier.includes('@') ? 'email' : 'whatsapp') =>
    h.call('POST', `/api/v1/public/share/${slug}/verify`, { body: { channel, identifier, code }, headers: { 'x-forwarded-for': addressOf(ip) } }),
  open: (slug: string, body: Record<string, unknown> = {}) => h.call('POST', `/api/v1/public/share/${slug}/open`, { body, headers: { 'x-forwarded-for': addressOf(ip) } }),
  content: (slug: string, token: string, opts: { download?: boolean; range?: string } = {}) =>
    h.app.request(`/api/v1/public/share/${slug}/content${opts.download ? '?download=1' : ''}`, { headers: { authorization: `Bearer ${token}`, ...(opts.range ? { range: opts.range } : {}) } }),
});

/** A code that differs from `code`. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Polls until `check` holds (background deliveries, for example); fails after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * 100 wrong tries for `who`: 20 codes spread over `links` (each link's own failure budget is not what such a test is
 * about), 5 wrong guesses each, 13 minutes apart on the test clock.
 */
export async function hundredWrongTries(h: Harness, g: ReturnType<typeof gate>, capture: CapturingTransport, links: { slug: string }[], who: string) {
  for (let round = 0; round < 20; round++) {
    const on = links[round % links.length]!;
    const sent = await g.send(on.slug, who);
    if (sent.status !== 202) throw new Error(`round ${round}: ${sent.status} ${JSON.stringify(sent.body)}`);
    const code = capture.last(who)!.code;
    for (let i = 0; i < 5; i++) await g.verify(on.slug, who, wrongCode(code));
    h.clock.advance(13 * 60_000);
  }
}
