// Live updates for one contact's documents over Server-Sent Events. EventSource cannot send headers, so each
// connection first asks (with the session token, in a header) for a one-time ticket and opens the stream with
// `?ticket=`: the session token never appears in a URL. The server ends the stream when the session expires, and
// we reconnect with a fresh ticket (backing off after failures). `onReady(again)` tells the caller to catch up.
import { unwrap } from '../../../core/src/api.js';
import type { DossierClient } from '../../../core/src/client.js';
import type { DocumentJson } from '../../../core/src/types.js';

export interface LiveEvent {
  type: 'created' | 'updated' | 'deleted' | 'restored';
  document: DocumentJson;
}

export class LiveDocuments {
  private source?: EventSource;
  private timer?: ReturnType<typeof setTimeout>;
  private failures = 0;
  private opened = false;
  private stopped = false;

  constructor(
    private readonly client: DossierClient,
    private readonly contactId: string,
    private readonly onEvent: (e: LiveEvent) => void,
    private readonly onReady: (reconnected: boolean) => void,
  ) {
    void this.connect();
  }

  private async connect() {
    let ticket: string;
    try {
      // After a failed attempt the token may be the reason (expired, revoked): ask for a fresh one first.
      if (this.failures > 0) await this.client.tokens.get(true);
      ticket = (await unwrap(this.client.api.api.v1.contacts[':id'].documents.events.ticket.$post({ param: { id: this.contactId } }))).ticket;
    } catch {
      return this.retry();
    }
    if (this.stopped) return;
    const base = this.client.baseUrl.replace(/\/$/, '');
    const es = new EventSource(`${base}/api/v1/contacts/${encodeURIComponent(this.contactId)}/documents/events?ticket=${encodeURIComponent(ticket)}`);
    this.source = es;
    es.addEventListener('ready', () => {
      this.failures = 0;
      this.onReady(this.opened);
      this.opened = true;
    });
    es.addEventListener('document', (e) => {
      try {
        this.onEvent(JSON.parse((e as MessageEvent<string>).data) as LiveEvent);
      } catch {
        // a malformed event is skipped
      }
    });
    // The browser would retry with the same (now spent) ticket: take over and reconnect with a new one.
    es.onerror = () => {
      es.close();
      if (this.source === es) this.retry();
    };
  }

  private retry() {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6)) * (0.75 + Math.random() / 2);
    this.timer = setTimeout(() => void this.connect(), this.failures === 1 ? 250 : delay);
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.source?.close();
    this.source = undefined;
  }
}
