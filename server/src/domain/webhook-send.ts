// One signed POST to a webhook endpoint, under the attachment fetcher's network rules: every address the host
// resolves to must be public (checked at each attempt, and the connection goes to the checked address), and
// redirects are not followed (a 3xx is a failed attempt), so no answer can steer the request to a private address.
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { FetchRefused, pinnedLookup, resolvePublic } from '../storage/fetch-attachment.js';

export interface SendResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
}

/** The Standard Webhooks headers for one attempt (`timestampMs`: when it is sent). */
export function signedHeaders(secret: string, eventId: string, timestampMs: number, payload: string) {
  const timestamp = new Date(timestampMs);
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(timestampMs / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, timestamp, payload),
  };
}

export async function sendWebhook(
  target: { url: string; secret: string },
  delivery: { eventId: string; payload: string; timestampMs: number },
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'latencyMs'>): SendResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
  try {
    const url = new URL(target.url);
    if (url.protocol !== 'https:' && !(opts.allowPrivate && url.protocol === 'http:')) return done({ ok: false, status: null, error: 'Webhook URLs must use https.' });
    const deadline = AbortSignal.timeout(opts.timeoutMs);
    const address = await resolvePublic(url.hostname, { allowAny: opts.allowPrivate, what: 'Webhook URLs' });
    const body = Buffer.from(delivery.payload);
    const headers = {
      ...signedHeaders(target.secret, delivery.eventId, delivery.timestampMs, delivery.payload),
      'content-type': 'application/json',
      'content-length': String(body.length),
      'user-agent': 'dossier-webhooks',
    };
    const client = url.protocol === 'https:' ? https : http;
    const status = await new Promise<number>((resolve, reject) => {
      const req = client.request(url, { method: 'POST', headers, signal: deadline, lookup: pinnedLookup(address), agent: false }, (res) => {
        // The answer's body is not kept; reading it to the end frees the socket. The deadline covers it too.
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      });
      req.on('error', reject);
      req.end(body);
    });
    if (status >= 200 && status < 300) return done({ ok: true, status, error: null });
    const why = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`;
    return done({ ok: false, status, error: why });
  } catch (err) {
    const e = err as Error;
    const message = err instanceof FetchRefused ? e.message : e.name === 'AbortError' || e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs} ms` : e.message;
    return done({ ok: false, status: null, error: message.slice(0, 500) });
  }
}
