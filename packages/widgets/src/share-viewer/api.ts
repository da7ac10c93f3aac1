// The public share API from the viewer's side: plain fetch, cross-origin, never with cookies.
import type { GateInfo, OpenedView, SendResult } from '../../../../server/src/domain/share-gate.js';

export type { GateInfo, OpenedView, SendResult };
export type Channel = 'email' | 'whatsapp';

export class ShareError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export class ShareApi {
  readonly root: string;
  constructor(
    base: string,
    readonly slug: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    this.root = `${base.replace(/\/$/, '')}/api/v1/public/share/${encodeURIComponent(slug)}`;
  }

  private async call<T>(path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.root + path, {
        method: body === undefined ? 'GET' : 'POST',
        credentials: 'omit',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ShareError(0, 'network', 'network');
    }
    const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null;
    if (!res.ok) throw new ShareError(res.status, json?.error?.code ?? 'http_error', json?.error?.message ?? `HTTP ${res.status}`, json?.error?.details ?? {});
    return json as T;
  }

  info = () => this.call<GateInfo>('');
  send = (channel: Channel, identifier: string) => this.call<SendResult>('/send-code', { channel, identifier });
  verify = (channel: Channel, identifier: string, code: string) => this.call<OpenedView>('/verify', { channel, identifier, code });
  open = (channel?: Channel, identifier?: string) => this.call<OpenedView>('/open', channel ? { channel, identifier } : {});
  /** The document bytes for showing (images, text), with the viewer token. */
  content = (token: string) => this.fetchImpl(this.contentUrl(), { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' });
  contentUrl = (download = false) => `${this.root}/content${download ? '?download=1' : ''}`;

  /** Fire-and-forget on pagehide: text/plain keeps it a simple request (no preflight), the token rides in the body. */
  report(token: string, data: { durationMs: number; pages: number[]; downloaded?: boolean }) {
    const body = JSON.stringify({ ...data, token });
    if (!navigator.sendBeacon?.(`${this.root}/report`, new Blob([body], { type: 'text/plain' }))) {
      void fetch(`${this.root}/report`, { method: 'POST', body, keepalive: true, credentials: 'omit', headers: { 'content-type': 'text/plain' } }).catch(() => undefined);
    }
  }
}
