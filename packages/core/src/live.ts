// Live updates over Server-Sent Events. EventSource cannot send headers, so each connection first asks (with the
// session token, in a header) for a one-time ticket and opens the stream with `?ticket=`: the session token never
// appears in a URL. The server ends the stream when the session expires, and we reconnect with a fresh ticket
// (backing off after failures). `ready(again)` tells the caller to catch up on what it may have missed.
import type { DossierClient } from './client.js';

export interface LiveOptions {
  /** A one-time ticket for the stream (asked with the session token). */
  ticket: () => Promise<string>;
  /** The stream's path (below the base URL) for a ticket. */
  path: (ticket: string) => string;
  /** Handlers by SSE event name; each gets the event's parsed data. */
  on: Record<string, (data: never) => void>;
  ready?: (again: boolean) => void;
}

/** Opens a reconnecting stream; returns the function that closes it for good. */
export function openLive(client: DossierClient, { ticket, path, on, ready }: LiveOptions): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let opened = false;
  let stopped = false;

  const retry = () => {
    if (stopped) return;
    failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6)) * (0.75 + Math.random() / 2);
    timer = setTimeout(connect, failures === 1 ? 250 : delay);
  };

  async function connect() {
    let t: string;
    try {
      // After a failed attempt the token may be the reason (expired, revoked): ask for a fresh one first.
      if (failures > 0) await client.tokens.get(true);
      t = await ticket();
    } catch {
      return retry();
    }
    if (stopped) return;
    const es = new EventSource(client.baseUrl.replace(/\/$/, '') + path(t));
    source = es;
    es.addEventListener('ready', () => {
      failures = 0;
      ready?.(opened);
      opened = true;
    });
    for (const [name, handle] of Object.entries(on)) {
      es.addEventListener(name, (e) => {
        let data: never;
        try {
          data = JSON.parse((e as MessageEvent<string>).data) as never;
        } catch {
          return; // a malformed event is skipped
        }
        handle(data);
      });
    }
    // The browser would retry with the same (now spent) ticket: take over and reconnect with a new one.
    es.onerror = () => {
      es.close();
      if (source === es) retry();
    };
  }

  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
    source = undefined;
  };
}
